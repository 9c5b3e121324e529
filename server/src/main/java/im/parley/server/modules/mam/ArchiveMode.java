package im.parley.server.modules.mam;

/** What an archive keeps of a JID on neither preference list (XEP-0441 §3, the {@code default} attribute). */
public enum ArchiveMode {
    /** Every message. */
    ALWAYS,
    /** No message. */
    NEVER,
    /** Messages with JIDs on the account's roster. */
    ROSTER
}
