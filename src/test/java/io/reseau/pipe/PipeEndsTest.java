package io.reseau.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.testing.FdCount;
import io.reseau.testing.OnLoop;
import io.reseau.testing.Polling;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What Reseau's pipe ends add to aws-c-io's tests: callback timing, the read end's closing, misuse, leaks. */
@Timeout(60)
class PipeEndsTest {
    private static EventLoopGroup group;
    private static EventLoop loop;

    @BeforeAll
    static void startLoops() throws Exception {
        group = new EventLoopGroup(1);
        loop = group.loopAt(0);
    }

    @AfterAll
    static void stopLoops() {
        group.close();
    }

    private static <T> T onLoop(Callable<T> work) throws Exception {
        return OnLoop.call(loop, work);
    }

    private record Completion(PipeWriteEnd end, IoError error, ByteBuffer source, boolean insideWrite) {}

    @Test
    void writeCallbacksRunInLaterTasksInTheOrderOfTheWrites() throws Exception {
        Pipe pipe = Pipe.open(loop, loop);
        List<Completion> completions = Collections.synchronizedList(new ArrayList<>());
        boolean[] writing = {false};
        List<ByteBuffer> sources = List.of(ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[0]),
                ByteBuffer.allocateDirect(3));
        onLoop(() -> {
            for (ByteBuffer source : sources) {
                writing[0] = true;
                pipe.writeEnd().write(source, (end, error, bytes) -> {
                    completions.add(new Completion(end, error, bytes, writing[0]));
                    if (completions.size() == 1) { // a callback's own write reports in a later task still
                        writing[0] = true;
                        try {
                            end.write(ByteBuffer.wrap(new byte[] {9}), (again, e, b) -> completions.add(new Completion(again, e, b, writing[0])));
                        } catch (IoErrorException e) {
                            throw new AssertionError(e);
                        }
                        writing[0] = false;
                    }
                });
                writing[0] = false;
            }
            return null;
        });
        Polling.await(() -> completions.size() == 4, "four write callbacks");
        assertThat(completions).extracting(Completion::insideWrite).containsOnly(false);
        assertThat(completions).extracting(Completion::error).containsOnly((IoError) null);
        assertThat(completions).extracting(Completion::end).containsOnly(pipe.writeEnd());
        assertThat(completions.subList(0, 3)).extracting(Completion::source).containsExactlyElementsOf(sources);
        onLoop(() -> {
            ByteBuffer read = ByteBuffer.allocate(16);
            pipe.readEnd().read(read);
            assertThat(read.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 9}));
            assertThat(sources.get(0).position()).as("the source's position is left alone").isZero();
            return null;
        });
        pipe.readEnd().close();
        pipe.writeEnd().close();
    }

    /**
     * A write waiting for room fails with BROKEN_PIPE when the read end closes: the write end hears
     * an error event then, which aws-c-io ignores (its write would wait until the end is closed).
     */
    @Test
    void aWriteWaitingForRoomFailsWhenTheReadEndCloses() throws Exception {
        Pipe pipe = Pipe.open(loop, loop);
        CompletableFuture<Completion> completion = new CompletableFuture<>();
        onLoop(() -> {
            pipe.writeEnd().write(ByteBuffer.allocate(4 << 20),
                    (end, error, bytes) -> completion.complete(new Completion(end, error, bytes, false)));
            return null;
        });
        pipe.readEnd().close();
        Completion done = completion.get(10, TimeUnit.SECONDS);
        assertThat(done.error()).isEqualTo(IoError.BROKEN_PIPE);
        assertThat(done.end()).isSameAs(pipe.writeEnd());
        onLoop(() -> {
            CompletableFuture<IoError> next = new CompletableFuture<>();
            pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}), (end, error, bytes) -> next.complete(error));
            return next;
        }).thenAccept(error -> assertThat(error).isEqualTo(IoError.BROKEN_PIPE)).get(10, TimeUnit.SECONDS);
        pipe.writeEnd().close();
    }

    /** Writes all written before the end closed keep their success, reported with a null end. */
    @Test
    void closingTheWriteEndReportsFinishedWritesAsSucceeded() throws Exception {
        Pipe pipe = Pipe.open(loop, loop);
        List<Completion> completions = Collections.synchronizedList(new ArrayList<>());
        onLoop(() -> {
            pipe.writeEnd().write(ByteBuffer.wrap("done".getBytes(StandardCharsets.US_ASCII)),
                    (end, error, bytes) -> completions.add(new Completion(end, error, bytes, false)));
            pipe.writeEnd().write(ByteBuffer.allocate(4 << 20),
                    (end, error, bytes) -> completions.add(new Completion(end, error, bytes, false)));
            pipe.writeEnd().close();
            return null;
        });
        assertThat(completions).extracting(Completion::end).containsExactly(null, null);
        assertThat(completions).extracting(Completion::error).containsExactly(null, IoError.BROKEN_PIPE);
        pipe.readEnd().close();
    }

    @Test
    void theEndsRefuseOtherThreadsSecondSubscriptionsAndUseAfterClose() throws Exception {
        Pipe pipe = Pipe.open(loop, loop);
        PipeReadEnd read = pipe.readEnd();
        PipeWriteEnd write = pipe.writeEnd();
        assertThatThrownBy(() -> read.read(ByteBuffer.allocate(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
        assertThatThrownBy(() -> read.subscribe((end, error) -> {})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
        assertThatThrownBy(() -> write.write(ByteBuffer.allocate(1), (end, error, bytes) -> {}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AWS_ERROR_IO_EVENT_LOOP_THREAD_ONLY");
        onLoop(() -> {
            assertThatThrownBy(read::unsubscribe).hasMessageContaining("AWS_ERROR_IO_NOT_SUBSCRIBED");
            read.subscribe((end, error) -> {});
            assertThatThrownBy(() -> read.subscribe((end, error) -> {})).hasMessageContaining("AWS_ERROR_IO_ALREADY_SUBSCRIBED");
            assertThatThrownBy(() -> read.read(ByteBuffer.allocate(1)))
                    .isInstanceOfSatisfying(IoErrorException.class, e -> assertThat(e.error()).isEqualTo(IoError.READ_WOULD_BLOCK));
            assertThatThrownBy(() -> read.read(ByteBuffer.allocate(1).asReadOnlyBuffer()))
                    .isInstanceOf(IllegalArgumentException.class);
            return null;
        });
        read.close();
        read.close();
        write.close();
        onLoop(() -> {
            for (var closedCall : List.<Callable<?>>of(() -> read.read(ByteBuffer.allocate(1)), () -> {
                read.subscribe((end, error) -> {});
                return null;
            }, () -> {
                read.unsubscribe();
                return null;
            }, () -> {
                write.write(ByteBuffer.allocate(1), (end, error, bytes) -> {});
                return null;
            })) {
                assertThatThrownBy(closedCall::call).isInstanceOfSatisfying(IoErrorException.class,
                        e -> assertThat(e.error()).isEqualTo(IoError.BROKEN_PIPE));
            }
            return null;
        });
        assertThat(read.isOpen()).isFalse();
        assertThat(write.isOpen()).isFalse();
    }

    /** A read fills the buffer's room, never more, and moves its position: heap and direct buffers alike. */
    @Test
    void aReadFillsTheRoomBetweenPositionAndLimit() throws Exception {
        Pipe pipe = Pipe.open(loop, loop);
        onLoop(() -> {
            CompletableFuture<Void> written = new CompletableFuture<>();
            pipe.writeEnd().write(ByteBuffer.wrap("abcdefgh".getBytes(StandardCharsets.US_ASCII)),
                    (end, error, bytes) -> written.complete(null));
            return written;
        }).get(10, TimeUnit.SECONDS);
        onLoop(() -> {
            for (ByteBuffer buffer : List.of(ByteBuffer.allocate(8), ByteBuffer.allocateDirect(8))) {
                buffer.position(1).limit(4);
                assertThat(pipe.readEnd().read(buffer)).isEqualTo(3);
                assertThat(buffer.position()).isEqualTo(4);
                assertThat(pipe.readEnd().read(buffer)).as("no room").isZero();
            }
            return null;
        });
        pipe.readEnd().close();
        pipe.writeEnd().close();
    }

    /** Opening and closing a thousand pipes, from the loop and from other threads, leaves no descriptor behind. */
    @Test
    void aThousandPipesLeaveNoDescriptor() throws Exception {
        long before = FdCount.now();
        for (int i = 0; i < 1000; i++) {
            Pipe pipe = Pipe.open(loop, loop);
            if (i % 2 == 0) {
                onLoop(() -> {
                    pipe.readEnd().subscribe((end, error) -> {});
                    pipe.readEnd().close();
                    pipe.writeEnd().close();
                    return null;
                });
            } else {
                pipe.writeEnd().close();
                pipe.readEnd().close();
            }
        }
        assertThat(FdCount.now()).isLessThanOrEqualTo(before);
    }

    /** Once the loop is destroyed, closing an end closes its descriptor on the caller. */
    @Test
    void endsCloseAfterTheirLoopIsGone() throws Exception {
        EventLoopGroup own = new EventLoopGroup(1);
        long before = FdCount.now();
        Pipe pipe = Pipe.open(own.loopAt(0), own.loopAt(0));
        own.close();
        pipe.readEnd().close();
        pipe.writeEnd().close();
        assertThat(FdCount.now()).isLessThanOrEqualTo(before - 2); // the loop's epoll and eventfd are gone too
    }
}
