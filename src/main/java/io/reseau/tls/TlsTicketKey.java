package io.reseau.tls;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A key a server encrypts session tickets under (RFC 5077 5.5): a random 32-byte secret with a
 * random 16-byte name, which tickets carry so that the server finds the key again. It encrypts new
 * tickets from {@code introduced} on, for as long as {@link TlsSessionTickets#encryptFor()} says,
 * then only decrypts them for {@link TlsSessionTickets#lifetime()}. Once no context is to be built
 * with it, {@link #destroy()} zeroes its secret (a context already built keeps s2n's copy).
 */
public final class TlsTicketKey implements Destroyable {
    static final int NAME_LENGTH = 16;
    static final int SECRET_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] name;
    private final byte[] secret; // guarded by this; zeroes once destroyed
    private boolean destroyed; // guarded by this
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

    /** A copy of the secret. */
    synchronized byte[] secret() {
        if (destroyed) {
            throw new IllegalStateException("ticket key destroyed: " + this);
        }
        return secret.clone();
    }

    @Override
    public synchronized void destroy() {
        Arrays.fill(secret, (byte) 0);
        destroyed = true;
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        // Never the secret; the name is on the wire anyway, in every ticket.
        return "TlsTicketKey[" + java.util.HexFormat.of().formatHex(Arrays.copyOf(name, 4)) + "..., from " + introduced + "]";
    }
}
