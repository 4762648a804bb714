package io.reseau.bootstrap;

/** A connection {@link ClientBootstrap#connect} is making; it can be abandoned. */
public interface ConnectAttempt {
    /**
     * Abandons the attempt from any thread: sockets still connecting are closed and {@code onSetup}
     * reports {@code OPERATION_CANCELLED}, unless it has already reported. A channel set up
     * meanwhile is shut down instead of being handed out.
     */
    void cancel();

    /**
     * The addresses tried that failed, each with how, in the order they were tried: complete once
     * {@code onSetup} has reported; empty if no address was tried (the host did not resolve).
     */
    java.util.List<FailedAttempt> failedAttempts();
}
