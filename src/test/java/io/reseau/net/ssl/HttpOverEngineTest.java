package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.reseau.net.ssl.EngineLoop.Stack;
import io.reseau.testing.Curl;
import io.reseau.testing.OpenSslPeer;
import io.reseau.testing.TestPki;
import io.reseau.testing.TestPki.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JDK's HTTP client and HTTPS server, which take an SSLContext and run its SSLEngines, with
 * Reseau's: the client against {@code openssl s_server -www} and against the JDK's HTTPS server
 * on JSSE, and the JDK's HTTPS server on Reseau serving {@code openssl s_client}, curl and the
 * JDK's client.
 */
@Timeout(60)
class HttpOverEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestPki pki;

    @BeforeAll
    static void generatePki(@TempDir Path dir) {
        pki = TestPki.generate(dir);
    }

    @Test
    void theJdkHttpClientOnReseauGetsAPageFromOpenSslsWebServer() throws Exception {
        try (OpenSslPeer server = OpenSslPeer.server(OpenSslPeer.ServerOptions.of(pki.credential(Kind.SERVER_EC256))
                .withExtraArgs("-www"));
                HttpClient client = client(EngineLoop.clientContext(pki, Stack.RESEAU), HttpClient.Version.HTTP_1_1)) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            // -www describes the connection it served
            assertThat(response.body()).contains("New, TLSv1.3, Cipher is");
            assertThat(response.sslSession()).get().satisfies(session -> assertThat(session.getProtocol()).isEqualTo("TLSv1.3"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(HttpClient.Version.class)
    void theJdkHttpClientOnReseauPostsToTheJdkHttpsServerOnJsse(HttpClient.Version version) throws Exception {
        try (Echo server = Echo.start(EngineLoop.serverContext(pki, Stack.JSSE));
                HttpClient client = client(EngineLoop.clientContext(pki, Stack.RESEAU), version)) {
            exchange(client, server);
        }
    }

    @Test
    void theJdkHttpsServerOnReseauServesTheJdkHttpClientOnJsseAndOnReseau() throws Exception {
        try (Echo server = Echo.start(EngineLoop.serverContext(pki, Stack.RESEAU))) {
            for (Stack stack : Stack.values()) {
                try (HttpClient client = client(EngineLoop.clientContext(pki, stack), HttpClient.Version.HTTP_1_1)) {
                    exchange(client, server);
                }
            }
        }
    }

    @Test
    void theJdkHttpsServerOnReseauServesOpenSslsClient() throws Exception {
        try (Echo server = Echo.start(EngineLoop.serverContext(pki, Stack.RESEAU))) {
            OpenSslPeer.ClientResult result = OpenSslPeer.client(OpenSslPeer.ClientOptions.connect(server.port())
                    .withCaFile(pki.rootCertificate())
                    .withExtraArgs("-verify_return_error")
                    .withInput("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
                    .withTimeout(WAIT));
            assertThat(result.timedOut()).as(result.output()).isFalse();
            assertThat(result.output()).contains("Verify return code: 0 (ok)", "HTTP/1.1 200", "hello");
        }
    }

    @Test
    void theJdkHttpsServerOnReseauServesCurl() throws Exception {
        try (Echo server = Echo.start(EngineLoop.serverContext(pki, Stack.RESEAU))) {
            Curl.Result result = Curl.post(URI.create("https://127.0.0.1:" + server.port() + "/echo"), pki.rootCertificate(),
                    "hello from curl".getBytes(StandardCharsets.US_ASCII), WAIT);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).isEqualTo("hello from curl");
        }
    }

    /** A POST of a mebibyte comes back whole, and a GET after it on the same client. */
    private static void exchange(HttpClient client, Echo server) throws Exception {
        byte[] body = ReseauSSLEngineTest.randomBytes(1 << 20);
        URI uri = URI.create("https://127.0.0.1:" + server.port() + "/echo");
        HttpResponse<byte[]> posted = client.send(HttpRequest.newBuilder(uri).timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo(body);
        HttpResponse<String> got = client.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.version()).isEqualTo(HttpClient.Version.HTTP_1_1); // neither server speaks HTTP/2
    }

    private static HttpClient client(SSLContext context, HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(context).version(version).connectTimeout(WAIT).build();
    }

    /** The JDK's HTTPS server on loopback, answering every request with its body. */
    private record Echo(HttpsServer server, ExecutorService executor) implements AutoCloseable {
        static Echo start(SSLContext context) throws IOException {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            server.createContext("/echo", exchange -> {
                try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                    byte[] body = in.readAllBytes();
                    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                    out.write(body);
                }
            });
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            server.start();
            return new Echo(server, executor);
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            executor.close();
        }
    }
}
