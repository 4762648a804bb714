package io.reseau.cli;

/** The command line does not say what to do: the usage is shown and the exit status is 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    /** Fails with {@code message} unless {@code args} holds {@code count} values after the option at {@code index}. */
    static void requireValues(String[] args, int index, int count, String message) throws UsageException {
        if (index + count >= args.length) {
            throw new UsageException(message);
        }
    }
}
