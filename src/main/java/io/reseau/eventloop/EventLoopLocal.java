package io.reseau.eventloop;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A value kept per event loop, like a {@link ThreadLocal} per loop (aws-c-io's event-loop "local
 * objects"): created on first use on the loop's thread, and handed to {@code onRemoved} when the
 * loop is destroyed. The per-loop message pool lives here.
 */
public final class EventLoopLocal<T> {
    private final Function<? super EventLoop, ? extends T> initialValue;
    private final Consumer<? super T> onRemoved;

    public EventLoopLocal(Function<? super EventLoop, ? extends T> initialValue, Consumer<? super T> onRemoved) {
        this.initialValue = Objects.requireNonNull(initialValue, "initialValue");
        this.onRemoved = Objects.requireNonNull(onRemoved, "onRemoved");
    }

    /** This loop's value. Loop thread only. */
    public T get(EventLoop loop) {
        return loop.local(this);
    }

    T create(EventLoop loop) {
        return Objects.requireNonNull(initialValue.apply(loop), "an event-loop local's initial value");
    }

    void remove(Object value) {
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        onRemoved.accept(typed);
    }
}
