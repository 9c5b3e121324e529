package im.parley.server.modules.mam;

import java.util.Set;
import org.jxmpp.jid.BareJid;

/**
 * An account's archiving preferences (XEP-0441, formerly XEP-0313's {@code <prefs/>}): JIDs
 * always archived, JIDs never archived, and for everyone else the default mode.
 */
record ArchivePrefs(ArchiveMode defaultMode, Set<BareJid> always, Set<BareJid> never) {

    ArchivePrefs {
        always = Set.copyOf(always);
        never = Set.copyOf(never);
    }

    static ArchivePrefs of(ArchiveMode mode) {
        return new ArchivePrefs(mode, Set.of(), Set.of());
    }
}
