package im.parley.server.modules.serviceadmin;

import static im.parley.server.modules.XmppScript.condition;
import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.config.ServerAdmins;
import im.parley.server.module.ServerControl;
import im.parley.server.modules.XmppScript;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service administration (XEP-0133), use case by use case, through the whole server. */
class ServiceAdminModuleTest {

    private static final String COMMANDS = "http://jabber.org/protocol/commands";
    private static final String ADMIN = "http://jabber.org/protocol/admin";

    @TempDir
    Path dir;
    private TestServer server;
    private TestClient admin;

    @BeforeEach
    void start() throws Exception {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("parley.test", "other.test"))
                .withDataDir(dir).with(ServerAdmins.ADMINS, List.of("admin@parley.test"));
        server = new TestServer(config);
        server.user("admin@parley.test").user("romeo@parley.test").user("juliet@parley.test")
                .user("mercutio@other.test");
        admin = server.login("admin@parley.test", "console");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void adminsSeeTheCommandsAndOthersNeither() {
        // §3: the commands are disco nodes of the server; security: never granted to non-admins.
        String list = "<iq type='get' id='l1' to='parley.test'><query xmlns='http://jabber.org/protocol/disco#items' "
                + "node='" + COMMANDS + "'/></iq>";
        assertThat(iq(admin, list).element("query").elements("item")).extracting(i -> i.attributeValue("node"))
                .contains(ADMIN + "#add-user", ADMIN + "#delete-user", ADMIN + "#disable-user",
                        ADMIN + "#reenable-user", ADMIN + "#end-user-session", ADMIN + "#change-user-password",
                        ADMIN + "#get-registered-users-num", ADMIN + "#get-disabled-users-num",
                        ADMIN + "#get-online-users-num", ADMIN + "#get-registered-users-list",
                        ADMIN + "#get-disabled-users-list", ADMIN + "#get-online-users-list", ADMIN + "#announce",
                        ADMIN + "#set-motd", ADMIN + "#edit-motd", ADMIN + "#delete-motd",
                        ADMIN + "#get-user-roster", ADMIN + "#user-stats");

        TestClient romeo = server.login("romeo@parley.test", "orchard");
        assertThat(iq(romeo, list).element("query").elements("item")).isEmpty();
        Element refused = iq(romeo, "<iq type='set' id='x1' to='parley.test'><command xmlns='" + COMMANDS
                + "' node='" + ADMIN + "#delete-user' action='execute'/></iq>");
        assertThat(condition(refused)).isEqualTo("forbidden");
    }

    @Test
    void anAdminFindsAndRunsTheCommandsAtItsOwnBareJidToo_rfc6120_10_3_3() {
        // The server answers requests to an account's bare JID on its behalf (RFC 6120 §10.3.3): an
        // admin's client that looks for the commands there (as Openfire's and ejabberd's users do)
        // finds them, naming the bare JID, and runs them there.
        String list = "<iq type='get' id='b1' to='admin@parley.test'><query xmlns='http://jabber.org/protocol/disco#items' "
                + "node='" + COMMANDS + "'/></iq>";
        assertThat(iq(admin, list).element("query").elements("item")).filteredOn(i -> i.attributeValue("node")
                .equals(ADMIN + "#add-user")).singleElement()
                .satisfies(i -> assertThat(i.attributeValue("jid")).isEqualTo("admin@parley.test"));
        Element info = iq(admin, "<iq type='get' id='b2' to='admin@parley.test'><query xmlns="
                + "'http://jabber.org/protocol/disco#info' node='" + ADMIN + "#add-user'/></iq>");
        assertThat(info.element("query").element("identity").attributeValue("type")).isEqualTo("command-node");

        Element started = iq(admin, "<iq type='set' id='b3' to='admin@parley.test'><command xmlns='" + COMMANDS
                + "' node='" + ADMIN + "#add-user' action='execute'/></iq>");
        String session = started.element("command").attributeValue("sessionid");
        Element done = iq(admin, "<iq type='set' id='b4' to='admin@parley.test'><command xmlns='" + COMMANDS
                + "' node='" + ADMIN + "#add-user' sessionid='" + session + "' action='complete'><x xmlns='jabber:x:data' "
                + "type='submit'><field var='FORM_TYPE'><value>" + ADMIN + "</value></field><field var='accountjid'>"
                + "<value>tybalt@parley.test</value></field><field var='password'><value>pw</value></field>"
                + "<field var='password-verify'><value>pw</value></field></x></command></iq>");
        assertThat(done.element("command").attributeValue("status")).isEqualTo("completed");
        assertThat(done.attributeValue("from")).isEqualTo("admin@parley.test");

        // A user's own bare JID lists what it may run (nothing here); someone else's bare JID is not a
        // command service (RFC 6121 §8.5.2.1.3: service-unavailable).
        TestClient romeo = server.login("romeo@parley.test", "orchard");
        assertThat(iq(romeo, list.replace("to='admin@parley.test'", "to='romeo@parley.test'")).element("query")
                .elements("item")).isEmpty();
        assertThat(condition(iq(romeo, "<iq type='set' id='b5' to='admin@parley.test'><command xmlns='" + COMMANDS
                + "' node='" + ADMIN + "#delete-user' action='execute'/></iq>"))).isEqualTo("service-unavailable");
    }

    @Test
    void addUser() {
        // §4.1: a form with accountjid, password and password-verify; then the account exists.
        Element form = execute("add-user").element("x");
        assertThat(form.attributeValue("type")).isEqualTo("form");
        assertThat(fieldVars(form)).containsSubsequence("FORM_TYPE", "accountjid", "password", "password-verify");
        assertThat(formType(form)).isEqualTo(ADMIN);

        Element done = run("add-user", fields("accountjid", "benvolio@parley.test", "password", "R0m30",
                "password-verify", "R0m30"));

        assertThat(done.attributeValue("status")).isEqualTo("completed");
        assertThat(XmppScript.authenticate(server.connect(), "benvolio", "parley.test", "R0m30"))
                .contains("<stream:features");
    }

    @Test
    void addUserRefusesAnExistingUserMismatchedPasswordsAndAnotherDomain() {
        // §5: conflict when "a user already exists with that username".
        assertThat(condition(submit("add-user", fields("accountjid", "romeo@parley.test", "password", "x",
                "password-verify", "x")))).isEqualTo("conflict");
        assertThat(condition(submit("add-user", fields("accountjid", "tybalt@parley.test", "password", "x",
                "password-verify", "y")))).isEqualTo("bad-request");
        assertThat(condition(submit("add-user", fields("accountjid", "tybalt@other.test", "password", "x",
                "password-verify", "x")))).isEqualTo("bad-request");
    }

    @Test
    void deleteUserEndsItsSessions() {
        // §4.2: deleting ends the user's sessions and destroys the account.
        TestClient romeo = server.login("romeo@parley.test", "orchard");

        Element done = run("delete-user", fields("accountjids", "romeo@parley.test"));

        assertThat(done.attributeValue("status")).isEqualTo("completed");
        assertThat(romeo.output()).containsSubsequence("<not-authorized", "</stream:stream>");
        assertThat(server.accounts().exists(jid("romeo@parley.test"))).isFalse();
    }

    @Test
    void deleteUserTakesTheBarePartOfAFullJid_xep0133_4_2() {
        // §4.2: the JIDs SHOULD be bare; one with a resource names its account.
        run("delete-user", fields("accountjids", "juliet@parley.test/balcony"));
        assertThat(server.accounts().exists(jid("juliet@parley.test"))).isFalse();
    }

    @Test
    void deleteUserNamesAccountsThatDoNotExistInAnErrorNote() {
        // XEP-0050 §3.6: a command that completes but fails carries a note of type error.
        Element done = run("delete-user", fields("accountjids", "romeo@parley.test", "accountjids", "nobody@parley.test"));

        assertThat(done.element("note").attributeValue("type")).isEqualTo("error");
        assertThat(done.elementText("note")).contains("nobody@parley.test").contains("deleted romeo@parley.test");
    }

    @Test
    void disableUserEndsItsSessionsAndRefusesItsLoginUntilReEnabled() {
        // §4.3: sessions end and logins are refused (RFC 6120 §6.5.1 account-disabled); §4.4 re-enables.
        TestClient romeo = server.login("romeo@parley.test", "orchard");

        run("disable-user", fields("accountjids", "romeo@parley.test"));

        assertThat(romeo.output()).containsSubsequence("<not-authorized", "</stream:stream>");
        assertThat(romeo.isOpen()).isFalse();
        assertThat(XmppScript.authenticate(server.connect(), "romeo", "parley.test", "secret"))
                .contains("<account-disabled");
        // The wrong password is still not-authorized: the condition tells nothing without the password.
        assertThat(XmppScript.authenticate(server.connect(), "romeo", "parley.test", "wrong"))
                .contains("<not-authorized").doesNotContain("account-disabled");
        assertThat(number("get-disabled-users-num", "disabledusersnum")).isEqualTo("1");
        assertThat(list("get-disabled-users-list", "disableduserjids", "none")).containsExactly("romeo@parley.test");

        run("reenable-user", fields("accountjids", "romeo@parley.test"));

        assertThat(XmppScript.authenticate(server.connect(), "romeo", "parley.test", "secret"))
                .contains("<stream:features");
        assertThat(number("get-disabled-users-num", "disabledusersnum")).isEqualTo("0");
    }

    @Test
    void endUserSessionEndsAllForABareJidAndOneForAFullJid() {
        // §4.5: bare: all of the user's sessions; full: only that resource's.
        TestClient orchard = server.login("romeo@parley.test", "orchard");
        TestClient garden = server.login("romeo@parley.test", "garden");

        run("end-user-session", fields("accountjids", "romeo@parley.test/orchard"));
        assertThat(orchard.isOpen()).isFalse();
        assertThat(garden.isOpen()).isTrue();

        TestClient balcony = server.login("romeo@parley.test", "balcony");
        run("end-user-session", fields("accountjids", "romeo@parley.test"));
        assertThat(garden.isOpen()).isFalse();
        assertThat(balcony.isOpen()).isFalse();
        // Kicked, not banned: the user logs in again.
        assertThat(server.login("romeo@parley.test", "orchard").isOpen()).isTrue();
    }

    @Test
    void changeUserPassword() {
        // §4.7.
        Element done = run("change-user-password", fields("accountjid", "romeo@parley.test", "password", "V3r0n4"));

        assertThat(done.attributeValue("status")).isEqualTo("completed");
        assertThat(XmppScript.authenticate(server.connect(), "romeo", "parley.test", "V3r0n4"))
                .contains("<stream:features");
        assertThat(condition(submit("change-user-password", fields("accountjid", "nobody@parley.test",
                "password", "x")))).isEqualTo("item-not-found");
    }

    @Test
    void numbersOfRegisteredAndOnlineUsers() {
        // §4.13, §4.15: one stage, the number in a result form; users of this domain only.
        server.login("romeo@parley.test", "orchard");
        server.login("romeo@parley.test", "garden");
        server.login("mercutio@other.test", "street");

        assertThat(number("get-registered-users-num", "registeredusersnum")).isEqualTo("3");
        assertThat(number("get-online-users-num", "onlineusersnum")).isEqualTo("2");
    }

    @Test
    void aUsersRosterAsJabberIqRoster() {
        // §4.8: a form with accountjids; the result names them and holds each roster in the
        // jabber:iq:roster format (RFC 6121 §2.1.2).
        assertThat(fieldVars(execute("get-user-roster").element("x"))).containsSubsequence("FORM_TYPE", "accountjids");
        TestClient juliet = server.login("juliet@parley.test", "balcony");
        iq(juliet, "<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='romeo@parley.test' name='Romeo'>"
                + "<group>Lovers</group><group>Friends</group></item></query></iq>");

        Element result = run("get-user-roster", fields("accountjids", "juliet@parley.test")).element("x");

        assertThat(formType(result)).isEqualTo(ADMIN);
        assertThat(values(result, "accountjids")).containsExactly("juliet@parley.test");
        Element item = result.element(org.dom4j.QName.get("query", "jabber:iq:roster")).element("item");
        assertThat(item.attributeValue("jid")).isEqualTo("romeo@parley.test");
        assertThat(item.attributeValue("name")).isEqualTo("Romeo");
        assertThat(item.attributeValue("subscription")).isEqualTo("none");
        assertThat(item.elements("group")).extracting(Element::getText).containsExactly("Friends", "Lovers");

        // §5: an account that does not exist is item-not-found; one of another domain bad-request.
        assertThat(condition(submit("get-user-roster", fields("accountjids", "tybalt@parley.test"))))
                .isEqualTo("item-not-found");
        assertThat(condition(submit("get-user-roster", fields("accountjids", "mercutio@other.test"))))
                .isEqualTo("bad-request");
    }

    @Test
    void aUsersStatisticsNameItsRosterSizeAndOnlineResources() {
        // §4.10: accountjid; the result has what the server knows: roster size, online resources.
        assertThat(fieldVars(execute("user-stats").element("x"))).containsSubsequence("FORM_TYPE", "accountjid");
        TestClient balcony = server.login("juliet@parley.test", "balcony");
        server.login("juliet@parley.test", "chamber");
        iq(balcony, "<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='romeo@parley.test'/></query></iq>");

        Element result = run("user-stats", fields("accountjid", "juliet@parley.test")).element("x");

        assertThat(values(result, "rostersize")).containsExactly("1");
        assertThat(values(result, "onlineresources")).containsExactly("balcony", "chamber");
        assertThat(values(run("user-stats", fields("accountjid", "romeo@parley.test")).element("x"), "onlineresources"))
                .isEmpty();
    }

    @Test
    void listsOfRegisteredAndOnlineUsersUpToMaxItems() {
        // §4.18, §4.20: max_items first, then the list.
        Element form = execute("get-registered-users-list").element("x");
        assertThat(fieldVars(form)).contains("max_items");
        server.login("romeo@parley.test", "orchard");

        assertThat(list("get-registered-users-list", "registereduserjids", "none"))
                .containsExactly("admin@parley.test", "juliet@parley.test", "romeo@parley.test");
        assertThat(list("get-registered-users-list", "registereduserjids", "25")).hasSize(3);
        assertThat(list("get-online-users-list", "onlineuserjids", "none"))
                .containsExactly("admin@parley.test", "romeo@parley.test");
    }

    @Test
    void announceReachesEveryOnlineSessionOfTheDomain() {
        // §4.23: "sent only to users who currently have a session with the service".
        TestClient orchard = server.login("romeo@parley.test", "orchard");
        TestClient balcony = server.login("juliet@parley.test", "balcony");
        TestClient street = server.login("mercutio@other.test", "street");
        orchard.stanzas();
        balcony.stanzas();
        street.stanzas();

        run("announce", fields("announcement", "Going down for maintenance", "announcement", "in 2 minutes."));

        for (TestClient client : List.of(orchard, balcony)) {
            Element message = only(client.stanzas());
            assertThat(message.attributeValue("type")).isEqualTo("headline");
            assertThat(message.attributeValue("from")).isEqualTo("parley.test");
            assertThat(message.elementText("body")).isEqualTo("Going down for maintenance\nin 2 minutes.");
        }
        assertThat(street.stanzas()).isEmpty();
    }

    /**
     * §4.31 Shut Down Service: the XEP's form (a delay from 30 seconds to 5 minutes, an
     * announcement); the announcement goes at once to every session of the server, whatever its
     * domain (all are cut off), and the server is asked to stop once the delay has passed. A delay
     * that is not a number of seconds is refused; a server that cannot be stopped from inside does
     * not offer the command (the one of the other tests).
     */
    @Test
    void shutDownServiceAnnouncesToEverySessionAndStopsAfterTheDelay() throws Exception {
        assertThat(commandNodes()).doesNotContain(ADMIN + "#shutdown");
        server.close();
        List<Duration> stops = new CopyOnWriteArrayList<>();
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test", "other.test"))
                .withDataDir(dir).with(ServerAdmins.ADMINS, List.of("admin@parley.test")), new ServerControl() {
                    @Override
                    public boolean canStop() {
                        return true;
                    }

                    @Override
                    public void stopAfter(Duration delay) {
                        stops.add(delay);
                    }
                });
        admin = server.login("admin@parley.test", "console");
        assertThat(commandNodes()).contains(ADMIN + "#shutdown");

        Element form = execute("shutdown").element("x");
        assertThat(formType(form)).isEqualTo(ADMIN);
        assertThat(fieldVars(form)).containsSubsequence("FORM_TYPE", "delay", "announcement");
        Element delay = form.elements("field").stream().filter(f -> "delay".equals(f.attributeValue("var")))
                .findFirst().orElseThrow();
        assertThat(delay.attributeValue("type")).isEqualTo("list-single");
        assertThat(delay.elements("option")).extracting(o -> o.elementText("value"))
                .containsExactly("30", "60", "90", "120", "180", "240", "300");
        assertThat(delay.elements("option")).extracting(o -> o.attributeValue("label")).contains("2 minutes");

        Element refused = submit("shutdown", fields("delay", "soon"));
        assertThat(condition(refused)).isEqualTo("bad-request");
        assertThat(stops).isEmpty();

        TestClient orchard = server.login("romeo@parley.test", "orchard");
        TestClient street = server.login("mercutio@other.test", "street");
        orchard.stanzas();
        street.stanzas();
        run("shutdown", fields("delay", "120", "announcement", "The service will be shut down in 2 minutes!",
                "announcement", "Please log off now. --The Admins"));

        assertThat(stops).containsExactly(Duration.ofMinutes(2));
        for (TestClient client : List.of(orchard, street)) {
            Element message = only(client.stanzas());
            assertThat(message.attributeValue("type")).isEqualTo("headline");
            assertThat(message.elementText("body"))
                    .isEqualTo("The service will be shut down in 2 minutes!\nPlease log off now. --The Admins");
        }
    }

    @Test
    void theMessageOfTheDayGoesToAvailableUsersNowAndToOthersOnceAtTheirNextLogin() {
        // §4.24 (and its note): sent at once to users online when set, after the next login to the others.
        TestClient orchard = server.login("romeo@parley.test", "orchard");
        orchard.send("<presence/>");
        orchard.stanzas();

        run("set-motd", fields("motd", "The Globe re-opens tomorrow."));

        assertThat(motds(orchard.stanzas())).containsExactly("The Globe re-opens tomorrow.");
        assertThat(motds(available("juliet@parley.test", "balcony"))).containsExactly("The Globe re-opens tomorrow.");
        assertThat(motds(available("juliet@parley.test", "chamber"))).isEmpty();
        assertThat(motds(available("romeo@parley.test", "garden"))).isEmpty();
    }

    @Test
    void anEditedMessageOfTheDayIsSentAgainAndADeletedOneNotAtAll() {
        // §4.25: the form holds the current message; §4.26 deletes it.
        run("set-motd", fields("motd", "Globe re-opens tomorow."));
        assertThat(motds(available("juliet@parley.test", "balcony"))).hasSize(1);
        Element form = execute("edit-motd").element("x");
        assertThat(values(form, "motd")).containsExactly("Globe re-opens tomorow.");

        run("edit-motd", fields("motd", "Globe re-opens tomorrow."));
        assertThat(motds(available("juliet@parley.test", "chamber"))).containsExactly("Globe re-opens tomorrow.");

        Element deleted = execute("delete-motd");
        assertThat(deleted.attributeValue("status")).isEqualTo("completed");
        assertThat(motds(available("romeo@parley.test", "orchard"))).isEmpty();
    }

    // -- helpers ---------------------------------------------------------------------------------------------

    /** Logs in, sends initial presence and returns what the session received. */
    private List<Element> available(String jid, String resource) {
        TestClient client = server.login(jid, resource);
        return XmppScript.parse(client.send("<presence/>"));
    }

    private static List<String> motds(List<Element> stanzas) {
        return stanzas.stream().filter(s -> "message".equals(s.getName()) && "headline".equals(s.attributeValue("type")))
                .filter(s -> "Message of the day".equals(s.elementText("subject")))
                .map(s -> s.elementText("body")).toList();
    }

    /** The nodes of the commands the admin is offered on parley.test (XEP-0050 §2.2). */
    private List<String> commandNodes() {
        return iq(admin, "<iq type='get' id='nodes' to='parley.test'><query xmlns='http://jabber.org/protocol/disco#items'"
                + " node='" + COMMANDS + "'/></iq>").element("query").elements("item").stream()
                .map(item -> item.attributeValue("node")).toList();
    }

    private static Element only(List<Element> stanzas) {
        assertThat(stanzas).hasSize(1);
        return stanzas.get(0);
    }

    private Element execute(String useCase) {
        Element reply = iq(admin, "<iq type='set' id='e-" + useCase + "' to='parley.test'><command xmlns='" + COMMANDS
                + "' node='" + ADMIN + "#" + useCase + "' action='execute'/></iq>");
        assertThat(reply.attributeValue("type")).as(reply.asXML()).isEqualTo("result");
        return reply.element("command");
    }

    /** Executes, then submits the form; returns the reply IQ. */
    private Element submit(String useCase, Map<String, List<String>> fields) {
        String session = execute(useCase).attributeValue("sessionid");
        StringBuilder form = new StringBuilder("<x xmlns='jabber:x:data' type='submit'><field type='hidden' "
                + "var='FORM_TYPE'><value>" + ADMIN + "</value></field>");
        fields.forEach((var, values) -> {
            form.append("<field var='").append(var).append("'>");
            values.forEach(v -> form.append("<value>").append(v).append("</value>"));
            form.append("</field>");
        });
        form.append("</x>");
        List<Element> received = XmppScript.parse(admin.send("<iq type='set' id='s-" + useCase + "' to='parley.test'>"
                + "<command xmlns='" + COMMANDS + "' node='" + ADMIN + "#" + useCase + "' sessionid='" + session + "'>"
                + form + "</command></iq>"));
        // An announcement reaches the admin's own session too: the answer is the IQ among what arrived.
        return received.stream().filter(e -> "iq".equals(e.getName())).findFirst().orElseThrow();
    }

    /** Executes and submits; returns the completed {@code <command/>}. */
    private Element run(String useCase, Map<String, List<String>> fields) {
        Element reply = submit(useCase, fields);
        assertThat(reply.attributeValue("type")).as(reply.asXML()).isEqualTo("result");
        Element command = reply.element("command");
        assertThat(command.attributeValue("status")).isEqualTo("completed");
        return command;
    }

    private String number(String useCase, String var) {
        Element command = execute(useCase);
        assertThat(command.attributeValue("status")).isEqualTo("completed");
        assertThat(formType(command.element("x"))).isEqualTo(ADMIN);
        return values(command.element("x"), var).get(0);
    }

    private List<String> list(String useCase, String var, String maxItems) {
        return values(run(useCase, fields("max_items", maxItems)).element("x"), var);
    }

    /** Field var, value pairs; a var given twice gets both values. */
    private static Map<String, List<String>> fields(String... varsAndValues) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (int i = 0; i < varsAndValues.length; i += 2) {
            fields.computeIfAbsent(varsAndValues[i], v -> new java.util.ArrayList<>()).add(varsAndValues[i + 1]);
        }
        return fields;
    }

    private static List<String> fieldVars(Element form) {
        return form.elements("field").stream().map(f -> f.attributeValue("var")).toList();
    }

    private static String formType(Element form) {
        return values(form, "FORM_TYPE").get(0);
    }

    private static List<String> values(Element form, String var) {
        return form.elements("field").stream().filter(f -> var.equals(f.attributeValue("var")))
                .flatMap(f -> f.elements("value").stream()).map(Element::getText).toList();
    }

    private static org.jxmpp.jid.EntityBareJid jid(String text) {
        try {
            return im.parley.core.jid.Jids.parseEntityBare(text);
        } catch (im.parley.core.jid.JidMalformedException e) {
            throw new AssertionError(e);
        }
    }
}
