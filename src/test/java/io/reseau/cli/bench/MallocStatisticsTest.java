package io.reseau.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class MallocStatisticsTest {
    private static final long SIZE = 64L << 20;
    /**
     * What the JIT and other tests' threads may allocate or free meanwhile (4.2 MiB was seen); the
     * errors this test is for, a block not counted or counted twice, are off by all of it.
     */
    private static final long SLACK = 16L << 20;

    @Test
    void countsANativeAllocationWhileItLivesAndNotAfter() {
        assumeTrue(MallocStatistics.bytesInUse().isPresent(), "this C library has no mallinfo2");
        long before = MallocStatistics.bytesInUse().orElseThrow();
        long during;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(SIZE);
            block.fill((byte) 1);
            during = MallocStatistics.bytesInUse().orElseThrow();
        }
        long after = MallocStatistics.bytesInUse().orElseThrow();
        assertThat(during - before).isBetween(SIZE - SLACK, SIZE + SLACK);
        assertThat(during - after).isBetween(SIZE - SLACK, SIZE + SLACK);
    }
}
