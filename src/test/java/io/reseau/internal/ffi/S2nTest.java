package io.reseau.internal.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * s2n through FFM, without sockets: a client and a server connection handing each other their
 * bytes in memory, on this (platform) thread.
 */
@Timeout(60)
class S2nTest {
    private static String certificatePem;
    private static String keyPem;
    private final Arena arena = Arena.ofShared(); // JUnit may run the test on another thread than the one that built this
    private final MemorySegment blocked = arena.allocate(ValueLayout.JAVA_INT);

    @BeforeAll
    static void generateCertificate(@TempDir Path dir) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).as(output).isZero();
        certificatePem = Files.readString(dir.resolve("cert.pem"));
        keyPem = Files.readString(dir.resolve("key.pem"));
    }

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void theLibraryComesFromAwsCrtIntoAPrivateDirectory() throws Exception {
        S2n.ensureLoaded();
        Path library = S2nLibrary.path();
        assertThat(library.getFileName().toString()).startsWith("libaws-crt-jni-").endsWith(".so");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(library.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(library))).isEqualTo("r-x------");
        assertThat(S2nLibrary.resourcePath()).matches("linux/(x86_64|armv8)/(glibc|musl)/libaws-crt-jni.so");
    }

    @Test
    void pinnedPoliciesAreAcceptedAndAnUnknownOneIsRefusedByName() {
        S2n.ensureLoaded();
        MemorySegment config = S2n.configNewMinimal();
        try {
            assertThat(S2n.configSetCipherPreferences(config, "20240503")).isZero();
            assertThat(S2n.configSetCipherPreferences(config, "20250721")).isZero();
            assertThat(S2n.configSetCipherPreferences(config, "no-such-policy")).isEqualTo(-1);
            S2nError error = S2n.lastError();
            assertThat(error.name()).isEqualTo("S2N_ERR_INVALID_SECURITY_POLICY");
            assertThat(error.type()).isEqualTo(S2n.ERR_T_USAGE);
        } finally {
            S2n.configFree(config);
        }
    }

    @Test
    void aTls13HandshakeNegotiatesAlpnAndSniAndCarriesData() {
        Pair pair = new Pair("20240503", "localhost", List.of("h2", "http/1.1"), List.of("http/1.1"));
        try {
            assertThat(pair.negotiate()).isNull();
            assertThat(S2n.protocolVersion(pair.client)).isEqualTo(S2n.TLS13);
            assertThat(S2n.applicationProtocol(pair.client)).isEqualTo("http/1.1");
            assertThat(S2n.serverName(pair.server)).isEqualTo("localhost");
            assertThat(S2n.cipherSuiteCode(pair.client)).isBetween(0x1301, 0x1303);
            assertThat(S2n.cipherName(pair.client)).startsWith("TLS_AES_");
            List<byte[]> chain = S2n.peerCertificates(pair.client);
            assertThat(chain).hasSize(1);
            assertThat(Base64.getMimeEncoder().encodeToString(chain.get(0)).replaceAll("\\s", ""))
                    .isEqualTo(certificatePem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));

            MemorySegment hello = arena.allocateFrom("hello, tls");
            assertThat(S2n.send(pair.client, hello, hello.byteSize(), blocked)).isEqualTo(hello.byteSize());
            MemorySegment into = arena.allocate(64);
            long n = S2n.recv(pair.server, into, into.byteSize(), blocked);
            assertThat(into.asSlice(0, n).getString(0)).isEqualTo("hello, tls");
            assertThat(S2n.recv(pair.server, into, into.byteSize(), blocked)).isEqualTo(-1);
            assertThat(S2n.lastError().isBlocked()).isTrue();
        } finally {
            pair.free();
        }
    }

    @Test
    void thePostQuantumPolicyAgreesOnMlKem() {
        Pair pair = new Pair("20250721", "localhost", List.of(), List.of());
        try {
            assertThat(pair.negotiate()).isNull();
            assertThat(S2n.keyExchangeGroup(pair.client)).isEqualTo("X25519MLKEM768");
        } finally {
            pair.free();
        }
    }

    @Test
    void aWrongServerNameFailsWithAReasonAndABlindingDelayInsteadOfSleeping() {
        Pair pair = new Pair("20240503", "wrong.example", List.of(), List.of());
        try {
            long start = System.nanoTime();
            S2nError error = pair.negotiate();
            assertThat(error).isNotNull();
            assertThat(error.name()).isEqualTo("S2N_ERR_CERT_UNTRUSTED");
            assertThat(System.nanoTime() - start).as("no sleep inside s2n").isLessThan(5_000_000_000L);
            assertThat(S2n.delayNanos(pair.client)).isPositive();
        } finally {
            pair.free();
        }
    }

    @Test
    void anOwnCheckSeesTheVerifiedChainDuringTheHandshakeAndCanRefuseIt() {
        for (boolean accept : new boolean[] {true, false}) {
            // A name the certificate does not hold: s2n checks the chain but leaves names to the check.
            List<List<byte[]>> seen = new java.util.ArrayList<>();
            Pair pair = new Pair("20240503", "wrong.example", List.of(), List.of(), chain -> {
                seen.add(chain);
                return accept;
            });
            try {
                S2nError error = pair.negotiate();
                assertThat(seen).as("asked once, with the chain").hasSize(1);
                assertThat(seen.get(0)).hasSize(1);
                if (accept) {
                    assertThat(error).isNull();
                } else {
                    assertThat(error).isNotNull();
                    assertThat(error.name()).isEqualTo("S2N_ERR_CERT_REJECTED");
                }
            } finally {
                pair.free();
            }
        }
    }

    /** A client and a server connection whose bytes go straight to each other. */
    private final class Pair {
        final MemorySegment clientConfig = S2n.configNewMinimal();
        final MemorySegment serverConfig = S2n.configNewMinimal();
        final MemorySegment chainAndKey = S2n.certChainAndKeyNew();
        final MemorySegment client = S2n.connectionNew(S2n.CLIENT);
        final MemorySegment server = S2n.connectionNew(S2n.SERVER);
        final Pipe toServer = new Pipe();
        final Pipe toClient = new Pipe();
        final long clientIo;
        final long serverIo;

        Pair(String policy, String serverName, List<String> clientAlpn, List<String> serverAlpn) {
            this(policy, serverName, clientAlpn, serverAlpn, null);
        }

        /** With {@code check}, the client leaves host names to {@code check}, which sees every verified chain. */
        Pair(String policy, String serverName, List<String> clientAlpn, List<String> serverAlpn, S2nCertificateCheck check) {
            S2n.ensureLoaded();
            if (check != null) {
                check(S2n.configAcceptAnyHostName(clientConfig));
                check(S2n.configUseCertificateChecks(clientConfig));
                S2n.setCertificateCheck(client, check);
            }
            check(S2n.configSetCipherPreferences(clientConfig, policy));
            check(S2n.configSetCipherPreferences(serverConfig, policy));
            check(S2n.configAddPemToTrustStore(clientConfig, certificatePem));
            check(S2n.certChainAndKeyLoadPem(chainAndKey, certificatePem.getBytes(StandardCharsets.US_ASCII),
                    keyPem.getBytes(StandardCharsets.US_ASCII)));
            check(S2n.configAddCertChainAndKeyToStore(serverConfig, chainAndKey));
            if (!serverAlpn.isEmpty()) {
                check(S2n.configSetProtocolPreferences(serverConfig, serverAlpn));
            }
            check(S2n.connectionSetConfig(client, clientConfig));
            check(S2n.connectionSetConfig(server, serverConfig));
            check(S2n.connectionSetSelfServiceBlinding(client));
            check(S2n.connectionSetSelfServiceBlinding(server));
            check(S2n.setServerName(client, serverName));
            if (!clientAlpn.isEmpty()) {
                check(S2n.connectionSetProtocolPreferences(client, clientAlpn));
            }
            clientIo = S2n.setIo(client, new Ends(toClient, toServer));
            serverIo = S2n.setIo(server, new Ends(toServer, toClient));
            assertThat(clientIo).isPositive();
            assertThat(serverIo).isPositive();
        }

        /** Drives both sides until both are done: null, or the first side's failure. */
        S2nError negotiate() {
            boolean clientDone = false;
            boolean serverDone = false;
            for (int turn = 0; turn < 100 && !(clientDone && serverDone); turn++) {
                if (!clientDone) {
                    if (S2n.negotiate(client, blocked) == 0) {
                        clientDone = true;
                    } else if (!S2n.lastError().isBlocked()) {
                        return S2n.lastError();
                    }
                }
                if (!serverDone) {
                    if (S2n.negotiate(server, blocked) == 0) {
                        serverDone = true;
                    } else if (!S2n.lastError().isBlocked()) {
                        return S2n.lastError();
                    }
                }
            }
            assertThat(clientDone && serverDone).as("handshake completed").isTrue();
            return null;
        }

        void free() {
            S2n.setCertificateCheck(client, null);
            S2n.connectionFree(client);
            S2n.connectionFree(server);
            S2n.releaseIo(clientIo);
            S2n.releaseIo(serverIo);
            S2n.configFree(clientConfig);
            S2n.configFree(serverConfig);
            S2n.certChainAndKeyFree(chainAndKey);
        }

        private static void check(int result) {
            assertThat(result).as(() -> String.valueOf(S2n.lastError())).isZero();
        }
    }

    /** Bytes one side wrote, waiting for the other to read them. */
    private static final class Pipe {
        final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
        int offset;
    }

    private record Ends(Pipe in, Pipe out) implements S2nIo {
        @Override
        public int receive(MemorySegment buffer) {
            ByteArrayOutputStream taken = new ByteArrayOutputStream();
            while (taken.size() < buffer.byteSize() && !in.chunks.isEmpty()) {
                byte[] head = in.chunks.peek();
                int n = (int) Math.min(buffer.byteSize() - taken.size(), head.length - in.offset);
                taken.write(head, in.offset, n);
                in.offset += n;
                if (in.offset == head.length) {
                    in.chunks.poll();
                    in.offset = 0;
                }
            }
            if (taken.size() == 0) {
                return BLOCKED;
            }
            MemorySegment.copy(taken.toByteArray(), 0, buffer, ValueLayout.JAVA_BYTE, 0, taken.size());
            return taken.size();
        }

        @Override
        public int send(MemorySegment buffer) {
            out.chunks.add(buffer.toArray(ValueLayout.JAVA_BYTE));
            return (int) buffer.byteSize();
        }
    }
}
