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
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.reseau.cli.bench.Results;
import io.reseau.cli.bench.Stack;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Netty as its users write it: one event loop group for both ends, pipelines of handlers, pooled
 * buffers. The work per scenario and its checks are {@link io.reseau.cli.bench.BlockingStack}'s, so
 * the figures compare.
 */
public final class NettyStack implements Stack {
    private static final long PATIENCE_MINUTES = 10;

    private final String name;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> channel;

    private NettyStack(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel,
            Class<? extends Channel> channel) {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), ioHandlers);
        this.serverChannel = serverChannel;
        this.channel = channel;
    }

    public static NettyStack epoll() {
        return new NettyStack("netty-epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class);
    }

    public static NettyStack ioUring() {
        return new NettyStack("netty-io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                IoUringSocketChannel.class);
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
            await(loopback.connect(server, client -> client.pipeline().addLast(writer)), "connecting");
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
            Channel server = loopback.listen(count, peer -> accepted.countDown());
            List<ChannelFuture> connects = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                connects.add(loopback.connect(server, client -> {}));
            }
            for (ChannelFuture connect : connects) {
                await(connect, "connecting");
            }
            if (!accepted.await(PATIENCE_MINUTES, TimeUnit.MINUTES)) {
                throw new IOException("accepted " + (count - accepted.getCount()) + " of " + count + " connections");
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
                    .childHandler(tracked(accepted));
            Channel server = await(bootstrap.bind(InetAddress.getLoopbackAddress(), 0), "binding").channel();
            channels.add(server);
            return server;
        }

        ChannelFuture connect(Channel server, Consumer<Channel> connected) {
            return new Bootstrap().group(group).channel(channel)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(tracked(connected))
                    .connect(server.localAddress());
        }

        private ChannelInitializer<Channel> tracked(Consumer<Channel> init) {
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    channels.add(ch);
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

    /** B's receiver: counts bytes until the client shuts its output down. */
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
            if (event instanceof ChannelInputShutdownEvent) {
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
     * whole total; once the last is in the socket, shuts its output down.
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
                        ((DuplexChannel) ctx.channel()).shutdownOutput().addListener(this::failOnError);
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
