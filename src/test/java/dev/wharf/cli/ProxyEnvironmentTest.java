package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyEnvironmentTest {
    private static final Proxy CORP = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.corp", 3128));
    private static final Proxy PLAIN = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("plain.corp", 80));

    private static ProxySelector selector(Map<String, String> env) {
        return ProxyEnvironment.from(env, Map.of()).orElseThrow();
    }

    private static Proxy chosen(ProxySelector selector, String uri) {
        return selector.select(URI.create(uri)).get(0);
    }

    @Test
    void theProxyIsPickedByTheRequestsScheme() {
        ProxySelector s = selector(Map.of("HTTPS_PROXY", "http://proxy.corp:3128", "HTTP_PROXY", "plain.corp"));
        assertThat(chosen(s, "https://ghcr.io/v2/")).isEqualTo(CORP);
        assertThat(chosen(s, "http://registry.corp:5000/v2/")).isEqualTo(PLAIN);
        assertThat(chosen(selector(Map.of("HTTPS_PROXY", "http://proxy.corp:3128")), "http://registry.corp/v2/")).isEqualTo(Proxy.NO_PROXY);
    }

    @Test
    void upperCaseWinsAndLowerCaseIsReadToo() {
        assertThat(chosen(selector(Map.of("https_proxy", "proxy.corp:3128")), "https://ghcr.io/")).isEqualTo(CORP);
        assertThat(chosen(selector(Map.of("HTTPS_PROXY", "proxy.corp:3128", "https_proxy", "other:1")), "https://ghcr.io/")).isEqualTo(CORP);
        assertThat(chosen(selector(Map.of("HTTPS_PROXY", " ", "https_proxy", "proxy.corp:3128")), "https://ghcr.io/")).isEqualTo(CORP);
    }

    @Test
    void loopbackAndLocalhostAreNeverProxied() {
        ProxySelector s = selector(Map.of("HTTPS_PROXY", "proxy.corp:3128", "HTTP_PROXY", "proxy.corp:3128"));
        for (String uri : new String[] {"http://localhost:5000/", "http://127.0.0.1:5000/", "http://127.1.2.3/", "https://[::1]:5000/"}) {
            assertThat(chosen(s, uri)).as(uri).isEqualTo(Proxy.NO_PROXY);
        }
    }

    @Test
    void noProxyMatchesHostsDomainsAddressesRangesAndPorts() {
        ProxySelector s = selector(Map.of("HTTPS_PROXY", "proxy.corp:3128", "NO_PROXY",
                "corp.example, .internal ,*.lab, 10.0.0.0/8, 192.168.1.7, [fd00::1], registry.other:8443, 2001:db8::/32"));
        assertThat(chosen(s, "https://corp.example/")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosen(s, "https://harbor.corp.example/")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosen(s, "https://notcorp.example/")).isEqualTo(CORP);
        assertThat(chosen(s, "https://x.internal/")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosen(s, "https://internal/")).as("a leading dot: subdomains only").isEqualTo(CORP);
        assertThat(chosen(s, "https://a.lab/")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosen(s, "https://10.20.30.40/")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosen(s, "https://11.0.0.1/")).isEqualTo(CORP);
        assertThat(chosen(s, "https://192.168.1.7:5000/")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosen(s, "https://192.168.1.8/")).isEqualTo(CORP);
        assertThat(chosen(s, "https://[fd00::1]/")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosen(s, "https://[2001:db8::5]/")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosen(s, "https://registry.other:8443/")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosen(s, "https://registry.other/")).as("another port").isEqualTo(CORP);
        assertThat(chosen(selector(Map.of("HTTPS_PROXY", "proxy.corp:3128", "no_proxy", "*")), "https://ghcr.io/")).isEqualTo(Proxy.NO_PROXY);
    }

    @Test
    void nothingIsInstalledWithoutAProxyOrWhenJavasOwnPropertiesAreSet() {
        assertThat(ProxyEnvironment.from(Map.of("NO_PROXY", "corp"), Map.of())).isEmpty();
        assertThat(ProxyEnvironment.from(Map.of("HTTPS_PROXY", "proxy.corp:3128"), Map.of("https.proxyHost", "other"))).isEmpty();
    }

    @Test
    void aProxyWharfCannotUseIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> ProxyEnvironment.from(Map.of("HTTPS_PROXY", "socks5://proxy.corp:1080"), Map.of()))
                .hasMessageContaining("HTTPS_PROXY").hasMessageContaining("http://");
        assertThatThrownBy(() -> ProxyEnvironment.from(Map.of("HTTPS_PROXY", "http://user:secret@proxy.corp:3128"), Map.of()))
                .hasMessageContaining("HTTPS_PROXY").hasMessageContaining("credentials").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ProxyEnvironment.from(Map.of("HTTP_PROXY", "http://"), Map.of()))
                .hasMessageContaining("HTTP_PROXY");
        assertThatThrownBy(() -> ProxyEnvironment.from(Map.of("https_proxy", "socks5://proxy.corp:1080"), Map.of()))
                .hasMessageStartingWith("https_proxy");
    }
}
