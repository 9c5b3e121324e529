package im.parley.core.negotiation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6120 §6.4.2: what arrives during a feature step waits for its answer, then keeps its order. */
class HeldInputTest {

    private final HeldInput<String> held = new HeldInput<>();
    private final List<String> handled = new ArrayList<>();

    @Test
    void inputIsHeldOnlyWhileAStepRunsAndHandedOutInOrder() {
        assertThat(held.holdIfBusy("before")).isFalse();
        held.stepStarted();
        assertThat(held.holdIfBusy("a")).isTrue();
        assertThat(held.holdIfBusy("b")).isTrue();

        held.stepDone(handled::add);

        assertThat(handled).containsExactly("a", "b");
        assertThat(held.holdIfBusy("after")).isFalse();
    }

    @Test
    void anObjectThatStartsAStepStopsTheHandingOutUntilThatStepIsDone() {
        held.stepStarted();
        List.of("slow", "x", "y").forEach(held::holdIfBusy);

        held.stepDone(input -> {
            handled.add(input);
            if (input.equals("slow")) {
                held.stepStarted();
            }
        });
        assertThat(handled).containsExactly("slow");

        held.stepDone(handled::add);
        assertThat(handled).containsExactly("slow", "x", "y");
    }

    /** Each handed-out object's step finishing at once must not deepen the stack (20,000 SASL aborts). */
    @Test
    void stepsThatFinishAtOnceAreHandedOutByOneLoop() {
        held.stepStarted();
        int count = 20_000;
        for (int i = 0; i < count; i++) {
            held.holdIfBusy("abort" + i);
        }
        int[] deepest = new int[1];

        held.stepDone(new java.util.function.Consumer<String>() {
            @Override
            public void accept(String input) {
                handled.add(input);
                deepest[0] = Math.max(deepest[0], Thread.currentThread().getStackTrace().length);
                held.stepStarted();
                held.stepDone(this);
            }
        });

        assertThat(handled).hasSize(count).startsWith("abort0").endsWith("abort" + (count - 1));
        assertThat(deepest[0]).isLessThan(200);
    }

    @Test
    void whatIsHeldWhenTheStreamEndsIsGivenBackToBeReleased() {
        held.stepStarted();
        held.holdIfBusy("a");
        List<String> dropped = new ArrayList<>();

        held.clear(dropped::add);
        held.stepDone(handled::add);

        assertThat(dropped).containsExactly("a");
        assertThat(handled).isEmpty();
    }
}
