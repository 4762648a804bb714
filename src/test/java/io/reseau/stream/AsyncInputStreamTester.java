package io.reseau.stream;

import io.reseau.common.IoErrorException;
import io.reseau.future.IoFuture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An asynchronous stream over an {@link InputStreamTester} whose reads complete where the test
 * wants (aws-c-io's {@code aws_async_input_stream_tester}): on a thread of its own, at once within
 * {@code read}, or either at random. Closing it ends its thread.
 */
final class AsyncInputStreamTester extends AsyncInputStream {
    /** Where reads complete. */
    enum Completion {
        ON_ANOTHER_THREAD,
        IMMEDIATELY,
        ON_RANDOM_THREAD
    }

    /** A fixed seed: a failing random run can be run again. */
    private static final long SEED = 20240917L;

    private final InputStreamTester source;
    private final Completion completion;
    private final Random random = new Random(SEED);
    private final AtomicInteger outstandingReads = new AtomicInteger();
    private final Thread thread; // null when reads complete at once
    // The read handed to the thread, and whether it should end; guarded by this.
    private ByteBuffer readDestination;
    private IoFuture<Boolean> readFuture;
    private boolean shutDown;

    AsyncInputStreamTester(InputStreamTesterOptions options, Completion completion) {
        this.source = new InputStreamTester(options);
        this.completion = completion;
        thread = completion == Completion.IMMEDIATELY ? null
                : Thread.ofPlatform().name("async-stream-tester").daemon(true).start(this::serveReads);
    }

    @Override
    protected IoFuture<Boolean> readSome(ByteBuffer destination) {
        if (outstandingReads.getAndIncrement() != 0) {
            throw new AssertionError("overlapping reads");
        }
        IoFuture<Boolean> future = IoFuture.create();
        boolean onThread = switch (completion) {
            case ON_ANOTHER_THREAD -> true;
            case IMMEDIATELY -> false;
            case ON_RANDOM_THREAD -> random.nextBoolean();
        };
        if (onThread) {
            synchronized (this) {
                readDestination = destination;
                readFuture = future;
                notifyAll();
            }
        } else {
            readNow(destination, future);
        }
        return future;
    }

    /** Reads until there are bytes or the end: an asynchronous read may not complete with nothing. */
    private void readNow(ByteBuffer destination, IoFuture<Boolean> future) {
        int before = destination.position();
        try {
            StreamStatus status = new StreamStatus(false, true);
            while (destination.position() == before && !status.endOfStream()) {
                source.read(destination);
                status = source.status();
            }
            outstandingReads.decrementAndGet();
            future.setResult(status.endOfStream());
        } catch (IoErrorException e) {
            outstandingReads.decrementAndGet();
            future.setError(e.error(), e);
        }
    }

    private void serveReads() {
        while (true) {
            ByteBuffer destination;
            IoFuture<Boolean> future;
            synchronized (this) {
                while (!shutDown && readDestination == null) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (shutDown) {
                    return;
                }
                destination = readDestination;
                future = readFuture;
                readDestination = null;
                readFuture = null;
            }
            readNow(destination, future);
        }
    }

    long totalBytesRead() {
        return source.totalBytesRead();
    }

    Thread thread() {
        return thread;
    }

    @Override
    public void close() throws IOException {
        if (thread != null) {
            synchronized (this) {
                shutDown = true;
                notifyAll();
            }
            if (Thread.currentThread() != thread) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        source.close();
    }
}
