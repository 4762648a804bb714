package io.reseau.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reseau.common.IoError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * aws-c-io's default host resolver tests (tests/default_host_resolver_test.c) on a scripted lookup
 * function and a manual clock: lookups run on the test's thread when the clock says they are due.
 */
class CachingHostResolverTest {
    private static final String HOST = "host.test";
    private static final Duration STEP = Duration.ofMillis(500);

    private final ManualLookupScheduler clock = new ManualLookupScheduler();

    private CachingHostResolver resolver(ScriptedLookup dns, Duration maxTtl, Duration resolveFrequency) {
        return new CachingHostResolver(HostResolverOptions.defaults().lookup(dns).maxTtl(maxTtl)
                .resolveFrequency(resolveFrequency), clock);
    }

    private CachingHostResolver resolver(ScriptedLookup dns) {
        return resolver(dns, HostResolverOptions.DEFAULT_MAX_TTL, HostResolverOptions.DEFAULT_RESOLVE_FREQUENCY);
    }

    /** A callback's answers, as address texts. */
    private static final class Answers {
        final List<List<String>> addresses = new ArrayList<>();
        final List<IoError> errors = new ArrayList<>();

        ResolveCallback callback() {
            return (host, found, error) -> {
                assertThat(host).isEqualTo(HOST);
                addresses.add(found.stream().map(address -> address.address().getHostAddress()).toList());
                errors.add(error);
            };
        }

        int count() {
            return errors.size();
        }
    }

    /** Asks for {@link #HOST}, which must be answered before the call returns, without an error. */
    private static List<String> ask(CachingHostResolver resolver) {
        Answers answers = new Answers();
        resolver.resolve(HOST, answers.callback());
        assertThat(answers.count()).as("answered at once").isEqualTo(1);
        assertThat(answers.errors.getFirst()).isNull();
        return answers.addresses.getFirst();
    }

    /** A request for {@link #HOST}, cached with one address that then failed: it waits for the next lookup. */
    private static Answers waitingAfterItsOnlyAddressFailed(CachingHostResolver resolver) throws UnknownHostException {
        List<String> cached = ask(resolver);
        assertThat(cached).hasSize(1);
        resolver.recordConnectionFailure(address(cached.getFirst()));
        Answers waiting = new Answers();
        resolver.resolve(HOST, waiting.callback());
        assertThat(waiting.count()).isZero();
        return waiting;
    }

    private static HostAddress address(String literal) throws UnknownHostException {
        return new HostAddress(HOST, InetAddress.getByName(literal));
    }

    @Test
    void theFirstRequestLooksUpAndLaterOnesAreAnsweredFromTheCacheIpv6First() throws Exception {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1", "fd00:1:1:1:1:1:1:1");
        CachingHostResolver resolver = resolver(dns);

        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:1", "192.0.2.1");
        assertThat(resolver.statistics()).isEqualTo(new ResolverStatistics(0, 1, 1, 0, 0, 0, 1));
        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:1", "192.0.2.1");
        assertThat(resolver.resolve(HOST)).extracting(InetAddress::getHostAddress).containsExactly("fd00:1:1:1:1:1:1:1", "192.0.2.1");
        assertThat(resolver.resolve(HOST)).allSatisfy(address -> assertThat(address.getHostName()).isEqualTo(HOST));
        assertThat(resolver.resolve(HOST, RecordType.A)).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.1");
        assertThat(resolver.statistics()).isEqualTo(new ResolverStatistics(4, 1, 1, 0, 0, 0, 1));
        assertThat(dns.calls()).isEqualTo(1);
        assertThat(resolver.addressCount(HOST, RecordType.A)).isEqualTo(1);
        assertThat(resolver.addressCount(HOST, RecordType.AAAA)).isEqualTo(1);
        assertThat(resolver.addressCount("other.test", RecordType.A)).isZero();
    }

    @Test
    void answersRotateAcrossEachFamilyLeastRecentlyUsedFirst() throws Exception {
        CachingHostResolver resolver = resolver(ScriptedLookup.answering("fd00:1:1:1:1:1:1:1", "fd00:1:1:1:1:1:1:2", "192.0.2.1", "192.0.2.2"));

        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:1", "fd00:1:1:1:1:1:1:2", "192.0.2.1", "192.0.2.2");
        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:2", "fd00:1:1:1:1:1:1:1", "192.0.2.2", "192.0.2.1");
        assertThat(resolver.resolve(HOST)).extracting(InetAddress::getHostAddress)
                .containsExactly("fd00:1:1:1:1:1:1:1", "fd00:1:1:1:1:1:1:2", "192.0.2.1", "192.0.2.2");
        assertThat(resolver.resolve(HOST, RecordType.A)).extracting(InetAddress::getHostAddress)
                .containsExactly("192.0.2.2", "192.0.2.1");
        // A refresh keeps the order the answers left.
        clock.advance(Duration.ofSeconds(1));
        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:2", "fd00:1:1:1:1:1:1:1", "192.0.2.1", "192.0.2.2");
    }

    /** test_resolver_ttls: a new address joins as the most recently used; an address expires max_ttl after its last lookup. */
    @Test
    void addressesExpireMaxTtlAfterTheLastLookupThatReturnedThem() {
        ScriptedLookup dns = ScriptedLookup.answering("fd00:1:1:1:1:1:1:1", "192.0.2.1").then("fd00:1:1:1:1:1:1:2", "192.0.2.2");
        CachingHostResolver resolver = resolver(dns, Duration.ofSeconds(2), STEP);

        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:1", "192.0.2.1");
        clock.advance(Duration.ofMillis(1500)); // lookups at 0.5, 1 and 1.5 s return only address 2
        assertThat(dns.calls()).isEqualTo(4);
        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:1", "fd00:1:1:1:1:1:1:2", "192.0.2.1", "192.0.2.2");
        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:2", "fd00:1:1:1:1:1:1:1", "192.0.2.2", "192.0.2.1");
        clock.advance(Duration.ofMillis(500)); // 2 s: address 1 expires at 2 s, not yet past
        assertThat(resolver.addressCount(HOST, RecordType.A)).isEqualTo(2);
        clock.advance(Duration.ofMillis(500)); // 2.5 s: past
        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:2", "192.0.2.2");
    }

    /** test_resolver_ttls' end: with every lookup failing, all addresses expire but the last of each family. */
    @Test
    void aDnsOutageKeepsTheLastGoodAddressOfEachFamily() {
        ScriptedLookup dns = ScriptedLookup.answering("fd00:1:1:1:1:1:1:1", "192.0.2.1", "192.0.2.2")
                .thenFailing(IoError.DNS_QUERY_FAILED);
        CachingHostResolver resolver = resolver(dns, Duration.ofSeconds(2), STEP);

        assertThat(ask(resolver)).hasSize(3);
        clock.advance(10, STEP, () -> ask(resolver)); // 5 s of failed lookups while the host is in use
        assertThat(resolver.statistics().lookupFailures()).isEqualTo(10);
        assertThat(ask(resolver)).hasSize(2).contains("fd00:1:1:1:1:1:1:1").containsAnyOf("192.0.2.1", "192.0.2.2");
        assertThat(resolver.addressCount(HOST, RecordType.A)).isEqualTo(1);
    }

    /** test_resolver_ttl_refreshes_on_resolve, and aws-c-io's end of a host's thread once nobody asks for it. */
    @Test
    void aHostIsLookedUpEveryResolveFrequencyWhileInUseAndLeavesTheCacheOnceIdleForMaxTtl() {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1");
        CachingHostResolver resolver = resolver(dns); // max_ttl 30 s, every 1 s

        ask(resolver);
        clock.advance(10, Duration.ofSeconds(1), () -> ask(resolver)); // asked at 0..9 s
        assertThat(dns.calls()).isEqualTo(11);
        // Last asked at 9 s: looked up every second until the first refresh more than 30 s later.
        clock.advance(Duration.ofSeconds(31));
        assertThat(dns.calls()).isEqualTo(11 + 29);
        assertThat(resolver.statistics().hosts()).isZero();
        clock.advance(Duration.ofSeconds(60));
        assertThat(dns.calls()).isEqualTo(40);

        ask(resolver); // back: looked up again at once
        assertThat(dns.calls()).isEqualTo(41);
        assertThat(resolver.statistics().hosts()).isEqualTo(1);
    }

    /** test_resolver_connect_failure_recording. */
    @Test
    void aFailedAddressIsSkippedUntilNoGoodOneIsLeftAndALookupDoesNotClearItsFailure() throws Exception {
        CachingHostResolver resolver = resolver(ScriptedLookup.answering("fd00:1:1:1:1:1:1:1", "fd00:1:1:1:1:1:1:2", "192.0.2.1", "192.0.2.2"));
        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:1", "fd00:1:1:1:1:1:1:2", "192.0.2.1", "192.0.2.2");
        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:2", "fd00:1:1:1:1:1:1:1", "192.0.2.2", "192.0.2.1");

        resolver.recordConnectionFailure(address("fd00:1:1:1:1:1:1:1"));
        resolver.recordConnectionFailure(address("192.0.2.1"));
        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:2", "192.0.2.2");

        resolver.recordConnectionFailure(address("fd00:1:1:1:1:1:1:2"));
        resolver.recordConnectionFailure(address("192.0.2.2"));
        Answers waiting = new Answers();
        resolver.resolve(HOST, waiting.callback()); // nothing good left: waits for a lookup
        clock.advance(Duration.ofMillis(99));
        assertThat(waiting.count()).isZero();
        clock.advance(Duration.ofMillis(1)); // 100 ms after the last lookup: the least recently failed comes back
        assertThat(waiting.addresses).containsExactly(List.of("fd00:1:1:1:1:1:1:1", "192.0.2.1"));

        clock.advance(Duration.ofSeconds(1)); // a lookup returns all four: the failed ones stay failed
        assertThat(ask(resolver)).containsExactly("fd00:1:1:1:1:1:1:1", "192.0.2.1");
        assertThat(resolver.statistics().connectionFailures()).isEqualTo(4);
        assertThat(resolver.statistics().misses()).isEqualTo(2);

        resolver.recordConnectionFailure(new HostAddress("uncached.test", InetAddress.getByName("192.0.2.9")));
        assertThat(resolver.statistics().connectionFailures()).isEqualTo(4);
    }

    /** test_resolver_bad_list_expires_eventually. */
    @Test
    void aFailedAddressComesBackAsNewOnceItHasExpired() throws Exception {
        CachingHostResolver resolver = resolver(ScriptedLookup.answering("192.0.2.1", "192.0.2.2"), Duration.ofSeconds(2), STEP);
        assertThat(ask(resolver)).containsExactly("192.0.2.1", "192.0.2.2");
        resolver.recordConnectionFailure(address("192.0.2.1"));

        List<List<String>> seen = new ArrayList<>();
        clock.advance(5, STEP, () -> seen.add(ask(resolver))); // 0 to 2 s: still failed, expiring at 2 s
        assertThat(seen).allSatisfy(answer -> assertThat(answer).containsExactly("192.0.2.2"));
        // The lookup at 2.5 s finds it again, no longer failed: a new address.
        assertThat(ask(resolver)).containsExactly("192.0.2.2", "192.0.2.1");
    }

    /** test_resolver_low_frequency_starvation: a waiting request does not wait for the next refresh. */
    @Test
    void aRequestWithNoGoodAddressLeftWaitsOnlyTheLeastGapBetweenLookups() throws Exception {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1");
        CachingHostResolver resolver = resolver(dns, Duration.ofSeconds(30), Duration.ofSeconds(120));
        ask(resolver);
        clock.advance(Duration.ofSeconds(5));
        resolver.recordConnectionFailure(address("192.0.2.1"));

        Answers waiting = new Answers();
        resolver.resolve(HOST, waiting.callback());
        assertThat(dns.calls()).as("100 ms have passed since the last lookup").isEqualTo(2);
        assertThat(waiting.addresses).containsExactly(List.of("192.0.2.1"));
    }

    @Test
    void manyRequestsWaitingForOneHostShareItsLookupAndAFailedLookupAnswersThemAll() {
        ScriptedLookup dns = new ScriptedLookup().thenFailing(IoError.DNS_INVALID_NAME).then("192.0.2.1");
        CachingHostResolver resolver = resolver(dns);
        Answers first = new Answers();
        resolver.resolve(HOST, first.callback());
        assertThat(first.errors).containsExactly(IoError.DNS_INVALID_NAME);

        Answers waiting = new Answers();
        for (int i = 0; i < 3; i++) {
            resolver.resolve(HOST, waiting.callback());
        }
        clock.advance(Duration.ofMillis(100));
        assertThat(dns.calls()).isEqualTo(2);
        assertThat(waiting.addresses).containsExactly(List.of("192.0.2.1"), List.of("192.0.2.1"), List.of("192.0.2.1"));
        assertThat(resolver.statistics()).isEqualTo(new ResolverStatistics(0, 4, 2, 1, 0, 0, 1));
    }

    /** test_resolver_purge_host_cache, test_resolver_purge_cache. */
    @Test
    void purgingForgetsAHostOrAllAndCompletes() {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1");
        CachingHostResolver resolver = resolver(dns);
        ask(resolver);
        assertThat(resolver.addressCount(HOST, RecordType.A)).isEqualTo(1);

        assertThat(resolver.purgeHost(HOST)).isCompleted();
        assertThat(resolver.addressCount(HOST, RecordType.A)).isZero();
        assertThat(resolver.statistics().hosts()).isZero();
        assertThat(resolver.purgeHost(HOST)).as("a host not cached").isCompleted();
        clock.advance(Duration.ofSeconds(5));
        assertThat(dns.calls()).as("no refresh of a purged host").isEqualTo(1);

        ask(resolver);
        assertThat(dns.calls()).isEqualTo(2);
        resolver.resolve("other.test", (host, addresses, error) -> {});
        assertThat(resolver.statistics().hosts()).isEqualTo(2);
        assertThat(resolver.purgeCache()).isCompleted();
        assertThat(resolver.statistics().hosts()).isZero();
        clock.advance(Duration.ofSeconds(5));
        assertThat(dns.calls()).isEqualTo(3);
    }

    @Test
    void aRequestWaitingForALookupWhenItsHostIsPurgedIsToldSo() throws Exception {
        CachingHostResolver resolver = resolver(ScriptedLookup.answering("192.0.2.1"));
        Answers waiting = waitingAfterItsOnlyAddressFailed(resolver);
        CompletableFuture<Void> purged = resolver.purgeHost(HOST);
        assertThat(waiting.errors).containsExactly(IoError.DNS_HOST_REMOVED_FROM_CACHE);
        assertThat(purged).isCompleted();
    }

    @Test
    void theCacheHoldsAtMostMaxHostsAndEvictsTheLeastRecentlyUsed() {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1");
        CachingHostResolver resolver = new CachingHostResolver(HostResolverOptions.defaults().lookup(dns).maxHosts(2), clock);
        ResolveCallback ignore = (host, addresses, error) -> {};
        resolver.resolve("a.test", ignore);
        clock.advance(Duration.ofMillis(10));
        resolver.resolve("b.test", ignore);
        clock.advance(Duration.ofMillis(10));
        resolver.resolve("a.test", ignore); // a is now more recent than b
        clock.advance(Duration.ofMillis(10));
        resolver.resolve("c.test", ignore);

        assertThat(resolver.statistics().hosts()).isEqualTo(2);
        assertThat(resolver.statistics().evictions()).isEqualTo(1);
        assertThat(resolver.addressCount("b.test", RecordType.A)).isZero();
        assertThat(resolver.addressCount("a.test", RecordType.A)).isEqualTo(1);
        assertThat(resolver.addressCount("c.test", RecordType.A)).isEqualTo(1);

        clock.advance(Duration.ofMillis(10));
        resolver.resolve("b.test", ignore); // a, last asked before c, goes
        assertThat(resolver.addressCount("a.test", RecordType.A)).isZero();
        assertThat(resolver.addressCount("c.test", RecordType.A)).isEqualTo(1);
        assertThat(dns.calls()).isEqualTo(4);
    }

    @Test
    void aNameTooLongForDnsFailsAtOnceWithoutALookup() {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1");
        CachingHostResolver resolver = resolver(dns);
        String label63 = "a".repeat(63);
        String longest = String.join(".", label63, label63, label63, "a".repeat(61)); // 253 characters
        for (String malformed : List.of(longest + "a", "a".repeat(64) + ".test", "nul\0.test")) {
            List<IoError> errors = new ArrayList<>();
            resolver.resolve(malformed, (host, addresses, error) -> errors.add(error));
            assertThat(errors).as(malformed).containsExactly(IoError.DNS_INVALID_NAME);
            assertThatThrownBy(() -> resolver.resolve(malformed)).isInstanceOf(UnknownHostException.class)
                    .hasMessageContaining("AWS_IO_DNS_INVALID_NAME");
        }
        assertThat(dns.calls()).isZero();
        resolver.resolve(longest + ".", (host, addresses, error) -> assertThat(error).isNull());
        assertThat(dns.calls()).isEqualTo(1);

        assertThatThrownBy(() -> resolver.resolve("", (host, addresses, error) -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> resolver.resolve((String) null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void literalsAreAnsweredAtOnceAndNotCached() throws Exception {
        ScriptedLookup dns = ScriptedLookup.answering("192.0.2.1");
        CachingHostResolver resolver = resolver(dns);
        assertThat(resolver.resolve("2001:db8::7")).extracting(InetAddress::getHostAddress).containsExactly("2001:db8:0:0:0:0:0:7");
        assertThat(resolver.resolve("192.0.2.7", RecordType.A)).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.7");
        assertThatThrownBy(() -> resolver.resolve("192.0.2.7", RecordType.AAAA)).isInstanceOf(UnknownHostException.class);
        assertThat(dns.calls()).isZero();
        assertThat(resolver.statistics().hosts()).isZero();
    }

    @Test
    void aHostWithoutAddressesOfTheFamilyAskedForIsUnknown() {
        CachingHostResolver resolver = resolver(ScriptedLookup.answering("192.0.2.1"));
        assertThatThrownBy(() -> resolver.resolve(HOST, RecordType.AAAA)).isInstanceOf(UnknownHostException.class)
                .hasMessage(HOST + ": no AAAA address");
        assertThatThrownBy(() -> resolver.resolve(HOST, RecordType.AAAA)).as("from the cache").hasMessage(HOST + ": no AAAA address");
    }

    @Test
    void aClosedResolverFailsRequestsAndTellsThoseWaiting() throws Exception {
        CachingHostResolver resolver = resolver(ScriptedLookup.answering("192.0.2.1"));
        Answers waiting = waitingAfterItsOnlyAddressFailed(resolver);
        resolver.close();
        assertThat(waiting.errors).containsExactly(IoError.DNS_HOST_REMOVED_FROM_CACHE);
        Answers late = new Answers();
        resolver.resolve(HOST, late.callback());
        assertThat(late.errors).containsExactly(IoError.DNS_QUERY_FAILED);
    }
}
