package io.reseau.tls;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One PEM object (RFC 7468): the DER bytes between {@code -----BEGIN <label>-----} and
 * {@code -----END <label>-----}.
 *
 * <p>The array is copied in and out, so a {@code PemObject} cannot change after it is built;
 * {@link #equals} and {@link #hashCode} compare the bytes' contents, and {@link #toString} shows
 * only the label and the length, because the bytes may be a private key that must not end up in
 * a log.
 *
 * @param label the type label, such as {@code CERTIFICATE} or {@code PRIVATE KEY}: printable
 *     ASCII words separated by single spaces or hyphens, as RFC 7468 section 3 allows
 * @param der the decoded body; never empty
 */
public record PemObject(String label, byte[] der) {
    /** RFC 7468 section 3: {@code labelchar *( ["-" / SP] labelchar )}, labelchar being printable ASCII but '-'. */
    private static final Pattern LABEL = Pattern.compile("[\\x21-\\x2C\\x2E-\\x7E]+(?:[- ][\\x21-\\x2C\\x2E-\\x7E]+)*");

    /** RFC 7468 section 2: generators wrap base64 at exactly 64 characters. */
    private static final Base64.Encoder BODY_ENCODER = Base64.getMimeEncoder(64, new byte[] {'\n'});

    /**
     * @throws IllegalArgumentException when the label is blank or not an RFC 7468 label, or
     *     {@code der} is empty
     */
    public PemObject {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(der, "der");
        if (!isValidLabel(label)) {
            throw new IllegalArgumentException("invalid PEM label \"" + label
                    + "\": expected printable ASCII words separated by single spaces or hyphens, such as CERTIFICATE");
        }
        if (der.length == 0) {
            throw new IllegalArgumentException("empty DER for PEM label " + label + ": a PEM object needs a body");
        }
        der = der.clone();
    }

    /** A copy of the DER bytes. */
    @Override
    public byte[] der() {
        return der.clone();
    }

    /** This object as PEM text: 64-character base64 lines, {@code \n} line ends, a final newline. */
    public String toPem() {
        return "-----BEGIN " + label + "-----\n"
                + BODY_ENCODER.encodeToString(der) + "\n"
                + "-----END " + label + "-----\n";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PemObject that && label.equals(that.label) && Arrays.equals(der, that.der);
    }

    @Override
    public int hashCode() {
        return 31 * label.hashCode() + Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "PemObject[label=" + label + ", der=" + der.length + " bytes]";
    }

    static boolean isValidLabel(String label) {
        return LABEL.matcher(label).matches();
    }
}
