package io.reseau.eventloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A million tasks from 8 virtual threads onto one loop, each run exactly once; and no wake-up lost. */
@Timeout(120)
class EventLoopStressTest {
    private static final int PRODUCERS = 8;
    private static final int TASKS = 1_000_000;
    private static final int PER_PRODUCER = TASKS / PRODUCERS;

    private EpollEventLoop loop;

    @BeforeEach
    void start() throws Exception {
        loop = new EpollEventLoop("stress-loop");
        loop.start();
    }

    @AfterEach
    void destroy() {
        loop.destroy();
    }

    @Test
    void serializedTasksRunExactlyOnceInSubmissionOrderPerProducer() throws Exception {
        run(true);
    }

    @Test
    void crossThreadNowTasksRunExactlyOnce() throws Exception {
        run(false);
    }

    @Test
    void aTaskQueuedWhileTheLoopGoesToSleepIsNeverStranded() throws Exception {
        // The loop writes no eventfd for an awake loop: it looks at its queue before it blocks. Tasks
        // queued at every moment of its spin-then-sleep (the spin lasts 50 µs) must all wake it;
        // a lost wake-up would leave one waiting for the 100 s idle timeout.
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int round = 0; round < 20_000; round++) {
            long until = System.nanoTime() + random.nextLong(100_000);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            CountDownLatch ran = new CountDownLatch(1);
            loop.scheduleNow(new Task("wake-" + round, status -> ran.countDown()));
            assertThat(ran.await(5, TimeUnit.SECONDS)).as("round %d's task ran", round).isTrue();
        }
    }

    private void run(boolean serialized) throws Exception {
        // Only the loop thread touches these arrays; the latch publishes them to the test thread.
        int[] nextExpected = new int[PRODUCERS];
        int[] runs = new int[TASKS];
        int[] outOfOrder = {0};
        CountDownLatch done = new CountDownLatch(TASKS);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < PER_PRODUCER; i++) {
                    int sequence = i;
                    Task task = new Task("stress", status -> {
                        runs[producer * PER_PRODUCER + sequence]++;
                        if (nextExpected[producer] != sequence) {
                            outOfOrder[0]++;
                        }
                        nextExpected[producer] = sequence + 1;
                        done.countDown();
                    });
                    if (serialized) {
                        loop.scheduleNowSerialized(task);
                    } else {
                        loop.scheduleNow(task);
                    }
                }
            }));
        }
        for (Thread producer : producers) {
            producer.join();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).as("all tasks ran").isTrue();
        for (int i = 0; i < TASKS; i++) {
            if (runs[i] != 1) {
                throw new AssertionError("task " + i + " ran " + runs[i] + " times");
            }
        }
        if (serialized) {
            assertThat(outOfOrder[0]).isZero();
        }
        assertThat(nextExpected).containsOnly(PER_PRODUCER);
    }
}
