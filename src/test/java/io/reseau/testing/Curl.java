package io.reseau.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The curl command line as an HTTPS client for tests: one request, its response body, how it ended. */
public final class Curl {
    private Curl() {}

    /** How curl ended: its exit code (0: the request succeeded), the body with curl's own errors after it, and whether it ran out of time. */
    public record Result(int exitCode, String output, boolean timedOut) {}

    /**
     * POSTs {@code body} to {@code uri} over HTTP/1.1, verifying the server against the CA
     * certificates in {@code caFile} only, and fails (exit code 22) on an HTTP error status.
     */
    public static Result post(URI uri, Path caFile, byte[] body, Duration timeout) {
        ChildProcesses.Exit exit = ChildProcesses.run(List.of("curl", "--silent", "--show-error", "--fail", "--http1.1",
                "--cacert", caFile.toString(), "--max-time", Long.toString(timeout.toSeconds()),
                "--data-binary", "@-", uri.toString()), Path.of("."), body, timeout.plusSeconds(5));
        return new Result(exit.code(), exit.output(), exit.timedOut());
    }
}
