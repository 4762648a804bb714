package io.reseau.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** Each jitter mode's formula, with a fixed random source: aws-c-io's arithmetic, quirks included. */
class JitterModeTest {
    private static final long SCALE = Duration.ofMillis(500).toNanos();
    private static final long MAX = Duration.ofSeconds(20).toNanos();

    private static LongSupplier fixed(long value) {
        return () -> value;
    }

    private static long backoff(JitterMode mode, int retries, long last, long random) {
        return mode.backoffNanos(retries, last, SCALE, MAX, fixed(random));
    }

    @Test
    void noneDoublesTheScaleUpToTheMaximum() {
        assertThat(backoff(JitterMode.NONE, 0, 0, 7)).isEqualTo(SCALE);
        assertThat(backoff(JitterMode.NONE, 1, 0, 7)).isEqualTo(2 * SCALE);
        assertThat(backoff(JitterMode.NONE, 2, 0, 7)).isEqualTo(4 * SCALE);
        assertThat(backoff(JitterMode.NONE, 5, 0, 7)).isEqualTo(32 * SCALE); // 16 s
        assertThat(backoff(JitterMode.NONE, 6, 0, 7)).isEqualTo(MAX);
        assertThat(backoff(JitterMode.NONE, 63, 0, 7)).as("2^63 × scale saturates").isEqualTo(MAX);
        assertThat(backoff(JitterMode.NONE, 1000, 0, 7)).as("the exponent stops at 63").isEqualTo(MAX);
        assertThat(JitterMode.NONE.backoffNanos(70, 0, SCALE, Long.MAX_VALUE, fixed(7))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void fullAndDefaultDrawBetweenZeroAndThePlainBackoff() {
        for (JitterMode mode : new JitterMode[] {JitterMode.FULL, JitterMode.DEFAULT}) {
            assertThat(backoff(mode, 0, 0, 123)).isEqualTo(123);
            assertThat(backoff(mode, 0, 0, SCALE + 123)).as("R mod 500 ms").isEqualTo(123);
            assertThat(backoff(mode, 2, 0, 4 * SCALE + 5)).as("R mod 2 s").isEqualTo(5);
            assertThat(backoff(mode, 9, 0, MAX + 9)).as("R mod 20 s").isEqualTo(9);
            // R is unsigned: 2^64 - 1 mod 500,000,000 = 209,551,615.
            assertThat(backoff(mode, 0, 0, -1L)).isEqualTo(209_551_615L);
        }
    }

    @Test
    void decorrelatedDrawsBetweenTheScaleAndThreeTimesTheLastWait() {
        assertThat(backoff(JitterMode.DECORRELATED, 0, 0, SCALE + 77)).as("first retry: full jitter").isEqualTo(77);
        long last = Duration.ofSeconds(1).toNanos();
        assertThat(backoff(JitterMode.DECORRELATED, 1, last, 11)).as("rand(500 ms, 3 s)").isEqualTo(SCALE + 11);
        assertThat(backoff(JitterMode.DECORRELATED, 1, last, 2_500_000_000L + 11)).isEqualTo(SCALE + 11);
        long lastLong = Duration.ofSeconds(10).toNanos();
        assertThat(backoff(JitterMode.DECORRELATED, 2, lastLong, 19_500_000_000L + 3)).as("rand(500 ms, min(20 s, 30 s))")
                .isEqualTo(SCALE + 3);
        assertThat(JitterMode.DECORRELATED.backoffNanos(3, Long.MAX_VALUE / 2, SCALE, Long.MAX_VALUE, fixed(5)))
                .as("3 × last saturates").isEqualTo(SCALE + 5);
    }

    /** aws-c-io's edges: a range upside down is taken the other way round; an empty one gives 0, not its bound. */
    @Test
    void decorrelatedKeepsAwsCIosEdges() {
        long tinyMax = Duration.ofMillis(100).toNanos();
        assertThat(JitterMode.DECORRELATED.backoffNanos(1, SCALE, SCALE, tinyMax, fixed(3)))
                .as("rand(500 ms, 100 ms) is 100 ms + R mod 400 ms").isEqualTo(tinyMax + 3);
        assertThat(JitterMode.DECORRELATED.backoffNanos(1, SCALE, SCALE, SCALE, fixed(3)))
                .as("rand(500 ms, 500 ms)").isZero();
    }
}
