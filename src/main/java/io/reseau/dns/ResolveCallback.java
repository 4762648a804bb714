package io.reseau.dns;

import io.reseau.common.IoError;
import java.util.List;

/** Receives a host's addresses (error null, at least one address) or why there are none. */
@FunctionalInterface
public interface ResolveCallback {
    void onResolved(String host, List<HostAddress> addresses, IoError error);
}
