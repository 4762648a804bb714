package io.reseau.cli;

import io.reseau.net.ReseauServerSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ServerSocketFactory;

/**
 * {@code reseau echo-server PORT [--bind ADDRESS] [--tls CERT KEY]}: a virtual thread per
 * connection writes back what it reads; with {@code --tls}, over Reseau's TLS server sockets.
 */
final class EchoServer implements AutoCloseable {
    private final ServerSocket server;

    private EchoServer(ServerSocket server) {
        this.server = server;
    }

    static EchoServer fromArguments(String[] args, PrintStream out) throws UsageException, IOException, GeneralSecurityException {
        if (args.length == 0) {
            throw new UsageException("echo-server takes a port");
        }
        int port = HostPort.port(args[0], 0);
        InetAddress bind = null;
        ServerSocketFactory sockets = ReseauServerSocketFactory.getDefault();
        String kind = "";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--bind" -> {
                    UsageException.requireValues(args, i, 1, "--bind takes an ADDRESS");
                    bind = InetAddress.getByName(args[++i]);
                }
                case "--tls" -> {
                    UsageException.requireValues(args, i, 2, "--tls takes a certificate chain file and a private key file (PEM)");
                    sockets = PemServerContext.of(Path.of(args[i + 1]), Path.of(args[i + 2])).getServerSocketFactory();
                    kind = " (TLS)";
                    i += 2;
                }
                default -> throw new UsageException("echo-server: unknown option '" + args[i] + "'");
            }
        }
        EchoServer echo = start(port, bind, sockets);
        out.println("echo-server: listening on " + echo.server.getLocalSocketAddress() + kind);
        return echo;
    }

    /** Listens on {@code port} (0: any free port) of {@code bind} (null: every address). */
    static EchoServer start(int port, InetAddress bind) throws IOException {
        return start(port, bind, ReseauServerSocketFactory.getDefault());
    }

    /** Likewise, with a server socket of {@code sockets}: Reseau's plain or TLS ones. */
    static EchoServer start(int port, InetAddress bind, ServerSocketFactory sockets) throws IOException {
        return new EchoServer(sockets.createServerSocket(port, 50, bind));
    }

    int port() {
        return server.getLocalPort();
    }

    /** Accepts until the server socket is closed. */
    void serveForever() throws IOException {
        while (true) {
            Socket connection;
            try {
                connection = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                throw e;
            }
            Thread.ofVirtual().name("echo-" + connection.getRemoteSocketAddress()).start(() -> echo(connection));
        }
    }

    private static void echo(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the peer went away: nothing to echo to
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
