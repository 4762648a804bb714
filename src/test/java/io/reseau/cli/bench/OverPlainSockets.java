package io.reseau.cli.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS socket factories over the JDK's plain sockets: each socket a client connects, and each one a
 * JDK server socket accepts, is handed to a layer that puts TLS over it ({@link EngineSockets},
 * {@link LayeredSockets}).
 */
final class OverPlainSockets {
    /** TLS over a connected client socket. */
    @FunctionalInterface
    interface ClientLayer {
        Socket over(Socket plain, String host, int port, boolean autoClose) throws IOException;
    }

    /** TLS, server side, over an accepted socket. */
    @FunctionalInterface
    interface ServerLayer {
        Socket over(Socket accepted) throws IOException;
    }

    private OverPlainSockets() {}

    /** Both ends' factories; {@code suites} answers the client factory's cipher suite questions. */
    static TlsSockets of(ClientLayer clients, ServerLayer servers, SSLSocketFactory suites) {
        return new TlsSockets(new Clients(clients, suites), new Servers(servers));
    }

    private static final class Clients extends SSLSocketFactory {
        private final ClientLayer layer;
        private final SSLSocketFactory suites;
        private final SocketFactory plain = SocketFactory.getDefault();

        Clients(ClientLayer layer, SSLSocketFactory suites) {
            this.layer = layer;
            this.suites = suites;
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return layer.over(socket, host, port, autoClose);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return createSocket(plain.createSocket(host, port), host, port, true);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return createSocket(plain.createSocket(host, port), host.getHostAddress(), port, true);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(plain.createSocket(host, port, localHost, localPort), host, port, true);
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(plain.createSocket(host, port, localHost, localPort), host.getHostAddress(), port, true);
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return suites.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return suites.getSupportedCipherSuites();
        }
    }

    /** Server sockets of the JDK whose accepted sockets go through the layer. */
    private static final class Servers extends ServerSocketFactory {
        private final ServerLayer layer;

        Servers(ServerLayer layer) {
            this.layer = layer;
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return createServerSocket(port, 50, null);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return createServerSocket(port, backlog, null);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return new ServerSocket(port, backlog, address) {
                @Override
                public Socket accept() throws IOException {
                    return layer.over(super.accept());
                }
            };
        }
    }
}
