package im.parley.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrendTest {
    private static final Trend.Limits LIMITS = new Trend.Limits(5, 10);

    @Test
    void aNoisyButFlatSeriesIsFlat() {
        Random random = new Random(7);
        Trend trend = Trend.of(series(360, 5, t -> 100 + random.nextGaussian() * 2));

        assertThat(trend.slopePerHour()).isCloseTo(0, within(3 * trend.slopeStdError() + 0.5));
        assertThat(trend.growthPercent()).isCloseTo(0, within(2.0));
        assertThat(trend.verdict(LIMITS)).isEqualTo("flat");
    }

    @Test
    void aSteadyLeakIsGrowingEvenWhenTheMediansBarelyMove() {
        // 20 MB/h: in 30 minutes the thirds' medians are 6.7 MB (6.7 %) apart.
        Trend trend = Trend.of(series(360, 5, t -> 100 + 20 * t / 3600));

        assertThat(trend.slopePerHour()).isCloseTo(20, within(0.01));
        assertThat(trend.slopeStdError()).isCloseTo(0, within(0.01));
        assertThat(trend.growth()).isCloseTo(20 * 1200 / 3600.0, within(0.1));
        assertThat(trend.verdict(LIMITS)).isEqualTo("growing");
    }

    @Test
    void aSlopeBelowTheLimitWithMediansBeyondItIsGrowing() {
        Trend trend = Trend.of(List.of(p(0, 100), p(1, 100), p(2, 100), p(3, 105),
                p(4, 105), p(5, 105), p(6, 110), p(7, 110), p(3600, 110)));

        assertThat(trend.slopePerHour()).isLessThan(LIMITS.maxSlopePerHour());
        assertThat(trend.growthPercent()).isEqualTo(10.0);
        assertThat(trend.verdict(LIMITS)).isEqualTo("growing");
    }

    @Test
    void mediansIgnoreAStraySample() {
        Trend trend = Trend.of(List.of(p(0, 100), p(5, 900), p(10, 100), p(15, 100), p(20, 100), p(25, 100),
                p(30, 100), p(35, 100), p(40, 100)));

        assertThat(trend.firstThird()).isEqualTo(100.0);
        assertThat(trend.growth()).isZero();
    }

    @Test
    void shrinkingIsFlat() {
        assertThat(Trend.of(series(100, 5, t -> 200 - t / 10)).verdict(LIMITS)).isEqualTo("flat");
    }

    @Test
    void tooFewSamplesGiveNoVerdict() {
        assertThat(Trend.of(series(5, 5, t -> 100)).verdict(LIMITS)).isEqualTo("too_short");
        assertThat(Trend.of(List.of()).verdict(LIMITS)).isEqualTo("too_short");
    }

    @Test
    void figuresCarryTheVerdictAndTheLimits() {
        assertThat(Trend.of(series(10, 5, t -> 50)).figures("heap", LIMITS))
                .containsEntry("heap_first_third_mb", 50.0)
                .containsEntry("heap_slope_mb_per_h", 0.0)
                .containsEntry("heap_limits", "growth<=5.0%,slope<=10.0MB/h")
                .containsEntry("heap_verdict", "flat");
    }

    private static List<Trend.Point> series(int n, double intervalSeconds,
                                            java.util.function.DoubleUnaryOperator value) {
        List<Trend.Point> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double t = i * intervalSeconds;
            points.add(p(t, value.applyAsDouble(t)));
        }
        return points;
    }

    private static Trend.Point p(double seconds, double value) {
        return new Trend.Point(seconds, value);
    }
}
