package io.reseau.net;

import io.reseau.testing.ReseauClasses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A child process for {@link DescriptorExhaustionTest}: an echo server on loopback, the JDK's
 * ({@code jdk}) or Reseau's ({@code reseau}), with one virtual thread per connection. It prints
 * {@code LISTENING <port>}, then {@code ACCEPT FAILED <exception>} at the first failed accept()
 * after one that worked (or the first of all), and goes on accepting.
 */
public final class EchoServerProcess {
    private EchoServerProcess() {}

    public static void main(String[] args) throws Exception {
        ReseauClasses.loadAll(); // its classes must not need a descriptor once there are none
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket server = switch (args[0]) {
            case "jdk" -> new ServerSocket(0, ReseauServerSocketImpl.DEFAULT_BACKLOG, loopback);
            case "reseau" -> ReseauServerSocketFactory.getDefault()
                    .createServerSocket(0, ReseauServerSocketImpl.DEFAULT_BACKLOG, loopback);
            default -> throw new IllegalArgumentException("jdk or reseau, not " + args[0]);
        };
        System.out.println("LISTENING " + server.getLocalPort());
        boolean failing = false;
        while (true) {
            Socket connection;
            try {
                connection = server.accept();
            } catch (IOException e) {
                if (!failing) {
                    System.out.println("ACCEPT FAILED " + e);
                }
                failing = true;
                // A server's back-off, nothing a test waits on: the JDK's accept fails at once for
                // as long as descriptors are short.
                Thread.sleep(10);
                continue;
            }
            failing = false;
            Thread.ofVirtual().start(() -> echo(connection));
        }
    }

    private static void echo(Socket connection) {
        try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the client is gone
        }
    }
}
