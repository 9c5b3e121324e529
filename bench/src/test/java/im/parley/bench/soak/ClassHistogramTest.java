package im.parley.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassHistogramTest {
    private static final String BEFORE = """
            1234:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1000         160000  [B (java.base@17.0.15)
               2:           500          12000  java.lang.String (java.base@17.0.15)
               3:            10            640  io.netty.channel.epoll.EpollSocketChannel
            Total          1510         172640
            """;
    private static final String AFTER = """
            1234:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1100         200000  [B (java.base@17.0.15)
               2:           400           9600  java.lang.String (java.base@17.0.15)
               3:           510          32640  io.netty.channel.epoll.EpollSocketChannel
               4:             2             64  im.parley.server.Leak
               5:             1             32  im.parley.server.Leak
            Total          2013         242336
            """;

    @Test
    void namesTheClassesThatGrewLargestFirst() {
        List<Map<String, Object>> growth = ClassHistogram.parse(AFTER).growthSince(ClassHistogram.parse(BEFORE), 10);

        assertThat(growth).extracting(row -> row.get("class"))
                .containsExactly("[B", "io.netty.channel.epoll.EpollSocketChannel", "im.parley.server.Leak");
        assertThat(growth.get(1)).containsEntry("instances_delta", 500L).containsEntry("bytes_delta", 32000L)
                .containsEntry("instances", 510L);
        assertThat(growth.get(2)).containsEntry("instances", 3L).containsEntry("bytes_delta", 96L);
    }

    @Test
    void keepsTheLimitAndSkipsHeaderAndTotal() {
        ClassHistogram after = ClassHistogram.parse(AFTER);

        assertThat(after.classCount()).isEqualTo(4);
        assertThat(after.growthSince(ClassHistogram.parse(BEFORE), 1)).hasSize(1);
    }
}
