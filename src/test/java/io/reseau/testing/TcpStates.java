package io.reseau.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The kernel's view of this host's TCP connections, from /proc/net/tcp and tcp6. */
public final class TcpStates {
    /** {@code st} of a connection whose peer's FIN has arrived (after all its bytes). */
    private static final int CLOSE_WAIT = 0x08;

    private TcpStates() {}

    /**
     * Waits until the connection from local port {@code localPort} to remote port {@code remotePort}
     * has received its peer's FIN: everything the peer sent before it is in this side's receive
     * queue, unread or read.
     *
     * @throws IllegalStateException if that does not happen within {@code timeoutMillis}
     */
    public static void awaitPeerFinished(int localPort, int remotePort, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (state(localPort, remotePort) != CLOSE_WAIT) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no FIN from port " + remotePort + " reached port " + localPort
                        + " within " + timeoutMillis + " ms");
            }
            try {
                Thread.sleep(1); // polling the kernel's table: it announces nothing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a FIN", e);
            }
        }
    }

    /** The state of the connection between the two ports, -1 if there is none. */
    static int state(int localPort, int remotePort) {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st ... with addresses as HEXADDR:HEXPORT
                String[] fields = line.trim().split("\\s+");
                if (port(fields[1]) == localPort && port(fields[2]) == remotePort) {
                    return Integer.parseInt(fields[3], 16);
                }
            }
        }
        return -1;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
