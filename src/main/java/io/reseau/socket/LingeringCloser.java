package io.reseau.socket;

import io.reseau.internal.ffi.Libc;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the close(2) of sockets that linger (SO_LINGER above 0 with bytes still unsent): the kernel
 * holds that call until the peer has acknowledged them or the linger time has run out, and nothing
 * that blocks may run on an event loop, nor in native code on a virtual thread. One platform
 * thread per close in progress, as the JDK's sockets block the closing thread; a thread left idle
 * for a minute ends.
 */
final class LingeringCloser {
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("reseau-lingering-close-", 0).daemon(true).factory());

    private LingeringCloser() {}

    /** Closes {@code fd} on a closer thread, then runs {@code closed} there. */
    static void close(int fd, Runnable closed) {
        THREADS.execute(() -> {
            Libc.close(fd);
            closed.run();
        });
    }
}
