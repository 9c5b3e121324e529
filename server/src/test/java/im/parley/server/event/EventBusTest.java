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
}
