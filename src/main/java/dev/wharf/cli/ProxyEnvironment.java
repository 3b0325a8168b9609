package dev.wharf.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (or their lower-case forms), read as Go
 * programs read them, boring-registry and EPR among them: a deployment moved from either keeps
 * reaching its registry through the same proxy. The JVM itself reads only its own properties
 * ({@code -Dhttps.proxyHost}, …), which win when set. Like Go: the proxy is picked by the request's
 * scheme, a proxy without a scheme is {@code http://}, {@code localhost} and loopback addresses are
 * never proxied, and {@code NO_PROXY} is a comma-separated list of {@code *}, host names (each
 * matching itself and its subdomains; a leading {@code .} or {@code *.} only subdomains), IP addresses
 * and CIDR ranges, each optionally with {@code :port}. Only plain HTTP proxies without credentials
 * can be used by both of Wharf's HTTP clients; any other proxy address is refused at start.
 */
final class ProxyEnvironment extends ProxySelector {
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*(%[0-9a-z]+)?");

    private final @Nullable InetSocketAddress http;
    private final @Nullable InetSocketAddress https;
    private final List<String> noProxy;

    private ProxyEnvironment(@Nullable InetSocketAddress http, @Nullable InetSocketAddress https, List<String> noProxy) {
        this.http = http;
        this.https = https;
        this.noProxy = noProxy;
    }

    /**
     * The selector the variables in {@code env} describe, or empty when they name no proxy or the
     * JVM's own proxy properties are set ({@code properties}).
     *
     * @throws IllegalArgumentException naming the variable, for a proxy address Wharf cannot use
     */
    static Optional<ProxySelector> from(Map<String, String> env, Map<String, String> properties) {
        if (properties.keySet().stream().anyMatch(k -> k.equals("http.proxyHost") || k.equals("https.proxyHost")
                || k.equals("java.net.useSystemProxies"))) {
            return Optional.empty();
        }
        InetSocketAddress http = proxy(env, "HTTP_PROXY");
        InetSocketAddress https = proxy(env, "HTTPS_PROXY");
        if (http == null && https == null) {
            return Optional.empty();
        }
        List<String> noProxy = new ArrayList<>();
        for (String entry : value(env, "NO_PROXY").orElse("").split(",")) {
            String trimmed = entry.trim().toLowerCase(Locale.ROOT);
            if (!trimmed.isEmpty()) {
                noProxy.add(trimmed);
            }
        }
        return Optional.of(new ProxyEnvironment(http, https, List.copyOf(noProxy)));
    }

    /** The upper-case variable, else the lower-case one, as Go reads them; empty counts as unset. */
    private static Optional<String> value(Map<String, String> env, String name) {
        return variable(env, name).map(Map.Entry::getValue);
    }

    /** Which of the two names is set (for messages), with its trimmed value. */
    private static Optional<Map.Entry<String, String>> variable(Map<String, String> env, String name) {
        for (String key : List.of(name, name.toLowerCase(Locale.ROOT))) {
            String v = env.get(key);
            if (v != null && !v.isBlank()) {
                return Optional.of(Map.entry(key, v.trim()));
            }
        }
        return Optional.empty();
    }

    private static @Nullable InetSocketAddress proxy(Map<String, String> env, String upperCase) {
        Optional<Map.Entry<String, String>> set = variable(env, upperCase);
        if (set.isEmpty()) {
            return null;
        }
        String name = set.get().getKey();
        String raw = set.get().getValue();
        String text = raw.contains("://") ? raw : "http://" + raw;
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a proxy address; expected http://host:port");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(name + ": only http:// proxies can be used (a CONNECT tunnel carries HTTPS),"
                    + " not " + uri.getScheme() + "://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(name + ": a proxy that needs credentials cannot be used; Wharf sends none to a proxy");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(name + " names no proxy host");
        }
        return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() >= 0 ? uri.getPort() : 80);
    }

    @Override
    public List<Proxy> select(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        InetSocketAddress proxy = switch (scheme) {
            case "http" -> http;
            case "https" -> https;
            default -> null;
        };
        String host = uri.getHost();
        if (proxy == null || host == null || bypassed(unbracketed(host).toLowerCase(Locale.ROOT), port(uri, scheme))) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(new Proxy(Proxy.Type.HTTP, proxy));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // Nothing to learn: the proxy is what the environment says.
    }

    private static int port(URI uri, String scheme) {
        return uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private boolean bypassed(String host, int port) {
        if (host.equals("localhost") || isLoopback(host)) {
            return true;
        }
        for (String entry : noProxy) {
            if (entry.equals("*") || matches(entry, host, port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String entry, String host, int port) {
        String pattern = entry;
        int colon = pattern.lastIndexOf(':');
        // host:port, [v6]:port; a bare IPv6 address has colons of its own and no port.
        if (colon > 0 && (pattern.indexOf(':') == colon || pattern.startsWith("[")) && pattern.substring(colon + 1).matches("\\d+")) {
            if (Integer.parseInt(pattern.substring(colon + 1)) != port) {
                return false;
            }
            pattern = pattern.substring(0, colon);
        }
        pattern = unbracketed(pattern);
        Optional<InetAddress> ip = literal(host);
        if (pattern.contains("/")) {
            return ip.isPresent() && inCidr(ip.get(), pattern);
        }
        Optional<InetAddress> patternIp = literal(pattern);
        if (patternIp.isPresent()) {
            return patternIp.equals(ip);
        }
        if (pattern.startsWith("*.")) {
            pattern = pattern.substring(1);
        }
        if (pattern.startsWith(".")) {
            return host.endsWith(pattern);
        }
        return host.equals(pattern) || host.endsWith("." + pattern);
    }

    private static boolean isLoopback(String host) {
        return literal(host).map(InetAddress::isLoopbackAddress).orElse(false);
    }

    /**
     * {@code text} as an address when it is an IP literal; never a name lookup, since only strings
     * shaped as literals reach {@link InetAddress#getByName}, which parses those without one.
     */
    private static Optional<InetAddress> literal(String text) {
        if (!IPV4.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean inCidr(InetAddress host, String cidr) {
        int slash = cidr.indexOf('/');
        Optional<InetAddress> base = literal(cidr.substring(0, slash));
        if (base.isEmpty() || !cidr.substring(slash + 1).matches("\\d{1,3}")) {
            return false;
        }
        byte[] network = base.get().getAddress();
        byte[] candidate = host.getAddress();
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        if (network.length != candidate.length || bits > network.length * 8) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((network[i / 8] & mask) != (candidate[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
