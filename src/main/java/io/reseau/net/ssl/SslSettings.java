package io.reseau.net.ssl;

import io.reseau.tls.CipherSuites;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;

/**
 * The {@link SSLParameters} of one socket, server socket or engine, behind the setters and getters
 * JSSE's classes share (suites, protocols, client authentication). The parameters are read
 * without a lock and replaced whole under one, never changed in place (see
 * {@link SslParametersCopy}): a handshake reads a consistent set, and a server socket's accepted
 * sockets share its set until one of them changes its own.
 */
final class SslSettings {
    private volatile SSLParameters current;
    private volatile boolean protocolsChosen; // by the application, so a change of mode keeps them

    SslSettings(SSLParameters shared) {
        this.current = shared;
    }

    /** The parameters as they are; never to be changed. */
    SSLParameters current() {
        return current;
    }

    /** A copy the caller may change: {@code getSSLParameters()}. */
    SSLParameters copy() {
        return SslParametersCopy.of(current);
    }

    /** {@code setSSLParameters}: null suites, protocols, server names and matchers keep the current ones. */
    synchronized void merge(SSLParameters changes) {
        current = SslParametersCopy.merge(current, changes, SslConfiguration.SUPPORTED_PROTOCOLS, CipherSuites.supported());
        if (changes.getProtocols() != null) {
            protocolsChosen = true;
        }
    }

    private synchronized void change(Consumer<SSLParameters> change) {
        current = SslParametersCopy.changed(current, change);
    }

    String[] supportedCipherSuites() {
        return CipherSuites.supported().toArray(String[]::new);
    }

    String[] enabledCipherSuites() {
        return current.getCipherSuites();
    }

    /** Checked and reported, not applied: the s2n policy the versions select fixes the suites. */
    void enableCipherSuites(String[] suites) {
        String[] checked = SslParametersCopy.checked(suites, CipherSuites.supported(), "CipherSuite");
        change(p -> p.setCipherSuites(checked));
    }

    String[] supportedProtocols() {
        return SslConfiguration.SUPPORTED_PROTOCOLS.toArray(String[]::new);
    }

    String[] enabledProtocols() {
        return current.getProtocols();
    }

    void enableProtocols(String[] protocols) {
        String[] checked = SslParametersCopy.checked(protocols, SslConfiguration.SUPPORTED_PROTOCOLS, "protocol");
        synchronized (this) {
            change(p -> p.setProtocols(checked));
            protocolsChosen = true;
        }
    }

    /** The protocols of a mode's defaults, unless the application chose its own (an engine's change of mode). */
    synchronized void defaultProtocols(String[] protocols) {
        if (!protocolsChosen) {
            change(p -> p.setProtocols(protocols));
        }
    }

    boolean needClientAuth() {
        return current.getNeedClientAuth();
    }

    void needClientAuth(boolean need) {
        change(p -> p.setNeedClientAuth(need));
    }

    boolean wantClientAuth() {
        return current.getWantClientAuth();
    }

    void wantClientAuth(boolean want) {
        change(p -> p.setWantClientAuth(want));
    }

    /** JSSE's classes can turn session creation off; Reseau creates a session per handshake. */
    static void requireSessionCreation(boolean enabled) {
        if (!enabled) {
            throw new UnsupportedOperationException("Reseau always creates a new session");
        }
    }
}
