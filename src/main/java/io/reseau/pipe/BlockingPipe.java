package io.reseau.pipe;

import io.reseau.common.IoErrorException;
import io.reseau.eventloop.EventLoop;
import io.reseau.eventloop.EventLoopGroup;

/**
 * A {@link Pipe} for blocking code: an {@link PipeInputStream} and a {@link PipeOutputStream} over
 * its two ends, for virtual threads (which park) and platform threads (which block). The callers
 * read and write the pipe themselves; the loops only tell them when to try again.
 *
 * <pre>{@code
 * BlockingPipe pipe = BlockingPipe.open(group);
 * Thread.ofVirtual().start(() -> { try (OutputStream out = pipe.output()) { out.write(bytes); } ... });
 * try (InputStream in = pipe.input()) { in.transferTo(sink); }
 * }</pre>
 */
public final class BlockingPipe implements AutoCloseable {
    private final PipeInputStream input;
    private final PipeOutputStream output;

    private BlockingPipe(PipeInputStream input, PipeOutputStream output) {
        this.input = input;
        this.output = output;
    }

    /** A pipe whose ends are on two of {@code group}'s loops, taken in turn. */
    public static BlockingPipe open(EventLoopGroup group) throws IoErrorException {
        return open(group.nextLoop(), group.nextLoop());
    }

    /** A pipe whose read end is on {@code readLoop} and write end on {@code writeLoop}. Not from a loop's thread. */
    public static BlockingPipe open(EventLoop readLoop, EventLoop writeLoop) throws IoErrorException {
        Pipe pipe = Pipe.open(readLoop, writeLoop);
        PipeInputStream input;
        try {
            input = new PipeInputStream(pipe.readEnd());
        } catch (IoErrorException | RuntimeException e) {
            pipe.readEnd().close();
            pipe.writeEnd().close();
            throw e;
        }
        PipeOutputStream output = new PipeOutputStream(pipe.writeEnd());
        input.end().pairWith(output.end());
        output.end().pairWith(input.end());
        return new BlockingPipe(input, output);
    }

    public PipeInputStream input() {
        return input;
    }

    public PipeOutputStream output() {
        return output;
    }

    /** Closes both ends. */
    @Override
    public void close() {
        output.close();
        input.close();
    }
}
