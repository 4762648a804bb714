package io.reseau.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * PEM (RFC 7468) text: parsing it into {@link PemObject}s, writing it back, and converting
 * between it and the JDK's certificates and keys. s2n-tls takes certificates and keys as PEM,
 * users hand them over as PEM files, and the JSSE side wants {@link X509Certificate}s and
 * PKCS#8 keys.
 *
 * <p>Parsing is lax where real files differ and strict where a mistake would hide a broken
 * object: text outside objects (certificate bundle comments, the {@code Bag Attributes} that
 * {@code openssl pkcs12} prints), CRLF or LF line ends, base64 wrapped at any width and
 * whitespace around lines are all accepted; a BEGIN without its END, an END whose label differs,
 * a BEGIN inside an object, bad base64, an empty body, encapsulated headers (encrypted legacy
 * keys) and input without any object are refused with an {@link IllegalArgumentException} that
 * names the line and the object. Objects and lines are numbered from 1 in those messages.
 */
public final class Pem {
    private static final String BEGIN = "-----BEGIN";
    private static final String END = "-----END";
    private static final String DASHES = "-----";
    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PKCS8_PRIVATE_KEY = "PRIVATE KEY";
    private static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";
    /** The key formats s2n-tls loads: PKCS#8, PKCS#1 (RSA) and SEC1 (EC). */
    private static final List<String> PRIVATE_KEY_LABELS =
            List.of(PKCS8_PRIVATE_KEY, "RSA PRIVATE KEY", "EC PRIVATE KEY");
    private static final String SUPPORTED_KEYS =
            "expected one of PRIVATE KEY (PKCS#8), RSA PRIVATE KEY (PKCS#1) or EC PRIVATE KEY (SEC1)";

    private Pem() {}

    /**
     * Every PEM object in {@code text}, in order, with any label.
     *
     * @throws IllegalArgumentException when the text holds no PEM object or a malformed one
     */
    public static List<PemObject> parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("no PEM object found: the input is empty");
        }
        List<String> lines = withoutByteOrderMark(text).lines().toList();
        List<PemObject> objects = new ArrayList<>();
        String openLabel = null; // the label of the object being read; null between objects
        String openObjectName = null; // "PEM object #n (BEGIN label at line m)", for messages
        StringBuilder base64 = new StringBuilder();
        for (int index = 0; index < lines.size(); index++) {
            int lineNumber = index + 1;
            String line = lines.get(index).strip();
            if (openLabel == null) {
                if (line.startsWith(BEGIN)) {
                    openLabel = boundaryLabel(line, BEGIN, lineNumber);
                    openObjectName = "PEM object #" + (objects.size() + 1) + " (BEGIN " + openLabel + " at line "
                            + lineNumber + ")";
                    base64.setLength(0);
                } else if (line.startsWith(END)) {
                    throw new IllegalArgumentException(
                            "line " + lineNumber + ": \"" + line + "\" has no BEGIN line before it");
                }
                // Any other line between objects is commentary: bundle comments, openssl's Bag Attributes.
            } else if (line.startsWith(BEGIN)) {
                throw new IllegalArgumentException("line " + lineNumber + ": \"" + line + "\" inside " + openObjectName
                        + ", which has no END line before it");
            } else if (line.startsWith(END)) {
                String endLabel = boundaryLabel(line, END, lineNumber);
                if (!endLabel.equals(openLabel)) {
                    throw new IllegalArgumentException("line " + lineNumber + ": END " + endLabel
                            + " does not match " + openObjectName + "; expected END " + openLabel);
                }
                objects.add(new PemObject(openLabel, decodeBody(base64, openObjectName, lineNumber)));
                openLabel = null;
            } else {
                appendBodyLine(base64, line, lineNumber, openObjectName);
            }
        }
        if (openLabel != null) {
            throw new IllegalArgumentException(
                    openObjectName + " has no END line (the input ends at line " + lines.size() + ")");
        }
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("no PEM object found: expected a line such as "
                    + "-----BEGIN CERTIFICATE----- (DER or other binary input is not PEM)");
        }
        return List.copyOf(objects);
    }

    /**
     * {@link #parse(String)} for UTF-8 bytes, such as a file's contents. Bytes that are not UTF-8
     * are decoded as U+FFFD, so stray binary in comments is harmless and in a body is bad base64.
     */
    public static List<PemObject> parse(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        return parse(new String(utf8, StandardCharsets.UTF_8));
    }

    /**
     * aws-c-io's {@code aws_sanitize_pem}: only the PEM objects of {@code text}, each re-encoded
     * as {@link PemObject#toPem()} writes it, one after the other.
     *
     * @throws IllegalArgumentException as {@link #parse(String)} does
     */
    public static String sanitize(String text) {
        return parse(text).stream().map(PemObject::toPem).collect(Collectors.joining());
    }

    /**
     * {@code der} as one PEM object labelled {@code label}.
     *
     * @throws IllegalArgumentException when {@code der} is empty or the label is blank or not an
     *     RFC 7468 label
     */
    public static String encode(String label, byte[] der) {
        return new PemObject(label, der).toPem();
    }

    /**
     * Every certificate in {@code pem}, in order (a chain's leaf comes first when the file has it
     * first). Only {@code CERTIFICATE} objects are allowed: a key or any other object in a
     * certificate file is refused rather than skipped, as it is most likely a mix-up of files.
     *
     * @throws IllegalArgumentException when the text is not PEM, holds no object, holds an object
     *     that is not a {@code CERTIFICATE}, or a certificate the JDK cannot decode
     */
    public static List<X509Certificate> certificates(String pem) {
        List<PemObject> objects = parse(pem);
        CertificateFactory factory = x509CertificateFactory();
        List<X509Certificate> certificates = new ArrayList<>(objects.size());
        for (int index = 0; index < objects.size(); index++) {
            PemObject object = objects.get(index);
            String which = "PEM object #" + (index + 1) + " (" + object.label() + ")";
            if (!object.label().equals(CERTIFICATE)) {
                throw new IllegalArgumentException(which + " is not a CERTIFICATE; certificate PEM must hold only "
                        + "CERTIFICATE objects (private keys go to privateKey)");
            }
            byte[] der = object.der();
            // The factory stops after the first DER value; this also refuses bytes after it.
            requireDerSequence(der, which);
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new IllegalArgumentException(which + " is not a valid X.509 certificate: " + e.getMessage(), e);
            }
        }
        return List.copyOf(certificates);
    }

    /** {@code chain} as PEM, one {@code CERTIFICATE} object per certificate, in the order given. */
    public static String certificatesToPem(List<? extends X509Certificate> chain) {
        Objects.requireNonNull(chain, "chain");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificates to encode: the chain is empty");
        }
        StringBuilder pem = new StringBuilder();
        for (int index = 0; index < chain.size(); index++) {
            X509Certificate certificate = Objects.requireNonNull(chain.get(index), "chain holds null");
            try {
                pem.append(encode(CERTIFICATE, certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("certificate #" + (index + 1) + " ("
                        + certificate.getSubjectX500Principal() + ") cannot be DER-encoded: " + e.getMessage(), e);
            }
        }
        return pem.toString();
    }

    /**
     * The one private key in {@code pem}: a {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY}
     * (PKCS#1) or {@code EC PRIVATE KEY} (SEC1) object whose body is a well-formed DER SEQUENCE.
     * Objects that are not private keys are passed over, so a combined certificate-and-key file
     * and {@code openssl ecparam -genkey} output (EC PARAMETERS, then the key) both work.
     *
     * @throws IllegalArgumentException when there is no key, more than one, an encrypted or
     *     unsupported key type, or a key body that is not a DER SEQUENCE
     */
    public static PemObject privateKey(String pem) {
        List<PemObject> objects = parse(pem);
        PemObject key = null;
        String keyObjectName = null;
        for (int index = 0; index < objects.size(); index++) {
            PemObject object = objects.get(index);
            String which = "PEM object #" + (index + 1) + " (" + object.label() + ")";
            if (PRIVATE_KEY_LABELS.contains(object.label())) {
                if (key != null) {
                    throw new IllegalArgumentException(
                            "more than one private key: " + keyObjectName + " and " + which + "; expected exactly one");
                }
                key = object;
                keyObjectName = which;
            } else if (object.label().equals(ENCRYPTED_PRIVATE_KEY)) {
                throw new IllegalArgumentException(which + ": encrypted private keys are not supported; "
                        + "decrypt it first (openssl pkey -in key.pem -out plain-key.pem)");
            } else if (object.label().endsWith(" PRIVATE KEY")) {
                // DSA, OPENSSH and other private keys: saying so helps more than "no private key found".
                throw new IllegalArgumentException(which + " is not a supported private key type: " + SUPPORTED_KEYS
                        + " (openssl pkey -in key.pem -out pkcs8-key.pem converts what OpenSSL can read)");
            }
        }
        if (key == null) {
            throw new IllegalArgumentException("no private key found among the PEM objects "
                    + objects.stream().map(PemObject::label).toList() + "; " + SUPPORTED_KEYS);
        }
        requireDerSequence(key.der(), keyObjectName);
        return key;
    }

    /**
     * {@code key} as a {@code PRIVATE KEY} (PKCS#8) PEM object.
     *
     * @throws IllegalArgumentException when the key does not export a PKCS#8 encoding, as keys
     *     kept in a hardware token do not
     */
    public static String privateKeyToPem(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("the " + key.getAlgorithm() + " private key has no PKCS#8 encoding"
                    + " (format " + key.getFormat() + "), so it cannot be written as PEM;"
                    + " a key held in a hardware token never leaves it");
        }
        return encode(PKCS8_PRIVATE_KEY, pkcs8);
    }

    /** Windows editors may start a UTF-8 file with U+FEFF, which would hide a BEGIN on the first line. */
    private static String withoutByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The label of a {@code -----BEGIN <label>-----} or {@code -----END <label>-----} line. */
    private static String boundaryLabel(String line, String keyword, int lineNumber) {
        String prefix = keyword + " ";
        int labelEnd = line.length() - DASHES.length();
        if (!line.startsWith(prefix) || !line.endsWith(DASHES) || labelEnd < prefix.length()) {
            throw new IllegalArgumentException("line " + lineNumber + ": malformed boundary \"" + line + "\"; expected "
                    + keyword + " <label>" + DASHES);
        }
        String label = line.substring(prefix.length(), labelEnd);
        if (!PemObject.isValidLabel(label)) {
            throw new IllegalArgumentException("line " + lineNumber + ": invalid label \"" + label + "\" in \"" + line
                    + "\"; a label is printable ASCII words separated by single spaces or hyphens");
        }
        return label;
    }

    private static void appendBodyLine(StringBuilder base64, String line, int lineNumber, String openObjectName) {
        int colon = line.indexOf(':');
        if (colon > 0 && base64.isEmpty()) {
            String header = line.substring(0, colon).strip();
            if (header.equalsIgnoreCase("Proc-Type") || header.equalsIgnoreCase("DEK-Info")) {
                throw new IllegalArgumentException(openObjectName + " is encrypted (RFC 1421 " + header
                        + " header at line " + lineNumber + "); encrypted keys are not supported, decrypt it first "
                        + "(openssl pkey -in key.pem -out plain-key.pem)");
            }
            throw new IllegalArgumentException(openObjectName + " has an encapsulated header \"" + header
                    + ":\" at line " + lineNumber + "; RFC 7468 PEM has none, and they are not supported");
        }
        for (int column = 0; column < line.length(); column++) {
            char c = line.charAt(column);
            if (isBase64(c)) {
                base64.append(c);
            } else if (!Character.isWhitespace(c)) {
                throw new IllegalArgumentException(openObjectName + " has invalid base64: " + printable(c) + " at line "
                        + lineNumber + ", column " + (column + 1));
            }
        }
    }

    private static byte[] decodeBody(CharSequence base64, String openObjectName, int endLineNumber) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            // Every character is in the alphabet by now, so only the length or the padding can be wrong.
            throw new IllegalArgumentException(openObjectName + " has invalid base64 before its END at line "
                    + endLineNumber + ": " + e.getMessage()
                    + " (a character missing or extra, or '=' padding before the end)", e);
        }
        if (der.length == 0) {
            throw new IllegalArgumentException(openObjectName + " has an empty body");
        }
        return der;
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '+' || c == '/' || c == '=';
    }

    private static String printable(char c) {
        return c > ' ' && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /**
     * Refuses a body that is not one DER SEQUENCE spanning all its bytes: garbage in a valid PEM
     * wrapper is then reported here, naming the object, rather than deep inside s2n-tls or a
     * {@code KeyFactory}. Certificates, PKCS#8, PKCS#1 and SEC1 keys are all SEQUENCEs.
     */
    private static void requireDerSequence(byte[] der, String which) {
        if (der[0] != 0x30) {
            throw new IllegalArgumentException(which + " is not a DER SEQUENCE: it starts with tag "
                    + String.format("0x%02X", der[0] & 0xFF) + ", expected 0x30");
        }
        if (der.length < 2) {
            throw new IllegalArgumentException(which + " is not a DER SEQUENCE: it ends before its length field");
        }
        int firstLengthOctet = der[1] & 0xFF;
        int headerLength = 2;
        long contentLength = firstLengthOctet;
        if (firstLengthOctet >= 0x80) {
            int lengthOctets = firstLengthOctet & 0x7F;
            // 0 is BER's indefinite length, which DER forbids; more than 4 octets would mean gigabytes.
            if (lengthOctets == 0 || lengthOctets > 4) {
                throw new IllegalArgumentException(which + " is not a DER SEQUENCE: unsupported length field "
                        + String.format("0x%02X", firstLengthOctet));
            }
            headerLength += lengthOctets;
            if (der.length < headerLength) {
                throw new IllegalArgumentException(which + " is not a DER SEQUENCE: it ends inside its length field");
            }
            contentLength = 0;
            for (int index = 2; index < headerLength; index++) {
                contentLength = (contentLength << 8) | (der[index] & 0xFF);
            }
        }
        long bytesAfterHeader = der.length - headerLength;
        if (contentLength != bytesAfterHeader) {
            throw new IllegalArgumentException(which + " is not a well-formed DER SEQUENCE: its length field says "
                    + contentLength + " bytes but " + bytesAfterHeader + " follow");
        }
    }

    private static CertificateFactory x509CertificateFactory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("every Java platform must provide an X.509 CertificateFactory", e);
        }
    }
}
