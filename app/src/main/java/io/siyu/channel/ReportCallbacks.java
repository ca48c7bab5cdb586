package io.siyu.channel;

/** A provider whose remote posts delivery reports to Siyu, and how such a post proves it is the remote's. */
interface ReportCallbacks {

    /** True when {@code presented} (a URL token, a signature check's input) authenticates a report; constant time. */
    boolean authenticates(String presented);
}
