package io.siyu.channel;

/** A provider whose failures come back later as mail to be read (e-mail bounces). */
interface BounceSource {

    /** Reads what has bounced since the last poll, hands each bounce to {@code handler}; @return bounces handled. */
    int pollBounces(BounceMailbox.Handler handler) throws Exception;
}
