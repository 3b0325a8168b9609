package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private final TrustedProxies ingress = TrustedProxies.of(List.of("10.0.0.0/8", " 192.0.2.1 ", "fd00::/8", ""));

    @Test
    void theClientIsTheFirstAddressFromTheRightThatNoTrustedProxyHas() throws Exception {
        // The balancer (192.0.2.1) connected from the ingress's pod (10.1.2.3), which the client reached.
        assertThat(client(ingress, "192.0.2.1", "198.51.100.7, 10.1.2.3")).isEqualTo("198.51.100.7");
        // What the client wrote itself is left of its own address, and never taken.
        assertThat(client(ingress, "10.1.2.3", "203.0.113.66, 198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(client(ingress, "10.1.2.3", "203.0.113.66", "198.51.100.7")).as("one header per hop").isEqualTo("198.51.100.7");
        assertThat(client(ingress, "10.1.2.3", "2001:db8::5")).isEqualTo("2001:db8:0:0:0:0:0:5");
        assertThat(client(ingress, "fd00::1", "[2001:db8::5]:41000")).isEqualTo("2001:db8:0:0:0:0:0:5");
        assertThat(client(ingress, "10.1.2.3", "198.51.100.7:41000")).as("a proxy that adds the port").isEqualTo("198.51.100.7");
    }

    @Test
    void withoutAnAddressToBelieveTheLastTrustedOneStands() throws Exception {
        assertThat(client(ingress, "10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(client(ingress, "10.1.2.3", "10.9.9.9, 10.1.1.1")).as("every hop a proxy: the leftmost").isEqualTo("10.9.9.9");
        // A name or garbage ends the walk where the trusted proxies end, and nothing left of it is read.
        assertThat(client(ingress, "10.1.2.3", "198.51.100.7, unknown")).isEqualTo("10.1.2.3");
        assertThat(client(ingress, "10.1.2.3", "198.51.100.7, 10.0.0.9, evil.example")).isEqualTo("10.1.2.3");
        assertThat(client(ingress, "10.1.2.3", "198.51.100.7, 10.0.0.9, 300.1.1.1")).isEqualTo("10.1.2.3");
        assertThat(client(ingress, "10.1.2.3", "1.2.3.4, 10.0.0.9, ")).isEqualTo("10.1.2.3");
    }

    @Test
    void readsOnlyAddressLiteralsAndNeverAsksDns() {
        assertThat(TrustedProxies.literal("localhost")).isEmpty();
        assertThat(TrustedProxies.literal("cafe.be")).isEmpty();
        assertThat(TrustedProxies.literal("1.2.3")).isEmpty();
        assertThat(TrustedProxies.literal(".:")).isEmpty();
        assertThat(TrustedProxies.literal("fe80::1%eth0")).isEmpty();
        assertThat(TrustedProxies.literal("[::1")).isEmpty();
        assertThat(TrustedProxies.literal("[::1]x")).isEmpty();
        assertThat(TrustedProxies.literal("::1")).map(InetAddress::getHostAddress).hasValue("0:0:0:0:0:0:0:1");
    }

    @Test
    void refusesWhatIsNotAnAddressOrARange() {
        for (String bad : List.of("proxy.internal", "10.0.0.0/33", "fd00::/129", "10.0.0.0/x", "10.0.0.1:80", "[::1]", "10.0.0.0/8/8")) {
            assertThatThrownBy(() -> TrustedProxies.of(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThat(TrustedProxies.of(List.of(" ", "")).isEmpty()).isTrue();
        assertThat(ingress).hasToString("10.0.0.0/8,192.0.2.1,fd00::/8");
    }

    private static String client(TrustedProxies proxies, String peer, String... forwardedFor) throws Exception {
        InetAddress address = TrustedProxies.literal(peer).orElseThrow();
        assertThat(proxies.trusts(address)).as(peer + " is a proxy").isTrue();
        return proxies.clientBehind(address, List.of(forwardedFor)).getHostAddress();
    }
}
