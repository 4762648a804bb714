package io.reseau.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario D6's clients: OpenSSL's own, as a user's load tool is. Several {@code openssl s_time -new
 * -tls1_3} processes at once, each connecting, completing a full TLS 1.3 handshake and closing
 * (without a close_notify), in a loop, for a whole number of seconds. Each trusts the stack's
 * authority, so that OpenSSL's chain check (done even though s_time does not act on its result)
 * succeeds against every stack alike.
 *
 * <p>The rate is the connections all processes report over the wall time from starting the first
 * to the exit of the last: s_time's own "real seconds" are whole seconds of {@code time()}, off by
 * up to one second from the loop it times. The wall time includes each process's start (a few
 * milliseconds of seconds), on every stack alike.
 */
public final class OpensslClients {
    private static final String COMMAND = "openssl";

    /** s_time's summary: "2231 connections in 3 real seconds, 0 bytes read per connection". */
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) connections in \\d+ real seconds");

    private OpensslClients() {}

    /** Why D6 cannot run here, or null when it can. */
    public static String unavailableReason() {
        try {
            Process version = new ProcessBuilder(COMMAND, "version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor() == 0 ? null : "`openssl version` failed";
        } catch (IOException e) {
            return "no `openssl` command here (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for `openssl`";
        }
    }

    /**
     * Runs {@code processes} s_time clients at once against {@code port} on the loopback address
     * for {@code seconds}; the connections they made, each shown to be a full handshake, and the rate.
     */
    static Results.Connections run(X509Certificate authority, int port, int processes, int seconds)
            throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("reseau-d6");
        try {
            Path authorityFile = directory.resolve("authority.pem");
            Files.writeString(authorityFile, pem(authority), StandardCharsets.US_ASCII);
            List<Process> clients = new ArrayList<>(processes);
            long start = System.nanoTime();
            try {
                for (int i = 0; i < processes; i++) {
                    clients.add(new ProcessBuilder(COMMAND, "s_time", "-connect", "127.0.0.1:" + port, "-new", "-tls1_3",
                            "-CAfile", authorityFile.toString(), "-time", Integer.toString(seconds))
                            .redirectOutput(directory.resolve(i + ".out").toFile())
                            .redirectError(directory.resolve(i + ".err").toFile())
                            .start());
                }
                for (Process client : clients) {
                    if (!client.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                        throw new IOException("openssl s_time ran more than a minute past its " + seconds + " s");
                    }
                }
            } finally {
                clients.forEach(Process::destroy);
            }
            long elapsed = System.nanoTime() - start;
            long connections = 0;
            for (int i = 0; i < processes; i++) {
                String errors = Files.readString(directory.resolve(i + ".err"));
                if (clients.get(i).exitValue() != 0) {
                    throw new IOException("openssl s_time failed (exit " + clients.get(i).exitValue() + "): " + errors.strip());
                }
                connections += fullHandshakes(Files.readString(directory.resolve(i + ".out")));
            }
            return Results.connections(connections, elapsed);
        } finally {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
    }

    /**
     * The connections one s_time run reports, once each is known to have been a full handshake:
     * s_time prints a mark per connection, {@code *} for a new session and {@code r} for a resumed
     * one, and the marks must add up to its count.
     */
    static long fullHandshakes(String output) throws IOException {
        Matcher summary = SUMMARY.matcher(output);
        if (!summary.find()) {
            throw new IOException("no connection count in openssl s_time's output: " + output.strip());
        }
        long reported = Long.parseLong(summary.group(1));
        // The marks fill the line after "Collecting connection statistics for N seconds".
        int marksStart = output.indexOf('\n', output.indexOf("Collecting connection statistics")) + 1;
        int marksEnd = output.indexOf('\n', marksStart);
        String marks = marksStart == 0 || marksEnd < 0 ? "" : output.substring(marksStart, marksEnd);
        long full = marks.chars().filter(c -> c == '*').count();
        long resumed = marks.chars().filter(c -> c == 'r').count();
        if (full != reported || resumed != 0) {
            throw new IOException("openssl s_time reported " + reported + " connections, " + full + " of them new sessions and "
                    + resumed + " resumed");
        }
        return reported;
    }

    private static String pem(X509Certificate certificate) throws IOException {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode the authority's certificate", e);
        }
    }
}
