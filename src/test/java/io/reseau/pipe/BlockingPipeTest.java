package io.reseau.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.eventloop.EventLoopGroup;
import io.reseau.testing.FdCount;
import io.reseau.testing.Polling;
import io.reseau.testing.WaitingThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blocking pipe's streams on virtual and platform threads, each scenario also run on the JDK's
 * pipe streams where the two should agree: order, the end of the stream, back-pressure, timeouts,
 * interrupts, asynchronous closes, the broken pipe, and leaks.
 */
@Timeout(120)
class BlockingPipeTest {
    private static final int PIPE_CAPACITY = 64 * 1024; // Linux's default
    private static EventLoopGroup group;

    @BeforeAll
    static void startLoops() throws Exception {
        group = new EventLoopGroup(2);
    }

    @AfterAll
    static void stopLoops() {
        group.close();
    }

    private interface Call {
        Object run() throws Exception;
    }

    /** A call on a thread of its own, and how it ends: its result, or "Exception: message, interrupted=…". */
    private record Running(Thread thread, CompletableFuture<Object> outcome) {
        Object awaitOutcome() throws Exception {
            return outcome.get(10, TimeUnit.SECONDS);
        }
    }

    private static Running start(boolean virtual, Call call) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Runnable body = () -> {
            try {
                outcome.complete(call.run());
            } catch (IOException e) {
                outcome.complete(e.getClass().getSimpleName() + ": " + e.getMessage() + ", interrupted="
                        + Thread.currentThread().isInterrupted());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        };
        return new Running(virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().daemon().start(body), outcome);
    }

    /** {@code call}'s outcome on a new thread. */
    private static Object outcomeOf(boolean virtual, Call call) throws Exception {
        return start(virtual, call).awaitOutcome();
    }

    private static Call writing(OutputStream out, byte[] bytes) {
        return () -> {
            out.write(bytes);
            return "written";
        };
    }

    /** A writer of more than the pipe holds, with no reader: it ends up waiting for room. */
    private static Running blockedWriter(PipeStreams pipe, boolean virtual) throws InterruptedException {
        Running writer = start(virtual, writing(pipe.out(), new byte[4 * PIPE_CAPACITY]));
        awaitBlocked(writer.thread());
        return writer;
    }

    /** A reader of an empty pipe: it ends up waiting for bytes. */
    private static Running blockedReader(PipeStreams pipe, boolean virtual) throws InterruptedException {
        Running reader = start(virtual, () -> pipe.in().read());
        awaitBlocked(reader.thread());
        return reader;
    }

    /**
     * Waits until {@code thread} is blocked in its call: parked or waiting, or, for a platform
     * thread in the JDK's pipe streams, inside the native read or write. Twice in a row, as
     * {@link WaitingThreads}.
     */
    private static void awaitBlocked(Thread thread) throws InterruptedException {
        int[] looks = {0};
        Polling.await(() -> {
            StackTraceElement[] stack = thread.getStackTrace();
            boolean inNative = thread.getState() == Thread.State.RUNNABLE && stack.length > 0 && stack[0].isNativeMethod();
            boolean waiting = switch (thread.getState()) {
                case WAITING, TIMED_WAITING, BLOCKED -> true;
                default -> false;
            };
            looks[0] = waiting || inNative ? looks[0] + 1 : 0;
            return looks[0] >= 2;
        }, "the thread blocked in its call, twice in a row");
    }

    static Stream<Arguments> stacksAndThreads() {
        return Stream.of(PipeStreams.Stack.values())
                .flatMap(stack -> Stream.of(Arguments.of(stack, true), Arguments.of(stack, false)));
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}, virtual={1}")
    @MethodSource("stacksAndThreads")
    void bytesArriveInOrderThenTheEndOfTheStreamStays(PipeStreams.Stack stack, boolean virtual) throws Exception {
        byte[] sent = new byte[8 << 20];
        new Random(1).nextBytes(sent);
        try (PipeStreams pipe = PipeStreams.open(stack, group)) {
            Running writer = start(virtual, () -> {
                Random sizes = new Random(2);
                for (int offset = 0; offset < sent.length; ) {
                    int size = Math.min(sent.length - offset, 1 + sizes.nextInt(200 * 1024));
                    pipe.out().write(sent, offset, size);
                    offset += size;
                }
                pipe.out().close();
                return "written";
            });
            Running reader = start(virtual, () -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                byte[] buffer = new byte[100_000];
                Random sizes = new Random(3);
                for (int n; (n = pipe.in().read(buffer, 0, 1 + sizes.nextInt(buffer.length))) > 0; ) {
                    all.write(buffer, 0, n);
                }
                return Arrays.asList(all.toByteArray(), pipe.in().read(), pipe.in().read(buffer));
            });
            assertThat(writer.outcome().get(60, TimeUnit.SECONDS)).isEqualTo("written");
            List<Object> received = (List<Object>) reader.outcome().get(60, TimeUnit.SECONDS);
            assertThat((byte[]) received.get(0)).isEqualTo(sent);
            assertThat(received.subList(1, 3)).as("-1, and again").containsExactly(-1, -1);
        }
    }

    @ParameterizedTest(name = "{0}, virtual={1}")
    @MethodSource("stacksAndThreads")
    void aWriterWaitsWhileThePipeIsFull(PipeStreams.Stack stack, boolean virtual) throws Exception {
        try (PipeStreams pipe = PipeStreams.open(stack, group)) {
            Running writer = blockedWriter(pipe, virtual);
            assertThat(writer.outcome()).isNotDone();
            assertThat(pipe.in().readNBytes(4 * PIPE_CAPACITY)).hasSize(4 * PIPE_CAPACITY);
            assertThat(writer.awaitOutcome()).isEqualTo("written");
        }
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {true, false})
    void aReadTimesOutAndTheStreamStaysUsable(boolean virtual) throws Exception {
        try (BlockingPipe pipe = BlockingPipe.open(group)) {
            pipe.input().setTimeout(Duration.ofMillis(200));
            long start = System.nanoTime();
            assertThat(outcomeOf(virtual, () -> pipe.input().read()))
                    .isEqualTo("InterruptedIOException: Read timed out, interrupted=false");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fails within 5 s").isLessThan(Duration.ofSeconds(5));
            pipe.output().write(42);
            assertThat(outcomeOf(virtual, () -> pipe.input().read())).isEqualTo(42);
            assertThat(pipe.input().getTimeout()).isEqualTo(Duration.ofMillis(200));
        }
    }

    @ParameterizedTest
    @EnumSource(PipeStreams.Stack.class)
    void interruptingAVirtualReaderClosesTheReadEnd(PipeStreams.Stack stack) throws Exception {
        try (PipeStreams pipe = PipeStreams.open(stack, group)) {
            Running reader = blockedReader(pipe, true);
            reader.thread().interrupt();
            assertThat(reader.awaitOutcome()).isEqualTo("ClosedByInterruptException: null, interrupted=true");
            assertThat(outcomeOf(true, () -> pipe.in().read())).isEqualTo("ClosedChannelException: null, interrupted=false");
            assertThat(outcomeOf(true, writing(pipe.out(), new byte[1]))).isEqualTo("IOException: Broken pipe, interrupted=false");
        }
    }

    @ParameterizedTest
    @EnumSource(PipeStreams.Stack.class)
    void interruptingAVirtualWriterClosesTheWriteEnd(PipeStreams.Stack stack) throws Exception {
        try (PipeStreams pipe = PipeStreams.open(stack, group)) {
            Running writer = blockedWriter(pipe, true);
            writer.thread().interrupt();
            assertThat(writer.awaitOutcome()).isEqualTo("ClosedByInterruptException: null, interrupted=true");
            assertThat(pipe.in().readAllBytes()).as("what was written, then the end of the stream").hasSize(PIPE_CAPACITY);
        }
    }

    /** Reseau's blocking sockets' rule, which the JDK's pipe streams do not follow (they close). */
    @Test
    void aPlatformReaderKeepsWaitingThroughAnInterrupt() throws Exception {
        try (BlockingPipe pipe = BlockingPipe.open(group)) {
            Running reader = start(false, () -> pipe.input().read() + ", interrupted=" + Thread.currentThread().isInterrupted());
            WaitingThreads.await(reader.thread());
            reader.thread().interrupt();
            // It waits parked: a thread that took its interrupt status back at every wake-up would
            // have the next park return at once, and spin on the empty pipe.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getThreadCpuTime(reader.thread().threadId());
            Polling.assertStaysTrue(() -> !reader.outcome().isDone(), Duration.ofMillis(500), "the reader waits on");
            long cpuNanos = threads.getThreadCpuTime(reader.thread().threadId()) - cpuBefore;
            assertThat(Duration.ofNanos(cpuNanos)).as("the reader's processor time while it waited").isLessThan(Duration.ofMillis(100));
            pipe.output().write(7);
            assertThat(reader.awaitOutcome()).isEqualTo("7, interrupted=true");
            assertThat(outcomeOf(false, () -> {
                Thread.currentThread().interrupt();
                pipe.output().write(8);
                return pipe.input().read() + ", interrupted=" + Thread.currentThread().isInterrupted();
            })).as("a platform thread's interrupt does not stop a read that has bytes").isEqualTo("8, interrupted=true");
        }
    }

    @ParameterizedTest(name = "{0}, virtual={1}")
    @MethodSource("stacksAndThreads")
    void closingTheInputFromAnotherThreadFailsAWaitingRead(PipeStreams.Stack stack, boolean virtual) throws Exception {
        try (PipeStreams pipe = PipeStreams.open(stack, group)) {
            Running reader = blockedReader(pipe, virtual);
            pipe.in().close();
            assertThat(reader.awaitOutcome()).isEqualTo("AsynchronousCloseException: null, interrupted=false");
            assertThat(outcomeOf(virtual, () -> pipe.in().read(new byte[1])))
                    .isEqualTo("ClosedChannelException: null, interrupted=false");
        }
    }

    @ParameterizedTest(name = "{0}, virtual={1}")
    @MethodSource("stacksAndThreads")
    void closingTheOutputFromAnotherThreadFailsAWaitingWrite(PipeStreams.Stack stack, boolean virtual) throws Exception {
        try (PipeStreams pipe = PipeStreams.open(stack, group)) {
            Running writer = blockedWriter(pipe, virtual);
            pipe.out().close();
            // The JDK's platform writer, woken by a signal out of a write half done, finds its
            // channel closed as it goes on with the rest: the same failure, named for a closed channel.
            List<String> failures = stack == PipeStreams.Stack.JDK && !virtual
                    ? List.of("AsynchronousCloseException: null, interrupted=false", "ClosedChannelException: null, interrupted=false")
                    : List.of("AsynchronousCloseException: null, interrupted=false");
            assertThat(writer.awaitOutcome()).isIn(failures);
            assertThat(outcomeOf(virtual, writing(pipe.out(), new byte[1])))
                    .isEqualTo("ClosedChannelException: null, interrupted=false");
        }
    }

    @ParameterizedTest(name = "{0}, virtual={1}")
    @MethodSource("stacksAndThreads")
    void closingTheInputBreaksThePipeForAWaitingWriterAndTheNext(PipeStreams.Stack stack, boolean virtual) throws Exception {
        try (PipeStreams pipe = PipeStreams.open(stack, group)) {
            Running writer = blockedWriter(pipe, virtual);
            pipe.in().close();
            assertThat(writer.awaitOutcome()).isEqualTo("IOException: Broken pipe, interrupted=false");
            assertThat(outcomeOf(virtual, writing(pipe.out(), new byte[1]))).isEqualTo("IOException: Broken pipe, interrupted=false");
        }
    }

    /** Writes from several threads at once are not interleaved: each leaves whole, as the JDK's do. */
    @ParameterizedTest(name = "{0}, virtual={1}")
    @MethodSource("stacksAndThreads")
    void concurrentWritesLeaveWhole(PipeStreams.Stack stack, boolean virtual) throws Exception {
        int writers = 4;
        int writes = 20;
        int size = PIPE_CAPACITY + 1000; // more than the pipe holds: each waits for the reader
        try (PipeStreams pipe = PipeStreams.open(stack, group)) {
            List<Running> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                byte[] record = new byte[size];
                Arrays.fill(record, (byte) w);
                running.add(start(virtual, () -> {
                    for (int i = 0; i < writes; i++) {
                        pipe.out().write(record);
                    }
                    return "written";
                }));
            }
            for (int record = 0; record < writers * writes; record++) {
                byte[] bytes = pipe.in().readNBytes(size);
                assertThat(bytes).as("record %d", record).hasSize(size).containsOnly(bytes[0]);
            }
            for (Running writer : running) {
                assertThat(writer.awaitOutcome()).isEqualTo("written");
            }
        }
    }

    @Test
    void availableCountsWhatAReadTakesWithoutWaiting() throws Exception {
        BlockingPipe pipe = BlockingPipe.open(group);
        assertThat(pipe.input().available()).isZero();
        pipe.output().write(new byte[5]);
        assertThat(pipe.input().available()).isEqualTo(5);
        pipe.close();
        assertThat(outcomeOf(true, () -> pipe.input().available())).isEqualTo("ClosedChannelException: null, interrupted=false");
    }

    /** A thousand pipes, each carrying a byte, opened and closed: no descriptor and no thread left. */
    @Test
    void aThousandPipesLeaveNoDescriptorOrThread() throws Exception {
        long descriptors = FdCount.now();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        for (int i = 0; i < 1000; i++) {
            try (BlockingPipe pipe = BlockingPipe.open(group)) {
                pipe.output().write(i);
                assertThat(pipe.input().read()).isEqualTo(i & 0xff);
            }
        }
        assertThat(FdCount.now()).isLessThanOrEqualTo(descriptors);
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThanOrEqualTo(threads);
    }

    /** A read or write on a closed stream fails at once; close is idempotent. */
    @Test
    void closedStreamsRefuseAtOnce() throws Exception {
        BlockingPipe pipe = BlockingPipe.open(group);
        pipe.close();
        pipe.close();
        assertThat(outcomeOf(true, writing(pipe.output(), new byte[1]))).isEqualTo("ClosedChannelException: null, interrupted=false");
        assertThat(outcomeOf(false, () -> pipe.input().read())).isEqualTo("ClosedChannelException: null, interrupted=false");
    }
}
