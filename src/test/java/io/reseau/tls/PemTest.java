package io.reseau.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviours of aws-c-io's {@code tests/pem_test.c}, plus round trips through the JDK. Every
 * key and certificate is made by openssl or {@link KeyPairGenerator} when the class starts.
 */
class PemTest {
    /** Valid base64 is all the parser's cases need: {@link Pem#parse} does not look inside the DER. */
    private static final String SMALL_BODY = "MIIBAg==";

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeKeysAndCertificatesWithOpenssl() throws Exception {
        selfSignedCertificate("rsa", "rsa:2048");
        selfSignedCertificate("ec", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
        selfSignedCertificate("ed25519", "ed25519");
        openssl("asn1parse", "-in", "rsa-key.pem", "-noout", "-out", "rsa-key.der");

        openssl("genrsa", "-traditional", "-out", "rsa-pkcs1.pem", "2048");
        openssl("rsa", "-in", "rsa-pkcs1.pem", "-traditional", "-outform", "DER", "-out", "rsa-pkcs1.der");
        openssl("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "ec-sec1.pem");
        openssl("ec", "-in", "ec-sec1.pem", "-outform", "DER", "-out", "ec-sec1.der");
        openssl("ecparam", "-genkey", "-name", "prime256v1", "-out", "ec-with-parameters.pem");
        openssl("dsaparam", "-genkey", "-noout", "-out", "dsa-pkcs8.pem", "2048");
        openssl("pkey", "-in", "dsa-pkcs8.pem", "-traditional", "-out", "dsa.pem");
        openssl("pkey", "-in", "dsa-pkcs8.pem", "-pubout", "-out", "dsa-public.pem");

        openssl("rsa", "-in", "rsa-pkcs1.pem", "-traditional", "-aes128", "-passout", "pass:secret",
                "-out", "rsa-legacy-encrypted.pem");
        openssl("pkey", "-in", "rsa-key.pem", "-aes128", "-passout", "pass:secret", "-out", "rsa-encrypted.pem");
        openssl("pkcs12", "-export", "-in", "rsa-cert.pem", "-inkey", "rsa-key.pem", "-name", "leaf",
                "-passout", "pass:secret", "-out", "bundle.p12");
        openssl("pkcs12", "-in", "bundle.p12", "-passin", "pass:secret", "-nodes", "-out", "bundle.pem");
    }

    private static void selfSignedCertificate(String name, String newKey, String... keyOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("req", "-x509", "-newkey", newKey));
        args.addAll(List.of(keyOptions));
        args.addAll(List.of("-nodes", "-keyout", name + "-key.pem", "-out", name + "-cert.pem",
                "-subj", "/CN=localhost", "-days", "1"));
        openssl(args.toArray(String[]::new));
        openssl("x509", "-in", name + "-cert.pem", "-outform", "DER", "-out", name + "-cert.der");
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("openssl %s finished", command).isTrue();
        assertThat(process.exitValue()).as("openssl %s failed:%n%s", command, output).isZero();
    }

    private static String text(String file) throws IOException {
        return Files.readString(dir.resolve(file));
    }

    private static byte[] bytes(String file) throws IOException {
        return Files.readAllBytes(dir.resolve(file));
    }

    private static String chainPem() throws IOException {
        return text("rsa-cert.pem") + text("ec-cert.pem") + text("ed25519-cert.pem");
    }

    /** {@code der} as a CERTIFICATE object wrapped at {@code width} characters, lines ended with {@code lineEnd}. */
    private static String wrapped(byte[] der, int width, String lineEnd) {
        String base64 = Base64.getEncoder().encodeToString(der);
        StringBuilder pem = new StringBuilder("-----BEGIN CERTIFICATE-----").append(lineEnd);
        for (int start = 0; start < base64.length(); start += width) {
            pem.append(base64, start, Math.min(base64.length(), start + width)).append(lineEnd);
        }
        return pem.append("-----END CERTIFICATE-----").append(lineEnd).toString();
    }

    private static String object(String label, String... bodyLines) {
        return "-----BEGIN " + label + "-----\n" + String.join("\n", bodyLines) + (bodyLines.length == 0 ? "" : "\n")
                + "-----END " + label + "-----\n";
    }

    // ---- parse: well-formed input

    @Test
    void aSingleCertificateParsesToItsDer() throws IOException {
        assertThat(Pem.parse(text("rsa-cert.pem")))
                .containsExactly(new PemObject("CERTIFICATE", bytes("rsa-cert.der")));
    }

    @ParameterizedTest
    @CsvSource({
        "rsa-key.pem,   PRIVATE KEY,     rsa-key.der",
        "rsa-pkcs1.pem, RSA PRIVATE KEY, rsa-pkcs1.der",
        "ec-sec1.pem,   EC PRIVATE KEY,  ec-sec1.der",
    })
    void aPrivateKeyParsesInEachSupportedFormat(String file, String label, String derFile) throws IOException {
        PemObject expected = new PemObject(label, bytes(derFile));
        assertThat(Pem.parse(text(file))).containsExactly(expected);
        assertThat(Pem.privateKey(text(file))).isEqualTo(expected);
    }

    @Test
    void aDsaPrivateKeyAndAPublicKeyParseAsObjectsButAreNotPrivateKeys() throws IOException {
        assertThat(Pem.parse(text("dsa.pem"))).singleElement()
                .extracting(PemObject::label).isEqualTo("DSA PRIVATE KEY");
        assertThat(Pem.parse(text("dsa-public.pem"))).singleElement()
                .extracting(PemObject::label).isEqualTo("PUBLIC KEY");

        assertThatThrownBy(() -> Pem.privateKey(text("dsa.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PEM object #1 (DSA PRIVATE KEY) is not a supported private key type");
        assertThatThrownBy(() -> Pem.privateKey(text("dsa-public.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no private key found among the PEM objects [PUBLIC KEY]");
    }

    @Test
    void aCertificateChainParsesToEveryObjectInOrder() throws IOException {
        assertThat(Pem.parse(chainPem())).containsExactly(
                new PemObject("CERTIFICATE", bytes("rsa-cert.der")),
                new PemObject("CERTIFICATE", bytes("ec-cert.der")),
                new PemObject("CERTIFICATE", bytes("ed25519-cert.der")));
    }

    @Test
    void aFileWithCrlfLineEndsParsesLikeOneWithLf() throws IOException {
        Path crlfFile = dir.resolve("chain-crlf.pem");
        Files.writeString(crlfFile, chainPem().replace("\n", "\r\n"));
        assertThat(Files.readString(crlfFile)).contains("-----\r\n");

        assertThat(Pem.parse(Files.readAllBytes(crlfFile))).isEqualTo(Pem.parse(chainPem()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 17, 76, 100_000})
    void base64WrappedAtAnyWidthParses(int width) throws IOException {
        byte[] der = bytes("rsa-cert.der");
        assertThat(Pem.parse(wrapped(der, width, "\n"))).containsExactly(new PemObject("CERTIFICATE", der));
    }

    @Test
    void commentsAndWhitespaceAroundAndBetweenObjectsAreIgnored() throws IOException {
        String messy = "# -----Comment\n"
                + "// Style\n"
                + "/* from */\n"
                + "''' multiple\n"
                + "!* languages\n"
                + "\n"
                + text("rsa-cert.pem").replace("-----END CERTIFICATE-----", "-----END CERTIFICATE-----   \t")
                + "\n\n            \n\n              \n\t\n"
                + "Subject: CN=localhost, the EC one\r\n"
                + wrapped(bytes("ec-cert.der"), 64, "  \r\n")
                + "   \n"
                + "   " + text("ed25519-cert.pem").replace("\n", "\n   ")
                + "# final comments\n\n";

        assertThat(Pem.parse(messy)).isEqualTo(Pem.parse(chainPem()));
    }

    @Test
    void opensslPkcs12OutputWithBagAttributesParses() throws IOException {
        String dump = text("bundle.pem");
        assertThat(dump).contains("Bag Attributes", "localKeyID:", "subject=");

        assertThat(Pem.parse(dump)).containsExactlyInAnyOrder(
                new PemObject("CERTIFICATE", bytes("rsa-cert.der")),
                new PemObject("PRIVATE KEY", bytes("rsa-key.der")));
        assertThat(Pem.privateKey(dump).der()).isEqualTo(bytes("rsa-key.der"));
    }

    @Test
    void aByteOrderMarkBeforeTheFirstObjectIsIgnored() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] pem = text("rsa-cert.pem").getBytes(StandardCharsets.UTF_8);
        byte[] withBom = Arrays.copyOf(bom, bom.length + pem.length);
        System.arraycopy(pem, 0, withBom, bom.length, pem.length);

        assertThat(Pem.parse(withBom)).containsExactly(new PemObject("CERTIFICATE", bytes("rsa-cert.der")));
    }

    // ---- parse: malformed input

    static Stream<Arguments> malformedInputs() {
        return Stream.of(
                argumentSet("empty input", "", "no PEM object found: the input is empty"),
                argumentSet("blank input", " \r\n\n\t", "no PEM object found: the input is empty"),
                argumentSet("no object", "just a comment\nand another\n", "no PEM object found"),
                argumentSet("invalid base64 character",
                        object("CERTIFICATE", "MIIB*g=="),
                        "PEM object #1 (BEGIN CERTIFICATE at line 1) has invalid base64: '*' at line 2, column 5"),
                argumentSet("base64 one character too long (aws-c-io's valid_data_invalid_parse)",
                        object("CERTIFICATE", "MIIBAgAAq"),
                        "PEM object #1 (BEGIN CERTIFICATE at line 1) has invalid base64 before its END at line 3: "),
                argumentSet("padding in the middle",
                        object("CERTIFICATE", "MQ==", "MIIB"),
                        "PEM object #1 (BEGIN CERTIFICATE at line 1) has invalid base64 before its END at line 4: "),
                argumentSet("BEGIN without END",
                        "-----BEGIN CERTIFICATE-----\n" + SMALL_BODY + "\n",
                        "PEM object #1 (BEGIN CERTIFICATE at line 1) has no END line (the input ends at line 2)"),
                argumentSet("END label differs from BEGIN label",
                        "-----BEGIN CERTIFICATE-----\n" + SMALL_BODY + "\n-----END PRIVATE KEY-----\n",
                        "line 3: END PRIVATE KEY does not match PEM object #1 (BEGIN CERTIFICATE at line 1)"),
                argumentSet("empty body", object("CERTIFICATE"),
                        "PEM object #1 (BEGIN CERTIFICATE at line 1) has an empty body"),
                argumentSet("body of blank lines only", object("CERTIFICATE", "", "   "),
                        "PEM object #1 (BEGIN CERTIFICATE at line 1) has an empty body"),
                argumentSet("nested BEGIN",
                        "-----BEGIN CERTIFICATE-----\n" + SMALL_BODY + "\n" + object("CERTIFICATE", SMALL_BODY),
                        "line 3: \"-----BEGIN CERTIFICATE-----\" inside PEM object #1 (BEGIN CERTIFICATE at line 1)"),
                argumentSet("a BEGIN with four dashes, so END has no BEGIN (aws-c-io's invalid_parse)",
                        "----BEGIN CERTIFICATE-----\n" + SMALL_BODY + "\n-----END CERTIFICATE-----",
                        "line 3: \"-----END CERTIFICATE-----\" has no BEGIN line before it"),
                argumentSet("BEGIN line without closing dashes",
                        "-----BEGIN CERTIFICATE\n" + SMALL_BODY + "\n-----END CERTIFICATE-----\n",
                        "line 1: malformed boundary \"-----BEGIN CERTIFICATE\""),
                argumentSet("label with a space before the dashes",
                        "-----BEGIN CERTIFICATE -----\n" + SMALL_BODY + "\n-----END CERTIFICATE -----\n",
                        "line 1: invalid label \"CERTIFICATE \""),
                argumentSet("second object malformed",
                        object("CERTIFICATE", SMALL_BODY) + "# comment\n" + object("CERTIFICATE", "MIIB.g=="),
                        "PEM object #2 (BEGIN CERTIFICATE at line 5) has invalid base64: '.' at line 6, column 5"),
                argumentSet("RFC 1421 encryption headers",
                        object("RSA PRIVATE KEY", "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,00FF", "", SMALL_BODY),
                        "PEM object #1 (BEGIN RSA PRIVATE KEY at line 1) is encrypted (RFC 1421 Proc-Type header at line 2);"
                                + " encrypted keys are not supported"),
                argumentSet("another encapsulated header",
                        object("CERTIFICATE", "Comment: made by hand", SMALL_BODY),
                        "PEM object #1 (BEGIN CERTIFICATE at line 1) has an encapsulated header \"Comment:\" at line 2"));
    }

    @ParameterizedTest
    @MethodSource("malformedInputs")
    void malformedInputIsRefusedSayingWhatAndWhere(String input, String message) {
        assertThatThrownBy(() -> Pem.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThatThrownBy(() -> Pem.parse(input.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aLegacyEncryptedKeyFromOpensslIsRefusedAsEncrypted() throws IOException {
        String encrypted = text("rsa-legacy-encrypted.pem");
        assertThat(encrypted).contains("Proc-Type: 4,ENCRYPTED", "DEK-Info: ");

        assertThatThrownBy(() -> Pem.parse(encrypted))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted keys are not supported");
    }

    @Test
    void anInvalidObjectInsideAValidChainFailsTheWholeChain() throws IOException {
        // aws-c-io's invalid_in_chain_parse: one character too many at the end of the third body.
        String thirdTooLong = text("rsa-cert.pem") + text("ec-cert.pem")
                + text("ed25519-cert.pem").replace("\n-----END", "f\n-----END");
        assertThatThrownBy(() -> Pem.parse(thirdTooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PEM object #3 (BEGIN CERTIFICATE at line ")
                .hasMessageContaining("has invalid base64 before its END at line ");

        String secondUnterminated = text("rsa-cert.pem")
                + text("ec-cert.pem").replace("-----END CERTIFICATE-----\n", "")
                + text("ed25519-cert.pem");
        assertThatThrownBy(() -> Pem.parse(secondUnterminated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inside PEM object #2 (BEGIN CERTIFICATE at line ");
    }

    // ---- sanitize

    @Test
    void sanitizeRemovesCommentsAroundObjects() {
        String dirty = "# comments\r\n"
                + "-----BEGIN CERTIFICATE-----\n"
                + "CERTIFICATES\n"
                + "-----END CERTIFICATE-----\n"
                + "# another comments\r\n"
                + "-----BEGIN CERTIFICATE-----\n"
                + "CERTIFICATES\n"
                + "-----END CERTIFICATE-----\n"
                + "# final comments\r\n";

        assertThat(Pem.sanitize(dirty)).isEqualTo("-----BEGIN CERTIFICATE-----\n"
                + "CERTIFICATES\n"
                + "-----END CERTIFICATE-----\n"
                + "-----BEGIN CERTIFICATE-----\n"
                + "CERTIFICATES\n"
                + "-----END CERTIFICATE-----\n");
    }

    @Test
    void sanitizeRewritesRealObjectsCanonically() throws IOException {
        String messy = "Bag Attributes\r\n    friendlyName: leaf\r\n"
                + wrapped(bytes("rsa-cert.der"), 76, "\r\n")
                + "\n# the intermediate\n"
                + wrapped(bytes("ec-cert.der"), 20, " \n");

        assertThat(Pem.sanitize(messy)).isEqualTo(text("rsa-cert.pem") + text("ec-cert.pem"));
    }

    @Test
    void sanitizeRejectsAnEmptyFile() {
        assertThatThrownBy(() -> Pem.sanitize(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM object found");
    }

    @Test
    void sanitizeRejectsTheWrongFormat() throws IOException {
        // A DER certificate is not PEM: nothing would remain after sanitizing it.
        byte[] der = bytes("rsa-cert.der");
        assertThatThrownBy(() -> Pem.sanitize(new String(der, StandardCharsets.ISO_8859_1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM object found");
        assertThatThrownBy(() -> Pem.parse(der))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM object found");
    }

    @Test
    void sanitizeRejectsABadFormat() {
        assertThatThrownBy(() -> Pem.sanitize("aaaaa-"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM object found");
    }

    // ---- encode (DER to PEM)

    @Test
    void encodingATypicalCertificateGivesOpensslsText() throws IOException {
        byte[] der = bytes("rsa-cert.der");
        String pem = Pem.encode("CERTIFICATE", der);

        assertThat(pem).isEqualTo(text("rsa-cert.pem"));
        assertThat(Pem.parse(pem)).containsExactly(new PemObject("CERTIFICATE", der));
    }

    @Test
    void encodingASmallDerGivesOneShortLine() {
        byte[] der = {0x30, 0x08, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
        String pem = Pem.encode("CERTIFICATE", der);

        assertThat(pem).isEqualTo("-----BEGIN CERTIFICATE-----\nMAgBAgMEBQYHCA==\n-----END CERTIFICATE-----\n");
        assertThat(Pem.parse(pem)).singleElement().extracting(PemObject::der).isEqualTo(der);
    }

    @Test
    void encodedBodyLinesAreExactly64CharactersAndTheTextEndsWithANewline() {
        byte[] twoLinesAndAByte = new byte[97];
        Arrays.fill(twoLinesAndAByte, (byte) 0xAB);
        String line = "q6ur".repeat(16);

        assertThat(Pem.encode("CERTIFICATE", Arrays.copyOf(twoLinesAndAByte, 96))).isEqualTo(
                "-----BEGIN CERTIFICATE-----\n" + line + "\n" + line + "\n-----END CERTIFICATE-----\n");
        assertThat(Pem.encode("X9.42 DH PARAMETERS", twoLinesAndAByte)).isEqualTo(
                "-----BEGIN X9.42 DH PARAMETERS-----\n" + line + "\n" + line + "\nqw==\n-----END X9.42 DH PARAMETERS-----\n");
    }

    @Test
    void encodingAnEmptyDerFails() {
        assertThatThrownBy(() -> Pem.encode("CERTIFICATE", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty DER");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "CERTIFICATE ", " CERTIFICATE", "RSA  PRIVATE KEY", "A--B", "-A", "LINE\nBREAK", "CAFÉ"})
    void encodingWithABlankOrInvalidLabelFails(String label) {
        assertThatThrownBy(() -> Pem.encode(label, new byte[] {0x30, 0x00}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid PEM label");
    }

    // ---- PemObject

    @Test
    void aPemObjectKeepsItsOwnCopyOfTheBytes() {
        byte[] der = {0x30, 0x01, 0x05};
        PemObject object = new PemObject("CERTIFICATE", der);
        der[2] = 0x06;
        object.der()[2] = 0x07;

        assertThat(object.der()).containsExactly(0x30, 0x01, 0x05);
    }

    @Test
    void pemObjectsCompareByContentAndPrintNoBytes() {
        PemObject object = new PemObject("PRIVATE KEY", new byte[] {0x30, 0x01, 0x05});

        assertThat(object)
                .isEqualTo(new PemObject("PRIVATE KEY", new byte[] {0x30, 0x01, 0x05}))
                .hasSameHashCodeAs(new PemObject("PRIVATE KEY", new byte[] {0x30, 0x01, 0x05}))
                .isNotEqualTo(new PemObject("PRIVATE KEY", new byte[] {0x30, 0x01, 0x06}))
                .isNotEqualTo(new PemObject("EC PRIVATE KEY", new byte[] {0x30, 0x01, 0x05}))
                .hasToString("PemObject[label=PRIVATE KEY, der=3 bytes]");
        assertThat(object.toPem()).isEqualTo("-----BEGIN PRIVATE KEY-----\nMAEF\n-----END PRIVATE KEY-----\n");
    }

    // ---- certificates

    @Test
    void certificatesRoundTripThroughPem() throws IOException {
        List<X509Certificate> chain = Pem.certificates(chainPem());
        assertThat(chain).extracting(PemTest::encoded).containsExactly(
                bytes("rsa-cert.der"), bytes("ec-cert.der"), bytes("ed25519-cert.der"));
        assertThat(chain).extracting(certificate -> certificate.getPublicKey().getAlgorithm())
                .containsExactly("RSA", "EC", "EdDSA");

        String pem = Pem.certificatesToPem(chain);

        assertThat(pem).isEqualTo(chainPem());
        assertThat(Pem.certificates(pem)).isEqualTo(chain);
    }

    @Test
    void certificatesRefuseAnObjectThatIsNotACertificate() throws IOException {
        assertThatThrownBy(() -> Pem.certificates(text("rsa-cert.pem") + text("rsa-key.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PEM object #2 (PRIVATE KEY) is not a CERTIFICATE");
    }

    static Stream<Arguments> malformedCertificateBodies() {
        return Stream.of(
                argumentSet("not DER", "hello".getBytes(StandardCharsets.US_ASCII),
                        "PEM object #2 (CERTIFICATE) is not a DER SEQUENCE: it starts with tag 0x68"),
                argumentSet("a SEQUENCE that is no certificate", new byte[] {0x30, 0x03, 0x02, 0x01, 0x05},
                        "PEM object #2 (CERTIFICATE) is not a valid X.509 certificate"),
                argumentSet("truncated", new byte[] {0x30, (byte) 0x82, 0x01, 0x00, 0x30},
                        "PEM object #2 (CERTIFICATE) is not a well-formed DER SEQUENCE: its length field says 256 bytes but 1 follow"));
    }

    @ParameterizedTest
    @MethodSource("malformedCertificateBodies")
    void aMalformedCertificateIsNamedByItsIndex(byte[] body, String message) throws IOException {
        assertThatThrownBy(() -> Pem.certificates(text("rsa-cert.pem") + Pem.encode("CERTIFICATE", body)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aCertificateWithBytesAfterItIsRefused() throws IOException {
        byte[] der = bytes("rsa-cert.der");
        byte[] withTrailingByte = Arrays.copyOf(der, der.length + 1);

        assertThatThrownBy(() -> Pem.certificates(Pem.encode("CERTIFICATE", withTrailingByte)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PEM object #1 (CERTIFICATE) is not a well-formed DER SEQUENCE")
                .hasMessageContaining("but " + (der.length - 3) + " follow");
    }

    @Test
    void certificatesNeedAtLeastOne() {
        assertThatThrownBy(() -> Pem.certificates("# an empty bundle\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM object found");
        assertThatThrownBy(() -> Pem.certificatesToPem(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the chain is empty");
    }

    // ---- private keys

    @Test
    void privateKeyRefusesTwoKeys() throws IOException {
        assertThatThrownBy(() -> Pem.privateKey(text("rsa-key.pem") + text("ec-sec1.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one private key: PEM object #1 (PRIVATE KEY) and PEM object #2 (EC PRIVATE KEY)");
    }

    @Test
    void privateKeyRefusesInputWithoutAKey() throws IOException {
        assertThatThrownBy(() -> Pem.privateKey(text("rsa-cert.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no private key found among the PEM objects [CERTIFICATE]");
    }

    @Test
    void privateKeyRefusesAnEncryptedPkcs8Key() throws IOException {
        String encrypted = text("rsa-encrypted.pem");
        assertThat(Pem.parse(encrypted)).singleElement()
                .extracting(PemObject::label).isEqualTo("ENCRYPTED PRIVATE KEY");

        assertThatThrownBy(() -> Pem.privateKey(encrypted))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PEM object #1 (ENCRYPTED PRIVATE KEY): encrypted private keys are not supported");
    }

    @Test
    void privateKeyPassesOverObjectsThatAreNotKeys() throws IOException {
        assertThat(Pem.privateKey(text("rsa-cert.pem") + text("rsa-pkcs1.pem")))
                .isEqualTo(new PemObject("RSA PRIVATE KEY", bytes("rsa-pkcs1.der")));

        String parametersThenKey = text("ec-with-parameters.pem");
        assertThat(Pem.parse(parametersThenKey)).extracting(PemObject::label)
                .containsExactly("EC PARAMETERS", "EC PRIVATE KEY");
        assertThat(Pem.privateKey(parametersThenKey).label()).isEqualTo("EC PRIVATE KEY");
    }

    static Stream<Arguments> keyBodiesThatAreNotDerSequences() {
        return Stream.of(
                argumentSet("text", "hello".getBytes(StandardCharsets.US_ASCII),
                        "is not a DER SEQUENCE: it starts with tag 0x68, expected 0x30"),
                argumentSet("a lone tag", new byte[] {0x30},
                        "is not a DER SEQUENCE: it ends before its length field"),
                argumentSet("a cut length field", new byte[] {0x30, (byte) 0x82, 0x01},
                        "is not a DER SEQUENCE: it ends inside its length field"),
                argumentSet("indefinite length", new byte[] {0x30, (byte) 0x80, 0x02, 0x01, 0x00, 0x00, 0x00},
                        "is not a DER SEQUENCE: unsupported length field 0x80"),
                argumentSet("a length field of 5 octets", new byte[] {0x30, (byte) 0x85, 0x01, 0x00, 0x00, 0x00, 0x00},
                        "is not a DER SEQUENCE: unsupported length field 0x85"),
                argumentSet("too short for its length", new byte[] {0x30, 0x05, 0x02, 0x01, 0x00},
                        "is not a well-formed DER SEQUENCE: its length field says 5 bytes but 3 follow"),
                argumentSet("longer than its length", new byte[] {0x30, (byte) 0x81, 0x01, 0x05, 0x00},
                        "is not a well-formed DER SEQUENCE: its length field says 1 bytes but 2 follow"));
    }

    @ParameterizedTest
    @MethodSource("keyBodiesThatAreNotDerSequences")
    void garbageInAValidPemWrapperIsCaught(byte[] body, String message) {
        for (String label : List.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY")) {
            assertThatThrownBy(() -> Pem.privateKey(Pem.encode(label, body)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PEM object #1 (" + label + ") " + message);
        }
    }

    @Test
    void aGeneratedRsaKeyRoundTripsAsPkcs8() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        assertRoundTripsAsPkcs8(generator.generateKeyPair().getPrivate());
    }

    @Test
    void aGeneratedEcKeyRoundTripsAsPkcs8() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        assertRoundTripsAsPkcs8(generator.generateKeyPair().getPrivate());
    }

    private static void assertRoundTripsAsPkcs8(PrivateKey key) throws Exception {
        String pem = Pem.privateKeyToPem(key);
        PemObject parsed = Pem.privateKey(pem);

        assertThat(parsed.label()).isEqualTo("PRIVATE KEY");
        assertThat(parsed.der()).isEqualTo(key.getEncoded());
        assertThat(KeyFactory.getInstance(key.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(parsed.der())))
                .isEqualTo(key);
        String file = "generated-" + key.getAlgorithm() + ".pem";
        Files.writeString(dir.resolve(file), pem);
        openssl("pkey", "-in", file, "-noout"); // openssl reads what we wrote
    }

    @Test
    void aKeyWithoutAPkcs8EncodingIsRefused() {
        assertThatThrownBy(() -> Pem.privateKeyToPem(new OpaqueKey(null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the RSA private key has no PKCS#8 encoding (format null)");
        assertThatThrownBy(() -> Pem.privateKeyToPem(new OpaqueKey("RAW", new byte[] {1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no PKCS#8 encoding (format RAW)");
    }

    /** A key as a hardware token hands it out: usable for signing in place, never exported. */
    private record OpaqueKey(String format, byte[] encoded) implements PrivateKey {
        @Override
        public String getAlgorithm() {
            return "RSA";
        }

        @Override
        public String getFormat() {
            return format;
        }

        @Override
        public byte[] getEncoded() {
            return encoded;
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }
}
