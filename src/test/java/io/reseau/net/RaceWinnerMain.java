package io.reseau.net;

import io.reseau.dns.CachingHostResolver;
import io.reseau.dns.HostResolverOptions;
import io.reseau.eventloop.EventLoopGroup;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;

/**
 * A child JVM's side of {@link HappyEyeballsTest}: connects to "race.test", which resolves to ::1
 * and 127.0.0.1, on the port given (both listen there), and prints "winner " and the address it
 * connected to. The JVM's properties (java.net.preferIPv6Addresses...) are the test's choice.
 */
public final class RaceWinnerMain {
    private RaceWinnerMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<InetAddress> answer = List.of(InetAddress.getByName("::1"), InetAddress.getByName("127.0.0.1"));
        try (EventLoopGroup group = new EventLoopGroup(1);
                CachingHostResolver resolver = new CachingHostResolver(HostResolverOptions.defaults().lookup(host -> answer));
                Socket socket = ReseauSocketFactory.of(group, resolver).createSocket("race.test", port)) {
            System.out.println("winner " + socket.getInetAddress().getHostAddress());
        }
    }
}
