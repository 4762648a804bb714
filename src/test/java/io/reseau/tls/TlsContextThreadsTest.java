package io.reseau.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import io.reseau.testing.TestPki;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contexts are built on the caller's thread, virtual threads included (the threading rule in DESIGN.md). */
class TlsContextThreadsTest {
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @Test
    void manyVirtualThreadsBuildingFailingContextsEachReportTheirOwnS2nError() throws Exception {
        // Two failures with different s2n reasons, interleaved on two carriers: a park between one
        // thread's failing call and its read of s2n's per-OS-thread error would show the other's.
        TestPki.Credential rsa = pki.credential(TestPki.Kind.SERVER_RSA);
        TestPki.Credential ec = pki.credential(TestPki.Kind.SERVER_EC256);
        TlsContextOptions mismatchedKey = TlsContextOptions.server(rsa.chainPem(), ec.privateKeyPem());
        TlsContextOptions unknownPolicy = TlsContextOptions.client().withSecurityPolicy("no-such-policy");
        List<Future<IoErrorException>> mismatches = new ArrayList<>();
        List<Future<IoErrorException>> policies = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                mismatches.add(threads.submit(failureOf(mismatchedKey)));
                policies.add(threads.submit(failureOf(unknownPolicy)));
            }
        }
        for (Future<IoErrorException> mismatch : mismatches) {
            assertThat(mismatch.get().error()).isEqualTo(IoError.TLS_CTX_ERROR);
            assertThat(mismatch.get()).hasMessageContaining("S2N_ERR_KEY_MISMATCH");
        }
        for (Future<IoErrorException> policy : policies) {
            assertThat(policy.get().error()).isEqualTo(IoError.TLS_CIPHER_PREF_UNSUPPORTED);
            assertThat(policy.get()).hasMessageContaining("S2N_ERR_INVALID_SECURITY_POLICY");
        }
    }

    @Test
    void buildingContextsOnAVirtualThreadStartsNoThread() throws Exception {
        TestPki.Credential ec = pki.credential(TestPki.Kind.SERVER_EC256);
        TlsContextOptions options = TlsContextOptions.server(ec.chainPem(), ec.privateKeyPem());
        TlsContext.create(options).close(); // s2n loaded, its initialisation's threads started
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int contexts = 20;
        long startedBefore = threads.getTotalStartedThreadCount();
        Thread builder = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < contexts; i++) {
                try {
                    TlsContext.create(options).close();
                } catch (IoErrorException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        builder.join();
        // Platform threads only (virtual ones are not counted); the JVM may start one of its own
        // meanwhile (a compiler thread), never one per context.
        assertThat(threads.getTotalStartedThreadCount() - startedBefore).isLessThan(contexts / 2);
    }

    private static Callable<IoErrorException> failureOf(TlsContextOptions options) {
        return () -> {
            try {
                TlsContext.create(options).close();
                return null;
            } catch (IoErrorException expected) {
                return expected;
            }
        };
    }
}
