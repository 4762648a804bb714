package io.reseau.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.Libc;
import io.reseau.internal.ffi.NativePipe;
import io.reseau.internal.ffi.SocketAddresses;
import io.reseau.internal.ffi.SocketCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** errno values produced by real system calls, mapped the way aws-c-io maps them. */
class ErrnoMapTest {

    @Test
    void emptyNonBlockingReadWouldBlock() {
        try (NativePipe pipe = new NativePipe(); Arena arena = Arena.ofConfined()) {
            long rc = Libc.read(pipe.readFd, arena.allocate(8), 8);
            assertThat(IoError.fromErrno((int) -rc)).isEqualTo(IoError.READ_WOULD_BLOCK);
        }
    }

    @Test
    void secondBindOfAPortIsAddressInUse() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SocketAddresses.SOCKADDR_STORAGE);
            int first = SocketCalls.socket(SocketCalls.AF_INET, SocketCalls.SOCK_STREAM, 0);
            int second = SocketCalls.socket(SocketCalls.AF_INET, SocketCalls.SOCK_STREAM, 0);
            try {
                int len = SocketAddresses.write(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        SocketCalls.AF_INET, address);
                assertThat(SocketCalls.bind(first, address, len)).isZero();
                assertThat(SocketCalls.listen(first, 1)).isZero();
                MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, (int) address.byteSize());
                SocketCalls.getsockname(first, address, length);
                int rc = SocketCalls.bind(second, address, length.get(ValueLayout.JAVA_INT, 0));
                assertThat(IoError.fromErrno(-rc)).isEqualTo(IoError.SOCKET_ADDRESS_IN_USE);
            } finally {
                Libc.close(first);
                Libc.close(second);
            }
        }
    }

    @Test
    void blockingConnectToAClosedPortIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SocketAddresses.SOCKADDR_STORAGE);
            int probe = SocketCalls.socket(SocketCalls.AF_INET, SocketCalls.SOCK_STREAM, 0);
            int len = SocketAddresses.write(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    SocketCalls.AF_INET, address);
            SocketCalls.bind(probe, address, len);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, (int) address.byteSize());
            SocketCalls.getsockname(probe, address, length);
            Libc.close(probe); // the port is now closed
            int client = SocketCalls.socket(SocketCalls.AF_INET, SocketCalls.SOCK_STREAM, 0);
            try {
                int rc = SocketCalls.connect(client, address, length.get(ValueLayout.JAVA_INT, 0));
                assertThat(IoError.fromErrno(-rc)).isEqualTo(IoError.SOCKET_CONNECTION_REFUSED);
            } finally {
                Libc.close(client);
            }
        }
    }

    @Test
    void unsupportedFamilyAndTooManyFilesMapAsAwsCIo() {
        int rc = SocketCalls.socket(12345, SocketCalls.SOCK_STREAM, 0);
        assertThat(IoError.fromErrno(-rc)).isEqualTo(IoError.SOCKET_UNSUPPORTED_ADDRESS_FAMILY);
        assertThat(IoError.fromErrno(Errno.EMFILE)).isEqualTo(IoError.MAX_FDS_EXCEEDED);
        assertThat(IoError.fromErrno(Errno.ENFILE)).isEqualTo(IoError.MAX_FDS_EXCEEDED);
    }

    @Test
    void theRestOfTheTable() {
        assertThat(IoError.fromErrno(Errno.ECONNRESET)).isEqualTo(IoError.SOCKET_CLOSED);
        assertThat(IoError.fromErrno(Errno.EPIPE)).isEqualTo(IoError.SOCKET_CLOSED);
        assertThat(IoError.fromErrno(Errno.ETIMEDOUT)).isEqualTo(IoError.SOCKET_TIMEOUT);
        assertThat(IoError.fromErrno(Errno.EHOSTUNREACH)).isEqualTo(IoError.SOCKET_NO_ROUTE_TO_HOST);
        assertThat(IoError.fromErrno(Errno.ENETUNREACH)).isEqualTo(IoError.SOCKET_NO_ROUTE_TO_HOST);
        assertThat(IoError.fromErrno(Errno.EADDRNOTAVAIL)).isEqualTo(IoError.SOCKET_INVALID_ADDRESS);
        assertThat(IoError.fromErrno(Errno.ENETDOWN)).isEqualTo(IoError.SOCKET_NETWORK_DOWN);
        assertThat(IoError.fromErrno(Errno.ECONNABORTED)).isEqualTo(IoError.SOCKET_CONNECT_ABORTED);
        assertThat(IoError.fromErrno(Errno.ENOBUFS)).isEqualTo(IoError.OOM);
        assertThat(IoError.fromErrno(Errno.ENOMEM)).isEqualTo(IoError.OOM);
        assertThat(IoError.fromErrno(Errno.ENOENT)).isEqualTo(IoError.FILE_INVALID_PATH);
        assertThat(IoError.fromErrno(Errno.EINVAL)).isEqualTo(IoError.FILE_INVALID_PATH);
        assertThat(IoError.fromErrno(Errno.EACCES)).isEqualTo(IoError.NO_PERMISSION);
        assertThat(IoError.fromErrno(Errno.EBADF)).as("unlisted").isEqualTo(IoError.SOCKET_NOT_CONNECTED);
    }

    @Test
    void exceptionNamesTheCallTheErrnoAndTheError() {
        IoErrorException e = IoErrorException.fromErrno("connect", Errno.ECONNREFUSED);
        assertThat(e.error()).isEqualTo(IoError.SOCKET_CONNECTION_REFUSED);
        assertThat(e).hasMessageContaining("connect").hasMessageContaining("ECONNREFUSED")
                .hasMessageContaining("AWS_IO_SOCKET_CONNECTION_REFUSED");
    }
}
