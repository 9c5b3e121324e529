package im.parley.server.modules.muc;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.routing.Stanza;
import im.parley.server.modules.XmppScript;
import im.parley.server.modules.mam.ModuleArchive;
import im.parley.server.storage.StoreContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The rooms' archives ({@code muc_messages} of {@code db/muc}, read by the account archive's
 * store) on H2 and PostgreSQL: append, query with RSM paging and {@code with} (XEP-0313 §4), the newest
 * messages (a room's history when it is loaded),
 * tombstones replacing a message (XEP-0425), a room's archive deleted, expired messages purged.
 */
class RoomArchiveStoreTest extends StoreContract {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private ModuleArchive archive;
    private EntityBareJid garden;
    private EntityBareJid hall;

    @BeforeEach
    void open() {
        archive = new ModuleArchive(moduleSchema("muc", "classpath:db/muc"), "muc_messages", 100);
        garden = jid("garden@conference.example.org");
        hall = jid("hall@conference.example.org");
    }

    @Test
    void pagesFiltersReplacesAndDeletesOneRoomsMessages() throws Exception {
        for (int i = 0; i < 3; i++) {
            archive.append(garden, JidCreate.from("garden@conference.example.org/" + (i == 1 ? "juliet" : "romeo")),
                    "id" + i, T0.plusSeconds(i), message("m" + i));
        }
        archive.append(hall, JidCreate.from("hall@conference.example.org/romeo"), "id0", T0, message("elsewhere"));

        assertThat(bodies(query("<set xmlns='http://jabber.org/protocol/rsm'><max>2</max></set>"))).containsExactly("m0", "m1");
        assertThat(bodies(query("<set xmlns='http://jabber.org/protocol/rsm'><max>2</max><after>id1</after></set>")))
                .containsExactly("m2");
        assertThat(bodies(query("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:xmpp:mam:2"
                + "</value></field><field var='with'><value>garden@conference.example.org/juliet</value></field></x>")))
                .containsExactly("m1");

        // A room loaded again takes its history from the newest messages, oldest first.
        assertThat(archive.latest(garden, 2)).extracting(ModuleArchive.Stored::stanzaXml)
                .satisfiesExactly(xml -> assertThat(xml).contains("m1"), xml -> assertThat(xml).contains("m2"));
        assertThat(archive.latest(garden, 2).get(1).stamp()).isEqualTo(T0.plusSeconds(2));

        assertThat(archive.replace(garden, "id1", message("tombstone"))).isTrue();
        assertThat(archive.replace(garden, "nope", message("tombstone"))).isFalse();
        assertThat(archive.stanza(garden, "id1")).hasValueSatisfying(xml -> assertThat(xml).contains("tombstone"));

        archive.delete(garden);
        assertThat(bodies(query(""))).isEmpty();
        assertThat(archive.stanza(hall, "id0")).isPresent();
        assertThat(archive.purge(hall.asDomainBareJid(), T0.plusSeconds(1))).isEqualTo(1);
        assertThat(archive.stanza(hall, "id0")).isEmpty();
    }

    @Test
    void appendsCompleteOnlyOnceCommittedAndKeepTheirOrder() throws Exception {
        // The writer the rooms share with the accounts' archives: appends wait for their batch.
        List<Runnable> writes = new ArrayList<>();
        ModuleArchive queued = new ModuleArchive(moduleSchema("muc", "classpath:db/muc"), "muc_messages", 100,
                writes::add, 500);
        List<CompletableFuture<Void>> appended = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EntityBareJid room = i % 2 == 0 ? garden : hall;
            appended.add(queued.append(room, JidCreate.from(room + "/romeo"), "q" + i, T0, message("q" + i)));
        }
        assertThat(appended).noneMatch(CompletableFuture::isDone);
        assertThat(bodies(query(""))).as("nothing is visible before the commit").isEmpty();

        while (!writes.isEmpty()) {
            writes.remove(0).run();
        }

        assertThat(appended).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
        assertThat(bodies(query(""))).as("one room's messages, in the order they were sent").containsExactly("q0", "q2");
    }

    private List<Element> query(String children) {
        Element iq = XmppScript.parse("<iq xmlns='jabber:client' type='set' id='q' from='romeo@example.org/a' to='"
                + garden + "'><query xmlns='urn:xmpp:mam:2'>" + children + "</query></iq>").get(0);
        List<Element> results = new ArrayList<>();
        Element answer = archive.query(new Stanza(iq, jid("romeo@example.org"), garden), iq.elements().get(0), garden,
                jid("romeo@example.org"), results::add);
        assertThat(answer.attributeValue("type")).as("%s", answer.asXML()).isEqualTo("result");
        return results;
    }

    private static List<String> bodies(List<Element> results) {
        return results.stream().map(r -> r.element("result").element("forwarded").element("message")
                .elementText("body")).toList();
    }

    private static Element message(String body) {
        Element message = DocumentHelper.createElement(org.dom4j.QName.get("message", "jabber:client"));
        message.addAttribute("type", "groupchat");
        message.addElement(org.dom4j.QName.get("body", "jabber:client")).setText(body);
        return message;
    }
}
