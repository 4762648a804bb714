package io.reseau.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** D6 counts only what OpenSSL's s_time reports as new sessions, each marked as one. */
class OpensslClientsTest {
    private static String output(String marks, int reported) {
        return "Collecting connection statistics for 2 seconds\n" + marks + "\n\n"
                + reported + " connections in 1.36s; 1640.44 connections/user sec, bytes read 0\n"
                + reported + " connections in 3 real seconds, 0 bytes read per connection\n";
    }

    @Test
    void countsTheConnectionsWhenEachWasANewSession() throws IOException {
        assertThat(OpensslClients.fullHandshakes(output("*****", 5))).isEqualTo(5);
    }

    @Test
    void aResumedSessionFailsTheRunInsteadOfCounting() {
        assertThatThrownBy(() -> OpensslClients.fullHandshakes(output("**r**", 5)))
                .isInstanceOf(IOException.class).hasMessageContaining("4 of them new sessions and 1 resumed");
    }

    @Test
    void aCountTheMarksDoNotMatchFailsTheRun() {
        assertThatThrownBy(() -> OpensslClients.fullHandshakes(output("***", 5))).hasMessageContaining("3 of them new sessions");
        assertThatThrownBy(() -> OpensslClients.fullHandshakes("ERROR\n")).hasMessageContaining("no connection count");
    }
}
