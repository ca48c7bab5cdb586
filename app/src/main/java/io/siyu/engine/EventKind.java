package io.siyu.engine;

/** The Segment call an event came from, plus the operator's identity commands. */
public enum EventKind {
    TRACK, IDENTIFY, PAGE, SCREEN, GROUP, ALIAS,
    /** An operator joined two people; carries their identifiers. */
    MERGE
}
