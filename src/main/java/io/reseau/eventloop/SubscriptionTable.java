package io.reseau.eventloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Maps the 64-bit keys stored in epoll events back to subscriptions. A key is a slot index plus
 * the slot's generation, so an event fetched before an unsubscribe finds nothing, even when the
 * slot already holds a new subscription. Writers (subscribe may run on any thread) lock; the loop
 * thread reads without locking.
 */
final class SubscriptionTable {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Subscription[].class);

    private volatile Subscription[] slots = new Subscription[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;

    synchronized long add(Subscription subscription) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (used == slots.length) {
                slots = Arrays.copyOf(slots, used * 2);
                generations = Arrays.copyOf(generations, used * 2);
                free = Arrays.copyOf(free, used * 2);
            }
            slot = used++;
        }
        subscription.key = ((long) generations[slot] << 32) | slot;
        SLOT.setRelease(slots, slot, subscription);
        return subscription.key;
    }

    synchronized void remove(Subscription subscription) {
        int slot = (int) subscription.key;
        if (SLOT.getAcquire(slots, slot) == subscription) {
            SLOT.setRelease(slots, slot, (Subscription) null);
            generations[slot]++;
            free[freeCount++] = slot;
        }
    }

    /** The live subscription with this key, or null. Lock-free; for the loop thread. */
    Subscription get(long key) {
        int slot = (int) key;
        Subscription[] current = slots;
        if (slot < 0 || slot >= current.length) {
            return null;
        }
        Subscription subscription = (Subscription) SLOT.getAcquire(current, slot);
        return subscription != null && subscription.key == key ? subscription : null;
    }
}
