package io.reseau.cli.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories whose TLS is an {@link SSLContext}'s engines ({@link EngineSocket}) over the
 * JDK's plain sockets: scenario D's engine stacks, where only the provider of the engines differs.
 */
final class EngineSockets {
    private EngineSockets() {}

    /** Both ends' factories over {@code context}'s engines. */
    static TlsSockets of(SSLContext context) {
        return new TlsSockets(new Clients(context), new Servers(context));
    }

    /** Client engines ({@code createSSLEngine(host, port)}) over sockets the JDK connects. */
    private static final class Clients extends SSLSocketFactory {
        private final SSLContext context;
        private final SocketFactory plain = SocketFactory.getDefault();

        Clients(SSLContext context) {
            this.context = context;
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            if (!autoClose) {
                throw new IOException("the benchmark's engine sockets always own the socket below");
            }
            SSLEngine engine = context.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            return new EngineSocket(socket, engine);
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
            return context.getDefaultSSLParameters().getCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return context.getSupportedSSLParameters().getCipherSuites();
        }
    }

    /** Server sockets of the JDK whose accepted sockets get a server engine. */
    private static final class Servers extends ServerSocketFactory {
        private final SSLContext context;

        Servers(SSLContext context) {
            this.context = context;
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
                    Socket accepted = super.accept();
                    SSLEngine engine = context.createSSLEngine();
                    engine.setUseClientMode(false);
                    return new EngineSocket(accepted, engine);
                }
            };
        }
    }
}
