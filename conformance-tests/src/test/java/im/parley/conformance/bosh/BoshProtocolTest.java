package im.parley.conformance.bosh;

import static im.parley.conformance.bosh.RawBoshClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.XmppClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.dom4j.Element;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** BOSH protocol edges (XEP-0124, XEP-0206) driven request by request. */
class BoshProtocolTest {

    @RegisterExtension
    static final HttpParley parley = new HttpParley();

    /** XEP-0124 §7.2 and XEP-0206 §4: the session creation response. */
    @Test
    @DisplayName("session creation grants limits, an unguessable sid and the stream features, without STARTTLS")
    void sessionCreation() {
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        Element response = client.create(30, 1);
        assertThat(response.attributeValue("sid")).hasSizeGreaterThanOrEqualTo(22);
        assertThat(response.attributeValue("wait")).isEqualTo("30");
        assertThat(response.attributeValue("hold")).isEqualTo("1");
        assertThat(response.attributeValue("requests")).isEqualTo("2");
        assertThat(response.attributeValue("ver")).isEqualTo("1.11");
        assertThat(response.attributeValue("from")).isEqualTo(HttpParley.DOMAIN);
        assertThat(response.attributeValue("authid")).isNotBlank();
        assertThat(response.attributeValue("secure")).isEqualTo("true");
        assertThat(response.attributeValue("restartlogic")).isEqualTo("true");
        Element features = response.element("features");
        assertThat(features).isNotNull();
        assertThat(features.element("starttls")).as("no STARTTLS over HTTP").isNull();
        assertThat(features.element("mechanisms").elements()).extracting(Element::getText).contains("PLAIN");

        String other = new RawBoshClient(parley.boshUrl()).create(30, 1).attributeValue("sid");
        assertThat(other).isNotEqualTo(response.attributeValue("sid"));
    }

    /** XEP-0124 §7.2: the server never grants more than its limit. */
    @Test
    @DisplayName("a wait beyond the server's maximum is lowered")
    void waitIsCapped() {
        Element response = new RawBoshClient(parley.boshUrl()).create(3600, 1);
        assertThat(Integer.parseInt(response.attributeValue("wait"))).isEqualTo(60);
    }

    /** XEP-0124 §14.3: "the connection manager MUST respond with the same response as before". */
    @Test
    @DisplayName("a repeated rid gets the cached response again, without processing the request twice")
    void repeatedRid() {
        EntityBareJid account = parley.newAccount("repeat");
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        client.create(10, 1);
        long rid = client.nextRid();
        String auth = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                + java.util.Base64.getEncoder().encodeToString(("\0" + account.getLocalpart() + "\0"
                + HttpParley.PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "</auth>";
        Element first = await(client.send(auth));
        assertThat(first.element("success")).isNotNull();

        Element again = await(client.sendWithRid(rid, auth));
        assertThat(again.asXML()).isEqualTo(first.asXML());
        // The session goes on: the restart that follows works.
        assertThat(client.restart().element("features").element("bind")).isNotNull();
    }

    /** XEP-0124 §14.2: a rid far beyond the window ends the session with item-not-found. */
    @Test
    @DisplayName("a rid outside the window terminates the session with item-not-found")
    void ridOutsideWindow() {
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        client.create(10, 1);
        Element response = await(client.sendWithRid(client.nextRid() + 10, ""));
        assertThat(response.attributeValue("type")).isEqualTo("terminate");
        assertThat(response.attributeValue("condition")).isEqualTo("item-not-found");
        Element afterwards = await(client.send(""));
        assertThat(afterwards.attributeValue("condition")).isEqualTo("item-not-found");
    }

    /** XEP-0124 §17.1: item-not-found for an unknown sid, host-unknown, bad-request. */
    @Test
    @DisplayName("unknown sid, unknown host and malformed bodies get their terminal conditions")
    void terminalConditions() throws Exception {
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        Element unknown = await(client.post("<body rid='5' sid='no-such-session' xmlns='"
                + RawBoshClient.HTTPBIND + "'/>"));
        assertThat(unknown.attributeValue("condition")).isEqualTo("item-not-found");

        Element host = await(client.post("<body rid='5' to='elsewhere.example' wait='10' hold='1' xmpp:version='1.0' "
                + "xmlns='" + RawBoshClient.HTTPBIND + "' xmlns:xmpp='urn:xmpp:xbosh'/>"));
        assertThat(host.attributeValue("condition")).isEqualTo("host-unknown");

        HttpResponse<String> noRid = post("<body to='parley.test' xmlns='" + RawBoshClient.HTTPBIND + "'/>");
        assertThat(noRid.statusCode()).isEqualTo(400);
        assertThat(RawBoshClient.parse(noRid.body()).attributeValue("condition")).isEqualTo("bad-request");

        // RFC 6120 §11.1: no DTDs or entity declarations, over HTTP as over TCP.
        HttpResponse<String> dtd = post("<?xml version='1.0'?><!DOCTYPE body [<!ENTITY x 'y'>]><body rid='1' "
                + "xmlns='" + RawBoshClient.HTTPBIND + "'>&x;</body>");
        assertThat(dtd.statusCode()).isEqualTo(400);
    }

    /** XEP-0124 §8: "the connection manager SHOULD respond as soon as it has data to send". */
    @Test
    @DisplayName("a held request returns as soon as a message for the client arrives")
    void longPolling() {
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        EntityBareJid account = parley.newAccount("juliet");
        String jid = client.login(account, HttpParley.PASSWORD);
        XmppClient romeo = parley.tcpClient("romeo");

        CompletableFuture<Element> held = client.send("");
        assertThat(held).isNotDone();
        romeo.sendsChat(jid(jid), "Lady, by yonder blessed moon I vow");
        Element response = await(held);
        assertThat(bodies(response)).contains("Lady, by yonder blessed moon I vow");
        assertThat(response.element("message").getNamespaceURI()).isEqualTo("jabber:client");
    }

    /** XEP-0124 §8: after 'wait' an empty response; what arrives meanwhile waits for the next request. */
    @Test
    @DisplayName("a request after 'wait' expired gets what was queued while no request was held")
    void requestAfterWait() {
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        EntityBareJid account = parley.newAccount("juliet");
        client.create(1, 1);
        login(client, account);
        String jid = bind(client);
        XmppClient romeo = parley.tcpClient("romeo");

        long started = System.nanoTime();
        Element empty = await(client.send(""));
        assertThat(empty.elements()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));

        romeo.sendsChat(jid(jid), "Wilt thou be gone?");
        Element next = await(client.send(""));
        if (next.elements().isEmpty()) {
            next = await(client.send(""));  // the message was still being routed when 'wait' ended again
        }
        assertThat(bodies(next)).contains("Wilt thou be gone?");
    }

    /** XEP-0124 §14.3: output for a request whose connection dropped waits for the next request. */
    @Test
    @DisplayName("no stanza is lost when the connection of a held request drops")
    void droppedConnection() {
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        String jid = client.login(parley.newAccount("juliet"), HttpParley.PASSWORD);
        XmppClient romeo = parley.tcpClient("romeo");
        CompletableFuture<Element> pending = client.send("");
        long dropped = client.sendAndDrop("");
        await(pending);  // answered because the dropped request is now held (hold=1)
        romeo.sendsChat(jid(jid), "It is the lark");
        // XEP-0124 §14.3: the client repeats the request whose connection broke.
        Element next = await(client.sendWithRid(dropped, ""));
        assertThat(bodies(next)).contains("It is the lark");
    }

    /**
     * XEP-0124 §8: "The connection manager MUST forward the content from different requests in
     * the order specified by their 'rid' attributes", and §14.2: "The client MUST process
     * responses received from the connection manager in the order the requests were made". A
     * request sent again (§14.3) after a newer one was answered would, held for 'wait', hold up
     * that newer answer at the client: it is answered at once.
     */
    @Test
    @DisplayName("a request sent again after a newer one was answered is answered at once, not held")
    void repeatedRidBelowTheNewest() {
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        client.create(60, 1);
        login(client, parley.newAccount("juliet"));
        String jid = bind(client);
        XmppClient romeo = parley.tcpClient("romeo");
        long lost = client.sendAndDrop("");
        client.send("<message xmlns='jabber:client' type='chat' to='" + romeo.jid()
                + "'><body>Parting is such sweet sorrow</body></message>");
        // Requests are processed in rid order: the lost one was, before this message went out.
        romeo.receivesChat(jid(jid), "Parting is such sweet sorrow");

        // Either the server saw the lost request's connection close first, and answered nothing
        // on it, or it answered it when the newer one came, and keeps that answer (§14.3).
        CompletableFuture<Element> again = client.sendWithRid(lost, "");
        assertThat(again).succeedsWithin(Duration.ofSeconds(10));
    }

    /** XEP-0124 §12: polling sessions (hold=0) are answered at once, and may not poll too fast. */
    @Test
    @DisplayName("a polling session is answered at once and ended with policy-violation when it polls too fast")
    void polling() {
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        Element created = client.create(10, 0);
        assertThat(created.attributeValue("hold")).isEqualTo("0");
        assertThat(created.attributeValue("requests")).isEqualTo("1");
        Element first = await(client.send(""));
        assertThat(first.attributeValue("type")).isNull();
        Element second = await(client.send(""));
        assertThat(second.attributeValue("condition")).isEqualTo("policy-violation");
    }

    /** XEP-0124 §10: pause answers held requests; a pause beyond maxpause is a policy violation. */
    @Test
    @DisplayName("pause answers the held requests; a pause above maxpause ends the session")
    void pause() {
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        Element created = client.create(30, 1);
        long maxPause = Long.parseLong(created.attributeValue("maxpause"));
        CompletableFuture<Element> held = client.send("");
        Element paused = await(client.post(String.format("<body rid='%d' sid='%s' pause='%d' xmlns='%s'/>",
                client.nextRid(), client.sid(), 5, RawBoshClient.HTTPBIND)));
        assertThat(paused.attributeValue("type")).isNull();
        assertThat(await(held).attributeValue("type")).isNull();

        RawBoshClient greedy = new RawBoshClient(parley.boshUrl());
        greedy.create(30, 1);
        Element refused = await(greedy.post(String.format("<body rid='%d' sid='%s' pause='%d' xmlns='%s'/>",
                greedy.nextRid(), greedy.sid(), maxPause + 1, RawBoshClient.HTTPBIND)));
        assertThat(refused.attributeValue("condition")).isEqualTo("policy-violation");
    }

    /** XEP-0124 §13 and XEP-0206 §6: terminate ends the stream; a contact sees the client leave. */
    @Test
    @DisplayName("terminate ends the session; the final presence reaches the contact")
    void terminate() {
        RawBoshClient client = new RawBoshClient(parley.boshUrl());
        String jid = client.login(parley.newAccount("juliet"), HttpParley.PASSWORD);
        XmppClient romeo = parley.tcpClient("romeo");
        client.send("<presence xmlns='jabber:client' to='" + romeo.jid() + "'/>");
        romeo.receives("directed presence", s -> s instanceof Presence p && p.isAvailable()
                && jid.equals(p.getFrom().toString()));

        Element end = await(client.post(String.format("<body rid='%d' sid='%s' type='terminate' xmlns='%s'>"
                        + "<presence xmlns='jabber:client' type='unavailable'/></body>", client.nextRid(),
                client.sid(), RawBoshClient.HTTPBIND)));
        assertThat(end.attributeValue("type")).isEqualTo("terminate");
        romeo.receives("unavailable presence", s -> s instanceof Presence p
                && p.getType() == Presence.Type.unavailable && jid.equals(p.getFrom().toString()));
        assertThat(parley.server().http().bosh().isLive(client.sid())).isFalse();
    }

    private static void login(RawBoshClient client, EntityBareJid account) {
        String credentials = java.util.Base64.getEncoder().encodeToString(("\0" + account.getLocalpart() + "\0"
                + HttpParley.PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(await(client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                + credentials + "</auth>")).element("success")).isNotNull();
        client.restart();
    }

    private static String bind(RawBoshClient client) {
        Element bound = await(client.send("<iq xmlns='jabber:client' type='set' id='b'><bind "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>"));
        return bound.element("iq").element("bind").element("jid").getText();
    }

    private static String bodies(Element response) {
        StringBuilder text = new StringBuilder();
        for (Element message : response.elements("message")) {
            text.append(message.elementText("body")).append('\n');
        }
        return text.toString();
    }

    private static org.jxmpp.jid.EntityFullJid jid(String jid) {
        try {
            return JidCreate.entityFullFrom(jid);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(parley.boshUrl()))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
