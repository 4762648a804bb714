package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.tls.TlsConnectionOptions;
import io.reseau.tls.TlsContext;
import io.reseau.tls.TlsContextOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TCP urgent data ({@code sendUrgentData}) and SO_OOBINLINE, on the JDK's sockets and on Reseau's
 * alike: the byte goes out behind what was written before it, and the receiver's kernel keeps it
 * in the stream only with SO_OOBINLINE.
 */
@Timeout(30)
class OutOfBandTest {
    private static Peers.Pair connect(String implementation) throws Exception {
        boolean reseau = implementation.equals("Reseau");
        ServerSocketFactory servers = reseau ? ReseauServerSocketFactory.getDefault() : ServerSocketFactory.getDefault();
        SocketFactory sockets = reseau ? ReseauSocketFactory.getDefault() : SocketFactory.getDefault();
        return Peers.connect(servers.createServerSocket(0, 1, InetAddress.getLoopbackAddress()), sockets.createSocket());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void urgentBytesStayInTheStreamWhereTheyWereSentOnlyWithOobInline(String implementation) throws Exception {
        try (Peers.Pair connection = connect(implementation)) {
            Socket sender = connection.client();
            Socket receiver = connection.server();
            assertThat(sender.getOOBInline()).isFalse();
            OutputStream out = sender.getOutputStream();
            InputStream in = receiver.getInputStream();

            out.write("ab".getBytes(StandardCharsets.US_ASCII));
            sender.sendUrgentData('U');
            out.write("cd".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("abcd");

            receiver.setOOBInline(true);
            assertThat(receiver.getOOBInline()).isTrue();
            out.write('x');
            sender.sendUrgentData(0x155); // the low eight bits
            out.write('y');
            assertThat(in.readNBytes(3)).containsExactly('x', 0x55, 'y');

            // In both directions, and on either thread kind.
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    receiver.sendUrgentData('V');
                    sent.complete(null);
                } catch (Throwable t) {
                    sent.completeExceptionally(t);
                }
            });
            sent.get(10, TimeUnit.SECONDS);
            sender.setOOBInline(true);
            assertThat(sender.getInputStream().read()).isEqualTo('V');
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "Reseau"})
    void withoutOobInlineALoneUrgentByteLeavesNothingToRead(String implementation) throws Exception {
        try (Peers.Pair connection = connect(implementation)) {
            Socket receiver = connection.server();
            receiver.setOOBInline(true);
            receiver.setOOBInline(false);
            assertThat(receiver.getOOBInline()).isFalse();
            receiver.setSoTimeout(300);
            connection.client().sendUrgentData('X');
            assertThatThrownBy(() -> receiver.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            connection.client().getOutputStream().write('z');
            assertThat(receiver.getInputStream().read()).isEqualTo('z');
        }
    }

    /** Between TLS records an urgent byte would break the stream: refused once TLS is started, as JSSE refuses it. */
    @Test
    void aSocketUpgradedToTlsRefusesUrgentData() throws Exception {
        try (ServerSocket server = Peers.jdkListener(); ReseauSocket client = new ReseauSocket();
                TlsContext context = TlsContext.create(TlsContextOptions.client())) {
            client.connect(server.getLocalSocketAddress(), 5000);
            try (Socket peer = server.accept()) {
                client.sendUrgentData('A'); // plain still
                client.startTls(TlsConnectionOptions.of(context).withServerName("localhost"));
                assertThatThrownBy(() -> client.sendUrgentData('B'))
                        .isInstanceOf(SocketException.class).hasMessage("Urgent data not supported over TLS");
            }
        }
    }
}
