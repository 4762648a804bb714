package io.reseau.pipe;

import io.reseau.eventloop.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;

/**
 * A pipe's two ends as streams, Reseau's or the JDK's ({@link java.nio.channels.Pipe} through
 * {@link Channels}), so that one scenario runs on both.
 */
record PipeStreams(String stack, InputStream in, OutputStream out) implements AutoCloseable {
    /** The stacks compared: Reseau's blocking pipe, and the JDK's pipe streams. */
    enum Stack { RESEAU, JDK }

    static PipeStreams open(Stack stack, EventLoopGroup group) throws IOException {
        return switch (stack) {
            case RESEAU -> {
                BlockingPipe pipe = BlockingPipe.open(group);
                yield new PipeStreams("reseau", pipe.input(), pipe.output());
            }
            case JDK -> {
                java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
                yield new PipeStreams("jdk", Channels.newInputStream(pipe.source()), Channels.newOutputStream(pipe.sink()));
            }
        };
    }

    @Override
    public void close() throws IOException {
        out.close();
        in.close();
    }
}
