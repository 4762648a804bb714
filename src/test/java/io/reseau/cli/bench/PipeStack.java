package io.reseau.cli.bench;

import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.EventLoopGroupOptions;
import io.reseau.pipe.BlockingPipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Scenario P: a pipe's two ends as blocking streams on virtual threads, the writer's bytes counted
 * by the reader. {@code jdk} is {@link Pipe} through {@link Channels}; {@code reseau} is
 * {@link BlockingPipe}, its ends on two loops of a group of its own. Both run the same code.
 */
final class PipeStack implements AutoCloseable {
    /** The stacks that have a pipe: the scenario runs when the plan compares them. */
    static final List<String> NAMES = List.of(Stacks.JDK, Stacks.RESEAU);

    private interface Ends {
        InputStream in();

        OutputStream out();
    }

    private record Opened(InputStream in, OutputStream out) implements Ends {}

    private interface Opener {
        Ends open() throws IOException;
    }

    private final String name;
    private final Opener opener;
    private final EventLoopGroup group; // Reseau's, or null

    private PipeStack(String name, Opener opener, EventLoopGroup group) {
        this.name = name;
        this.opener = opener;
        this.group = group;
    }

    static PipeStack named(String name) throws IOException {
        return switch (name) {
            case Stacks.JDK -> new PipeStack(name, () -> {
                Pipe pipe = Pipe.open();
                return new Opened(Channels.newInputStream(pipe.source()), Channels.newOutputStream(pipe.sink()));
            }, null);
            case Stacks.RESEAU -> {
                EventLoopGroup group = new EventLoopGroup(EventLoopGroupOptions.withLoopCount(2).threadNamePrefix("bench-pipe-loop-"));
                yield new PipeStack(name, () -> {
                    BlockingPipe pipe = BlockingPipe.open(group);
                    return new Opened(pipe.input(), pipe.output());
                }, group);
            }
            default -> throw new IllegalArgumentException("no pipe on stack '" + name + "'");
        };
    }

    String name() {
        return name;
    }

    /** {@code total} bytes in {@code writeSize} writes through a new pipe; the reader counts them. */
    Results.Bulk transfer(long total, int writeSize) throws Exception {
        Ends ends = opener.open();
        CompletableFuture<Long> received = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = ends.in()) {
                byte[] buffer = new byte[64 * 1024];
                long count = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    count += n;
                }
                received.complete(count);
            } catch (Throwable t) {
                received.completeExceptionally(t);
            }
        });
        CompletableFuture<Long> elapsed = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (OutputStream out = ends.out()) {
                byte[] chunk = new byte[writeSize];
                long start = System.nanoTime();
                for (long sent = 0; sent < total; sent += writeSize) {
                    out.write(chunk, 0, (int) Math.min(writeSize, total - sent));
                }
                out.close();
                received.get(10, TimeUnit.MINUTES);
                elapsed.complete(System.nanoTime() - start);
            } catch (Throwable t) {
                elapsed.completeExceptionally(t);
            }
        });
        long nanos = elapsed.get(10, TimeUnit.MINUTES);
        return Results.bulk(total, received.get(), nanos);
    }

    @Override
    public void close() {
        if (group != null) {
            group.close();
        }
    }
}
