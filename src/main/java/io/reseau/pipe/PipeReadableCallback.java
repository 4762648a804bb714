package io.reseau.pipe;

import io.reseau.common.IoError;

/** Hears that a pipe's read end turned readable, or that its write end is gone; on the read end's loop. */
@FunctionalInterface
public interface PipeReadableCallback {
    /**
     * @param error null: bytes wait to be read (an edge: told again only once everything was read
     *     and more arrived); {@link IoError#BROKEN_PIPE}: the write end is closed
     */
    void onReadable(PipeReadEnd end, IoError error);
}
