package im.parley.server.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBusTest {

    private static final EventType<String> GREETING = EventType.named("greeting");
    private final EventBus bus = new EventBus();
    private final List<String> calls = new ArrayList<>();

    @Test
    void higherPrioritiesRunFirstAndHandledStops() {
        bus.hook(GREETING, 0, e -> {
            calls.add("default");
            return Verdict.HANDLED;
        });
        bus.hook(GREETING, 10, e -> {
            calls.add("filter");
            return Verdict.PASS;
        });
        bus.hook(GREETING, -10, e -> {
            calls.add("never");
            return Verdict.HANDLED;
        });

        assertThat(bus.fire(GREETING, "hi")).isTrue();
        assertThat(calls).containsExactly("filter", "default");
    }

    @Test
    void equalPrioritiesRunInRegistrationOrder() {
        bus.hook(GREETING, 1, e -> pass("a"));
        bus.hook(GREETING, 1, e -> pass("b"));

        assertThat(bus.fire(GREETING, "hi")).isFalse();
        assertThat(calls).containsExactly("a", "b");
    }

    @Test
    void aFailingHandlerIsSkipped() {
        bus.hook(GREETING, 5, e -> {
            throw new IllegalStateException("boom");
        });
        bus.hook(GREETING, 0, e -> pass("after"));

        bus.fire(GREETING, "hi");

        assertThat(calls).containsExactly("after");
    }

    @Test
    void unknownEventsAreNotHandled() {
        assertThat(bus.fire(EventType.<Integer>named("other"), 1)).isFalse();
        assertThat(bus.hasHandlers(GREETING)).isFalse();
    }

    private Verdict pass(String name) {
        calls.add(name);
        return Verdict.PASS;
    }

    @Test
    void aSuspendedEventGoesOnFromTheNextHandlerWhenResumedWithoutFiringAgain() {
        List<Verdict.Continuation> suspended = new ArrayList<>();
        bus.hook(GREETING, 10, e -> pass("before"));
        bus.hook(GREETING, 5, e -> {
            calls.add("lookup");
            return Verdict.suspend(suspended::add);
        });
        bus.hook(GREETING, 0, e -> pass("after"));

        bus.fire(GREETING, "hi", () -> calls.add("default"));
        assertThat(calls).containsExactly("before", "lookup");

        suspended.get(0).resume(Verdict.PASS);
        assertThat(calls).containsExactly("before", "lookup", "after", "default");
    }

    @Test
    void aSuspendedEventResumedAsHandledEnds() {
        List<Verdict.Continuation> suspended = new ArrayList<>();
        bus.hook(GREETING, 5, e -> Verdict.suspend(suspended::add));
        bus.hook(GREETING, 0, e -> pass("after"));

        bus.fire(GREETING, "hi", () -> calls.add("default"));
        suspended.get(0).resume(Verdict.HANDLED);

        assertThat(calls).isEmpty();
    }

    @Test
    void theDefaultActionRunsWhenNoHandlerHandles() {
        bus.hook(GREETING, 0, e -> pass("a"));

        bus.fire(GREETING, "hi", () -> calls.add("default"));

        assertThat(calls).containsExactly("a", "default");
    }

    @Test
    void aContinuationResumesOnce() {
        List<Verdict.Continuation> suspended = new ArrayList<>();
        bus.hook(GREETING, 0, e -> Verdict.suspend(suspended::add));
        bus.fire(GREETING, "hi", () -> calls.add("default"));
        suspended.get(0).resume(Verdict.PASS);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> suspended.get(0).resume(Verdict.PASS))
                .isInstanceOf(IllegalStateException.class);
        assertThat(calls).containsExactly("default");
    }
}
