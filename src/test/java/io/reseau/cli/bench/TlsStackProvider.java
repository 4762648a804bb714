package io.reseau.cli.bench;

/**
 * A TLS stack the benchmark can find at run time ({@link java.util.ServiceLoader}), as
 * {@link StackProvider} finds the others: peers such as Netty's OpenSSL engine stay benchmark-only
 * dependencies.
 */
public interface TlsStackProvider {
    /** The stack's name in options and reports, such as {@code netty-tcnative}. */
    String name();

    /** Why the stack cannot run on this machine (say, its native library did not load), or null if it can. */
    String unavailableReason();

    /** A new stack, ready to run scenario D; the caller closes it. */
    TlsStack create() throws Exception;
}
