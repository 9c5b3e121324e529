package im.parley.server.event;

/** What an event handler did: {@link #HANDLED} stops the event, {@link #PASS} lets the next handler see it. */
public enum Verdict {
    HANDLED,
    PASS
}
