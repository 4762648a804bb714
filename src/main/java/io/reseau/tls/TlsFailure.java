package io.reseau.tls;

import io.reseau.common.IoError;
import java.util.Objects;

/**
 * Why a TLS connection failed, as precisely as s2n says: the channel's error, s2n's error name
 * ({@code S2N_ERR_CERT_UNTRUSTED}) and message, and the alert the peer sent, if any.
 *
 * @param s2nError s2n's error name, or null when the failure was not s2n's (a timeout, the
 *     connection closing, a peer verifier's refusal)
 * @param alert the TLS alert the peer sent (RFC 8446 numbers), or -1
 */
public record TlsFailure(IoError error, String s2nError, String message, int alert) {
    public TlsFailure {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return (s2nError != null ? s2nError + ": " : "") + message + (alert >= 0 ? " (alert " + alert + " from the peer)" : "");
    }
}
