package io.reseau.socket;

import io.reseau.eventloop.EpollEventLoop;
import io.reseau.testing.OnLoop;
import java.util.concurrent.Callable;

/** A running epoll loop for socket tests, and a way to run code on its thread. */
final class LoopFixture implements AutoCloseable {
    final EpollEventLoop loop;

    LoopFixture(String name) throws Exception {
        loop = new EpollEventLoop(name);
        loop.start();
    }

    <T> T call(Callable<T> work) throws Exception {
        return OnLoop.call(loop, work);
    }

    void run(Callable<?> work) throws Exception {
        call(work);
    }

    @Override
    public void close() {
        loop.destroy();
    }
}
