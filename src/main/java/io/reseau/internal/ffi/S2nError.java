package io.reseau.internal.ffi;

/**
 * An s2n error: its code, its name ({@code S2N_ERR_CERT_UNTRUSTED}), the message, and where in s2n
 * it was raised (kept for logs).
 */
public record S2nError(int code, String name, String message, String debug) {
    /** The error's kind: {@link S2n#ERR_T_BLOCKED}, {@link S2n#ERR_T_ALERT}, ... (s2n_error_get_type). */
    public int type() {
        return code >>> 26;
    }

    public boolean isBlocked() {
        return type() == S2n.ERR_T_BLOCKED;
    }

    @Override
    public String toString() {
        return name + ": " + message;
    }
}
