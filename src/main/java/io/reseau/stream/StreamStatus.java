package io.reseau.stream;

/**
 * Where a stream stands (aws-c-io's {@code aws_stream_status}).
 *
 * @param endOfStream the stream has nothing more to read (for some streams, known only once a read
 *                    has hit the end)
 * @param valid       no read has failed
 */
public record StreamStatus(boolean endOfStream, boolean valid) {
}
