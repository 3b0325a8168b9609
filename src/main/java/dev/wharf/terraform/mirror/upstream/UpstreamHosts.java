package dev.wharf.terraform.mirror.upstream;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where an upstream registry named by a provider's hostname is reached: {@code https://HOSTNAME} unless
 * a mapping ({@code registry.example.test=https://10.0.0.5:8443}) says otherwise, for upstreams behind
 * a proxy or an internal name, and for tests, whose upstreams have ports that terraform cannot put in
 * a mirrored provider's hostname.
 */
public final class UpstreamHosts {
    private final Map<String, URI> mapping;

    private UpstreamHosts(Map<String, URI> mapping) {
        this.mapping = Map.copyOf(mapping);
    }

    public static UpstreamHosts none() {
        return new UpstreamHosts(Map.of());
    }

    /** From {@code HOSTNAME=URL} entries, each possibly comma-separated. */
    public static UpstreamHosts parse(List<String> entries) {
        Map<String, URI> mapping = new LinkedHashMap<>();
        for (String value : entries) {
            for (String entry : value.split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                int eq = e.indexOf('=');
                if (eq <= 0 || eq == e.length() - 1) {
                    throw new IllegalArgumentException("upstream mapping '" + e + "' must read HOSTNAME=URL, such as"
                            + " registry.example.test=https://127.0.0.1:8443");
                }
                String host = e.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                URI base = URI.create(stripSlash(e.substring(eq + 1).trim()));
                if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme()) || base.getHost() == null) {
                    throw new IllegalArgumentException("upstream mapping for " + host + ": '" + base
                            + "' is not an http(s) URL");
                }
                if (mapping.put(host, base) != null) {
                    throw new IllegalArgumentException("upstream mapping for " + host + " is given twice");
                }
            }
        }
        return new UpstreamHosts(mapping);
    }

    /** The base URL of the registry known to terraform as {@code hostname}. */
    public URI baseOf(String hostname) {
        String host = hostname.toLowerCase(Locale.ROOT);
        URI mapped = mapping.get(host);
        return mapped != null ? mapped : URI.create("https://" + host);
    }

    public Map<String, URI> mapping() {
        return mapping;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
