package io.reseau.channel;

/** A handler's figures for one statistics interval (aws-c-io's {@code aws_crt_statistics_base}). */
public interface HandlerStatistics {
    /** "socket", "tls", ...: what kind of handler reported it. */
    String category();
}
