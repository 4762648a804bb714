package io.reseau.bench.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.reseau.cli.bench.CountingTrustManager;
import io.reseau.cli.bench.Results;
import io.reseau.cli.bench.Stack;
import io.reseau.cli.bench.TlsStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Netty as its users write it: one event loop group for both ends, pipelines of handlers, pooled
 * buffers. The work per scenario and its checks are {@link io.reseau.cli.bench.BlockingStack}'s, so
 * the figures compare. Given {@link Tls} contexts, every connection starts with an {@link SslHandler}
 * at both ends, and the same scenarios run over TLS (scenario D, through {@link NettyTlsStack}).
 */
public final class NettyStack implements Stack {
    private static final long PATIENCE_MINUTES = 10;

    private final String name;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> channel;
    private final Tls tls;

    /**
     * Both ends' TLS contexts, and the client's trust manager, which counts full handshakes.
     * The client's handlers are made without the server's host and port, so Netty keeps no client
     * session cache for them: nothing to resume. D5's clients are made apart ({@code newClient}),
     * one per client, each with its own cache.
     */
    record Tls(SslContext server, SslContext client, ClientContexts newClient, CountingTrustManager trust) {}

    /** Makes a client context as {@link Tls#client()} is made. */
    @FunctionalInterface
    interface ClientContexts {
        SslContext create() throws SSLException;
    }

    private NettyStack(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel,
            Class<? extends Channel> channel, Tls tls) {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), ioHandlers);
        this.serverChannel = serverChannel;
        this.channel = channel;
        this.tls = tls;
    }

    public static NettyStack epoll() {
        return epoll("netty-epoll", null);
    }

    /** The epoll transport, with TLS when {@code tls} is given. */
    static NettyStack epoll(String name, Tls tls) {
        return new NettyStack(name, EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class, tls);
    }

    public static NettyStack ioUring() {
        return new NettyStack("netty-io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                IoUringSocketChannel.class, null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Results.RoundTrips requestResponse(Duration warmup, Duration measure, int size) throws Exception {
        try (Loopback loopback = new Loopback()) {
            Channel server = loopback.listen(1, NettyStack::echo);
            Pinger pinger = new Pinger(size);
            await(loopback.connect(server, pinger::install), "connecting");
            Latencies latencies = new Latencies(warmup, measure);
            pinger.start(latencies);
            pinger.done.get(PATIENCE_MINUTES, TimeUnit.MINUTES);
            return latencies.results();
        }
    }

    @Override
    public Results.Bulk bulk(long total, int writeSize) throws Exception {
        try (Loopback loopback = new Loopback()) {
            CompletableFuture<Long> received = new CompletableFuture<>();
            Channel server = loopback.listen(1, peer -> {
                // The end of stream must reach the counter as an event, not as the channel closing.
                peer.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                peer.pipeline().addLast(new Counter(received));
            });
            Writer writer = new Writer(total, writeSize, received);
            Channel client = await(loopback.connect(server, ch -> ch.pipeline().addLast(writer)), "connecting").channel();
            if (tls != null) {
                await(client.pipeline().get(SslHandler.class).handshakeFuture(), "the TLS handshake"); // before the clock
            }
            long start = System.nanoTime();
            writer.start();
            long count = received.get(PATIENCE_MINUTES, TimeUnit.MINUTES);
            return Results.bulk(total, count, System.nanoTime() - start);
        }
    }

    @Override
    public Results.Concurrency concurrency(int connections, int roundTrips, int size) throws Exception {
        try (Loopback loopback = new Loopback()) {
            Channel server = loopback.listen(connections, NettyStack::echo);
            List<Pinger> pingers = new ArrayList<>(connections);
            List<ChannelFuture> connects = new ArrayList<>(connections);
            for (int i = 0; i < connections; i++) {
                Pinger pinger = new Pinger(size);
                pingers.add(pinger);
                connects.add(loopback.connect(server, pinger::install));
            }
            for (ChannelFuture connect : connects) {
                await(connect, "connecting");
            }
            AtomicLong completed = new AtomicLong();
            Rounds counted = (count, sentAt, now) -> {
                completed.incrementAndGet();
                return count < roundTrips;
            };
            long start = System.nanoTime();
            for (Pinger pinger : pingers) {
                pinger.start(counted);
            }
            CompletableFuture.allOf(pingers.stream().map(p -> p.done).toArray(CompletableFuture[]::new))
                    .get(PATIENCE_MINUTES, TimeUnit.MINUTES);
            return Results.concurrency((long) connections * roundTrips, completed.get(), System.nanoTime() - start);
        }
    }

    @Override
    public AutoCloseable openIdle(int count) throws Exception {
        Loopback loopback = new Loopback();
        try {
            CountDownLatch accepted = new CountDownLatch(count);
            Channel server = loopback.listen(count, peer -> {
                if (tls == null) {
                    accepted.countDown();
                } else {
                    // Accepted once the server's side of the handshake is done too.
                    peer.pipeline().get(SslHandler.class).handshakeFuture().addListener(handshake -> {
                        if (handshake.isSuccess()) {
                            accepted.countDown();
                        }
                    });
                }
            });
            long checksBefore = tls == null ? 0 : tls.trust().serverChecks();
            List<ChannelFuture> connects = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                connects.add(loopback.connect(server, client -> {}));
            }
            for (ChannelFuture connect : connects) {
                Channel client = await(connect, "connecting").channel();
                if (tls != null) {
                    await(client.pipeline().get(SslHandler.class).handshakeFuture(), "the TLS handshake");
                }
            }
            if (!accepted.await(PATIENCE_MINUTES, TimeUnit.MINUTES)) {
                throw new IOException("accepted " + (count - accepted.getCount()) + " of " + count + " connections");
            }
            if (tls != null) {
                Results.requireFullHandshakes(count, tls.trust().serverChecks() - checksBefore);
            }
            return loopback;
        } catch (Exception e) {
            try {
                loopback.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * D1 and D5, for {@link NettyTlsStack}: {@code clients} lanes at once, each connecting,
     * completing a handshake, proving the connection with one {@code size}-byte echo, closing, and
     * again, until the end. It all runs on the event loops, one callback after the next, as Netty
     * clients are written. Each lane completes one handshake before the clock starts (in D5, the
     * full one that gives it a session to resume); handshakes begun from the end of the warm-up on
     * are counted. In D5 each lane has a client context of its own, whose handlers are made for the
     * server's host and port so that it resumes its sessions.
     */
    Results.Handshakes handshakes(TlsStack.Handshake kind, int clients, Duration warmup, Duration measure, int size)
            throws Exception {
        if (tls == null) {
            throw new IllegalStateException(name + " has no TLS");
        }
        try (Loopback loopback = new Loopback()) {
            Channel server = loopback.listen(clients, NettyStack::echo);
            long checksBefore = tls.trust().serverChecks();
            List<HandshakeLane> lanes = new ArrayList<>(clients);
            for (int i = 0; i < clients; i++) {
                SslContext client = kind == TlsStack.Handshake.FULL ? tls.client() : tls.newClient().create();
                lanes.add(new HandshakeLane(kind, loopback, server, client, size));
            }
            CompletableFuture.allOf(lanes.stream().map(HandshakeLane::prime).toArray(CompletableFuture[]::new))
                    .get(PATIENCE_MINUTES, TimeUnit.MINUTES);
            long start = System.nanoTime() + warmup.toNanos();
            long end = start + measure.toNanos();
            CompletableFuture.allOf(lanes.stream().map(lane -> lane.run(start, end)).toArray(CompletableFuture[]::new))
                    .get(PATIENCE_MINUTES, TimeUnit.MINUTES);
            long counted = 0;
            long completed = 0;
            long lastFinished = start;
            for (HandshakeLane lane : lanes) { // their completion published what the event loops wrote
                counted += lane.counted;
                completed += lane.completed;
                lastFinished = Math.max(lastFinished, lane.lastFinished);
            }
            return Results.handshakes(kind, counted, lastFinished - start, completed, clients,
                    tls.trust().serverChecks() - checksBefore, lanes.getFirst().cipherSuite);
        }
    }

    @Override
    public void close() throws Exception {
        // Every scenario closed its channels already: no quiet period to wait out.
        await(group.shutdownGracefully(0, PATIENCE_MINUTES, TimeUnit.MINUTES), "shutting the event loops down");
    }

    private static void echo(Channel peer) {
        peer.pipeline().addLast(Echo.INSTANCE);
    }

    private static <F extends Future<?>> F await(F future, String what) throws Exception {
        if (!future.await(PATIENCE_MINUTES, TimeUnit.MINUTES)) {
            throw new TimeoutException(what + " took over " + PATIENCE_MINUTES + " minutes");
        }
        if (!future.isSuccess()) {
            throw new IOException(what + " failed", future.cause());
        }
        return future;
    }

    /** Both ends of a scenario's connections; closing it closes every channel it opened. */
    private final class Loopback implements AutoCloseable {
        private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

        Channel listen(int backlog, Consumer<Channel> accepted) throws Exception {
            ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(serverChannel)
                    .option(ChannelOption.SO_BACKLOG, Math.max(50, backlog))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(tracked(tls == null ? null : tls.server(), null, accepted));
            Channel server = await(bootstrap.bind(InetAddress.getLoopbackAddress(), 0), "binding").channel();
            channels.add(server);
            return server;
        }

        ChannelFuture connect(Channel server, Consumer<Channel> connected) {
            return connect(server, tls == null ? null : tls.client(), false, connected);
        }

        /** With {@code resuming}, the client's TLS handler is made for the server's host and port, by which its context keeps sessions. */
        ChannelFuture connect(Channel server, SslContext client, boolean resuming, Consumer<Channel> connected) {
            InetSocketAddress address = (InetSocketAddress) server.localAddress();
            return new Bootstrap().group(group).channel(channel)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(tracked(client, resuming ? address : null, connected))
                    .connect(address);
        }

        /**
         * Tracks the channel, puts the TLS handler first when there is TLS (for {@code peer}, if not
         * null), then the scenario's handlers.
         */
        private ChannelInitializer<Channel> tracked(SslContext context, InetSocketAddress peer, Consumer<Channel> init) {
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    channels.add(ch);
                    if (context != null) {
                        ch.pipeline().addLast(peer == null ? context.newHandler(ch.alloc())
                                : context.newHandler(ch.alloc(), peer.getHostString(), peer.getPort()));
                    }
                    init.accept(ch);
                }
            };
        }

        @Override
        public void close() throws Exception {
            await(channels.close(), "closing the connections");
        }
    }

    /** Writes back whatever arrives, flushing once per read burst. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // the client went away: its own checks report it
            ctx.close();
        }
    }

    /**
     * One D1 or D5 client: its connections follow one another, each opened from the previous one's
     * close. Successive connections may run on different event loops; each hands over to the next
     * through Netty's task queues, which orders the fields' writes.
     */
    private static final class HandshakeLane {
        private final TlsStack.Handshake kind;
        private final Loopback loopback;
        private final Channel server;
        private final SslContext client;
        private final int size;
        // Set by each run, before its first connection, which hands them to the event loops.
        private CompletableFuture<Void> done;
        private long start;
        private long end;
        private long connectionsLeft;
        long counted;
        long completed;
        long lastFinished;
        String cipherSuite;

        HandshakeLane(TlsStack.Handshake kind, Loopback loopback, Channel server, SslContext client, int size) {
            this.kind = kind;
            this.loopback = loopback;
            this.server = server;
            this.client = client;
            this.size = size;
        }

        /** One connection, not counted, before the clock starts (in D5, the full handshake that gives a session to resume). */
        CompletableFuture<Void> prime() {
            return run(Long.MAX_VALUE, Long.MAX_VALUE, 1);
        }

        /** Connections one after another until {@code end}, those begun from {@code start} on counted. */
        CompletableFuture<Void> run(long start, long end) {
            return run(start, end, Long.MAX_VALUE);
        }

        private CompletableFuture<Void> run(long start, long end, long connections) {
            this.done = new CompletableFuture<>();
            this.start = start;
            this.end = end;
            this.connectionsLeft = connections;
            this.lastFinished = start;
            next();
            return done;
        }

        private void next() {
            long began = System.nanoTime();
            if (began >= end || connectionsLeft == 0) {
                done.complete(null);
                return;
            }
            connectionsLeft--;
            loopback.connect(server, client, kind == TlsStack.Handshake.RESUMED,
                            channel -> channel.pipeline().addLast(new FixedLengthFrameDecoder(size), new Connection(began)))
                    .addListener(connected -> {
                        if (!connected.isSuccess()) {
                            done.completeExceptionally(connected.cause());
                        }
                    });
        }

        private void finished(long began) {
            completed++;
            if (began >= start) {
                counted++;
                lastFinished = System.nanoTime();
            }
            next();
        }

        /** One connection: pings once the handshake is done, checks the echo, drops the session, closes. */
        private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
            private final long began;
            private boolean echoed;

            Connection(long began) {
                this.began = began;
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof SslHandshakeCompletionEvent handshake) {
                    if (!handshake.isSuccess()) {
                        fail(ctx, handshake.cause());
                        return;
                    }
                    SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
                    if (!"TLSv1.3".equals(session.getProtocol())) {
                        fail(ctx, new IOException("negotiated " + session.getProtocol() + ", not TLSv1.3"));
                        return;
                    }
                    cipherSuite = session.getCipherSuite();
                    byte[] ping = new byte[size];
                    ping[0] = (byte) completed;
                    ping[size - 1] = (byte) (completed >>> 8);
                    ctx.writeAndFlush(ctx.alloc().directBuffer(size).writeBytes(ping), ctx.voidPromise());
                }
                ctx.fireUserEventTriggered(event);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf pong) throws IOException {
                if (pong.getByte(pong.readerIndex()) != (byte) completed
                        || pong.getByte(pong.writerIndex() - 1) != (byte) (completed >>> 8)) {
                    throw new IOException("echo mismatch at handshake " + completed);
                }
                echoed = true;
                if (kind == TlsStack.Handshake.FULL) {
                    // Every handshake full, the same way on every stack: the client drops what it could resume.
                    ctx.pipeline().get(SslHandler.class).engine().getSession().invalidate();
                }
                ctx.close().addListener(closed -> finished(began));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                fail(ctx, cause);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (!echoed) {
                    done.completeExceptionally(new IOException("a connection closed before its echo"));
                }
            }

            private void fail(ChannelHandlerContext ctx, Throwable cause) {
                done.completeExceptionally(cause);
                ctx.close();
            }
        }
    }

    /**
     * Whether a connection goes on after its {@code count}th checked echo; called on its event loop.
     */
    @FunctionalInterface
    private interface Rounds {
        boolean another(int count, long sentAt, long now);
    }

    /**
     * The client end of A and C: sends a {@code size}-byte ping marked with its sequence number,
     * checks the whole echo once the frame decoder before it has gathered it, then asks its
     * {@link Rounds} whether to send the next.
     */
    private static final class Pinger extends SimpleChannelInboundHandler<ByteBuf> {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final byte[] ping;
        private ChannelHandlerContext ctx;
        private Rounds rounds;
        private int sequence;
        private long sentAt;

        Pinger(int size) {
            ping = new byte[size];
        }

        void install(Channel client) {
            client.pipeline().addLast(new FixedLengthFrameDecoder(ping.length), this);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void start(Rounds rounds) {
            ctx.executor().execute(() -> {
                this.rounds = rounds;
                send();
            });
        }

        private void send() {
            ping[0] = (byte) sequence;
            ping[ping.length - 1] = (byte) (sequence >>> 8);
            sentAt = System.nanoTime();
            ctx.writeAndFlush(ctx.alloc().directBuffer(ping.length).writeBytes(ping), ctx.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf pong) throws IOException {
            long now = System.nanoTime();
            if (pong.getByte(pong.readerIndex()) != ping[0]
                    || pong.getByte(pong.writerIndex() - 1) != ping[ping.length - 1]) {
                throw new IOException("echo mismatch at round trip " + sequence);
            }
            sequence++;
            if (rounds.another(sequence, sentAt, now)) {
                send();
            } else {
                done.complete(null);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IOException("the connection closed after " + sequence + " round trips"));
        }
    }

    /**
     * A's clock. A round trip sent before the warmup ended is warmup, and the measurement starts
     * when the last of them comes back; each measured one's latency runs from its send to its echo.
     */
    private static final class Latencies implements Rounds {
        private final long[] latencies = new long[Results.LATENCIES_KEPT];
        private final long warmupEnd;
        private final long measure;
        private long start;
        private long end;
        private long last;
        private int count;

        Latencies(Duration warmup, Duration measure) {
            this.measure = measure.toNanos();
            start = System.nanoTime();
            warmupEnd = start + warmup.toNanos();
            end = warmupEnd + this.measure;
        }

        @Override
        public boolean another(int roundTrips, long sentAt, long now) {
            if (sentAt < warmupEnd) {
                start = now;
                end = now + measure;
                return true;
            }
            if (count < latencies.length) {
                latencies[count] = now - sentAt;
            }
            count++;
            last = now;
            return now < end;
        }

        /** Read once the pinger is done: its completion publishes the event loop's writes. */
        Results.RoundTrips results() {
            return Results.roundTrips(latencies, count, last - start);
        }
    }

    /** B's receiver: counts bytes until the client shuts its output down (over TLS: its close_notify). */
    private static final class Counter extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Long> received;
        private long count;

        Counter(CompletableFuture<Long> received) {
            this.received = received;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            count += bytes.readableBytes();
            bytes.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent || event instanceof SslCloseCompletionEvent closed && closed.isSuccess()) {
                received.complete(count);
                ctx.close();
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            received.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            received.completeExceptionally(new IOException("the connection closed after " + count + " bytes"));
        }
    }

    /**
     * B's sender: copies {@code writeSize}-byte chunks of one array into fresh buffers only while the
     * channel is writable, so that about Netty's high water mark waits in memory rather than the
     * whole total; once the last is in the socket, shuts its output down (over TLS: sends its
     * close_notify, as {@code SSLSocket.shutdownOutput()} does).
     */
    private static final class Writer extends ChannelInboundHandlerAdapter {
        private final byte[] chunk;
        private final CompletableFuture<Long> transfer;
        private ChannelHandlerContext ctx;
        private long remaining;
        private boolean finishing;

        Writer(long total, int writeSize, CompletableFuture<Long> transfer) {
            this.chunk = new byte[writeSize];
            this.transfer = transfer;
            this.remaining = total;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void start() {
            ctx.executor().execute(this::writeMore);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                writeMore();
            }
            ctx.fireChannelWritabilityChanged();
        }

        /** May run again from within its own flush: writability returns as the socket drains. */
        private void writeMore() {
            while (remaining > 0 && ctx.channel().isWritable()) {
                int n = (int) Math.min(chunk.length, remaining);
                remaining -= n;
                ctx.write(ctx.alloc().directBuffer(n).writeBytes(chunk, 0, n), ctx.voidPromise());
            }
            if (remaining == 0 && !finishing) {
                finishing = true;
                // Writes complete in order: this empty one completes once every chunk is in the socket.
                ctx.write(Unpooled.EMPTY_BUFFER).addListener(written -> {
                    if (written.isSuccess()) {
                        SslHandler tls = ctx.pipeline().get(SslHandler.class);
                        (tls != null ? tls.closeOutbound() : ((DuplexChannel) ctx.channel()).shutdownOutput())
                                .addListener(this::failOnError);
                    } else {
                        failOnError(written);
                    }
                });
            }
            ctx.flush();
        }

        private void failOnError(Future<?> future) {
            if (!future.isSuccess()) {
                transfer.completeExceptionally(future.cause());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            transfer.completeExceptionally(cause);
            ctx.close();
        }
    }
}
