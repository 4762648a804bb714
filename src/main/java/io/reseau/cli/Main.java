package io.reseau.cli;

import io.reseau.common.IoErrorException;
import io.reseau.common.Task;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.IoEvents;
import io.reseau.eventloop.IoHandle;
import io.reseau.internal.ffi.Errno;
import io.reseau.internal.ffi.Libc;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code reseau} command. For now it demonstrates the foundation: an event-loop group,
 * tasks scheduled from other threads, and I/O events on a pipe, all through FFM and epoll.
 */
public final class Main {
    private static final String USAGE = """
            usage: reseau [demo]

              demo    (default) start an event-loop group, schedule tasks onto it from other
                      threads, echo bytes through a pipe watched by epoll, and shut down
            """;

    private final PrintStream out;

    private Main(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        if (args.length > 1 || (args.length == 1 && !args[0].equals("demo"))) {
            boolean help = args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"));
            (help ? System.out : System.err).print(USAGE);
            System.exit(help ? 0 : 2);
        }
        try {
            new Main(System.out).demo();
        } catch (IoErrorException | InterruptedException | RuntimeException e) {
            System.err.println("reseau: " + e.getMessage());
            System.exit(1);
        }
    }

    private void demo() throws IoErrorException, InterruptedException {
        out.printf("Reseau: aws-c-io's event loops on epoll, through FFM (JDK %s, %s %s)%n",
                Runtime.version(), System.getProperty("os.name"), System.getProperty("os.arch"));
        EventLoopGroup group = new EventLoopGroup();
        List<String> names = group.loops().stream().map(EventLoop::name).toList();
        out.printf("group:    %d loop(s) on platform threads %s%n", group.loopCount(), names);
        EventLoop loop = group.nextLoop();
        try {
            scheduleTasks(loop);
            echoThroughPipe(loop);
            crossThreadThroughput(loop);
        } finally {
            group.shutdown().join();
        }
        long left = Thread.getAllStackTraces().keySet().stream().filter(t -> names.contains(t.getName())).count();
        out.printf("shutdown: group terminated, %d loop thread(s) left%n", left);
    }

    private void scheduleTasks(EventLoop loop) throws InterruptedException {
        long start = System.nanoTime();
        CompletableFuture<String> now = new CompletableFuture<>();
        loop.scheduleNow(new Task("demo-now", status -> now.complete(Thread.currentThread().getName())));
        out.printf("tasks:    a task scheduled from '%s' ran on '%s' after %s%n",
                Thread.currentThread().getName(), now.join(), millis(System.nanoTime() - start));

        List<Integer> order = new ArrayList<>();
        CountDownLatch serialized = new CountDownLatch(5);
        for (int i = 1; i <= 5; i++) {
            int n = i;
            loop.scheduleNowSerialized(new Task("demo-serialized", status -> {
                order.add(n);
                serialized.countDown();
            }));
        }
        serialized.await();
        out.printf("          5 serialized tasks ran in submission order: %s%n", order);

        long due = loop.currentTimeNanos() + TimeUnit.MILLISECONDS.toNanos(50);
        CompletableFuture<Long> timed = new CompletableFuture<>();
        loop.scheduleFuture(new Task("demo-timed", status -> timed.complete(loop.currentTimeNanos())), due);
        out.printf("          a task due in 50 ms ran %s after its due time%n", millis(timed.join() - due));
    }

    private void echoThroughPipe(EventLoop loop) throws IoErrorException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            check("pipe2", Libc.pipe2(fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC));
            int readFd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            int writeFd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            try {
                String message = "hello through a pipe";
                MemorySegment buffer = arena.allocate(256);
                IoHandle handle = new IoHandle(readFd);
                CompletableFuture<String> echoed = new CompletableFuture<>();
                loop.subscribe(handle, IoEvents.READABLE, (l, h, events) -> {
                    long n = Libc.read(h.fd(), buffer, buffer.byteSize());
                    String text = n > 0 ? new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE),
                            StandardCharsets.UTF_8) : "(read failed: " + Errno.name((int) -n) + ")";
                    echoed.complete(IoEvents.toString(events) + " -> \"" + text + "\" on '"
                            + Thread.currentThread().getName() + "'");
                });
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                MemorySegment outgoing = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
                long written = Libc.write(writeFd, outgoing, bytes.length);
                check("write", (int) Math.min(written, 0));
                out.printf("pipe:     wrote \"%s\" to fd %d; epoll reported %s%n", message, writeFd, echoed.join());
                CompletableFuture<Void> unsubscribed = new CompletableFuture<>();
                loop.scheduleNow(new Task("demo-unsubscribe", status -> {
                    try {
                        loop.unsubscribe(handle);
                        unsubscribed.complete(null);
                    } catch (IoErrorException e) {
                        unsubscribed.completeExceptionally(e);
                    }
                }));
                unsubscribed.join();
            } finally {
                Libc.close(readFd);
                Libc.close(writeFd);
            }
        }
    }

    private void crossThreadThroughput(EventLoop loop) throws InterruptedException {
        int producers = 4;
        int perProducer = 100_000;
        CountDownLatch done = new CountDownLatch(producers * perProducer);
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    loop.scheduleNow(new Task("demo-throughput", status -> done.countDown()));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "stress:   %,d tasks from %d virtual threads ran on one loop in %.2f s (%.1f M tasks/s)%n",
                producers * perProducer, producers, seconds, producers * perProducer / seconds / 1e6);
    }

    private static void check(String call, int result) throws IoErrorException {
        if (result < 0) {
            throw IoErrorException.fromErrno(call, -result);
        }
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
