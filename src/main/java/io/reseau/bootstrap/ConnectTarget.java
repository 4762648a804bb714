package io.reseau.bootstrap;

import io.reseau.dns.HostAddress;
import io.reseau.socket.SocketDomain;
import java.net.SocketAddress;

/**
 * One address a connect tries, with the domain of the socket that tries it; {@code resolved} is
 * what the resolver answered (told of a failure), null for a Unix path.
 */
record ConnectTarget(SocketAddress remote, SocketDomain domain, HostAddress resolved) {}
