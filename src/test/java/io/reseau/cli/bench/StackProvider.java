package io.reseau.cli.bench;

/**
 * A stack the benchmark can find at run time ({@link java.util.ServiceLoader}), so that peers such
 * as Netty stay benchmark-only dependencies: they are on the class path when built, and Reseau's
 * own code never names them.
 */
public interface StackProvider {
    /** The stack's name in options and reports, such as {@code netty-epoll}. */
    String name();

    /** Why the stack cannot run on this machine (say, the kernel has no io_uring), or null if it can. */
    String unavailableReason();

    /** A new stack, ready to run scenarios; the caller closes it. */
    Stack create() throws Exception;
}
