package im.parley.server.modules.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** XEP-0191 §6 "JID Matching", by reference to XEP-0016 §2.1. */
class BlockListTest {

    private static BlockList of(String... jids) throws Exception {
        var set = new java.util.HashSet<org.jxmpp.jid.Jid>();
        for (String jid : jids) {
            set.add(Jids.parse(jid));
        }
        return new BlockList(Set.copyOf(set));
    }

    private static boolean blocks(BlockList list, String jid) throws Exception {
        return list.blocks(Jids.parse(jid));
    }

    @Test
    void fullJidItemMatchesOnlyThatResource() throws Exception {
        BlockList list = of("romeo@montague.test/orchard");
        assertThat(blocks(list, "romeo@montague.test/orchard")).isTrue();
        assertThat(blocks(list, "romeo@montague.test/garden")).isFalse();
        assertThat(blocks(list, "romeo@montague.test")).isFalse();
    }

    @Test
    void bareJidItemMatchesTheAccountAndAllItsResources() throws Exception {
        BlockList list = of("romeo@montague.test");
        assertThat(blocks(list, "romeo@montague.test")).isTrue();
        assertThat(blocks(list, "romeo@montague.test/orchard")).isTrue();
        assertThat(blocks(list, "benvolio@montague.test")).isFalse();
        assertThat(blocks(list, "montague.test")).isFalse();
    }

    @Test
    void domainItemMatchesTheDomainItsUsersAndResources() throws Exception {
        BlockList list = of("montague.test");
        assertThat(blocks(list, "montague.test")).isTrue();
        assertThat(blocks(list, "montague.test/service")).isTrue();
        assertThat(blocks(list, "romeo@montague.test")).isTrue();
        assertThat(blocks(list, "romeo@montague.test/orchard")).isTrue();
        assertThat(blocks(list, "juliet@capulet.test")).isFalse();
        assertThat(blocks(list, "sub.montague.test")).isFalse();
    }

    @Test
    void domainWithResourceItemMatchesOnlyItself() throws Exception {
        BlockList list = of("montague.test/service");
        assertThat(blocks(list, "montague.test/service")).isTrue();
        assertThat(blocks(list, "montague.test")).isFalse();
        assertThat(blocks(list, "romeo@montague.test/service")).isFalse();
    }
}
