package io.reseau.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The kernel's TCP sockets, IPv4 and IPv6, as /proc/net/tcp and tcp6 list them: what a test can
 * see of a connection's progress that no socket call tells (a SYN sent and unanswered, a FIN
 * received and not yet read).
 */
public final class TcpTable {
    private TcpTable() {}

    /** The kernel's TCP states, numbered as in include/net/tcp_states.h. */
    public enum State {
        SYN_SENT(0x02), CLOSE_WAIT(0x08), LISTEN(0x0A);

        private final int code;

        State(int code) {
            this.code = code;
        }
    }

    /** One socket: its ports, its state's number, and its inode (the target of a {@code socket:[inode]} descriptor). */
    public record Entry(int localPort, int remotePort, int state, String inode) {
        public boolean is(State wanted) {
            return state == wanted.code;
        }
    }

    public static List<Entry> entries() {
        return Stream.of("/proc/net/tcp", "/proc/net/tcp6").flatMap(TcpTable::read).toList();
    }

    /** Whether the connection from {@code localPort} to {@code remotePort} is in {@code state}. */
    public static boolean has(State state, int localPort, int remotePort) {
        return entries().stream().anyMatch(e -> e.is(state) && e.localPort() == localPort && e.remotePort() == remotePort);
    }

    /** How many sockets in {@code state} have {@code remotePort} at the other end. */
    public static long count(State state, int remotePort) {
        return entries().stream().filter(e -> e.is(state) && e.remotePort() == remotePort).count();
    }

    private static Stream<Entry> read(String table) {
        try (Stream<String> lines = Files.lines(Path.of(table))) {
            // "sl local_address rem_address st ... inode": addresses are HEX_IP:HEX_PORT
            return lines.skip(1).map(line -> line.strip().split("\\s+"))
                    .map(f -> new Entry(port(f[1]), port(f[2]), Integer.parseInt(f[3], 16), f[9])).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
