package io.reseau.cli.bench;

import io.reseau.bootstrap.ClientConnectionOptions;
import io.reseau.dns.HostAddress;
import io.reseau.dns.HostResolver;
import io.reseau.dns.ResolveCallback;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.net.ReseauSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;

/**
 * G, a host whose first address is dead: it resolves to 127.0.0.2, where a listener whose accept
 * queue is full drops every SYN, then 127.0.0.1, which accepts. Reseau connects to the name
 * (a scripted resolver answer, in that order) and races the two addresses. The JDK's
 * {@code new Socket(host, port)} tries the first address only, so its figure is a connect to
 * 127.0.0.2 with the same timeout: the time it takes to give up. Every connect is checked: Reseau's
 * must reach 127.0.0.1, the JDK's must time out.
 */
final class DeadFirstAddress implements AutoCloseable {
    static final String HOST = "dead-first.bench";
    /** Both stacks' connect timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Reseau's target: connected within two attempt delays. */
    static final Duration TARGET = ClientConnectionOptions.DEFAULT_CONNECTION_ATTEMPT_DELAY.multipliedBy(2);
    private static final int CONNECTS_PER_RUN = 3;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final InetSocketAddress dead;
    private final InetSocketAddress live;
    private final SocketFactory reseau;

    DeadFirstAddress() throws IOException {
        try {
            ServerSocket accepting = track(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
            live = new InetSocketAddress(accepting.getInetAddress(), accepting.getLocalPort());
            Thread.ofVirtual().start(() -> closeEachAccepted(accepting));
            dead = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), live.getPort());
            ServerSocket full = track(new ServerSocket());
            full.bind(dead, 1);
            for (int i = 0; i < 4; i++) { // the kernel queues backlog + 1 connections; SYNs beyond are dropped
                SocketChannel queued = track(SocketChannel.open());
                queued.configureBlocking(false);
                queued.connect(dead);
            }
            EventLoopGroup group = track(new EventLoopGroup(1));
            List<HostAddress> answer = List.of(new HostAddress(HOST, dead.getAddress()), new HostAddress(HOST, live.getAddress()));
            reseau = ReseauSocketFactory.of(group, new HostResolver() {
                @Override
                public void resolve(String host, ResolveCallback callback) {
                    callback.onResolved(host, answer, null);
                }

                @Override
                public void close() {}
            });
            connectReseau(); // the race's classes loaded before the first counted run
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    private static void closeEachAccepted(ServerSocket listener) {
        try {
            while (true) {
                listener.accept().close();
            }
        } catch (IOException e) {
            // the listener closed: the scenario is over
        }
    }

    /** Milliseconds per connect of {@code stack} ({@link Stacks#JDK} or {@link Stacks#RESEAU}), the mean of a few. */
    double millisPerConnect(String stack) throws IOException {
        long total = 0;
        for (int i = 0; i < CONNECTS_PER_RUN; i++) {
            total += switch (stack) {
                case Stacks.JDK -> giveUpJdk();
                case Stacks.RESEAU -> connectReseau();
                default -> throw new IllegalArgumentException("no connect for stack " + stack);
            };
        }
        return total / 1e6 / CONNECTS_PER_RUN;
    }

    private long connectReseau() throws IOException {
        long start = System.nanoTime();
        try (Socket socket = reseau.createSocket()) {
            socket.connect(InetSocketAddress.createUnresolved(HOST, live.getPort()), (int) TIMEOUT.toMillis());
            long took = System.nanoTime() - start;
            if (!socket.getInetAddress().equals(live.getAddress())) {
                throw new IOException("Reseau connected to " + socket.getInetAddress() + ", not " + live.getAddress());
            }
            return took;
        }
    }

    private long giveUpJdk() throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(dead, (int) TIMEOUT.toMillis());
            throw new IOException("the JDK connected to " + dead + ", which should drop SYNs");
        } catch (SocketTimeoutException e) {
            return System.nanoTime() - start;
        }
    }

    @Override
    public void close() {
        for (AutoCloseable resource : opened.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing what a benchmark scenario opened: nothing more to do
            }
        }
    }
}
