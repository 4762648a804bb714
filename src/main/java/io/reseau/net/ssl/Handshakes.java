package io.reseau.net.ssl;

import io.reseau.tls.TlsNegotiation;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;

/** Waiting for a handshake the way a socket read waits: SO_TIMEOUT, and interrupts as the JDK's sockets take them. */
final class Handshakes {
    private Handshakes() {}

    /** Thrown by {@link #await} when the wait itself ended the handshake (a timeout, an interrupt). */
    interface Abandon {
        void run() throws IOException;
    }

    /**
     * The handshake's outcome. An interrupt of a virtual thread or the timeout abandons the
     * handshake ({@code abandon} closes the socket, as a timed-out or interrupted JDK read leaves
     * it unusable); a platform thread keeps waiting and keeps its interrupt, as with JDK sockets.
     */
    static TlsNegotiation await(CompletableFuture<TlsNegotiation> handshake, int timeoutMillis, Abandon abandon)
            throws IOException {
        boolean interrupted = false;
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        try {
            while (true) {
                try {
                    if (deadline == 0) {
                        return handshake.get();
                    }
                    return handshake.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    if (Thread.currentThread().isVirtual()) {
                        abandon.run();
                        Thread.currentThread().interrupt();
                        throw new SocketException("Closed by interrupt");
                    }
                    interrupted = true;
                } catch (TimeoutException e) {
                    abandon.run();
                    throw new SocketTimeoutException("Read timed out");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new SSLHandshakeException("TLS could not start: " + e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
