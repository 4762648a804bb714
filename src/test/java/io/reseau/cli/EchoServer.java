package io.reseau.cli;

import io.reseau.net.ReseauServerSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** {@code reseau echo-server PORT}: a virtual thread per connection writes back what it reads. */
final class EchoServer implements AutoCloseable {
    private final ServerSocket server;

    private EchoServer(ServerSocket server) {
        this.server = server;
    }

    static EchoServer fromArguments(String[] args, PrintStream out) throws UsageException, IOException {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--bind"))) {
            throw new UsageException("echo-server takes a port, and optionally --bind ADDRESS");
        }
        int port = HostPort.port(args[0], 0);
        InetAddress bind = args.length == 3 ? InetAddress.getByName(args[2]) : null;
        EchoServer echo = start(port, bind);
        out.println("echo-server: listening on " + echo.server.getLocalSocketAddress());
        return echo;
    }

    /** Listens on {@code port} (0: any free port) of {@code bind} (null: every address). */
    static EchoServer start(int port, InetAddress bind) throws IOException {
        return new EchoServer(ReseauServerSocketFactory.getDefault().createServerSocket(port, 50, bind));
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
