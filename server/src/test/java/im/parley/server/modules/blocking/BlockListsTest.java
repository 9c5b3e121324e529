package im.parley.server.modules.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.jid.Jids;
import im.parley.server.session.InMemoryRouteTable;
import im.parley.server.host.HostRegistry;
import im.parley.server.storage.BlockListStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/** The in-memory block lists while a list is still being loaded off the event loop. */
class BlockListsTest {

    /** One account's list in memory, counting loads. */
    private static final class CountingStore implements BlockListStore {
        final Set<Jid> jids = new HashSet<>();
        int loads;

        @Override
        public Set<Jid> load(EntityBareJid owner) {
            loads++;
            return Set.copyOf(jids);
        }

        @Override
        public void add(EntityBareJid owner, Collection<? extends Jid> added) {
            jids.addAll(added);
        }

        @Override
        public void remove(EntityBareJid owner, Collection<? extends Jid> removed) {
            jids.removeAll(removed);
        }

        @Override
        public void clear(EntityBareJid owner) {
            jids.clear();
        }
    }

    private final Queue<Runnable> blockingTasks = new ArrayDeque<>();
    private final CountingStore store = new CountingStore();
    private final BlockLists lists = new BlockLists(store, blockingTasks::add, new InMemoryRouteTable(new HostRegistry(java.util.Set.of())));

    @Test
    void stanzasWaitingForALoadRunInArrivalOrderAfterOneLoad() throws Exception {
        EntityBareJid juliet = Jids.parseEntityBare("juliet@parley.test");
        store.jids.add(Jids.parse("romeo@parley.test"));
        Jid romeoAtHome = Jids.parse("romeo@parley.test/x");
        List<String> seen = new ArrayList<>();

        lists.whenLoaded(juliet, list -> seen.add("first " + list.blocks(romeoAtHome)));
        lists.whenLoaded(juliet, list -> seen.add("second"));
        assertThat(seen).as("nothing runs before the load").isEmpty();
        assertThat(blockingTasks).hasSize(1);

        blockingTasks.poll().run();

        assertThat(seen).containsExactly("first true", "second");
        assertThat(store.loads).isEqualTo(1);
        assertThat(lists.cached(juliet)).as("a non-empty list stays in memory").isPresent();
    }

    /**
     * A load the blocking pool refuses (its queue full, or the server stopping) is treated as a
     * storage failure: what waits goes on, and the next stanza tries again. Left waiting, every
     * later stanza of the account queued behind a load that never ran.
     */
    @Test
    void aLoadThePoolRefusesLetsTheWaitingGoOnAndTheNextOneLoadsAgain() throws Exception {
        boolean[] refuse = {true};
        Queue<Runnable> accepted = new ArrayDeque<>();
        BlockLists refusing = new BlockLists(store, task -> {
            if (refuse[0]) {
                throw new java.util.concurrent.RejectedExecutionException("full");
            }
            accepted.add(task);
        }, new InMemoryRouteTable(new HostRegistry(Set.of())));
        EntityBareJid juliet = Jids.parseEntityBare("juliet@parley.test");
        store.jids.add(Jids.parse("romeo@parley.test"));
        Jid romeoAtHome = Jids.parse("romeo@parley.test/x");
        List<String> seen = new ArrayList<>();

        refusing.whenLoaded(juliet, list -> seen.add("refused " + list.isEmpty()));
        refuse[0] = false;
        refusing.whenLoaded(juliet, list -> seen.add("next " + list.blocks(romeoAtHome)));
        accepted.poll().run();

        assertThat(seen).containsExactly("refused true", "next true");
    }

    @Test
    void anEmptyListOfAnAccountWithoutSessionsIsNotKept() throws Exception {
        EntityBareJid nobody = Jids.parseEntityBare("nobody@parley.test");
        lists.whenLoaded(nobody, list -> { });
        blockingTasks.poll().run();

        // Stanzas sprayed at random addresses must not fill memory.
        assertThat(lists.cached(nobody)).isEmpty();
    }

    @Test
    void aChangeDuringALoadWins() throws Exception {
        EntityBareJid juliet = Jids.parseEntityBare("juliet@parley.test");
        lists.whenLoaded(juliet, list -> { });
        Runnable staleLoad = blockingTasks.poll();

        Jid romeo = Jids.parse("romeo@parley.test");
        lists.change(juliet, s -> s.add(juliet, List.of(romeo)));
        staleLoad.run();

        assertThat(lists.cached(juliet).orElseThrow().blocks(Jids.parse("romeo@parley.test"))).isTrue();
    }
}
