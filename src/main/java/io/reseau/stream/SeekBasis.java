package io.reseau.stream;

/** Where a {@link IoInputStream#seek} offset counts from (aws-c-io's {@code aws_stream_seek_basis}). */
public enum SeekBasis {
    /** From the first byte: offsets are zero or positive. */
    BEGIN,
    /** From just past the last byte: offsets are zero or negative. */
    END
}
