package io.reseau.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where this system keeps its trusted roots, probed as aws-c-io does: the first directory and the
 * first bundle file that exist, in aws-c-io's order (Debian, RHEL, Android, the BSDs, Alpine...).
 * AWS-LC's own defaults are wrong on some distributions, hence the probing.
 */
final class SystemTrustStore {
    private static final List<String> DIRECTORIES = List.of("/etc/ssl/certs", "/etc/pki/tls/certs",
            "/system/etc/security/cacerts", "/usr/local/share/certs", "/etc/openssl/certs");
    private static final List<String> FILES = List.of("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
            "/etc/ssl/ca-bundle.pem", "/etc/pki/tls/cacert.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
            "/etc/ssl/cert.pem");

    private SystemTrustStore() {}

    static Optional<Path> directory() {
        return DIRECTORIES.stream().map(Path::of).filter(Files::isDirectory).findFirst();
    }

    static Optional<Path> file() {
        return FILES.stream().map(Path::of).filter(Files::isRegularFile).findFirst();
    }
}
