package io.reseau.net.ssl;

import io.reseau.net.ReseauSocket;
import io.reseau.net.ReseauSocketFactory;
import io.reseau.tls.CipherSuites;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;

/**
 * Client {@link ReseauSSLSocket}s of one SSLContext, over sockets from Reseau's
 * {@link ReseauSocketFactory}. Host names are the peer's for SNI and endpoint identification;
 * an {@link InetAddress} given with its host name counts as that name (no reverse lookup).
 */
final class ReseauSSLSocketFactory extends SSLSocketFactory {
    private final SslConfiguration configuration;
    private final SSLParameters defaults;
    private final SocketFactory transports = ReseauSocketFactory.getDefault();

    ReseauSSLSocketFactory(SslConfiguration configuration, SSLParameters defaults) {
        this.configuration = configuration;
        this.defaults = SslParametersCopy.of(defaults);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return defaults.getCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return CipherSuites.supported().toArray(String[]::new);
    }

    @Override
    public Socket createSocket() throws IOException {
        return client((ReseauSocket) transports.createSocket(), null, 0, true);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return client((ReseauSocket) transports.createSocket(host, port), host, port, true);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return client((ReseauSocket) transports.createSocket(host, port, localHost, localPort), host, port, true);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return client((ReseauSocket) transports.createSocket(host, port), hostOf(host), port, true);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return client((ReseauSocket) transports.createSocket(address, port, localAddress, localPort), hostOf(address), port,
                true);
    }

    /**
     * TLS over a connected Reseau socket; with {@code autoClose}, closing the TLS socket closes it.
     *
     * @throws SocketException if {@code socket} is not a connected {@link ReseauSocket}: TLS lives
     *     in a Reseau socket's channel, so the plain socket must come from {@link ReseauSocketFactory}
     */
    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        if (!(socket instanceof ReseauSocket transport)) {
            throw new SocketException("Reseau layers TLS over Reseau sockets only; create the plain socket with "
                    + "io.reseau.net.ReseauSocketFactory (got " + socket.getClass().getName() + ")");
        }
        if (!socket.isConnected()) {
            throw new SocketException("Underlying socket is not connected");
        }
        return client(transport, host != null ? host : socket.getInetAddress().getHostAddress(), port, autoClose);
    }

    private ReseauSSLSocket client(ReseauSocket transport, String host, int port, boolean autoClose) {
        return new ReseauSSLSocket(configuration, transport, host, port, autoClose, true, defaults);
    }

    /** The name the address was created with, else its literal: never a reverse lookup. */
    private static String hostOf(InetAddress address) {
        String text = address.toString(); // "name/literal", or "/literal" when it has no name
        int slash = text.indexOf('/');
        return slash > 0 ? text.substring(0, slash) : address.getHostAddress();
    }
}
