package io.reseau.net.ssl;

import io.reseau.net.ReseauSocketFactory;
import io.reseau.tls.CipherSuites;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link ReseauSSLSocket}s of one SSLContext: clients over sockets from Reseau's
 * {@link ReseauSocketFactory}, and TLS layered over a connected socket of any kind, as a client
 * ({@code createSocket(socket, host, port, autoClose)}) or as a server ({@code createSocket(socket,
 * consumed, autoClose)}). TLS runs on the calling thread through the socket's streams
 * ({@link StreamSSLSocket}), over a Reseau socket as over any other: faster than TLS in a Reseau
 * socket's channel on its event loop, with no hand-off to the loop per call, and holding no
 * record buffers while idle (benchmark scenario D). Host names are the peer's for SNI and endpoint
 * identification; an {@link InetAddress} given with its host name counts as that name (no
 * reverse lookup).
 */
final class ReseauSSLSocketFactory extends SSLSocketFactory {
    private final SslConfiguration configuration;
    private final SSLParameters defaults;
    private final SSLParameters serverDefaults;
    private final SocketFactory transports = ReseauSocketFactory.getDefault();

    ReseauSSLSocketFactory(SslConfiguration configuration, SSLParameters defaults, SSLParameters serverDefaults) {
        this.configuration = configuration;
        this.defaults = SslParametersCopy.of(defaults);
        this.serverDefaults = SslParametersCopy.of(serverDefaults);
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
        return client(transports.createSocket(), null, 0, true);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return client(transports.createSocket(host, port), host, port, true);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return client(transports.createSocket(host, port, localHost, localPort), host, port, true);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return client(transports.createSocket(host, port), hostOf(host), port, true);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return client(transports.createSocket(address, port, localAddress, localPort), hostOf(address), port,
                true);
    }

    /** A client's TLS over a connected socket; with {@code autoClose}, closing the TLS socket closes it. */
    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        requireConnected(socket);
        String peerHost = host != null ? host : socket.getInetAddress().getHostAddress();
        return client(socket, peerHost, port, autoClose);
    }

    /**
     * A server's TLS over a connected socket from which it already read {@code consumed} (a
     * ClientHello it looked at, say; null or empty if none): those bytes are read first. With
     * {@code autoClose}, closing the TLS socket closes it.
     */
    @Override
    public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
        requireConnected(socket);
        String peerHost = socket.getInetAddress().getHostAddress();
        return new StreamSSLSocket(configuration, socket, peerHost, socket.getPort(), autoClose, false, serverDefaults, consumed);
    }

    private static void requireConnected(Socket socket) throws SocketException {
        Objects.requireNonNull(socket, "socket");
        if (!socket.isConnected()) {
            throw new SocketException("Underlying socket is not connected");
        }
    }

    private StreamSSLSocket client(Socket transport, String host, int port, boolean autoClose) {
        return new StreamSSLSocket(configuration, transport, host, port, autoClose, true, defaults, null);
    }

    /** The name the address was created with, else its literal: never a reverse lookup. */
    private static String hostOf(InetAddress address) {
        String text = address.toString(); // "name/literal", or "/literal" when it has no name
        int slash = text.indexOf('/');
        return slash > 0 ? text.substring(0, slash) : address.getHostAddress();
    }
}
