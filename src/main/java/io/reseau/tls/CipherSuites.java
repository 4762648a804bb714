package io.reseau.tls;

import java.util.List;
import java.util.Map;

/**
 * Cipher suite names as IANA and JSSE write them ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}),
 * from the two-byte code s2n reports; s2n's own names are OpenSSL's for TLS 1.2.
 */
public final class CipherSuites {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x1301, "TLS_AES_128_GCM_SHA256"),
            Map.entry(0x1302, "TLS_AES_256_GCM_SHA384"),
            Map.entry(0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
            Map.entry(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
            Map.entry(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
            Map.entry(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
            Map.entry(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
            Map.entry(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
            Map.entry(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
            Map.entry(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256"),
            Map.entry(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256"),
            Map.entry(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"));

    private CipherSuites() {}

    /** Every suite Reseau's pinned policies may negotiate, by IANA name, TLS 1.3's first. */
    public static List<String> supported() {
        return NAMES.entrySet().stream()
                .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(tls13First(a), tls13First(b))))
                .map(Map.Entry::getValue)
                .toList();
    }

    private static int tls13First(int code) {
        return (code & 0xFF00) == 0x1300 ? code - 0x10000 : code;
    }

    /** The IANA name of {@code code}, or s2n's name when the table has none. */
    static String name(int code, String s2nName) {
        String name = NAMES.get(code);
        return name != null ? name : s2nName;
    }
}
