package io.reseau.eventloop;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** One loop's {@link EventLoopLocal} values. Touched on the loop's thread only. */
public final class EventLoopLocals {
    private static final System.Logger LOG = System.getLogger(EventLoopLocals.class.getName());
    private final Map<EventLoopLocal<?>, Object> values = new IdentityHashMap<>();

    /** An empty set, for an {@link EventLoop} implementation to hold. */
    public EventLoopLocals() {}

    public <T> T get(EventLoopLocal<T> local, EventLoop loop) {
        @SuppressWarnings("unchecked")
        T value = (T) values.get(local);
        if (value == null) {
            value = local.create(loop);
            values.put(local, value);
        }
        return value;
    }

    /** Removes every value, handing each to its local's {@code onRemoved}. */
    public void removeAll() {
        List<Map.Entry<EventLoopLocal<?>, Object>> entries = new ArrayList<>(values.entrySet());
        values.clear();
        for (Map.Entry<EventLoopLocal<?>, Object> entry : entries) {
            try {
                entry.getKey().remove(entry.getValue());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "releasing an event-loop local failed", e);
            }
        }
    }
}
