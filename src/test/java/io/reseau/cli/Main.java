package io.reseau.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code reseau} command. With no arguments it runs the quick benchmark against the JDK, so
 * that one command shows what Reseau is and how it compares.
 */
public final class Main {
    static final String USAGE = """
            usage: reseau [command]

              (no command)             quick benchmark of Reseau against the JDK's sockets and TLS
                                       on loopback
              bench [--full] [--stacks NAME,NAME...] [--scenarios A,B,...] [--json FILE]
                                       the benchmark against every peer on the class path (the JDK,
                                       Netty, netty-tcnative and Conscrypt when built): quick by
                                       default (about a minute and a half per peer), --full for
                                       more and longer runs, --scenarios for some of A, B, C, P,
                                       D, E, F, G only; writes the figures as JSON to FILE
                                       (default reseau-bench.json)
              echo-server PORT [--bind ADDRESS] [--tls CERT KEY]
                                       echo every connection's bytes back, until stopped; --tls:
                                       over TLS, with the certificate chain and the PKCS#8 private
                                       key of two PEM files
              connect HOST:PORT [--tls [--alpn P,P...] [--servername NAME] [--insecure]]
                                       like nc: standard input to the socket, the socket to standard
                                       output; ends when the peer closes. --tls: like openssl
                                       s_client, prints the protocol, cipher suite, key exchange
                                       group and ALPN protocol agreed (on standard error); trusts
                                       the system's CAs and checks the host name (NAME if given,
                                       which SNI also sends), or with --insecure any certificate
              help                     this message
            """;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs a command; returns the exit status (0 done, 1 failed, 2 bad arguments). */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (command) {
                case "" -> new BenchCommand(out, err).runQuickAgainstJdk();
                case "bench" -> new BenchCommand(out, err).run(rest);
                case "echo-server" -> EchoServer.fromArguments(rest, out).serveForever();
                case "connect" -> Connect.fromArguments(rest).copy(in, out, err);
                case "help", "-h", "--help" -> out.print(USAGE);
                default -> throw new UsageException("unknown command '" + command + "'");
            }
            return 0;
        } catch (UsageException e) {
            err.println("reseau: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (Exception e) {
            err.println("reseau: " + describe(e));
            return 1;
        }
    }

    /** The failure in a line: its message, or its type when it has none (an unknown host's message is the host). */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (failure instanceof java.net.UnknownHostException) {
            return "unknown host " + message;
        }
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
