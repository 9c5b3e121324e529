package im.parley.server.config;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jxmpp.jid.EntityBareJid;

/**
 * The server's administrators, the top-level {@code admins} option: bare JIDs who may run the
 * service administration commands (XEP-0133), as Prosody's {@code admins}. Nobody by default.
 * Held with the modules' option values so that modules read it like their own
 * ({@code ModuleContext.option(ServerAdmins.ADMINS)}), while the file keeps it at the top level.
 */
public final class ServerAdmins {

    static final ValueType<List<String>> BARE_JIDS = new TextListType("list of bare JIDs", "bare JIDs",
            ServerAdmins::isBareJid, "a bare JID (user@domain)");

    private static final String DOC = "Bare JIDs of the server's administrators (e.g. `[\"admin@example.org\"]`): "
            + "they may run the service administration commands (XEP-0133, see docs/administration.md). Nobody by "
            + "default.";

    /** The value, as the modules read it. */
    public static final ModuleOption<List<String>> ADMINS = new ModuleOption<>(
            new OptionSection("admins", DOC), "admins", BARE_JIDS, List.of(), DOC, null);

    private ServerAdmins() {
    }

    /** The declaration among the core's options (top level). */
    static ConfigOption<List<String>> option() {
        return new ConfigOption<>("admins", BARE_JIDS, DOC, "[\"admin@example.org\"]",
                c -> c.option(ADMINS), (c, v) -> c.with(ADMINS, v));
    }

    /** The admins as JIDs, from the option's value (which the loader has checked). */
    public static Set<EntityBareJid> jids(List<String> configured) {
        Set<EntityBareJid> admins = new HashSet<>();
        for (String jid : configured) {
            try {
                admins.add(Jids.parseEntityBare(jid));
            } catch (JidMalformedException e) {
                throw new IllegalStateException("admins: " + e.getMessage(), e);
            }
        }
        return Set.copyOf(admins);
    }

    private static boolean isBareJid(String text) {
        try {
            Jids.parseEntityBare(text);
            return true;
        } catch (JidMalformedException e) {
            return false;
        }
    }
}
