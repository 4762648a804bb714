package io.reseau.retry;

/** One partition's retry budget in a {@link StandardRetryStrategy}: what is left of its capacity. */
final class RetryBucket {
    private final int maxCapacity;
    private int capacity; // guarded by this

    RetryBucket(int maxCapacity) {
        this.maxCapacity = maxCapacity;
        this.capacity = maxCapacity;
    }

    /** Takes up to {@code cost} (less when less is left); 0 when the bucket is empty. */
    synchronized int withdraw(int cost) {
        int taken = Math.min(capacity, cost);
        capacity -= taken;
        return taken;
    }

    /** Gives {@code amount} back, never beyond the maximum. */
    synchronized void deposit(int amount) {
        capacity = (int) Math.min(maxCapacity, (long) capacity + amount);
    }

    synchronized int capacity() {
        return capacity;
    }
}
