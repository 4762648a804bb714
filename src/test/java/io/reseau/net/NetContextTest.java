package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.dns.CachingHostResolver;
import io.reseau.dns.RecordType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The process-wide loops and resolver that blocking sockets run on. */
class NetContextTest {

    @Test
    void blockingSocketsHaveALoopPerProcessor() {
        // Their TLS is encrypted on the loops: fewer loops than processors would cap it.
        assertThat(NetContext.defaults().group().loopCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void blockingSocketsResolveThroughTheDefaultCachingResolver() throws Exception {
        assertThat(NetContext.defaults().resolver()).isSameAs(CachingHostResolver.getDefault());
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Socket socket = ReseauSocketFactory.getDefault().createSocket("localhost", server.getLocalPort())) {
            assertThat(socket.isConnected()).isTrue();
            assertThat(CachingHostResolver.getDefault().addressCount("localhost", RecordType.A)).isPositive();
        }
    }
}
