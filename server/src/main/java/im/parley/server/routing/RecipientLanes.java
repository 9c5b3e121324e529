package im.parley.server.routing;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jxmpp.jid.Jid;

/**
 * Serial lanes for sending many stanzas at once (a group chat room's copy of a message to each
 * occupant): the work for one recipient always runs on the same lane, in the order it was
 * handed in, so what one sender sends one recipient stays in order (RFC 6120 §10.1), while
 * different recipients' copies are routed on several cores at once instead of one after another.
 * On the server the lanes are the event loops (each runs its tasks in the order queued, from
 * whichever thread they came); in tests a single inline lane keeps everything synchronous.
 */
public final class RecipientLanes {

    private final Executor[] lanes;

    private RecipientLanes(List<? extends Executor> lanes) {
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("no lanes");
        }
        this.lanes = lanes.toArray(Executor[]::new);
    }

    /** One lane that runs the work at once on the caller's thread. */
    public static RecipientLanes inline() {
        return new RecipientLanes(List.of(Runnable::run));
    }

    /** A lane per executor of {@code group} (the server's event loops). */
    public static RecipientLanes of(EventExecutorGroup group) {
        List<EventExecutor> executors = new ArrayList<>();
        group.iterator().forEachRemaining(executors::add);
        return new RecipientLanes(executors);
    }

    /** Runs {@code work} on {@code recipient}'s lane, after the work handed in before for it. */
    public void execute(Jid recipient, Runnable work) {
        try {
            lanes[Math.floorMod(recipient.hashCode(), lanes.length)].execute(work);
        } catch (RejectedExecutionException e) {
            // The event loops are stopping (shutdown): what is sent now is sent at once, as before.
            work.run();
        }
    }

    /** How many lanes there are. */
    public int size() {
        return lanes.length;
    }
}
