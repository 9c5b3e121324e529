package im.parley.server.storage;

/**
 * The storage SPIs modules use (DESIGN.md "Storage SPIs"), one accessor per store. Each store
 * is a small interface with a JDBC implementation; all of them block, so callers run them on
 * the blocking executor.
 */
public interface Storage {

    AccountStore accounts();

    RosterStore rosters();

    LastActivityStore lastActivity();

    OfflineStore offline();

    VcardStore vcards();

    PrivateXmlStore privateXml();

    BlockListStore blockLists();

    PushStore push();

    /** The messages of the day (XEP-0133 §4.24). */
    MotdStore motd();

    /** The welcome messages (XEP-0133 §4.27). */
    WelcomeStore welcome();
}
