package io.siyu.service.connector;

/** A remote system did not answer in time or answered with an error; the message says which and why. */
public class ConnectorUnavailable extends RuntimeException {

    public ConnectorUnavailable(String message, Throwable cause) {
        super(message, cause);
    }

    public ConnectorUnavailable(String message) {
        super(message);
    }
}
