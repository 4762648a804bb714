package io.reseau.cli;

/** The command line does not say what to do: the usage is shown and the exit status is 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
