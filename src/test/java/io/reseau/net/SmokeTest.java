package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SmokeTest {
    @Test
    void echoOnVirtualThreads() throws Exception {
        try (ServerSocket server = ReseauServerSocketFactory.getDefault().createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Socket peer = server.accept()) {
                    InputStream in = peer.getInputStream();
                    OutputStream out = peer.getOutputStream();
                    byte[] buffer = new byte[8192];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        out.write(buffer, 0, n);
                    }
                    served.complete(null);
                } catch (Throwable t) {
                    served.completeExceptionally(t);
                }
            });
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Socket client = ReseauSocketFactory.getDefault().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    byte[] message = new byte[100_000];
                    for (int i = 0; i < message.length; i++) {
                        message[i] = (byte) i;
                    }
                    client.getOutputStream().write(message);
                    client.shutdownOutput();
                    echoed.complete(client.getInputStream().readAllBytes());
                } catch (Throwable t) {
                    echoed.completeExceptionally(t);
                }
            });
            byte[] result = echoed.get(20, TimeUnit.SECONDS);
            assertThat(result).hasSize(100_000);
            for (int i = 0; i < result.length; i++) {
                if (result[i] != (byte) i) {
                    throw new AssertionError("byte " + i);
                }
            }
            served.get(10, TimeUnit.SECONDS);
        }
    }
}
