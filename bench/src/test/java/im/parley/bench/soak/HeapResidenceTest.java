package im.parley.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeapResidenceTest {

    private static final String HEAP_INFO = """
             garbage-first heap   total 81920K, used 45123K [0x0000000680000000, 0x0000000800000000)
              region size 4096K, 5 young (20480K), 1 survivors (4096K)
             Metaspace       used 40000K, committed 41000K, reserved 1089536K
            """;

    @Test
    void sumsTheResidentPagesOfTheMappingsInsideTheHeapRange() {
        HeapResidence heap = HeapResidence.of(1, HEAP_INFO);
        List<String> smaps = List.of(
                "55d0c0000000-55d0c0001000 r-xp 00000000 08:01 123 /usr/bin/java",
                "Size:                  4 kB",
                "Rss:                   4 kB",
                // G1 commits regions inside its reservation: rw parts and PROT_NONE parts.
                "680000000-690000000 rw-p 00000000 00:00 0",
                "Size:             262144 kB",
                "Rss:              200000 kB",
                "690000000-800000000 ---p 00000000 00:00 0",
                "Size:            5980160 kB",
                "Rss:                   0 kB",
                "7f0000000000-7f0000021000 rw-p 00000000 00:00 0",
                "Rss:                 132 kB");
        assertThat(heap.residentKb(smaps)).isEqualTo(200000);
    }

    @Test
    void noRangeNoResidence() {
        assertThat(HeapResidence.of(1, "no heap here")).isNull();
    }

    @Test
    void readsThisJvmsOwnSmaps() {
        // A range covering every address: the whole of this process's RSS, which is not zero.
        HeapResidence all = HeapResidence.of(ProcessHandle.current().pid(), "[0x0, 0xffffffffffffffff)");
        assertThat(all.residentKb()).isPositive();
    }
}
