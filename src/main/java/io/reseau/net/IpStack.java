package io.reseau.net;

import io.reseau.common.IoErrorException;
import io.reseau.socket.Socket;
import io.reseau.socket.SocketDomain;
import io.reseau.socket.SocketOptions;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Which socket family blocking sockets use: IPv6 (dual stack) when the host has it, as the JDK does. */
final class IpStack {
    private static final boolean IPV6 = probeIpv6();

    private IpStack() {}

    static SocketDomain preferredDomain() {
        return IPV6 ? SocketDomain.IPV6 : SocketDomain.IPV4;
    }

    /** The wildcard address of {@code domain}. */
    static InetAddress anyLocal(SocketDomain domain) {
        try {
            return InetAddress.getByAddress(new byte[domain == SocketDomain.IPV6 ? 16 : 4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code address} as a socket of {@code domain} binds it: the IPv4 wildcard becomes the IPv6 one. */
    static InetAddress forSocket(InetAddress address, SocketDomain domain) {
        if (address == null || (domain == SocketDomain.IPV6 && address instanceof Inet4Address && address.isAnyLocalAddress())) {
            return anyLocal(domain);
        }
        return address;
    }

    private static boolean probeIpv6() {
        try {
            new Socket(SocketOptions.tcp(SocketDomain.IPV6)).close();
            return true;
        } catch (IoErrorException e) {
            return false;
        }
    }
}
