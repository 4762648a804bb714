package io.reseau.eventloop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadFactorTest {
    private static final long SECOND = 1_000_000_000L;
    private long now = 100 * SECOND;
    private final LoadFactor load = new LoadFactor(() -> now);

    private void tick(long busyNanos) {
        load.tickStart();
        now += busyNanos;
        load.tickEnd();
    }

    @Test
    void publishesTheBusyTimeOfASecondOnceThatSecondIsOver() {
        tick(10); // first tick publishes at once (nothing was published before)
        assertThat(load.get()).isEqualTo(10);
        tick(5);
        tick(7);
        assertThat(load.get()).as("same second: not yet published").isEqualTo(10);
        now += SECOND;
        tick(3);
        assertThat(load.get()).isEqualTo(15);
    }

    @Test
    void idleTimeBetweenTicksDoesNotCount() {
        tick(10);
        now += SECOND / 2; // waiting in epoll_wait
        tick(20);
        now += 2 * SECOND;
        tick(1);
        assertThat(load.get()).isEqualTo(21);
    }

    @Test
    void aLoopSilentForMoreThanTenSecondsReadsAsIdle() {
        tick(SECOND / 2);
        assertThat(load.get()).isPositive();
        now += 11 * SECOND;
        assertThat(load.get()).isEqualTo(SECOND / 2);
        now += 2 * SECOND;
        assertThat(load.get()).isZero();
    }
}
