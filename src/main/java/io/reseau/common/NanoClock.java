package io.reseau.common;

/** A monotonic clock in nanoseconds, as event loops and schedulers read time; replaceable in tests. */
@FunctionalInterface
public interface NanoClock {
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
