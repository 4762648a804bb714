package io.reseau.internal.ffi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketAddressesTest {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment storage = arena.allocate(SocketAddresses.SOCKADDR_STORAGE);

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void layoutsHaveTheKernelSizes() {
        assertThat(SocketAddresses.SOCKADDR_IN.byteSize()).isEqualTo(16);
        assertThat(SocketAddresses.SOCKADDR_IN6.byteSize()).isEqualTo(28);
        assertThat(SocketAddresses.SOCKADDR_UN.byteSize()).isEqualTo(110);
        assertThat(SocketAddresses.SOCKADDR_STORAGE.byteSize()).isEqualTo(128);
        assertThat(Epoll.EVENT.byteSize()).isIn(12L, 16L);
    }

    @Test
    void anIpv4AddressReadAgainIsTheSameObjectWithItsOwnPort() throws Exception {
        InetAddress server = InetAddress.getByName("192.168.7.9");
        int len = SocketAddresses.write(new InetSocketAddress(server, 8080), SocketCalls.AF_INET, storage);
        InetSocketAddress first = (InetSocketAddress) SocketAddresses.read(storage, len);
        SocketAddresses.write(new InetSocketAddress(server, 9090), SocketCalls.AF_INET, storage);
        InetSocketAddress second = (InetSocketAddress) SocketAddresses.read(storage, len);
        assertThat(first.getAddress()).isEqualTo(server).isSameAs(second.getAddress());
        assertThat(first.getPort()).isEqualTo(8080);
        assertThat(second.getPort()).isEqualTo(9090);
        // Every other address still reads as itself, whatever the cache holds.
        for (int i = 0; i < 1000; i++) {
            InetAddress other = InetAddress.getByAddress(new byte[] {10, (byte) (i >> 8), (byte) i, (byte) (i * 7)});
            SocketAddresses.write(new InetSocketAddress(other, i + 1), SocketCalls.AF_INET, storage);
            assertThat(SocketAddresses.read(storage, len)).isEqualTo(new InetSocketAddress(other, i + 1));
        }
    }

    @Test
    void ipv4IsWrittenInNetworkByteOrder() throws Exception {
        int len = SocketAddresses.write(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 0x1234),
                SocketCalls.AF_INET, storage);
        assertThat(len).isEqualTo(16);
        assertThat(storage.asSlice(0, 8).toArray(JAVA_BYTE))
                .containsExactly(2, 0, 0x12, 0x34, 10, 1, 2, 3); // family is host order (little-endian)
        assertThat(SocketAddresses.read(storage, len))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 0x1234));
    }

    @Test
    void ipv6KeepsItsScope() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
        int len = SocketAddresses.write(new InetSocketAddress(scoped, 443), SocketCalls.AF_INET6, storage);
        assertThat(len).isEqualTo(28);
        InetSocketAddress read = (InetSocketAddress) SocketAddresses.read(storage, len);
        assertThat(read.getPort()).isEqualTo(443);
        assertThat(((Inet6Address) read.getAddress()).getScopeId()).isEqualTo(3);
    }

    @Test
    void ipv4WrittenForAnIpv6SocketIsMappedAndReadsBackAsIpv4() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80);
        int len = SocketAddresses.write(v4, SocketCalls.AF_INET6, storage);
        assertThat(storage.asSlice(8, 16).toArray(JAVA_BYTE))
                .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1);
        assertThat(SocketAddresses.read(storage, len)).isEqualTo(v4);
    }

    @Test
    void unixPathsRoundTripAndAnUnnamedSocketReadsAsEmpty() {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of("/tmp/reseau.sock");
        int len = SocketAddresses.write(path, SocketCalls.AF_UNIX, storage);
        assertThat(len).isEqualTo(2 + "/tmp/reseau.sock".length() + 1);
        assertThat(SocketAddresses.read(storage, len)).isEqualTo(path);
        assertThat(((UnixDomainSocketAddress) SocketAddresses.read(storage, 2)).getPath().toString()).isEmpty();
    }

    @Test
    void badAddressesAreRejectedWithAClearMessage() throws Exception {
        assertThatThrownBy(() -> SocketAddresses.write(InetSocketAddress.createUnresolved("example.com", 80),
                SocketCalls.AF_INET, storage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unresolved").hasMessageContaining("example.com");
        assertThatThrownBy(() -> SocketAddresses.write(new InetSocketAddress(InetAddress.getByName("::1"), 80),
                SocketCalls.AF_INET, storage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> SocketAddresses.write(UnixDomainSocketAddress.of("/" + "x".repeat(120)),
                SocketCalls.AF_UNIX, storage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unix socket path");
        assertThatThrownBy(() -> SocketAddresses.write(UnixDomainSocketAddress.of("/tmp/a"),
                SocketCalls.AF_INET, storage)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketAddresses.write(UnixDomainSocketAddress.of("/tmp/a"),
                SocketCalls.AF_UNIX, arena.allocate(16))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void familyFollowsTheAddress() throws Exception {
        assertThat(SocketAddresses.familyOf(new InetSocketAddress(InetAddress.getByName("1.2.3.4"), 1)))
                .isEqualTo(SocketCalls.AF_INET);
        assertThat(SocketAddresses.familyOf(new InetSocketAddress(InetAddress.getByName("::2"), 1)))
                .isEqualTo(SocketCalls.AF_INET6);
        assertThat(SocketAddresses.familyOf(UnixDomainSocketAddress.of("/x"))).isEqualTo(SocketCalls.AF_UNIX);
    }
}
