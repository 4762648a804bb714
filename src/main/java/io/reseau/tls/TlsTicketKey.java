package io.reseau.tls;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key a server encrypts session tickets under (RFC 5077 5.5): a random 32-byte secret with a
 * random 16-byte name, which tickets carry so that the server finds the key again. It encrypts new
 * tickets from {@code introduced} on, for as long as {@link TlsSessionTickets#encryptFor()} says,
 * then only decrypts them for {@link TlsSessionTickets#lifetime()}.
 */
public final class TlsTicketKey {
    static final int NAME_LENGTH = 16;
    static final int SECRET_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] name;
    private final byte[] secret;
    private final Instant introduced;

    private TlsTicketKey(byte[] name, byte[] secret, Instant introduced) {
        this.name = name;
        this.secret = secret;
        this.introduced = introduced;
    }

    /** A new random key, encrypting from {@code introduced} on. */
    public static TlsTicketKey generate(Instant introduced) {
        Objects.requireNonNull(introduced, "introduced");
        byte[] name = new byte[NAME_LENGTH];
        byte[] secret = new byte[SECRET_LENGTH];
        RANDOM.nextBytes(name);
        RANDOM.nextBytes(secret);
        return new TlsTicketKey(name, secret, introduced);
    }

    public Instant introduced() {
        return introduced;
    }

    byte[] name() {
        return name.clone();
    }

    byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        // Never the secret; the name is on the wire anyway, in every ticket.
        return "TlsTicketKey[" + java.util.HexFormat.of().formatHex(Arrays.copyOf(name, 4)) + "..., from " + introduced + "]";
    }
}
