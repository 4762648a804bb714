package io.reseau.stream;

import io.reseau.common.IoError;
import io.reseau.future.IoFuture;
import java.nio.ByteBuffer;

/**
 * {@link AsyncInputStream#readToFill}'s loop (aws-c-io's fill job). It reads again as long as reads
 * complete at once, and registers itself as the callback only of a read that is really pending
 * ({@link IoFuture#registerCallbackIfNotDone}, which never runs it on this thread): the callback
 * resumes the loop, so the stack stays flat however many reads complete synchronously.
 */
final class ReadToFill implements Runnable {
    private final AsyncInputStream stream;
    private final ByteBuffer destination;
    final IoFuture<Boolean> filled = IoFuture.create();
    private IoFuture<Boolean> step;

    ReadToFill(AsyncInputStream stream, ByteBuffer destination) {
        this.stream = stream;
        this.destination = destination;
    }

    @Override
    public void run() {
        try {
            while (true) {
                if (step != null) {
                    if (step.registerCallbackIfNotDone(this)) {
                        return; // resumed by the callback
                    }
                    IoError error = step.error();
                    boolean end = error == null && step.result();
                    step = null;
                    if (error != null) {
                        filled.setError(error);
                        return;
                    }
                    if (end || !destination.hasRemaining()) {
                        filled.setResult(end);
                        return;
                    }
                }
                step = stream.readSome(destination);
            }
        } catch (RuntimeException e) {
            // The loop may be running in a stream's callback, where nobody would hear of it.
            filled.setError(IoError.UNKNOWN, e);
        }
    }
}
