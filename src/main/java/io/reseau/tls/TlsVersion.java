package io.reseau.tls;

/** TLS protocol versions, with s2n's numbers for them and the names JSSE uses. */
public enum TlsVersion {
    TLS_1_0(31, "TLSv1"),
    TLS_1_1(32, "TLSv1.1"),
    TLS_1_2(33, "TLSv1.2"),
    TLS_1_3(34, "TLSv1.3");

    final int s2nNumber;
    private final String javaName;

    TlsVersion(int s2nNumber, String javaName) {
        this.s2nNumber = s2nNumber;
        this.javaName = javaName;
    }

    /** "TLSv1.3", as {@code SSLSession.getProtocol()} reports it. */
    public String javaName() {
        return javaName;
    }

    /** The version s2n numbers {@code number}, or null for one Reseau does not speak. */
    static TlsVersion fromS2n(int number) {
        for (TlsVersion version : values()) {
            if (version.s2nNumber == number) {
                return version;
            }
        }
        return null;
    }

    /** The version JSSE names {@code name} ("TLSv1.2"), or null. */
    public static TlsVersion fromJavaName(String name) {
        for (TlsVersion version : values()) {
            if (version.javaName.equals(name)) {
                return version;
            }
        }
        return null;
    }
}
