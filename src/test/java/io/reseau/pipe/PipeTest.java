package io.reseau.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** aws-c-io's pipe_test.c, each test with both ends on one loop and on two. */
@Timeout(60)
class PipeTest {
    private static final int SMALL_BUFFER_SIZE = 4;
    private static final int GIANT_BUFFER_SIZE = 32 * 1024 * 1024;

    private static ByteBuffer randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeOpenClose(PipeFixture.Loops loops) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            f.onReadLoop(f::closeReadEnd);
            f.onWriteLoop(f::closeWriteEnd);
            f.awaitBothClosed();
            assertThat(f.pipe.readEnd().isOpen()).isFalse();
            assertThat(f.pipe.writeEnd().isOpen()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeReadWrite(PipeFixture.Loops loops) throws Exception {
        readWrite(loops, SMALL_BUFFER_SIZE);
    }

    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeReadWriteLargeBuffer(PipeFixture.Loops loops) throws Exception {
        readWrite(loops, GIANT_BUFFER_SIZE);
    }

    /** The writer writes everything at once and closes its end when told; the reader polls until its buffer is full. */
    private void readWrite(PipeFixture.Loops loops, int size) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            ByteBuffer source = randomBytes(size);
            ByteBuffer destination = ByteBuffer.allocate(size);
            long[] written = {0};
            f.onReadLoop(() -> readEverything(f, destination));
            f.onWriteLoop(() -> f.pipe.writeEnd().write(source, (end, error, bytes) -> f.guard(() -> {
                assertThat(error).isNull();
                written[0] += bytes.remaining();
                end.close();
                f.writeEndClosed();
            })));
            f.awaitBothClosed();
            assertThat(written[0]).isEqualTo(size);
            assertThat(destination.flip()).isEqualTo(source);
        }
    }

    /** aws-c-io's {@code s_read_everything_task}: reads what is there, rescheduling itself until the buffer is full. */
    private static void readEverything(PipeFixture f, ByteBuffer destination) throws IoErrorException {
        try {
            f.pipe.readEnd().read(destination);
        } catch (IoErrorException e) {
            if (e.error() != IoError.READ_WOULD_BLOCK) {
                throw e;
            }
        }
        if (destination.hasRemaining()) {
            f.onReadLoop(() -> readEverything(f, destination));
        } else {
            f.closeReadEnd();
        }
    }

    private static void writeOnceThenClose(PipeFixture f, ByteBuffer source) throws IoErrorException {
        f.pipe.writeEnd().write(source, (end, error, bytes) -> f.guard(() -> {
            end.close();
            f.writeEndClosed();
        }));
    }

    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeReadableEventSentAfterWrite(PipeFixture.Loops loops) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            f.closeReadEndAfterEvents = 1;
            f.onReadLoop(f::subscribeCounting);
            f.onWriteLoop(() -> writeOnceThenClose(f, randomBytes(SMALL_BUFFER_SIZE)));
            f.awaitBothClosed();
            assertThat(f.events).isEqualTo(1);
        }
    }

    /** One write, one readable event: the read end closes a while after the first, having seen at most one more. */
    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeReadableEventSentOnce(PipeFixture.Loops loops) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            f.onReadLoop(() -> f.pipe.readEnd().subscribe((end, error) -> {
                int before = f.events;
                f.countEvent(end, error);
                if (before == 0 && f.events == 1) {
                    f.on(f.readLoop, f::closeReadEnd, TimeUnit.MILLISECONDS.toNanos(500)); // watch for more meanwhile
                }
            }));
            f.onWriteLoop(() -> writeOnceThenClose(f, randomBytes(SMALL_BUFFER_SIZE)));
            f.awaitBothClosed();
            // aws-c-io accepts 1 or 2: epoll may report "readable" again with the write end's closing.
            assertThat(f.events).isBetween(1, 2);
        }
    }

    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeReadableEventSentOnSubscribeIfDataPresent(PipeFixture.Loops loops) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            f.closeReadEndAfterEvents = 1;
            f.onWriteLoop(() -> f.pipe.writeEnd().write(randomBytes(SMALL_BUFFER_SIZE), (end, error, bytes) -> f.guard(() -> {
                end.close();
                f.writeEndClosed();
                f.onReadLoop(f::subscribeCounting);
            })));
            f.awaitBothClosed();
            assertThat(f.events).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeReadableEventSentOnResubscribeIfDataPresent(PipeFixture.Loops loops) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            f.closeReadEndAfterEvents = 2;
            f.onWriteLoop(() -> {
                writeOnceThenClose(f, randomBytes(SMALL_BUFFER_SIZE));
                f.onReadLoop(() -> f.pipe.readEnd().subscribe((end, error) -> {
                    int before = f.events;
                    f.countEvent(end, error);
                    if (before == 0 && f.events == 1) {
                        f.guard(() -> {
                            end.unsubscribe();
                            end.subscribe(f::countEvent);
                        });
                    }
                }));
            });
            f.awaitBothClosed();
            assertThat(f.events).isEqualTo(2);
        }
    }

    /** Subscribe, write, read everything, write again: the second write is a second event. */
    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeReadableEventSentAgainAfterAllDataRead(PipeFixture.Loops loops) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            f.closeReadEndAfterEvents = 2;
            ByteBuffer source = randomBytes(SMALL_BUFFER_SIZE);
            int[] writes = {0};
            PipeWriteCallback secondCloses = (end, error, bytes) -> f.guard(() -> {
                assertThat(error).isNull();
                if (++writes[0] == 2) {
                    end.close();
                    f.writeEndClosed();
                }
            });
            f.onReadLoop(() -> f.pipe.readEnd().subscribe((end, error) -> {
                int before = f.events;
                f.countEvent(end, error);
                if (before == 0 && f.events == 1) {
                    f.guard(() -> {
                        assertThat(drain(end)).isPositive();
                        f.onWriteLoop(() -> f.pipe.writeEnd().write(source.duplicate(), secondCloses));
                    });
                }
            }));
            f.onWriteLoop(() -> f.pipe.writeEnd().write(source.duplicate(), secondCloses));
            f.awaitBothClosed();
            assertThat(f.events).isEqualTo(2);
        }
    }

    /** Reads until the pipe would block; returns how much was read. */
    private static int drain(PipeReadEnd end) throws IoErrorException {
        ByteBuffer buffer = ByteBuffer.allocate(SMALL_BUFFER_SIZE);
        int total = 0;
        while (true) {
            buffer.clear();
            try {
                total += end.read(buffer);
            } catch (IoErrorException e) {
                if (e.error() == IoError.READ_WOULD_BLOCK) {
                    return total;
                }
                throw e;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeErrorEventSentAfterWriteEndClosed(PipeFixture.Loops loops) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            f.monitored = IoError.BROKEN_PIPE;
            f.closeReadEndAfterEvents = 1;
            f.onReadLoop(() -> {
                f.subscribeCounting();
                f.onWriteLoop(f::closeWriteEnd);
            });
            f.awaitBothClosed();
            assertThat(f.events).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeErrorEventSentOnSubscribeIfWriteEndAlreadyClosed(PipeFixture.Loops loops) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            f.monitored = IoError.BROKEN_PIPE;
            f.closeReadEndAfterEvents = 1;
            f.onWriteLoop(() -> {
                f.closeWriteEnd();
                f.onReadLoop(f::subscribeCounting);
            });
            f.awaitBothClosed();
            assertThat(f.events).isEqualTo(1);
        }
    }

    /** 32 MiB as eight writes made at once arrive in order, and their callbacks run in order. */
    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeWritesAreFifo(PipeFixture.Loops loops) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            ByteBuffer source = randomBytes(GIANT_BUFFER_SIZE);
            ByteBuffer destination = ByteBuffer.allocate(GIANT_BUFFER_SIZE);
            List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
            long[] written = {0};
            f.onReadLoop(() -> readEverything(f, destination));
            f.onWriteLoop(() -> {
                int chunk = GIANT_BUFFER_SIZE / 8;
                for (int offset = 0; offset < GIANT_BUFFER_SIZE; offset += chunk) {
                    ByteBuffer slice = source.slice(offset, chunk);
                    int index = offset / chunk;
                    f.pipe.writeEnd().write(slice, (end, error, bytes) -> f.guard(() -> {
                        assertThat(error).isNull();
                        assertThat(bytes).isSameAs(slice);
                        completed.add(index);
                        written[0] += bytes.remaining();
                        if (written[0] == GIANT_BUFFER_SIZE) {
                            end.close();
                            f.writeEndClosed();
                        }
                    }));
                }
            });
            f.awaitBothClosed();
            assertThat(completed).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(destination.flip()).isEqualTo(source);
        }
    }

    /** An enormous write cannot finish before the end is closed: it completes with BROKEN_PIPE and no end. */
    @ParameterizedTest
    @EnumSource(PipeFixture.Loops.class)
    void pipeCleanUpCancelsPendingWrites(PipeFixture.Loops loops) throws Exception {
        try (PipeFixture f = new PipeFixture(loops)) {
            CompletableFuture<IoError> status = new CompletableFuture<>();
            List<PipeWriteEnd> endsSeen = Collections.synchronizedList(new ArrayList<>());
            f.onWriteLoop(() -> {
                f.pipe.writeEnd().write(randomBytes(GIANT_BUFFER_SIZE), (end, error, bytes) -> {
                    endsSeen.add(end);
                    status.complete(error);
                    f.onReadLoop(f::closeReadEnd);
                });
                f.closeWriteEnd();
            });
            f.awaitBothClosed();
            assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(IoError.BROKEN_PIPE);
            assertThat(endsSeen).containsExactly((PipeWriteEnd) null);
        }
    }
}
