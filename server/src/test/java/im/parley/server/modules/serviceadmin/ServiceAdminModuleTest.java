package im.parley.server.modules.serviceadmin;

import static im.parley.server.modules.XmppScript.condition;
import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.server.config.ParleyConfig;
import im.parley.server.config.ServerAdmins;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.module.ServerControl;
import im.parley.server.modules.XmppScript;
import im.parley.server.modules.register.RegisterModule;
import im.parley.server.testing.MovableClock;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
        server = new TestServer(config());
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
                        ADMIN + "#get-user-roster", ADMIN + "#user-stats", ADMIN + "#get-user-lastlogin",
                        ADMIN + "#get-active-users-num", ADMIN + "#get-idle-users-num", ADMIN + "#get-active-users",
                        ADMIN + "#get-idle-users", ADMIN + "#set-welcome", ADMIN + "#delete-welcome");

        TestClient romeo = server.login("romeo@parley.test", "orchard");
        assertThat(iq(romeo, list).element("query").elements("item")).isEmpty();
        Element refused = iq(romeo, "<iq type='set' id='x1' to='parley.test'><command xmlns='" + COMMANDS
                + "' node='" + ADMIN + "#delete-user' action='execute'/></iq>");
        assertThat(condition(refused)).isEqualTo("forbidden");
        for (String useCase : List.of("get-user-lastlogin", "get-active-users-num", "get-idle-users-num",
                "get-active-users", "get-idle-users", "set-welcome", "delete-welcome")) {
            assertThat(condition(iq(romeo, "<iq type='set' id='x-" + useCase + "' to='parley.test'><command xmlns='"
                    + COMMANDS + "' node='" + ADMIN + "#" + useCase + "' action='execute'/></iq>")))
                    .as(useCase).isEqualTo("forbidden");
        }
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

    /**
     * §4.9 Get User Last Login Time: accountjids; the result names them and gives, in their order,
     * when each last logged in (bound a session), a XEP-0082 DateTime. An account online now
     * answers the login of its newest session; one that never logged in, "none recorded".
     */
    @Test
    void theLastLoginTimeOfUsers_xep0133_4_9() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2003-12-19T17:58:35.250Z"));
        restart(config(), clock);
        Element form = execute("get-user-lastlogin").element("x");
        assertThat(formType(form)).isEqualTo(ADMIN);
        assertThat(field(form, "accountjids").attributeValue("type")).isEqualTo("jid-multi");
        assertThat(field(form, "accountjids").element("required")).isNotNull();

        // Logins are written once a second (LastActivityModule): wait for the ones this test reads.
        awaitLogin("admin@parley.test", "2003-12-19T17:58:35.250Z");
        Element own = run("get-user-lastlogin", fields("accountjids", "admin@parley.test")).element("x");
        assertThat(values(own, "accountjids")).containsExactly("admin@parley.test");
        assertThat(values(own, "lastlogin")).containsExactly("2003-12-19T17:58:35Z");
        assertThat(field(own, "lastlogin").attributeValue("type")).isEqualTo("text-single");

        clock.advance(Duration.ofHours(1));
        server.login("juliet@parley.test", "balcony").drop();
        clock.advance(Duration.ofHours(1));
        TestClient chamber = server.login("juliet@parley.test", "chamber");
        clock.advance(Duration.ofHours(1));
        awaitLogin("juliet@parley.test", "2003-12-19T19:58:35.250Z");
        Element several = run("get-user-lastlogin", fields("accountjids", "romeo@parley.test",
                "accountjids", "juliet@parley.test/balcony")).element("x");
        assertThat(values(several, "accountjids")).containsExactly("romeo@parley.test", "juliet@parley.test");
        assertThat(values(several, "lastlogin")).containsExactly("none recorded", "2003-12-19T19:58:35Z");
        assertThat(field(several, "lastlogin").attributeValue("type")).isEqualTo("text-multi");

        // Logged out since: still the time it logged in.
        chamber.drop();
        assertThat(values(run("get-user-lastlogin", fields("accountjids", "juliet@parley.test")).element("x"),
                "lastlogin")).containsExactly("2003-12-19T19:58:35Z");
        // §5: an account that does not exist is item-not-found; one of another domain bad-request.
        assertThat(condition(submit("get-user-lastlogin", fields("accountjids", "tybalt@parley.test"))))
                .isEqualTo("item-not-found");
        assertThat(condition(submit("get-user-lastlogin", fields("accountjids", "mercutio@other.test"))))
                .isEqualTo("bad-request");
    }

    /**
     * §4.16, §4.17, §4.21, §4.22: an online user is active with a session whose client is there
     * (available, not away or xa, not inactive per XEP-0352), idle otherwise; online = active +
     * idle. The lists give bare JIDs, at most max_items; the idle one under §4.22's var.
     */
    @Test
    void activeAndIdleUsers_xep0133_4_16_4_17_4_21_4_22() throws Exception {
        server.user("benvolio@parley.test").user("tybalt@parley.test");
        TestClient orchard = server.login("romeo@parley.test", "orchard");
        orchard.send("<presence/>");
        TestClient balcony = server.login("juliet@parley.test", "balcony");
        balcony.send("<presence><show>xa</show></presence>");
        TestClient benvolio = server.login("benvolio@parley.test", "street");
        benvolio.send("<presence/>");
        benvolio.send("<inactive xmlns='urn:xmpp:csi:0'/>");
        server.login("tybalt@parley.test", "square").send("<presence><show>away</show></presence>");
        server.login("tybalt@parley.test", "tomb").send("<presence><show>dnd</show></presence>");
        server.login("mercutio@other.test", "street").send("<presence/>");
        // The admin is connected without presence: online, idle.

        assertThat(number("get-active-users-num", "activeusersnum")).isEqualTo("2");
        assertThat(number("get-idle-users-num", "idleusersnum")).isEqualTo("3");
        assertThat(number("get-online-users-num", "onlineusersnum")).isEqualTo("5");
        assertThat(fieldVars(execute("get-active-users").element("x"))).containsSubsequence("FORM_TYPE", "max_items");
        assertThat(list("get-active-users", "activeuserjids", "none"))
                .containsExactly("romeo@parley.test", "tybalt@parley.test");
        assertThat(list("get-idle-users", "activeuserjids", "none"))
                .containsExactly("admin@parley.test", "benvolio@parley.test", "juliet@parley.test");
        Element first = run("get-idle-users", fields("max_items", "25"));
        assertThat(field(first.element("x"), "activeuserjids").attributeValue("label"))
                .isEqualTo("The list of idle users");
        Element truncated = run("get-active-users", fields("max_items", "1"));
        assertThat(values(truncated.element("x"), "activeuserjids")).containsExactly("romeo@parley.test");
        assertThat(truncated.elementText("note")).isEqualTo("The first 1 of 2.");

        // Back at the keyboard: active again; unavailable: idle.
        balcony.send("<presence/>");
        benvolio.send("<active xmlns='urn:xmpp:csi:0'/>");
        orchard.send("<presence type='unavailable'/>");
        assertThat(list("get-active-users", "activeuserjids", "none"))
                .containsExactly("benvolio@parley.test", "juliet@parley.test", "tybalt@parley.test");
        assertThat(list("get-idle-users", "activeuserjids", "none"))
                .containsExactly("admin@parley.test", "romeo@parley.test");
    }

    /**
     * §4.27 Set Welcome Message: the form holds the current message; every account created
     * afterwards (add-user, in-band registration, the parley command) gets it once, as a normal
     * message from the domain, when its first session becomes available; accounts that existed
     * before do not.
     */
    @Test
    void aWelcomeMessageGoesOnceToEachAccountCreatedAfterItAtItsFirstLogin_xep0133_4_27() throws Exception {
        restart(config().with(RegisterModule.ENABLED, true).with(RegisterModule.DOMAINS, List.of("parley.test")),
                Clock.systemUTC());
        Element empty = execute("set-welcome").element("x");
        assertThat(formType(empty)).isEqualTo(ADMIN);
        assertThat(field(empty, "welcome").attributeValue("type")).isEqualTo("text-multi");
        assertThat(values(empty, "welcome")).isEmpty();

        run("set-welcome", fields("welcome", "Welcome to parley.test, your home for", "welcome",
                "instant messaging with a literary touch."));

        assertThat(values(execute("set-welcome").element("x"), "welcome"))
                .containsExactly("Welcome to parley.test, your home for", "instant messaging with a literary touch.");
        run("add-user", fields("accountjid", "benvolio@parley.test", "password", "pw", "password-verify", "pw"));
        TestClient registering = server.connect();
        registering.send(TestClient.header("parley.test"));
        assertThat(XmppScript.parse(registering.send("<iq type='set' id='r1'><query xmlns='jabber:iq:register'>"
                + "<username>tybalt</username><password>pw</password></query></iq>")).get(0).attributeValue("type"))
                .isEqualTo("result");
        server.accountAdmin().create(jid("rosaline@parley.test"), "pw");

        for (String user : List.of("benvolio@parley.test", "tybalt@parley.test", "rosaline@parley.test")) {
            TestClient first = server.connect();
            first.login(user, "pw", "first");
            assertThat(first.stanzas()).as("nothing before presence").isEmpty();
            Element welcome = only(welcomes(XmppScript.parse(first.send("<presence/>"))));
            assertThat(welcome.attributeValue("type")).isEqualTo("normal");
            assertThat(welcome.attributeValue("from")).isEqualTo("parley.test");
            assertThat(welcome.attributeValue("to")).isEqualTo(user + "/first");
            assertThat(welcome.elementText("body"))
                    .isEqualTo("Welcome to parley.test, your home for\ninstant messaging with a literary touch.");
            TestClient again = server.connect();
            again.login(user, "pw", "again");
            assertThat(welcomes(XmppScript.parse(again.send("<presence/>")))).as(user + " once").isEmpty();
        }
        assertThat(welcomes(available("romeo@parley.test", "orchard"))).as("created before").isEmpty();
    }

    /**
     * §4.28 Delete Welcome Message: one stage; accounts created while it was set and not logged in
     * since get none, nor do those created afterwards; the set-welcome form is empty again.
     */
    @Test
    void aDeletedWelcomeMessageGoesToNobody_xep0133_4_28() throws Exception {
        run("set-welcome", fields("welcome", "Welcome!"));
        server.user("benvolio@parley.test");

        Element deleted = execute("delete-welcome");

        assertThat(deleted.attributeValue("status")).isEqualTo("completed");
        assertThat(deleted.elementText("note")).isEqualTo("The welcome message was deleted.");
        assertThat(values(execute("set-welcome").element("x"), "welcome")).isEmpty();
        assertThat(welcomes(available("benvolio@parley.test", "street"))).isEmpty();
        server.user("tybalt@parley.test");
        assertThat(welcomes(available("tybalt@parley.test", "square"))).isEmpty();
        assertThat(execute("delete-welcome").elementText("note")).isEqualTo("There was no welcome message.");

        // Set again: a new account gets the new one, an account created meanwhile does not.
        run("set-welcome", fields("welcome", "Welcome back!"));
        server.user("rosaline@parley.test");
        assertThat(welcomes(available("rosaline@parley.test", "garden"))).extracting(m -> m.elementText("body"))
                .containsExactly("Welcome back!");
    }

    // -- helpers ---------------------------------------------------------------------------------------------

    /** The server again, with {@code config} and {@code clock}; the admin logged in again. */
    private void restart(ParleyConfig config, Clock clock) throws Exception {
        server.close();
        server = new TestServer(config, clock, ModuleCatalog.discover());
        admin = server.login("admin@parley.test", "console");
    }

    private ParleyConfig config() {
        return ParleyConfig.defaults().withDomains(List.of("parley.test", "other.test")).withDataDir(dir)
                .with(ServerAdmins.ADMINS, List.of("admin@parley.test"));
    }

    private static List<Element> welcomes(List<Element> stanzas) {
        return stanzas.stream().filter(s -> "message".equals(s.getName()) && "Welcome".equals(s.elementText("subject")))
                .toList();
    }

    private static Element field(Element form, String var) {
        return form.elements("field").stream().filter(f -> var.equals(f.attributeValue("var"))).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + var + " in " + form.asXML()));
    }

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

    private void awaitLogin(String account, String at) {
        await("the login of " + account + " written").atMost(Duration.ofSeconds(10)).until(() -> server.storage()
                .lastActivity().lastLogin(org.jxmpp.jid.impl.JidCreate.entityBareFrom(account))
                .equals(java.util.Optional.of(Instant.parse(at))));
    }
}
