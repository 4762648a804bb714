package io.reseau.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SystemHostResolverTest {
    private final SystemHostResolver resolver = new SystemHostResolver(2);

    @AfterEach
    void close() {
        resolver.close();
    }

    record Answer(List<HostAddress> addresses, IoError error, String thread) {}

    private Answer resolve(String host) throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        resolver.resolve(host, (h, addresses, error) ->
                answer.complete(new Answer(addresses, error, Thread.currentThread().getName())));
        return answer.get(20, TimeUnit.SECONDS);
    }

    @Test
    void localhostResolvesThroughGetaddrinfoOnAResolverThread() throws Exception {
        Answer answer = resolve("localhost");
        assertThat(answer.error()).isNull();
        assertThat(answer.addresses()).extracting(HostAddress::address).contains(InetAddress.getByName("127.0.0.1"));
        assertThat(answer.addresses()).doesNotHaveDuplicates();
        assertThat(answer.thread()).startsWith("reseau-dns-");
    }

    @Test
    void literalsAreAnsweredAtOnceOnTheCaller() throws Exception {
        Answer v4 = resolve("192.0.2.7");
        assertThat(v4.addresses()).extracting(HostAddress::recordType).containsExactly(RecordType.A);
        assertThat(v4.thread()).isEqualTo(Thread.currentThread().getName());
        Answer v6 = resolve("2001:db8::1");
        assertThat(v6.addresses()).extracting(HostAddress::recordType).containsExactly(RecordType.AAAA);
    }

    @Test
    void anUnknownNameFailsWithADnsError() throws Exception {
        Answer answer = resolve("no-such-host.invalid");
        assertThat(answer.addresses()).isEmpty();
        assertThat(answer.error()).isIn(IoError.DNS_INVALID_NAME, IoError.DNS_QUERY_FAILED, IoError.DNS_QUERY_AGAIN);
    }

    @Test
    void badInputAndAClosedResolver() throws Exception {
        assertThatThrownBy(() -> resolver.resolve("", (h, a, e) -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> resolver.resolve(null, (h, a, e) -> {})).isInstanceOf(IllegalArgumentException.class);
        resolver.close();
        assertThat(resolve("localhost").error()).isEqualTo(IoError.DNS_QUERY_FAILED);
    }
}
