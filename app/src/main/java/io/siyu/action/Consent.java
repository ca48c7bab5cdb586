package io.siyu.action;

/** A person's answer for one {@link Purpose}. */
public enum Consent {
    /** Everything for this purpose. */
    ALL,
    /** Only what serving the person needs (order notices, replies they asked for); no marketing. */
    NECESSARY_ONLY,
    /** Nothing for this purpose. */
    REFUSED
}
