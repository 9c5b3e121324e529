package im.parley.conformance.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.SmackClients;
import im.parley.conformance.XmppClient;
import im.parley.server.config.ServerAdmins;
import java.util.List;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.sasl.SASLError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.RemoteCommand;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.xdata.FormField;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Service administration (XEP-0133) over ad-hoc commands (XEP-0050), driven by Smack's
 * {@link AdHocCommandManager} as an administrator's client would, against the running server.
 */
class AdminCommandsSmackTest {

    private static final String ADMIN = "http://jabber.org/protocol/admin#";
    private static final EntityBareJid ADMIN_JID = jid("admin@" + ParleyServerExtension.DOMAIN);

    @RegisterExtension
    static final ParleyServerExtension parley = ParleyServerExtension.configured(
            config -> config.with(ServerAdmins.ADMINS, List.of(ADMIN_JID.toString())));

    @BeforeAll
    static void createTheAdmin() throws Exception {
        parley.server().accounts().create(ADMIN_JID, ParleyServerExtension.PASSWORD);
    }

    @Test
    @DisplayName("XEP-0133 §4.1 add user, through Smack's ad-hoc commands: the new user logs in")
    void addUser() throws Exception {
        AdHocCommandManager commands = adminCommands();
        DiscoverItems listed = commands.discoverCommands(domain());
        assertThat(listed.getItems()).extracting(DiscoverItems.Item::getNode).contains(ADMIN + "add-user");

        RemoteCommand add = commands.getRemoteCommand(domain(), ADMIN + "add-user");
        add.execute();
        FillableForm form = fillable(add);
        form.setAnswer("accountjid", "benvolio@" + ParleyServerExtension.DOMAIN);
        form.setAnswer("password", "R0m30");
        form.setAnswer("password-verify", "R0m30");
        add.complete(form);

        assertThat(add.isCompleted()).isTrue();
        EntityBareJid benvolio = jid("benvolio@" + ParleyServerExtension.DOMAIN);
        assertThat(parley.connect(SmackClients.startTls(parley, benvolio, "R0m30", null)).connection().isAuthenticated())
                .isTrue();
    }

    @Test
    @DisplayName("RFC 6120 §10.3.3: the commands are at the admin's own bare JID too, where Smack finds and runs them")
    void commandsAtTheOwnBareJid() throws Exception {
        AdHocCommandManager commands = adminCommands();
        DiscoverItems listed = commands.discoverCommands(ADMIN_JID);
        assertThat(listed.getItems()).extracting(DiscoverItems.Item::getNode).contains(ADMIN + "get-registered-users-num");

        RemoteCommand count = commands.getRemoteCommand(ADMIN_JID, ADMIN + "get-registered-users-num");
        count.execute();
        assertThat(count.isCompleted()).isTrue();
        assertThat(count.getForm().getField("registeredusersnum").getFirstValue()).isNotEmpty();
    }

    @Test
    @DisplayName("XEP-0133 §4.3 disable user: its session ends, and it fails to log in with account-disabled "
            + "(RFC 6120 §6.5.1)")
    void disableUser() throws Exception {
        EntityBareJid mercutio = parley.newAccount("mercutio");
        XmppClient online = parley.connect(SmackClients.startTls(parley, mercutio, ParleyServerExtension.PASSWORD, null));

        RemoteCommand disable = adminCommands().getRemoteCommand(domain(), ADMIN + "disable-user");
        disable.execute();
        FillableForm form = fillable(disable);
        form.setAnswer("accountjids", List.of(mercutio.toString()));
        disable.complete(form);

        assertThat(disable.isCompleted()).isTrue();
        await("the disabled user's session ends").atMost(XmppClient.WAIT)
                .until(() -> !online.connection().isConnected());
        XMPPTCPConnection again = new XMPPTCPConnection(
                SmackClients.startTls(parley, mercutio, ParleyServerExtension.PASSWORD, null));
        try {
            assertThatThrownBy(() -> again.connect().login()).isInstanceOfSatisfying(SASLErrorException.class,
                    e -> assertThat(e.getSASLFailure().getSASLError()).isEqualTo(SASLError.account_disabled));
        } finally {
            again.disconnect();
        }
    }

    @Test
    @DisplayName("XEP-0133 §4.23 announce: another user's Smack client receives the announcement")
    void announce() throws Exception {
        XmppClient juliet = parley.loggedIn("juliet");

        RemoteCommand announce = adminCommands().getRemoteCommand(domain(), ADMIN + "announce");
        announce.execute();
        FillableForm form = fillable(announce);
        form.setAnswer("announcement", List.of("The Globe closes at noon."));
        announce.complete(form);

        Message received = (Message) juliet.receives("the announcement", stanza -> stanza instanceof Message message
                && "The Globe closes at noon.".equals(message.getBody()));
        assertThat(received.getType()).isSameAs(Message.Type.headline);
        assertThat(received.getFrom().toString()).isEqualTo(ParleyServerExtension.DOMAIN);
    }

    @Test
    @DisplayName("XEP-0133 §4.20 get list of online users: max_items, then the online users' JIDs")
    void onlineUsers() throws Exception {
        XmppClient nurse = parley.loggedIn("nurse");
        AdHocCommandManager commands = adminCommands();

        RemoteCommand list = commands.getRemoteCommand(domain(), ADMIN + "get-online-users-list");
        list.execute();
        FillableForm form = fillable(list);
        form.setAnswer("max_items", "none");
        list.complete(form);

        assertThat(list.isCompleted()).isTrue();
        FormField users = list.getForm().getField("onlineuserjids");
        assertThat(users.getValuesAsString()).contains(ADMIN_JID.toString(), nurse.bareJid().toString());
    }

    @Test
    @DisplayName("XEP-0133 §6: a user who is not an admin neither sees nor runs the commands")
    void nonAdmins() throws Exception {
        XmppClient tybalt = parley.loggedIn("tybalt");
        AdHocCommandManager commands = AdHocCommandManager.getAddHocCommandsManager(tybalt.connection());

        assertThat(commands.discoverCommands(domain()).getItems()).isEmpty();
        RemoteCommand delete = commands.getRemoteCommand(domain(), ADMIN + "delete-user");
        assertThatThrownBy(delete::execute).isInstanceOfSatisfying(XMPPErrorException.class,
                e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
    }

    private static AdHocCommandManager adminCommands() {
        XmppClient admin = parley.connect(SmackClients.startTls(parley, ADMIN_JID, ParleyServerExtension.PASSWORD,
                "console-" + System.nanoTime()));
        return AdHocCommandManager.getAddHocCommandsManager(admin.connection());
    }

    private static FillableForm fillable(RemoteCommand command) {
        DataForm form = command.getForm();
        assertThat(form.getType()).isEqualTo(DataForm.Type.form);
        return new FillableForm(form);
    }

    private static DomainBareJid domain() {
        try {
            return JidCreate.domainBareFrom(ParleyServerExtension.DOMAIN);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static EntityBareJid jid(String text) {
        try {
            return JidCreate.entityBareFrom(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
