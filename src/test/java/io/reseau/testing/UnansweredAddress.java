package io.reseau.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;

/**
 * A loopback address whose connects stay pending, for connect timeouts and cancels: a JDK listener
 * with a backlog of one that never accepts, filled by connects of its own, after which the kernel
 * drops every further SYN (the client retries until its own timeout).
 */
public final class UnansweredAddress {
    private UnansweredAddress() {}

    /** The listener and its fillers are {@code resources}' to close. */
    public static InetSocketAddress open(Resources resources) throws IOException {
        return open(resources, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /**
     * {@code address} made unanswered: any loopback address (127.0.0.2, ::1...), on a given port
     * (another address may listen on it too) or on a free one (port 0).
     */
    public static InetSocketAddress open(Resources resources, InetSocketAddress address) throws IOException {
        ServerSocket full = resources.track(new ServerSocket());
        full.bind(address, 1);
        InetSocketAddress unanswered = new InetSocketAddress(address.getAddress(), full.getLocalPort());
        for (int i = 0; i < 4; i++) { // the kernel queues up to backlog + 1: more than enough
            SocketChannel filler = resources.track(SocketChannel.open());
            filler.configureBlocking(false);
            filler.connect(unanswered);
        }
        return unanswered;
    }
}
