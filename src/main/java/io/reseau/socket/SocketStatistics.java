package io.reseau.socket;

import io.reseau.channel.HandlerStatistics;

/** What a socket handler moved in one statistics interval. */
public record SocketStatistics(long bytesRead, long bytesWritten) implements HandlerStatistics {
    @Override
    public String category() {
        return "socket";
    }
}
