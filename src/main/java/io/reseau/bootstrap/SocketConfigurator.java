package io.reseau.bootstrap;

import io.reseau.common.IoErrorException;
import io.reseau.socket.Socket;

/** Adjusts a new socket (options such as SO_RCVBUF) before it binds or connects, on its loop. */
@FunctionalInterface
public interface SocketConfigurator {
    void configure(Socket socket) throws IoErrorException;
}
