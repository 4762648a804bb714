package io.reseau.net.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionBindingEvent;
import javax.net.ssl.SSLSessionBindingListener;
import org.junit.jupiter.api.Test;

/** The application values a session holds, with JSSE's binding events. */
class ReseauSSLSessionTest {
    @Test
    void valuesAreBoundReplacedAndUnboundAsInJsse() {
        SSLSession session = ReseauSSLSession.invalid("localhost", 443);
        assertThat(session.getValueNames()).isEmpty();
        assertThat(session.getValue("token")).isNull();
        session.removeValue("token"); // nothing held yet: nothing to do

        List<String> events = new ArrayList<>();
        session.putValue("token", new Recording("first", events));
        session.putValue("token", new Recording("second", events));
        assertThat(session.getValueNames()).containsExactly("token");
        assertThat(session.getValue("token")).hasToString("second");
        session.removeValue("token");

        assertThat(events).containsExactly("first bound token", "first unbound token", "second bound token",
                "second unbound token");
        assertThat(session.getValueNames()).isEmpty();
        assertThatThrownBy(() -> session.putValue(null, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> session.getValue(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private record Recording(String name, List<String> events) implements SSLSessionBindingListener {
        @Override
        public void valueBound(SSLSessionBindingEvent event) {
            events.add(name + " bound " + event.getName());
        }

        @Override
        public void valueUnbound(SSLSessionBindingEvent event) {
            events.add(name + " unbound " + event.getName());
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
