package io.reseau.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The process-wide loops that blocking sockets run on. */
class NetContextTest {

    @Test
    void blockingSocketsHaveALoopPerProcessor() {
        // Their TLS is encrypted on the loops: fewer loops than processors would cap it.
        assertThat(NetContext.defaults().group().loopCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
