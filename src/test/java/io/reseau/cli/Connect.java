package io.reseau.cli;

import io.reseau.net.ReseauSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * {@code reseau connect HOST:PORT}: standard input goes to the socket (its end shuts the socket's
 * output down, as {@code nc -N} does) and the socket's bytes go to standard output, until the
 * peer ends its stream. With {@code --tls} the connection is Reseau's TLS (its end sends
 * close_notify), and what the handshake agreed goes to standard error first, with the
 * connection's addresses: standard output carries the peer's bytes alone.
 */
final class Connect {
    private final HostPort target;
    private final TlsClientOptions tls; // null: plain TCP

    private Connect(HostPort target, TlsClientOptions tls) {
        this.target = target;
        this.tls = tls;
    }

    static Connect fromArguments(String[] args) throws UsageException {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new UsageException("connect takes HOST:PORT");
        }
        HostPort target = HostPort.parse(args[0]);
        boolean tls = false;
        boolean insecure = false;
        List<String> alpn = List.of();
        String serverName = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--tls" -> tls = true;
                case "--insecure" -> insecure = true;
                case "--alpn" -> {
                    UsageException.requireValues(args, i, 1, "--alpn takes protocols separated by commas (h2,http/1.1)");
                    alpn = List.of(args[++i].split(","));
                    if (alpn.contains("")) {
                        throw new UsageException("--alpn: an empty protocol name in '" + args[i] + "'");
                    }
                }
                case "--servername" -> {
                    UsageException.requireValues(args, i, 1, "--servername takes a host name");
                    serverName = TlsClientOptions.serverName(args[++i]);
                }
                default -> throw new UsageException("connect: unknown argument '" + args[i] + "'");
            }
        }
        if (!tls && (insecure || !alpn.isEmpty() || serverName != null)) {
            throw new UsageException("--alpn, --servername and --insecure go with --tls");
        }
        return new Connect(target, tls ? new TlsClientOptions(alpn, serverName, insecure) : null);
    }

    void copy(InputStream in, PrintStream out, PrintStream err) throws Exception {
        Socket connected;
        try {
            connected = tls == null
                    ? ReseauSocketFactory.getDefault().createSocket(target.host(), target.port())
                    : tls.connect(target);
        } catch (IOException e) {
            throw new IOException("connect to " + target.host() + ":" + target.port() + ": " + Main.describe(e), e);
        }
        try (Socket socket = connected) {
            err.println("connected to " + socket.getRemoteSocketAddress() + " from " + socket.getLocalSocketAddress());
            if (socket instanceof SSLSocket secured) {
                TlsClientOptions.printNegotiated(secured, err);
            }
            // Standard input may never end (a terminal): it is read on a daemon thread that the
            // end of the peer's stream leaves behind. Once the peer has ended, a failed send is
            // expected; a reset shows on the read side.
            Thread.ofPlatform().daemon().name("connect-stdin").start(() -> {
                try {
                    in.transferTo(socket.getOutputStream());
                    socket.shutdownOutput();
                } catch (IOException e) {
                    // the connection is gone: the read side reports how
                }
            });
            transfer(socket.getInputStream(), out);
        }
    }

    private static void transfer(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = from.read(buffer)) > 0) {
            to.write(buffer, 0, n);
            to.flush();
        }
    }
}
