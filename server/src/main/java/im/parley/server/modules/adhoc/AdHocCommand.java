package im.parley.server.modules.adhoc;

import org.jxmpp.jid.Jid;

/**
 * A command the server offers through Ad-Hoc Commands (XEP-0050): a node, a name, who may run
 * it, and a new {@link CommandExecution} for each session. Modules add theirs by firing
 * {@link AdHocModule#ADD_COMMAND} on their host while they load.
 */
public interface AdHocCommand {

    /** The command's node, unique on its host (XEP-0050 §3.2). */
    String node();

    /** The label clients show, the {@code name} of its disco item (XEP-0050 §2.2). */
    String name();

    /**
     * Whether {@code requester} may see and run the command: the others do not find it in the
     * command list and are answered {@code forbidden}.
     */
    boolean allows(Jid requester);

    /** A new run for {@code requester}, who {@link #allows} it. */
    CommandExecution newExecution(Jid requester);
}
