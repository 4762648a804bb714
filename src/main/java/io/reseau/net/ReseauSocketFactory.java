package io.reseau.net;

import io.reseau.dns.HostResolver;
import io.reseau.eventloop.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Hands out {@link ReseauSocket}s: give it to any client that takes a {@link SocketFactory}
 * (OkHttp's {@code socketFactory}, pgjdbc's {@code socketFactory}, ...). Host names are resolved by
 * Reseau's resolver, off the calling thread, and a host's addresses raced (Happy Eyeballs, see
 * {@link ReseauSocket}).
 */
public final class ReseauSocketFactory extends SocketFactory {
    private static final ReseauSocketFactory DEFAULT = new ReseauSocketFactory();

    private final NetContext context; // null: the process-wide default, created on first use

    /**
     * A factory on Reseau's default event loops and resolver. Public so that clients which take a
     * class name can create one (pgjdbc: {@code socketFactory=io.reseau.net.ReseauSocketFactory}).
     */
    public ReseauSocketFactory() {
        this(null);
    }

    private ReseauSocketFactory(NetContext context) {
        this.context = context;
    }

    /** The factory of Reseau's default event loops and resolver. */
    public static SocketFactory getDefault() {
        return DEFAULT;
    }

    /** A factory whose sockets run on {@code group} and resolve with {@code resolver}. */
    public static ReseauSocketFactory of(EventLoopGroup group, HostResolver resolver) {
        return new ReseauSocketFactory(NetContext.of(group, resolver));
    }

    private NetContext context() {
        return context != null ? context : NetContext.defaults();
    }

    /** An unconnected socket (what OkHttp and pgjdbc ask for). */
    @Override
    public Socket createSocket() throws IOException {
        return new ReseauSocket(context());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return ReseauSocket.connected(context(), byName(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return ReseauSocket.connected(context(), byName(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return ReseauSocket.connected(context(), new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return ReseauSocket.connected(context(), new InetSocketAddress(address, port),
                new InetSocketAddress(localAddress, localPort));
    }

    /**
     * {@code host} for the socket's connect to resolve: a null or empty host is the loopback address,
     * as in {@code InetAddress.getByName(null)}.
     */
    private static InetSocketAddress byName(String host, int port) {
        return host == null || host.isEmpty() ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port)
                : InetSocketAddress.createUnresolved(host, port);
    }
}
