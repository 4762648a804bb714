package io.reseau.net;

import io.reseau.dns.HostResolver;
import io.reseau.eventloop.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import javax.net.ServerSocketFactory;

/** Hands out {@link ReseauServerSocket}s. */
public final class ReseauServerSocketFactory extends ServerSocketFactory {
    private static final ReseauServerSocketFactory DEFAULT = new ReseauServerSocketFactory();

    private final NetContext context; // null: the process-wide default, created on first use

    /** A factory on Reseau's default event loops. */
    public ReseauServerSocketFactory() {
        this(null);
    }

    private ReseauServerSocketFactory(NetContext context) {
        this.context = context;
    }

    /** The factory of Reseau's default event loops. */
    public static ServerSocketFactory getDefault() {
        return DEFAULT;
    }

    /** A factory whose server sockets and their connections run on {@code group}. */
    public static ReseauServerSocketFactory of(EventLoopGroup group, HostResolver resolver) {
        return new ReseauServerSocketFactory(NetContext.of(group, resolver));
    }

    private NetContext context() {
        return context != null ? context : NetContext.defaults();
    }

    /** An unbound server socket. */
    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new ReseauServerSocket(context());
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return ReseauServerSocket.bound(context(), port, ReseauServerSocketImpl.DEFAULT_BACKLOG, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return ReseauServerSocket.bound(context(), port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return ReseauServerSocket.bound(context(), port, backlog, bindAddress);
    }
}
