package io.reseau.testing;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waits on a condition a test can observe (a count, a socket's state, a list of events) instead of
 * sleeping and hoping it came true meanwhile; and, for what must not happen, watches it stay true
 * for a short, named span.
 */
public final class Polling {
    /** How long a condition may take to come true on a loaded machine before the test fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Between two observations: short next to any timeout, long enough not to load the machine. */
    static final Duration INTERVAL = Duration.ofMillis(10);

    private Polling() {}

    /** One observation of the state under test; it may throw what the observed call throws. */
    @FunctionalInterface
    public interface Probe<T, E extends Exception> {
        T observe() throws E;
    }

    /** Whether the state under test is as wanted, right now. */
    @FunctionalInterface
    public interface Condition<E extends Exception> {
        boolean holds() throws E;
    }

    /**
     * Observes {@code probe} until its value satisfies {@code done} or {@code timeout} has passed,
     * and returns the last value seen: the caller asserts on it, so that a failure shows the value.
     */
    public static <T, E extends Exception> T until(Probe<T, E> probe, Predicate<? super T> done, Duration timeout)
            throws E, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = probe.observe();
        while (!done.test(value) && System.nanoTime() - deadline < 0) {
            Thread.sleep(INTERVAL);
            value = probe.observe();
        }
        return value;
    }

    /** {@link #until} within {@link #TIMEOUT}. */
    public static <T, E extends Exception> T until(Probe<T, E> probe, Predicate<? super T> done) throws E, InterruptedException {
        return until(probe, done, TIMEOUT);
    }

    /** Waits until {@code condition} holds; fails, naming {@code description}, if it does not within {@code timeout}. */
    public static <E extends Exception> void await(Condition<E> condition, Duration timeout, String description)
            throws E, InterruptedException {
        if (!until(condition::holds, Boolean::booleanValue, timeout)) {
            throw new AssertionError("not within " + timeout.toMillis() + " ms: " + description);
        }
    }

    /** {@link #await(Condition, Duration, String)} within {@link #TIMEOUT}. */
    public static <E extends Exception> void await(Condition<E> condition, String description) throws E, InterruptedException {
        await(condition, TIMEOUT, description);
    }

    /**
     * Checks that {@code condition} holds on every observation for all of {@code span}, the last one
     * after the span: for a test that something does NOT happen, where waiting a while is the only
     * way to see it. Keep the span short, just past the moment the unwanted event would come.
     */
    public static <E extends Exception> void assertStaysTrue(Condition<E> condition, Duration span, String description)
            throws E, InterruptedException {
        long end = System.nanoTime() + span.toNanos();
        for (long left = span.toNanos(); ; left = end - System.nanoTime()) {
            if (!condition.holds()) {
                throw new AssertionError("stopped holding within " + span.toMillis() + " ms: " + description);
            }
            if (left <= 0) {
                return;
            }
            Thread.sleep(Duration.ofNanos(Math.min(left, INTERVAL.toNanos())));
        }
    }
}
