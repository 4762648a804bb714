package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.testing.Polling;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket bindings against the kernel's loopback: real descriptors, real errno values. */
class SocketCallsTest {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment address = arena.allocate(SocketAddresses.SOCKADDR_STORAGE);
    private final MemorySegment length = arena.allocate(JAVA_INT);
    private final java.util.List<Integer> open = new java.util.ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(Libc::close);
        arena.close();
    }

    @Test
    void tcpLoopbackRoundTripOverIpv4() {
        exchangeOver(SocketCalls.AF_INET, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @Test
    void tcpLoopbackRoundTripOverIpv6() throws Exception {
        exchangeOver(SocketCalls.AF_INET6, new InetSocketAddress(InetAddress.getByName("::1"), 0));
    }

    @Test
    void unixDomainRoundTrip(@TempDir Path dir) {
        exchangeOver(SocketCalls.AF_UNIX, UnixDomainSocketAddress.of(dir.resolve("s.sock")));
    }

    @Test
    void connectToAClosedPortIsRefused() {
        int port = boundEphemeralPortThenClosed();
        int client = socket(SocketCalls.AF_INET);
        int len = SocketAddresses.write(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                SocketCalls.AF_INET, address);
        int rc = SocketCalls.connect(client, address, len);
        if (rc == -Errno.EINPROGRESS) {
            awaitConnectResult(client);
            assertThat(SocketCalls.getIntOption(client, SocketCalls.SOL_SOCKET, SocketCalls.SO_ERROR))
                    .isEqualTo(Errno.ECONNREFUSED);
        } else {
            assertThat(rc).isEqualTo(-Errno.ECONNREFUSED);
        }
    }

    @Test
    void bindingAPortTwiceReportsAddressInUse() {
        int first = socket(SocketCalls.AF_INET);
        bindLoopback(first, 0);
        listen(first);
        int port = ((InetSocketAddress) localAddress(first)).getPort();
        int second = socket(SocketCalls.AF_INET);
        int len = SocketAddresses.write(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                SocketCalls.AF_INET, address);
        assertThat(SocketCalls.bind(second, address, len)).isEqualTo(-Errno.EADDRINUSE);
    }

    @Test
    void sendToAPeerThatClosedFailsWithEpipeInsteadOfKillingTheProcess() throws Exception {
        int[] pair = connectedPair();
        Libc.close(pair[1]);
        open.remove(Integer.valueOf(pair[1]));
        MemorySegment data = arena.allocate(1024);
        // The first send may still succeed (the RST comes back after it); SIGPIPE would end the JVM.
        long result = Polling.until(() -> SocketCalls.send(pair[0], data, data.byteSize(), SocketCalls.MSG_NOSIGNAL), n -> n < 0);
        assertThat(result).isIn((long) -Errno.EPIPE, (long) -Errno.ECONNRESET);
    }

    @Test
    void shutdownWriteGivesThePeerEndOfStream() throws Exception {
        int[] pair = connectedPair();
        assertThat(SocketCalls.shutdown(pair[0], SocketCalls.SHUT_WR)).isZero();
        MemorySegment buffer = arena.allocate(16);
        long n;
        do {
            n = SocketCalls.recv(pair[1], buffer, 16, 0);
            Thread.onSpinWait();
        } while (n == -Errno.EAGAIN);
        assertThat(n).as("EOF").isZero();
    }

    @Test
    void intOptionsRoundTrip() {
        int fd = socket(SocketCalls.AF_INET);
        assertThat(SocketCalls.setIntOption(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_NODELAY, 1)).isZero();
        assertThat(SocketCalls.getIntOption(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_NODELAY)).isEqualTo(1);
        assertThat(SocketCalls.setIntOption(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPIDLE, 42)).isZero();
        assertThat(SocketCalls.getIntOption(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_KEEPIDLE)).isEqualTo(42);
        assertThat(SocketCalls.getIntOption(fd, SocketCalls.SOL_SOCKET, 9999)).isEqualTo(-Errno.ENOPROTOOPT);
    }

    @Test
    void acceptOnAnIdleListenerWouldBlock() {
        int listener = socket(SocketCalls.AF_INET);
        bindLoopback(listener, 0);
        listen(listener);
        assertThat(SocketCalls.accept4(listener, MemorySegment.NULL, MemorySegment.NULL, 0))
                .isEqualTo(-Errno.EAGAIN);
    }

    @Test
    void socketAddressesRoundTripThroughTheKernel() throws Exception {
        int v6 = socket(SocketCalls.AF_INET6);
        int len = SocketAddresses.write(new InetSocketAddress(InetAddress.getByName("::1"), 0), SocketCalls.AF_INET6, address);
        assertThat(SocketCalls.bind(v6, address, len)).isZero();
        InetSocketAddress bound = (InetSocketAddress) localAddress(v6);
        assertThat(bound.getAddress()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(bound.getPort()).isPositive();
    }

    private void exchangeOver(int family, SocketAddress bindAddress) {
        int listener = socket(family);
        int len = SocketAddresses.write(bindAddress, family, address);
        assertThat(SocketCalls.bind(listener, address, len)).isZero();
        listen(listener);
        SocketAddress listening = localAddress(listener);
        if (listening instanceof InetSocketAddress inet) {
            assertThat(inet.getPort()).as("port 0 binds an ephemeral port").isPositive();
        }

        int client = socket(family);
        len = SocketAddresses.write(listening, family, address);
        int rc = SocketCalls.connect(client, address, len);
        assertThat(rc).isIn(0, -Errno.EINPROGRESS);
        int server = acceptBlocking(listener);
        awaitConnectResult(client);
        assertThat(SocketCalls.getIntOption(client, SocketCalls.SOL_SOCKET, SocketCalls.SO_ERROR)).isZero();
        if (family != SocketCalls.AF_UNIX) {
            assertThat(peerAddress(client)).isEqualTo(listening);
            assertThat(peerAddress(server)).isEqualTo(localAddress(client));
        }

        MemorySegment out = arena.allocateFrom("ping", StandardCharsets.US_ASCII);
        assertThat(SocketCalls.send(client, out, 4, SocketCalls.MSG_NOSIGNAL)).isEqualTo(4);
        MemorySegment in = arena.allocate(16);
        long n;
        do {
            n = SocketCalls.recv(server, in, 16, 0);
        } while (n == -Errno.EAGAIN);
        assertThat(new String(in.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.US_ASCII)).isEqualTo("ping");
    }

    private int socket(int family) {
        int fd = SocketCalls.socket(family, SocketCalls.SOCK_STREAM | SocketCalls.SOCK_NONBLOCK | SocketCalls.SOCK_CLOEXEC, 0);
        assertThat(fd).as("socket()").isNotNegative();
        open.add(fd);
        return fd;
    }

    private void bindLoopback(int fd, int port) {
        int len = SocketAddresses.write(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SocketCalls.AF_INET, address);
        assertThat(SocketCalls.bind(fd, address, len)).isZero();
    }

    private void listen(int fd) {
        assertThat(SocketCalls.listen(fd, 16)).isZero();
    }

    private int boundEphemeralPortThenClosed() {
        int fd = SocketCalls.socket(SocketCalls.AF_INET, SocketCalls.SOCK_STREAM, 0);
        bindLoopback(fd, 0);
        int port = ((InetSocketAddress) localAddress(fd)).getPort();
        Libc.close(fd);
        return port;
    }

    private int[] connectedPair() {
        int listener = socket(SocketCalls.AF_INET);
        bindLoopback(listener, 0);
        listen(listener);
        int client = socket(SocketCalls.AF_INET);
        int len = SocketAddresses.write(localAddress(listener), SocketCalls.AF_INET, address);
        SocketCalls.connect(client, address, len);
        int server = acceptBlocking(listener);
        awaitConnectResult(client);
        return new int[] {client, server};
    }

    private int acceptBlocking(int listener) {
        int fd;
        do {
            length.set(JAVA_INT, 0, (int) address.byteSize());
            fd = SocketCalls.accept4(listener, address, length, SocketCalls.SOCK_NONBLOCK | SocketCalls.SOCK_CLOEXEC);
            Thread.onSpinWait();
        } while (fd == -Errno.EAGAIN);
        assertThat(fd).as("accept4").isNotNegative();
        open.add(fd);
        return fd;
    }

    // A non-blocking connect is done once the socket turns writable; poll that through epoll.
    private void awaitConnectResult(int fd) {
        int epoll = Epoll.create1(Epoll.EPOLL_CLOEXEC);
        try {
            assertThat(Epoll.ctl(epoll, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLOUT, 7)).isZero();
            MemorySegment events = arena.allocate(Epoll.EVENT, 1);
            assertThat(Epoll.wait(epoll, events, 1, 5_000)).isEqualTo(1);
            assertThat(Epoll.data(events, 0)).isEqualTo(7);
        } finally {
            Libc.close(epoll);
        }
    }

    private SocketAddress localAddress(int fd) {
        length.set(JAVA_INT, 0, (int) address.byteSize());
        assertThat(SocketCalls.getsockname(fd, address, length)).isZero();
        return SocketAddresses.read(address, length.get(JAVA_INT, 0));
    }

    private SocketAddress peerAddress(int fd) {
        length.set(JAVA_INT, 0, (int) address.byteSize());
        assertThat(SocketCalls.getpeername(fd, address, length)).isZero();
        return SocketAddresses.read(address, length.get(JAVA_INT, 0));
    }
}
