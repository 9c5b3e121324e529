package im.parley.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.Stanzas;
import im.parley.server.config.ParleyConfig;
import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvents;
import im.parley.server.event.StanzaEvents.Shape;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An in-process component host end to end, as a client sees it: a module adds
 * {@code echo.<domain>} to its host, hooks that host's events and answers its IQs, and
 * clients reach it like any service on its own domain (RFC 6120 §10.3, XEP-0030).
 */
class ComponentHostTest {

    /** A tiny service on its own domain: echoes messages to any address on it, answers pings. */
    public static final class EchoModule implements XmppModule {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public void load(ModuleContext context) {
            ModuleContext echo = context.addComponentHost(domain("echo." + context.host().domain()));
            echo.handleServerIq("urn:xmpp:ping", iq -> CompletableFuture.completedFuture(Stanzas.iqResult(iq.element())));
            echo.hook(StanzaEvents.to("message", Shape.BARE), EventPriority.HANDLE, event -> {
                Stanza message = event.stanza();
                Element reply = message.element().createCopy();
                reply.addAttribute("from", message.to().toString());
                reply.addAttribute("to", message.from().toString());
                echo.send(new Stanza(reply, message.to(), message.from()), event.handling());
                return Verdict.HANDLED;
            });
        }
    }

    static org.jxmpp.jid.DomainBareJid domain(String name) {
        try {
            return Jids.parseDomain(name);
        } catch (im.parley.core.jid.JidMalformedException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @TempDir
    Path dir;
    private TestServer server;
    private TestClient romeo;

    @BeforeEach
    void start() throws Exception {
        // Upload, MUC and pubsub are off: their component hosts would be items of parley.test too.
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir);
        config = config.withModules(config.modules().withDisabled(List.of("upload", "muc", "pubsub")));
        List<XmppModule> modules = new ArrayList<>(ModuleCatalog.discover().modules());
        modules.add(new EchoModule());
        server = new TestServer(config, modules);
        server.user("romeo@parley.test");
        romeo = server.login("romeo@parley.test", "orchard");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends a stanza as Romeo and returns the stanzas the server wrote back. */
    private List<Element> exchange(String xml) {
        try {
            return org.dom4j.DocumentHelper.parseText("<wrapper xmlns='jabber:client'>" + romeo.send(xml) + "</wrapper>")
                    .getRootElement().elements();
        } catch (org.dom4j.DocumentException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aMessageToAnAddressOnTheComponentHostReachesItsModule() {
        assertThat(exchange("<message to='room@echo.parley.test' type='groupchat' id='m1'><body>hi</body></message>"))
                .singleElement().satisfies(echo -> {
            assertThat(echo.attributeValue("from")).isEqualTo("room@echo.parley.test");
            assertThat(echo.attributeValue("to")).isEqualTo("romeo@parley.test/orchard");
            assertThat(echo.elementText("body")).isEqualTo("hi");
        });
    }

    @Test
    void theComponentHostAnswersItsOwnIqsAndRefusesOthers_rfc6120_8_4() {
        assertThat(exchange("<iq to='echo.parley.test' type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>"))
                .singleElement().satisfies(result -> {
            assertThat(result.attributeValue("type")).isEqualTo("result");
            assertThat(result.attributeValue("from")).isEqualTo("echo.parley.test");
        });

        // The hosted domain's handlers do not answer for the component host.
        assertThat(exchange("<iq to='echo.parley.test' type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>"))
                .singleElement().satisfies(error -> {
            assertThat(error.attributeValue("type")).isEqualTo("error");
            assertThat(error.element("error").element(QName.get("service-unavailable",
                    "urn:ietf:params:xml:ns:xmpp-stanzas"))).isNotNull();
        });
    }

    @Test
    void theHostedDomainListsItsComponentHostInServiceDiscovery_xep0030_4_1() {
        assertThat(exchange("<iq to='parley.test' type='get' id='d1'>"
                + "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>")).singleElement().satisfies(result -> assertThat(
                result.element("query").elements().stream().map(item -> item.attributeValue("jid")))
                .containsExactly("echo.parley.test"));
    }
}
