package io.reseau.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import io.reseau.testing.Polling;
import io.reseau.testing.WaitingThreads;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The caching resolver on its own lookup threads and real time, with scripted and real (getaddrinfo) lookups. */
@Timeout(60)
class CachingHostResolverThreadsTest {
    private static final String HOST = "host.test";

    @Test
    void tenThousandVirtualThreadsAskingForOneNewHostMakeOneLookup() throws Exception {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1").closeGate();
        // No refresh (every 30 s) while ten thousand threads are answered.
        HostResolverOptions options = HostResolverOptions.defaults().lookup(dns).resolveFrequency(Duration.ofSeconds(30));
        try (CachingHostResolver resolver = new CachingHostResolver(options)) {
            ConcurrentLinkedQueue<List<InetAddress>> answers = new ConcurrentLinkedQueue<>();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                callers.add(Thread.ofVirtual().start(() -> {
                    try {
                        answers.add(resolver.resolve(HOST));
                    } catch (UnknownHostException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            Polling.await(() -> resolver.statistics().misses() == 10_000, "every caller waiting");
            dns.open();
            for (Thread caller : callers) {
                caller.join();
            }
            assertThat(answers).hasSize(10_000)
                    .allSatisfy(answer -> assertThat(answer).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.1"));
            assertThat(dns.calls()).isEqualTo(1);
            assertThat(resolver.statistics().lookups()).isEqualTo(1);
        }
    }

    @Test
    void lookupsRunOnTheResolversPlatformThreadsWhileVirtualCallersPark() throws Exception {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1").closeGate();
        try (CachingHostResolver resolver = new CachingHostResolver(HostResolverOptions.defaults().lookup(dns))) {
            CompletableFuture<List<InetAddress>> answer = new CompletableFuture<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    answer.complete(resolver.resolve(HOST));
                } catch (UnknownHostException e) {
                    answer.completeExceptionally(e);
                }
            });
            WaitingThreads.await(caller);
            assertThat(dns.calls()).isEqualTo(1);
            dns.open();
            assertThat(answer.get(10, TimeUnit.SECONDS)).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.1");
            assertThat(dns.threads()).singleElement().satisfies(thread -> {
                assertThat(thread.isVirtual()).isFalse();
                assertThat(thread.getName()).startsWith("reseau-dns-");
            });
        }
    }

    @Test
    void aWaitingCallerKeepsWaitingThroughAnInterruptAndKeepsItsStatus() throws Exception {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1").closeGate();
        try (CachingHostResolver resolver = new CachingHostResolver(HostResolverOptions.defaults().lookup(dns))) {
            CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    resolver.resolve(HOST);
                    interruptedAfter.complete(Thread.currentThread().isInterrupted());
                } catch (UnknownHostException e) {
                    interruptedAfter.completeExceptionally(e);
                }
            });
            WaitingThreads.await(caller);
            caller.interrupt();
            WaitingThreads.await(caller);
            dns.open();
            assertThat(interruptedAfter.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void purgingAHostWhoseLookupIsUnderWayCompletesWhenTheLookupEndsAndItsAnswerReachesTheWaiting() throws Exception {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1").closeGate();
        try (CachingHostResolver resolver = new CachingHostResolver(HostResolverOptions.defaults().lookup(dns))) {
            CompletableFuture<List<HostAddress>> answer = new CompletableFuture<>();
            resolver.resolve(HOST, (host, addresses, error) -> answer.complete(addresses));
            Polling.await(() -> dns.calls() == 1, "the lookup under way");
            CompletableFuture<Void> purged = resolver.purgeHost(HOST);
            assertThat(resolver.statistics().hosts()).isZero();
            assertThat(purged).isNotDone();
            dns.open();
            purged.get(10, TimeUnit.SECONDS);
            assertThat(answer.get(10, TimeUnit.SECONDS)).extracting(HostAddress::recordType).containsExactly(RecordType.A);
            assertThat(resolver.statistics().hosts()).isZero();
        }
    }

    @Test
    void localhostResolvesThroughGetaddrinfo() throws Exception {
        try (CachingHostResolver resolver = new CachingHostResolver()) {
            List<InetAddress> addresses = resolver.resolve("localhost");
            assertThat(addresses).contains(InetAddress.getByName("127.0.0.1")).doesNotHaveDuplicates();
            assertThat(addresses.getFirst().getHostName()).isEqualTo("localhost");
            assertThat(resolver.resolve("localhost")).isEqualTo(addresses);
            assertThat(resolver.statistics()).extracting(ResolverStatistics::lookups, ResolverStatistics::hits).containsExactly(1L, 1L);
        }
    }

    @Test
    void aNameThatDoesNotExistIsUnknownWithAwsCIosCode() throws Exception {
        try (CachingHostResolver resolver = new CachingHostResolver()) {
            assertThatThrownBy(() -> resolver.resolve("no-such-host.invalid")).isInstanceOf(UnknownHostException.class)
                    .hasMessageStartingWith("no-such-host.invalid: ").hasMessageMatching(".*AWS_IO_DNS_(INVALID_NAME|QUERY_FAILED|QUERY_AGAIN).*");
            CompletableFuture<IoError> error = new CompletableFuture<>();
            resolver.resolve("no-such-host.invalid", (host, addresses, failure) -> error.complete(failure));
            assertThat(error.get(20, TimeUnit.SECONDS)).isIn(IoError.DNS_INVALID_NAME, IoError.DNS_QUERY_FAILED, IoError.DNS_QUERY_AGAIN);
            assertThat(resolver.statistics().lookupFailures()).isPositive();
        }
    }

    @Test
    void theDefaultResolverIsSharedAndOutlivesClose() throws Exception {
        CachingHostResolver shared = CachingHostResolver.getDefault();
        assertThat(CachingHostResolver.getDefault()).isSameAs(shared);
        shared.close();
        assertThat(shared.resolve("localhost")).contains(InetAddress.getByName("127.0.0.1"));
        assertThat(shared.options()).isEqualTo(HostResolverOptions.defaults());
    }
}
