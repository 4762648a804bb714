package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import io.reseau.net.ssl.EngineLoop.Stack;
import io.reseau.testing.TestPki;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One thread wraps while another unwraps, on each engine, with data going both ways at once:
 * JSSE's engines allow it, and so must Reseau's (s2n allows one sender and one receiver).
 */
@Timeout(120)
class SSLEngineConcurrencyTest {
    private static final int BYTES_EACH_WAY = 8 << 20;
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @ParameterizedTest(name = "Reseau client, {0} server")
    @EnumSource(Stack.class)
    void eachEngineWrapsOnOneThreadAndUnwrapsOnAnotherWhileDataGoesBothWays(Stack serverStack) throws Exception {
        EngineLoop loop = EngineLoop.of(pki, Stack.RESEAU, serverStack, "TLSv1.3").handshake();
        byte[] up = ReseauSSLEngineTest.randomBytes(BYTES_EACH_WAY);
        byte[] down = ReseauSSLEngineTest.randomBytes(BYTES_EACH_WAY + 1);
        BlockingQueue<ByteBuffer> toServer = new LinkedBlockingQueue<>();
        BlockingQueue<ByteBuffer> toClient = new LinkedBlockingQueue<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> done = threads.invokeAll(List.<Callable<byte[]>>of(
                    () -> wrapAll(loop.client, up, toServer),
                    () -> unwrapAll(loop.server, toServer, up.length),
                    () -> wrapAll(loop.server, down, toClient),
                    () -> unwrapAll(loop.client, toClient, down.length)));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            assertThat(done.get(1).get()).isEqualTo(sha.digest(up));
            assertThat(done.get(3).get()).isEqualTo(sha.digest(down));
        }
    }

    /** Wraps {@code bytes} in records sent one by one to {@code records}. */
    private static byte[] wrapAll(SSLEngine engine, byte[] bytes, BlockingQueue<ByteBuffer> records) throws Exception {
        ByteBuffer source = ByteBuffer.wrap(bytes);
        while (source.hasRemaining()) {
            ByteBuffer record = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult result = engine.wrap(source, record);
            assertThat(result.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
            records.put(record.flip());
        }
        return null;
    }

    /** Unwraps records from {@code records} until {@code expected} bytes came; their digest. */
    private static byte[] unwrapAll(SSLEngine engine, BlockingQueue<ByteBuffer> records, int expected) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        ByteBuffer application = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        for (long received = 0; received < expected; ) {
            ByteBuffer record = records.take();
            while (record.hasRemaining()) {
                application.clear();
                SSLEngineResult result = engine.unwrap(record, application);
                assertThat(result.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
                digest.update(application.flip());
                received += result.bytesProduced();
            }
        }
        return digest.digest();
    }
}
