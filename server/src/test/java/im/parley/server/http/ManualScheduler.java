package im.parley.server.http;

import java.util.ArrayList;
import java.util.List;

/** A {@link BoshScheduler} whose timers run only when a test fires them: no clock, no sleeps. */
final class ManualScheduler implements BoshScheduler {

    static final class Timer {
        final Runnable task;
        final long delayMillis;
        boolean cancelled;
        boolean fired;

        Timer(Runnable task, long delayMillis) {
            this.task = task;
            this.delayMillis = delayMillis;
        }

        boolean pending() {
            return !cancelled && !fired;
        }

        void fire() {
            fired = true;
            task.run();
        }
    }

    final List<Timer> timers = new ArrayList<>();

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        Timer timer = new Timer(task, delayMillis);
        timers.add(timer);
        return () -> timer.cancelled = true;
    }

    List<Timer> pending() {
        return timers.stream().filter(Timer::pending).toList();
    }
}
