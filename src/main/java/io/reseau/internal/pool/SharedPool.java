package io.reseau.internal.pool;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A few interchangeable objects (buffers) shared by every connection of the process, so that a
 * connection holds one only while a call uses it and an idle connection holds none: {@link #take}
 * hands out a kept one or makes a new one, {@link #giveBack} keeps it while fewer than the pool's
 * size are kept and disposes of it otherwise. Each kept object is in a slot of its own, taken and
 * filled by compare-and-set from a slot chosen by the thread, so that threads seldom meet and
 * nothing allocates or locks.
 */
public final class SharedPool<T> {
    private final AtomicReferenceArray<T> slots;
    private final Supplier<T> maker;
    private final Consumer<T> disposer;

    /**
     * @param size how many objects the pool keeps at most
     * @param maker makes an object when none is kept
     * @param disposer disposes of an object given back to a full pool
     */
    public SharedPool(int size, Supplier<T> maker, Consumer<T> disposer) {
        if (size <= 0) {
            throw new IllegalArgumentException("a pool keeps at least one object, got " + size);
        }
        this.slots = new AtomicReferenceArray<>(size);
        this.maker = Objects.requireNonNull(maker, "maker");
        this.disposer = Objects.requireNonNull(disposer, "disposer");
    }

    /** A kept object, or a new one when none is kept. */
    public T take() {
        int size = slots.length();
        int first = firstSlot(size);
        for (int i = 0; i < size; i++) {
            int slot = (first + i) % size;
            T kept = slots.get(slot);
            if (kept != null && slots.compareAndSet(slot, kept, null)) {
                return kept;
            }
        }
        return maker.get();
    }

    /** Keeps {@code object} for a later {@link #take}, or disposes of it when the pool is full. */
    public void giveBack(T object) {
        Objects.requireNonNull(object, "object");
        int size = slots.length();
        int first = firstSlot(size);
        for (int i = 0; i < size; i++) {
            int slot = (first + i) % size;
            if (slots.get(slot) == null && slots.compareAndSet(slot, null, object)) {
                return;
            }
        }
        disposer.accept(object);
    }

    /** Where this thread starts looking: threads on different processors mostly start apart. */
    private static int firstSlot(int size) {
        return (int) (Thread.currentThread().threadId() % size);
    }
}
