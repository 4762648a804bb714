package io.reseau.testing;

import io.reseau.testing.TestPki.Credential;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * OpenSSL's {@code s_server} and {@code s_client} as TLS peers for tests, as child processes of
 * this JVM (OpenSSL 3.0 behaviour, checked by running it, is noted where it matters).
 *
 * <p>The server is an exact echo: whatever a client sends comes back, byte for byte, at any
 * size. s_server has no such mode ({@code -rev} reverses text lines, strips CR/LF and closes on
 * a line "CLOSE"), so it runs with {@code -brief}, which writes what it receives, and only
 * that, to stdout and sends what it reads from stdin; this class copies the one into the other.
 * {@code -brief} also turns the interactive commands off (in plain mode, data starting with Q
 * or q would stop the server) and prints a summary of each handshake on stderr:
 * <pre>
 * Protocol version: TLSv1.3
 * Ciphersuite: TLS_AES_256_GCM_SHA384
 * Peer certificate: CN = reseau-client      (or "No peer certificate")
 * Verification: OK
 * </pre>
 * which {@link #output()} and {@link #awaitOutput(String)} give. Everything else the server
 * saw (SNI, offered and selected ALPN, groups, signature algorithms) is in its handshake
 * {@link #trace()}.
 *
 * <p>s_server listens on 127.0.0.1 only, on a free port it is given (it cannot pick one).
 */
public final class OpenSslPeer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final Duration STARTUP = Duration.ofSeconds(10);
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 5;

    /** Whether s_server asks for a client certificate. */
    public enum ClientAuth {
        NONE,
        /** {@code -verify}: asks; a client may send none, but one that fails verification fails the handshake. */
        REQUEST,
        /** {@code -Verify}: a client without a valid certificate fails the handshake. */
        REQUIRE
    }

    /**
     * What s_server is started with. Protocol bounds are OpenSSL's names ("TLSv1.2", "TLSv1.3"),
     * null for OpenSSL's default; {@code connections} 0 means until {@link #close()}.
     */
    public record ServerOptions(Credential credential, String minProtocol, String maxProtocol, List<String> alpn,
                                ClientAuth clientAuth, Path clientCa, int connections, List<String> extraArgs) {
        public ServerOptions {
            if (credential == null) {
                throw new IllegalArgumentException("s_server needs a credential");
            }
            if (clientAuth != ClientAuth.NONE && clientCa == null) {
                throw new IllegalArgumentException("client authentication needs the CA that issued the client's certificate");
            }
            alpn = List.copyOf(alpn);
            extraArgs = List.copyOf(extraArgs);
        }

        public static ServerOptions of(Credential credential) {
            return new ServerOptions(credential, null, null, List.of(), ClientAuth.NONE, null, 0, List.of());
        }

        public ServerOptions withProtocols(String min, String max) {
            return new ServerOptions(credential, min, max, alpn, clientAuth, clientCa, connections, extraArgs);
        }

        /** The protocols s_server accepts, in its order of preference (OpenSSL picks by its own list, not the client's). */
        public ServerOptions withAlpn(String... protocols) {
            return new ServerOptions(credential, minProtocol, maxProtocol, List.of(protocols), clientAuth, clientCa,
                    connections, extraArgs);
        }

        public ServerOptions withClientAuth(ClientAuth mode, Path trustedCa) {
            return new ServerOptions(credential, minProtocol, maxProtocol, alpn, mode, trustedCa, connections, extraArgs);
        }

        /** s_server exits after {@code count} connections ({@code -naccept}), handshakes that failed included. */
        public ServerOptions withConnections(int count) {
            return new ServerOptions(credential, minProtocol, maxProtocol, alpn, clientAuth, clientCa, count, extraArgs);
        }

        /** More s_server options, e.g. "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256" or "-groups", "P-384". */
        public ServerOptions withExtraArgs(String... args) {
            return new ServerOptions(credential, minProtocol, maxProtocol, alpn, clientAuth, clientCa, connections,
                    List.of(args));
        }
    }

    /**
     * What s_client is run with. {@code serverName} is sent as SNI; null sends none (OpenSSL
     * sends none anyway when connecting to an IP address). {@code input} is sent once the
     * connection is up; s_client then waits for the server to close, or {@code timeout}.
     */
    public record ClientOptions(String host, int port, String serverName, List<String> alpn, Path caFile,
                                Credential credential, String minProtocol, String maxProtocol, byte[] input,
                                Duration timeout, List<String> extraArgs) {
        public ClientOptions {
            alpn = List.copyOf(alpn);
            input = input.clone();
            extraArgs = List.copyOf(extraArgs);
        }

        /** To 127.0.0.1:{@code port}, SNI localhost, trusting the system's CAs, sending nothing, for 10 s at most. */
        public static ClientOptions connect(int port) {
            return new ClientOptions(HOST, port, "localhost", List.of(), null, null, null, null, new byte[0],
                    DEFAULT_WAIT, List.of());
        }

        public ClientOptions withServerName(String name) {
            return new ClientOptions(host, port, name, alpn, caFile, credential, minProtocol, maxProtocol, input,
                    timeout, extraArgs);
        }

        public ClientOptions withAlpn(String... protocols) {
            return new ClientOptions(host, port, serverName, List.of(protocols), caFile, credential, minProtocol,
                    maxProtocol, input, timeout, extraArgs);
        }

        /** The CA certificates to verify the server with ({@code -CAfile}). */
        public ClientOptions withCaFile(Path file) {
            return new ClientOptions(host, port, serverName, alpn, file, credential, minProtocol, maxProtocol, input,
                    timeout, extraArgs);
        }

        /** The certificate s_client presents if the server asks for one. */
        public ClientOptions withCredential(Credential clientCredential) {
            return new ClientOptions(host, port, serverName, alpn, caFile, clientCredential, minProtocol, maxProtocol,
                    input, timeout, extraArgs);
        }

        public ClientOptions withProtocols(String min, String max) {
            return new ClientOptions(host, port, serverName, alpn, caFile, credential, min, max, input, timeout,
                    extraArgs);
        }

        public ClientOptions withInput(byte[] bytes) {
            return new ClientOptions(host, port, serverName, alpn, caFile, credential, minProtocol, maxProtocol, bytes,
                    timeout, extraArgs);
        }

        public ClientOptions withInput(String text) {
            return withInput(text.getBytes(StandardCharsets.UTF_8));
        }

        public ClientOptions withTimeout(Duration limit) {
            return new ClientOptions(host, port, serverName, alpn, caFile, credential, minProtocol, maxProtocol, input,
                    limit, extraArgs);
        }

        /** More s_client options, e.g. "-verify_return_error" to stop at a certificate that fails verification. */
        public ClientOptions withExtraArgs(String... args) {
            return new ClientOptions(host, port, serverName, alpn, caFile, credential, minProtocol, maxProtocol, input,
                    timeout, List.of(args));
        }
    }

    /**
     * How s_client ended, with all it printed (stdout and stderr), e.g. "Protocol  : TLSv1.3",
     * "Cipher    : TLS_AES_256_GCM_SHA384", "ALPN protocol: h2" (or "No ALPN negotiated"),
     * "Verify return code: 0 (ok)", and what the server sent. s_client continues after a failed
     * verification unless given "-verify_return_error": check the verify return code.
     */
    public record ClientResult(int exitCode, String output, boolean timedOut) {}

    private final Process process;
    private final int port;
    private final Path traceFile;
    private final StringBuilder output = new StringBuilder();
    private final BlockingQueue<byte[]> toServer = new LinkedBlockingQueue<>();
    private final List<Thread> pumps = new ArrayList<>();

    private OpenSslPeer(ServerOptions options, int port, Path traceFile) {
        this.port = port;
        this.traceFile = traceFile;
        process = ChildProcesses.start(new ProcessBuilder(serverCommand(options, port, traceFile)));
        pumps.add(Thread.ofPlatform().daemon().name("s_server-" + port + "-stderr").start(this::collectStderr));
        pumps.add(Thread.ofPlatform().daemon().name("s_server-" + port + "-echo-in").start(this::takeStdout));
        pumps.add(Thread.ofPlatform().daemon().name("s_server-" + port + "-echo-out").start(this::feedStdin));
    }

    /**
     * Starts s_server and returns once it listens. If another process took the free port found
     * for it before it could bind (s_server then prints "Address already in use" and, in OpenSSL
     * 3.0, exits with 0), it starts again on another.
     */
    public static OpenSslPeer server(ServerOptions options) {
        Path traceFile = tempFile(options.credential(), ".trace");
        for (int attempt = 1; ; attempt++) {
            OpenSslPeer peer = new OpenSslPeer(options, freeLoopbackPort(), traceFile);
            try {
                if (peer.awaitListening()) {
                    return peer;
                }
            } catch (RuntimeException | Error e) {
                peer.close();
                throw e;
            }
            peer.close();
            if (attempt == PORT_ATTEMPTS || !peer.output().contains("Address already in use")) {
                throw new IllegalStateException("s_server did not start:\n" + peer.output());
            }
        }
    }

    /** Runs s_client to completion (the server closed, s_client failed, or the timeout passed). */
    public static ClientResult client(ClientOptions options) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client",
                "-connect", options.host() + ":" + options.port(),
                // -nocommands: data starting with Q, R or k is data, not "quit", "renegotiate" or "key update"
                // -ign_eof: the end of the input does not end the connection; the server's close does
                "-nocommands", "-ign_eof"));
        if (options.serverName() == null) {
            command.add("-noservername");
        } else {
            command.addAll(List.of("-servername", options.serverName()));
        }
        if (options.caFile() != null) {
            command.addAll(List.of("-CAfile", options.caFile().toString()));
        }
        if (options.credential() != null) {
            command.addAll(credentialArgs(options.credential()));
        }
        command.addAll(tlsArgs(options.minProtocol(), options.maxProtocol(), options.alpn()));
        command.addAll(options.extraArgs());
        ChildProcesses.Exit exit = ChildProcesses.run(command, Path.of("."), options.input(), options.timeout());
        return new ClientResult(exit.code(), exit.output(), exit.timedOut());
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(HOST, port);
    }

    /** What s_server printed on stderr so far: a summary of each handshake, and errors. */
    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Waits up to 10 s for s_server to print {@code text}, and returns all it printed. */
    public String awaitOutput(String text) {
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        synchronized (output) {
            while (output.indexOf(text) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("s_server did not print \"" + text + "\" within " + DEFAULT_WAIT
                            + "; it printed:\n" + output);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(output, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return output.toString();
        }
    }

    /** Sends {@code bytes} to the connected client, in order with the echo. */
    public void send(byte[] bytes) {
        toServer.add(bytes.clone());
    }

    /** Waits for s_server to exit, which it does once it has served {@link ServerOptions#connections()}. */
    public void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("s_server still runs after " + timeout + "; it printed:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * s_server's {@code -trace} of every record it sent and received, handshake messages
     * decoded. Complete only once s_server has exited (see {@link #awaitExit}): it writes the
     * trace through a 4 KiB stdio buffer that only exit flushes, and {@link #close()} kills it
     * before it can.
     */
    public String trace() {
        try {
            return Files.readString(traceFile);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The host names clients sent as SNI, one per ClientHello that had one, decoded from the
     * {@link #trace()} (s_server prints SNI nowhere else unless it switches to a second
     * certificate, which would lose the chain and ALPN). The server must have exited.
     */
    public List<String> requestedServerNames() {
        if (process.isAlive()) {
            throw new IllegalStateException("the trace is complete only once s_server exited: give it withConnections(n)"
                    + " and call awaitExit first");
        }
        List<String> names = new ArrayList<>();
        List<String> lines = trace().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("extension_type=server_name(0), length=") && !line.endsWith("length=0")) {
                StringBuilder hex = new StringBuilder();
                // the value is hex-dumped, 15 bytes a line: "0000 - 00 0c 00 00 09 6c 6f 63-61 ...   .....loc"
                while (i + 1 < lines.size() && lines.get(i + 1).matches("\\s+[0-9a-f]{4} - .*")) {
                    String dump = lines.get(++i);
                    String bytes = dump.substring(dump.indexOf(" - ") + 3);
                    hex.append(bytes, 0, bytes.contains("  ") ? bytes.indexOf("  ") : bytes.length());
                }
                names.addAll(hostNames(HexFormat.of().parseHex(hex.toString().replaceAll("[ -]", ""))));
            }
        }
        return names;
    }

    /** The host_name entries of a server_name extension (RFC 6066): a list length, then type, length, name. */
    private static List<String> hostNames(byte[] extension) {
        List<String> names = new ArrayList<>();
        for (int at = 2; at + 3 <= extension.length; ) {
            int type = extension[at];
            int length = ((extension[at + 1] & 0xff) << 8) | (extension[at + 2] & 0xff);
            if (type == 0) {
                names.add(new String(extension, at + 3, length, StandardCharsets.US_ASCII));
            }
            at += 3 + length;
        }
        return names;
    }

    /** Kills s_server if it still runs, and waits until it and the threads serving it are gone. */
    @Override
    public void close() {
        ChildProcesses.stop(process);
        pumps.forEach(Thread::interrupt);
        for (Thread pump : pumps) {
            try {
                pump.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<String> serverCommand(ServerOptions options, int port, Path traceFile) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", HOST + ":" + port, "-brief",
                "-trace", "-msgfile", traceFile.toString()));
        command.addAll(credentialArgs(options.credential()));
        if (options.connections() > 0) {
            command.addAll(List.of("-naccept", Integer.toString(options.connections())));
        }
        if (options.clientAuth() != ClientAuth.NONE) {
            // without -verify_return_error, s_server logs a bad client certificate and goes on
            command.addAll(List.of(options.clientAuth() == ClientAuth.REQUIRE ? "-Verify" : "-verify", "4",
                    "-CAfile", options.clientCa().toString(), "-verify_return_error"));
        }
        command.addAll(tlsArgs(options.minProtocol(), options.maxProtocol(), options.alpn()));
        command.addAll(options.extraArgs());
        return command;
    }

    /**
     * The leaf, its key, and its intermediates. -cert reads the first certificate of the chain
     * file only. -cert_chain would send every certificate of its file, the leaf twice here, so
     * the chain file is given as -chainCAfile instead, from which OpenSSL builds the chain it
     * sends: the leaf and the intermediate, without the root, which is not in the file.
     */
    private static List<String> credentialArgs(Credential credential) {
        return List.of("-cert", credential.certificate().toString(), "-key", credential.privateKey().toString(),
                "-chainCAfile", credential.chain().toString());
    }

    private static List<String> tlsArgs(String minProtocol, String maxProtocol, List<String> alpn) {
        List<String> args = new ArrayList<>();
        if (minProtocol != null) {
            args.addAll(List.of("-min_protocol", minProtocol));
        }
        if (maxProtocol != null) {
            args.addAll(List.of("-max_protocol", maxProtocol));
        }
        if (!alpn.isEmpty()) {
            args.addAll(List.of("-alpn", String.join(",", alpn)));
        }
        return args;
    }

    /** Polls until this s_server holds a listening socket on its port; false if it exited first. */
    private boolean awaitListening() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            if (listening()) {
                return true;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("s_server did not listen within " + STARTUP + "; it printed:\n" + output());
    }

    /**
     * Whether a socket of this process listens on the port, from the kernel's table: connecting to
     * find out would use up one of its -naccept connections, and in -brief mode it prints no "ACCEPT".
     * Matching the socket's inode to the process's descriptors tells its socket from a socket
     * another process may have bound to the same port meanwhile.
     */
    private boolean listening() {
        Set<String> sockets = TcpTable.entries().stream().filter(e -> e.is(TcpTable.State.LISTEN) && e.localPort() == port)
                .map(e -> "socket:[" + e.inode() + "]").collect(Collectors.toSet());
        if (sockets.isEmpty()) {
            return false;
        }
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return descriptors.anyMatch(fd -> {
                try {
                    return sockets.contains(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            });
        } catch (IOException e) {
            return false; // the process exited meanwhile
        }
    }

    private void collectStderr() {
        char[] buffer = new char[4096];
        try (Reader in = new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (output) {
                    output.append(buffer, 0, n);
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            // s_server is gone
        }
    }

    /**
     * The echo's two halves run apart, joined by an unbounded queue: were one thread to write
     * stdin while s_server blocks writing a full stdout pipe, neither would move again.
     */
    private void takeStdout() {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = process.getInputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                toServer.add(Arrays.copyOf(buffer, n));
            }
        } catch (IOException e) {
            // s_server is gone
        }
    }

    /** Never closes stdin while s_server runs: at the end of its input, s_server (3.0, -brief too) drops its client at once. */
    private void feedStdin() {
        OutputStream in = process.getOutputStream();
        try {
            while (true) {
                in.write(toServer.take());
                in.flush();
            }
        } catch (InterruptedException | IOException e) {
            // closed, or s_server is gone
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files this class writes go next to the credential's, in the test's temporary directory. */
    private static Path tempFile(Credential credential, String suffix) {
        try {
            return Files.createTempFile(credential.certificate().toAbsolutePath().getParent(), "s_server-", suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
