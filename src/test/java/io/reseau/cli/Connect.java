package io.reseau.cli;

import io.reseau.net.ReseauSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;

/**
 * {@code reseau connect HOST:PORT}: standard input goes to the socket (its end shuts the socket's
 * output down, as {@code nc -N} does) and the socket's bytes go to standard output, until the
 * peer ends its stream.
 */
final class Connect {
    private final HostPort target;

    private Connect(HostPort target) {
        this.target = target;
    }

    static Connect fromArguments(String[] args) throws UsageException {
        if (args.length != 1) {
            throw new UsageException("connect takes HOST:PORT");
        }
        return new Connect(HostPort.parse(args[0]));
    }

    void copy(InputStream in, PrintStream out, PrintStream err) throws Exception {
        Socket connected;
        try {
            connected = ReseauSocketFactory.getDefault().createSocket(target.host(), target.port());
        } catch (IOException e) {
            throw new IOException("connect to " + target.host() + ":" + target.port() + ": " + Main.describe(e), e);
        }
        try (Socket socket = connected) {
            err.println("connected to " + socket.getRemoteSocketAddress() + " from " + socket.getLocalSocketAddress());
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
