package io.reseau.pipe;

import io.reseau.common.IoError;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;
import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * aws-c-io's pipe test fixture: a pipe with its ends on one loop or two, steps run as tasks on
 * those loops, and the test's end when both ends are closed or a step failed.
 */
final class PipeFixture implements AutoCloseable {
    /** aws-c-io runs each pipe test twice: both ends on one loop, and each on its own. */
    enum Loops { SAME_LOOP, TWO_LOOPS }

    /** A step of a test, on a loop's thread; whatever it throws fails the test. */
    interface Step {
        void run() throws Exception;
    }

    final EventLoopGroup group;
    final EventLoop readLoop;
    final EventLoop writeLoop;
    final Pipe pipe;
    private final CompletableFuture<Void> readEndClosed = new CompletableFuture<>();
    private final CompletableFuture<Void> writeEndClosed = new CompletableFuture<>();
    private final CompletableFuture<Void> failed = new CompletableFuture<>();

    // Readable events of one kind (aws-c-io: error_code_to_monitor), counted on the read loop.
    IoError monitored;
    volatile int events;
    int closeReadEndAfterEvents;

    PipeFixture(Loops loops) throws Exception {
        group = new EventLoopGroup(2);
        readLoop = group.loopAt(0);
        writeLoop = loops == Loops.SAME_LOOP ? readLoop : group.loopAt(1);
        pipe = Pipe.open(readLoop, writeLoop);
    }

    void onReadLoop(Step step) {
        on(readLoop, step, 0);
    }

    void onWriteLoop(Step step) {
        on(writeLoop, step, 0);
    }

    /** Runs {@code step} on {@code loop} after {@code delay}; a cancelled step fails the test. */
    void on(EventLoop loop, Step step, long delayNanos) {
        Task task = new Task("pipe-test-step", status -> {
            if (status != TaskStatus.RUN_READY) {
                failed.completeExceptionally(new AssertionError("a step was cancelled"));
                return;
            }
            guard(step);
        });
        if (delayNanos == 0) {
            loop.scheduleNow(task);
        } else {
            loop.scheduleFuture(task, loop.currentTimeNanos() + delayNanos);
        }
    }

    /** Runs a step already on its loop, a callback's body, recording its failure. */
    void guard(Step step) {
        try {
            step.run();
        } catch (Throwable t) {
            failed.completeExceptionally(t);
        }
    }

    void closeReadEnd() {
        pipe.readEnd().close();
        readEndClosed.complete(null);
    }

    void closeWriteEnd() {
        pipe.writeEnd().close();
        writeEndClosed.complete(null);
    }

    void writeEndClosed() {
        writeEndClosed.complete(null);
    }

    /** aws-c-io's {@code s_on_readable_event}: counts the monitored events, closing the read end after so many. */
    void countEvent(PipeReadEnd end, IoError error) {
        if (error == monitored) {
            events++;
            if (events == closeReadEndAfterEvents) {
                guard(this::closeReadEnd);
            }
        }
    }

    void subscribeCounting() throws Exception {
        pipe.readEnd().subscribe(this::countEvent);
    }

    /** Waits until both ends are closed; a failed step fails the wait. */
    void awaitBothClosed() throws Exception {
        CompletableFuture.anyOf(failed, CompletableFuture.allOf(readEndClosed, writeEndClosed))
                .get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
        if (failed.isDone()) {
            failed.join();
        }
    }

    @Override
    public void close() {
        group.close();
    }
}
