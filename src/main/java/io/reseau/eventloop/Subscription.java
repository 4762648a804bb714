package io.reseau.eventloop;

/** One handle's registration with one loop; {@code key} is what epoll hands back with its events. */
final class Subscription {
    final EventLoop loop;
    final IoHandle handle;
    final IoEventListener listener;
    long key;

    Subscription(EventLoop loop, IoHandle handle, IoEventListener listener) {
        this.loop = loop;
        this.handle = handle;
        this.listener = listener;
    }
}
