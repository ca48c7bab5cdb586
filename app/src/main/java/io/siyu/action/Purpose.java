package io.siyu.action;

/** What personal data is used for (PIPL): each has its own consent. */
public enum Purpose {
    MARKETING,
    PERSONALISATION,
    ANALYTICS
}
