package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.reseau.net.ssl.EngineLoop.Stack;
import io.reseau.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Netty's {@link SslHandler} given Reseau's engines, as a Netty user plugs in a JSSE provider: its
 * handler drives the engine on Netty's event loop, wrapping many writes into a composite buffer and
 * unwrapping whatever a socket read brought, records split and joined anyhow. Both ends Reseau's,
 * and each against JSSE's engine, TLS 1.2 and 1.3.
 */
@Timeout(60)
class NettySslHandlerTest {
    private static final int ECHOED = 4 << 20;

    @TempDir
    static Path directory;
    private static TestPki pki;
    private static EventLoopGroup loops;

    @BeforeAll
    static void start() {
        pki = TestPki.generate(directory);
        loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    static Stream<Arguments> pairs() {
        return Stream.of("TLSv1.3", "TLSv1.2").flatMap(protocol -> Stream.of(
                Arguments.of(Stack.JSSE, Stack.JSSE, protocol),
                Arguments.of(Stack.RESEAU, Stack.RESEAU, protocol),
                Arguments.of(Stack.JSSE, Stack.RESEAU, protocol),
                Arguments.of(Stack.RESEAU, Stack.JSSE, protocol)));
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}")
    @MethodSource("pairs")
    void echoesThroughSslHandlersAndClosesWithCloseNotifyEachWay(Stack clientStack, Stack serverStack, String protocol)
            throws Exception {
        CompletableFuture<SslHandler> serverHandler = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SSLEngine engine = EngineLoop.serverContext(pki, serverStack).createSSLEngine();
                        engine.setUseClientMode(false);
                        engine.setSSLParameters(alpn(engine.getSSLParameters(), protocol));
                        SslHandler tls = new SslHandler(engine);
                        serverHandler.complete(tls);
                        channel.pipeline().addLast(tls, new Echo());
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        try {
            SSLEngine engine = EngineLoop.clientContext(pki, clientStack).createSSLEngine("localhost", 443);
            engine.setUseClientMode(true);
            engine.setSSLParameters(alpn(engine.getSSLParameters(), protocol));
            SslHandler clientTls = new SslHandler(engine);
            Collect collected = new Collect(ECHOED);
            Channel client = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(clientTls, collected);
                        }
                    })
                    .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.localAddress()).getPort()))
                    .sync().channel();

            assertThat(clientTls.handshakeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(clientTls.handshakeFuture().cause()).isNull();
            assertThat(engine.getSession().getProtocol()).isEqualTo(protocol);
            assertThat(engine.getApplicationProtocol()).isEqualTo("h2");

            byte[] sent = new byte[ECHOED];
            Random random = new Random(42);
            random.nextBytes(sent);
            for (int from = 0; from < sent.length; ) {
                int length = Math.min(sent.length - from, 1 + random.nextInt(100_000));
                client.write(Unpooled.wrappedBuffer(sent, from, length));
                from += length;
            }
            client.flush();
            assertThat(collected.all.get(30, TimeUnit.SECONDS)).as("the echo").isEqualTo(sent);

            SslHandler serverTls = serverHandler.get(10, TimeUnit.SECONDS);
            assertThat(serverTls.engine().getApplicationProtocol()).isEqualTo("h2");
            clientTls.closeOutbound();
            assertThat(serverTls.sslCloseFuture().await(10, TimeUnit.SECONDS)).as("the server read close_notify").isTrue();
            assertThat(serverTls.sslCloseFuture().cause()).isNull();
            assertThat(clientTls.sslCloseFuture().await(10, TimeUnit.SECONDS)).as("the client read close_notify").isTrue();
            assertThat(clientTls.sslCloseFuture().cause()).isNull();
            assertThat(client.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            server.close().sync();
        }
    }

    private static SSLParameters alpn(SSLParameters parameters, String protocol) {
        parameters.setProtocols(new String[] {protocol});
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        return parameters;
    }

    /** Writes back what it reads; closes (its close_notify, then the socket) once the client's close_notify came. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) {
            if (event instanceof SslCloseCompletionEvent) {
                context.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            context.write(message);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            context.flush();
        }
    }

    /** Keeps what arrives until {@code expected} bytes have. */
    private static final class Collect extends ChannelInboundHandlerAdapter {
        final CompletableFuture<byte[]> all = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final int expected;

        Collect(int expected) {
            this.expected = expected;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            ByteBuf bytes = (ByteBuf) message;
            try {
                bytes.readBytes(received, bytes.readableBytes());
            } catch (java.io.IOException e) {
                all.completeExceptionally(e);
            } finally {
                bytes.release();
            }
            if (received.size() >= expected) {
                all.complete(Arrays.copyOf(received.toByteArray(), received.size()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            all.completeExceptionally(cause);
        }
    }
}
