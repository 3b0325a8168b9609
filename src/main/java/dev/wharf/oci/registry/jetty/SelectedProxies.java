package dev.wharf.oci.registry.jetty;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.ProxyConfiguration;

/**
 * Jetty's proxies chosen as the JDK client chooses them: by a {@link ProxySelector} (by default the
 * JVM's, which reads {@code https.proxyHost}, {@code http.proxyHost}, {@code http.nonProxyHosts}),
 * taking the first HTTP proxy it names for the target and going direct otherwise. Jetty keeps a list
 * of proxies, each deciding which origins it serves; each proxy the selector names is added to that
 * list at the first request that needs it, and serves exactly the origins the selector sends to it.
 * A registry's redirects to storage hosts are judged the same way. The selector's answer is kept per
 * origin.
 */
final class SelectedProxies {
    private final ProxySelector selector;
    private final ProxyConfiguration configuration;
    private final Map<String, Optional<InetSocketAddress>> byOrigin = new ConcurrentHashMap<>();
    private final Set<InetSocketAddress> added = ConcurrentHashMap.newKeySet();

    SelectedProxies(ProxySelector selector, ProxyConfiguration configuration) {
        this.selector = selector;
        this.configuration = configuration;
    }

    /** Makes sure the proxy {@code target} goes through, if any, is one Jetty knows. */
    void prepare(URI target) {
        proxyFor(target.getScheme(), target.getHost(), port(target)).ifPresent(proxy -> {
            if (added.add(proxy)) {
                configuration.addProxy(new Selected(proxy));
            }
        });
    }

    private Optional<InetSocketAddress> proxyFor(String scheme, String host, int port) {
        return byOrigin.computeIfAbsent(scheme.toLowerCase(Locale.ROOT) + "://" + host + ":" + port,
                key -> select(scheme, host, port));
    }

    private Optional<InetSocketAddress> select(String scheme, String host, int port) {
        URI uri;
        try {
            uri = new URI(scheme, null, host, port, "/", null, null);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        for (Proxy proxy : selector.select(uri)) {
            // The JDK client speaks to HTTP proxies only, and goes direct when none is named.
            if (proxy.type() == Proxy.Type.HTTP && proxy.address() instanceof InetSocketAddress address) {
                return Optional.of(address);
            }
        }
        return Optional.empty();
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** One proxy the selector named: a tunnel (CONNECT) for https origins, absolute URIs for http ones. */
    private final class Selected extends HttpProxy {
        private final InetSocketAddress address;

        Selected(InetSocketAddress address) {
            super(new Origin.Address(address.getHostString(), address.getPort()), false);
            this.address = address;
        }

        /** Jetty's own rule first: never the proxy itself (its CONNECT requests go to it directly). */
        @Override
        public boolean matches(Origin origin) {
            return super.matches(origin) && proxyFor(origin.getScheme(), origin.getAddress().getHost(), origin.getAddress().getPort())
                    .map(address::equals).orElse(false);
        }
    }
}
