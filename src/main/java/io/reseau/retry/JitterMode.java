package io.reseau.retry;

import java.util.function.LongSupplier;

/**
 * How exponential backoff spreads its waits (aws-c-io's {@code aws_exponential_backoff_jitter_mode};
 * see "Exponential Backoff And Jitter" on the AWS Architecture Blog). With {@code n} retries already
 * scheduled on a token, a scale {@code s} and a maximum {@code M}, the plain backoff is
 * {@code min(2^n × s, M)}; {@code rand(a, b)} is {@code min(a, b) + R mod |b − a|} for the next
 * random number {@code R} (as unsigned), or 0 when {@code a = b}.
 */
public enum JitterMode {
    /** {@link #FULL}. */
    DEFAULT,
    /** The plain backoff: {@code min(2^n × s, M)}. */
    NONE,
    /** {@code rand(0, min(2^n × s, M))}. */
    FULL,
    /**
     * {@code rand(s, min(M, 3 × last))}, where {@code last} is the previous wait; {@link #FULL} for
     * the first retry. (When {@code 3 × last} or {@code M} is below {@code s}, the range is the one
     * between them, as aws-c-io computes it.)
     */
    DECORRELATED;

    /**
     * The wait before the next retry, in nanoseconds.
     *
     * @param retries retries already scheduled on the token
     * @param lastNanos the previous wait, 0 before the first retry
     */
    long backoffNanos(int retries, long lastNanos, long scaleNanos, long maxNanos, LongSupplier random) {
        return switch (this) {
            case NONE -> plain(retries, scaleNanos, maxNanos);
            case DEFAULT, FULL -> between(0, plain(retries, scaleNanos, maxNanos), random);
            case DECORRELATED -> lastNanos == 0
                    ? FULL.backoffNanos(retries, lastNanos, scaleNanos, maxNanos, random)
                    : between(scaleNanos, Math.min(maxNanos, saturatedTimes3(lastNanos)), random);
        };
    }

    /** {@code min(2^min(retries, 63) × scale, max)}, the product saturating. */
    private static long plain(int retries, long scaleNanos, long maxNanos) {
        int shift = Math.min(retries, 63);
        long doubled = scaleNanos > (Long.MAX_VALUE >>> shift) ? Long.MAX_VALUE : scaleNanos << shift;
        return Math.min(doubled, maxNanos);
    }

    private static long saturatedTimes3(long value) {
        return value > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : value * 3;
    }

    private static long between(long a, long b, LongSupplier random) {
        long low = Math.min(a, b);
        long span = Math.max(a, b) - low;
        return span == 0 ? 0 : low + Long.remainderUnsigned(random.getAsLong(), span);
    }
}
