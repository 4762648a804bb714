package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.reseau.net.ssl.EngineLoop.Stack;
import io.reseau.testing.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP/2 agreed through ALPN: the JDK's {@code HttpClient} on Reseau's engines against a Netty
 * HTTP/2 server whose {@link SslHandler} runs Reseau's engine or JSSE's. Several requests share the
 * one connection, each a stream of its own.
 */
@Timeout(60)
class Http2OverEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path directory;
    private static TestPki pki;
    private static EventLoopGroup loops;

    @BeforeAll
    static void start() {
        pki = TestPki.generate(directory);
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0} server")
    @EnumSource(Stack.class)
    void theJdkHttpClientOnReseauSpeaksHttp2WhenAlpnAgreesOnIt(Stack serverStack) throws Exception {
        Channel server = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SSLEngine engine = EngineLoop.serverContext(pki, serverStack).createSSLEngine();
                        engine.setUseClientMode(false);
                        SSLParameters parameters = engine.getSSLParameters();
                        parameters.setApplicationProtocols(new String[] {"h2"});
                        engine.setSSLParameters(parameters);
                        channel.pipeline().addLast(new SslHandler(engine), Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel stream) {
                                        stream.pipeline().addLast(new Answer());
                                    }
                                }));
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        try (HttpClient client = HttpClient.newBuilder().sslContext(EngineLoop.clientContext(pki, Stack.RESEAU))
                .version(HttpClient.Version.HTTP_2).connectTimeout(WAIT).build()) {
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/" + i))
                        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("stream for /" + i);
                assertThat(response.sslSession()).get().satisfies(session -> assertThat(session.getProtocol()).isEqualTo("TLSv1.3"));
            }
        } finally {
            server.close().sync();
        }
    }

    /** Answers a request's headers with a 200 and a body naming its path, then ends the stream. */
    private static final class Answer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            try {
                if (message instanceof Http2HeadersFrame headers && headers.isEndStream()) {
                    answer(context, headers.headers().path().toString());
                } else if (message instanceof Http2DataFrame data && data.isEndStream()) {
                    answer(context, "?");
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        private static void answer(ChannelHandlerContext context, String path) {
            context.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
            ByteBuf body = Unpooled.copiedBuffer("stream for " + path, StandardCharsets.UTF_8);
            context.writeAndFlush(new DefaultHttp2DataFrame(body, true));
        }
    }
}
