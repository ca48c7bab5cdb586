package io.siyu.service.wecom;

/** A WeCom API call that did not succeed: transport error, non-JSON, or an {@code errcode} other than 0. */
final class KfCallFailed extends RuntimeException {

    private final int errcode;

    KfCallFailed(String message, int errcode) {
        super(message);
        this.errcode = errcode;
    }

    KfCallFailed(String message, Throwable cause) {
        super(message, cause);
        this.errcode = -1;
    }

    /** WeCom's errcode, or -1 when WeCom did not answer with one. */
    int errcode() {
        return errcode;
    }

    /** 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired: fetch a new token and retry once. */
    boolean tokenRejected() {
        return errcode == 40001 || errcode == 40014 || errcode == 42001;
    }
}
