package io.reseau.eventloop;

/** Receives the I/O events of a subscribed handle, on its event loop's thread. */
@FunctionalInterface
public interface IoEventListener {
    /** @param events a combination of {@link IoEvents} bits */
    void onEvent(EventLoop loop, IoHandle handle, int events);
}
