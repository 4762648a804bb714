package io.reseau.bootstrap;

import io.reseau.common.IoError;
import java.net.SocketAddress;
import java.util.Objects;

/** One address a connect tried, and how that attempt failed. */
public record FailedAttempt(SocketAddress address, IoError error) {
    public FailedAttempt {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(error, "error");
    }
}
