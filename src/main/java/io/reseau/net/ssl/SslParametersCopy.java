package io.reseau.net.ssl;

import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;

/**
 * Copies and merges of {@link SSLParameters}, which are mutable. Sockets, server sockets and
 * factories never change one in place once they hold it, only replace it whole: the event loop (a
 * trust manager asking for endpoint identification) then reads a consistent one without a lock,
 * and every socket of a factory or server socket shares its parameters until it changes its own.
 */
final class SslParametersCopy {
    private SslParametersCopy() {}

    static SSLParameters of(SSLParameters source) {
        SSLParameters copy = new SSLParameters(source.getCipherSuites(), source.getProtocols());
        if (source.getNeedClientAuth()) {
            copy.setNeedClientAuth(true);
        } else {
            copy.setWantClientAuth(source.getWantClientAuth());
        }
        copy.setEndpointIdentificationAlgorithm(source.getEndpointIdentificationAlgorithm());
        if (source.getServerNames() != null) {
            copy.setServerNames(source.getServerNames());
        }
        if (source.getSNIMatchers() != null) {
            copy.setSNIMatchers(source.getSNIMatchers());
        }
        copy.setApplicationProtocols(source.getApplicationProtocols());
        copy.setAlgorithmConstraints(source.getAlgorithmConstraints());
        copy.setUseCipherSuitesOrder(source.getUseCipherSuitesOrder());
        copy.setMaximumPacketSize(source.getMaximumPacketSize());
        return copy;
    }

    /** A copy of {@code current} with {@code change} made to it; {@code current} stays as it was. */
    static SSLParameters changed(SSLParameters current, Consumer<SSLParameters> change) {
        SSLParameters copy = of(current);
        change.accept(copy);
        return copy;
    }

    /**
     * {@code current} with {@code changes} applied as {@code SSLSocket.setSSLParameters} does:
     * null suites, protocols, server names and matchers leave the current ones.
     *
     * @throws IllegalArgumentException for a protocol or cipher suite this socket does not support
     */
    static SSLParameters merge(SSLParameters current, SSLParameters changes, List<String> protocols, List<String> suites) {
        SSLParameters merged = of(changes);
        merged.setCipherSuites(changes.getCipherSuites() != null
                ? checked(changes.getCipherSuites(), suites, "CipherSuite") : current.getCipherSuites());
        merged.setProtocols(changes.getProtocols() != null
                ? checked(changes.getProtocols(), protocols, "protocol") : current.getProtocols());
        if (changes.getServerNames() == null && current.getServerNames() != null) {
            merged.setServerNames(current.getServerNames());
        }
        if (changes.getSNIMatchers() == null && current.getSNIMatchers() != null) {
            merged.setSNIMatchers(current.getSNIMatchers());
        }
        return merged;
    }

    /** {@code values}, each of which must be {@code supported}; JSSE's exception otherwise. */
    static String[] checked(String[] values, List<String> supported, String what) {
        if (values == null) {
            throw new IllegalArgumentException(what + "s cannot be null");
        }
        for (String value : values) {
            if (value == null || !supported.contains(value)) {
                throw new IllegalArgumentException("Unsupported " + what + ": " + value);
            }
        }
        return values.clone();
    }
}
