package dev.wharf.terraform.web;

import dev.wharf.http.Exchange;
import dev.wharf.http.ExchangeObserver;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import dev.wharf.terraform.mirror.upstream.UpstreamCacheHits;
import dev.wharf.terraform.mirror.upstream.UpstreamPackage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * boring-registry's per-operation counters, under its names and labels
 * ({@code boring_registry_modules_list_versions_total{namespace,name,provider}}, ...): counted from
 * each completed request's route and path, as boring-registry counts every request that got past
 * authentication, and the pull-through mirror's cache hits ({@link UpstreamCacheHits}).
 */
public final class OperationCounters implements ExchangeObserver, UpstreamCacheHits {
    private static final String PREFIX = "boring_registry_";
    static final int MAX_SERIES = 20_000;
    /** Longer than any namespace, name, version, os or arch the registry takes. */
    static final int MAX_UNFOUND_LABEL = 128;
    /** A path remembered for its counter; longer ones are worked out again each time. */
    private static final int MAX_CACHED_PATH = 512;
    private static final Pattern MIRROR_ARCHIVE = Pattern.compile("terraform-provider-[^_]+_(.+)_([^_]+)_([^_]+)\\.zip");
    private static final Map<String, String> ROUTES = Map.of(
            "/v1/modules/{namespace}/{name}/{provider}/versions", "modules_list_versions",
            "/v1/modules/{namespace}/{name}/{provider}/{version}/download", "modules_download_version",
            "/v1/providers/{namespace}/{name}/versions", "providers_list_versions",
            "/v1/providers/{namespace}/{name}/{version}/download/{os}/{arch}", "providers_download_version");
    private static final String MIRROR_ROUTE = MirrorApi.PREFIX + "{hostname}/{namespace}/{type}/{file}";

    private record Key(String name, List<String> values) {
    }

    /** A request as asked: its route and its path, before decoding. */
    private record Asked(String route, String path) {
    }

    private final MeterRegistry registry;
    // Found again without building a meter id: these are counted on the ready-answer path too.
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
    // The counter of each path asked before: a repeat costs one lookup instead of splitting and
    // decoding its path into labels, 13 % of all the server allocated under figure 1's load (JFR,
    // bench/RESULTS.md, session 6). Bounded like the counters themselves.
    private final Map<Asked, Counter> byPath = new ConcurrentHashMap<>();

    public OperationCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void exchanged(Exchange e) {
        if (e.status() == 400 || e.status() == 401 || e.status() == 403 || !(e.method().equals("GET") || e.method().equals("HEAD"))) {
            return;
        }
        String operation = ROUTES.get(e.route());
        if (operation != null) {
            Asked asked = new Asked(e.route(), e.path());
            boolean found = e.status() < 400;
            Counter known = byPath.get(asked);
            if (known != null) {
                known.increment();
                return;
            }
            Map<String, String> params = params(e.route(), e.path());
            Counter counted = switch (operation) {
                case "modules_list_versions" -> count(found, "modules_list_versions_total", params, "namespace", "name", "provider");
                case "modules_download_version" ->
                        count(found, "modules_download_version_total", params, "namespace", "name", "provider", "version");
                case "providers_list_versions" -> count(found, "providers_list_versions_total", params, "namespace", "name");
                default -> count(found, "providers_download_version_total", params, "namespace", "name", "version", "os", "arch");
            };
            if (counted != null && byPath.size() < MAX_SERIES && e.path().length() <= MAX_CACHED_PATH) {
                byPath.put(asked, counted);
            }
        } else if (e.route().equals(MIRROR_ROUTE)) {
            mirror(e.status() < 400, params(e.route(), e.path()));
        }
    }

    private void mirror(boolean found, Map<String, String> p) {
        String file = p.getOrDefault("file", "");
        Map<String, String> labels = new java.util.HashMap<>(p);
        labels.put("name", p.get("type"));
        if (file.equals("index.json")) {
            count(found, "mirrors_list_provider_versions_total", labels, "hostname", "namespace", "name");
        } else if (file.endsWith(".json")) {
            labels.put("version", file.substring(0, file.length() - ".json".length()));
            count(found, "mirrors_list_provider_installations_total", labels, "hostname", "namespace", "name", "version");
        } else {
            Matcher m = MIRROR_ARCHIVE.matcher(file);
            if (m.matches()) {
                labels.put("version", m.group(1));
                labels.put("os", m.group(2));
                labels.put("arch", m.group(3));
                count(found, "mirrors_download_version_total", labels, "hostname", "namespace", "name", "version", "os", "arch");
            }
        }
    }

    @Override
    public void versions(MirrorCoordinates provider) {
        count(true, "mirrors_list_provider_versions_cache_hit_total", Map.of("hostname", provider.hostname(),
                "namespace", provider.namespace(), "name", provider.type()), "hostname", "namespace", "name");
    }

    @Override
    public void packageFor(MirrorCoordinates provider, String version, String os, String arch) {
        count(true, "mirrors_download_version_cache_hit_total", Map.of("hostname", provider.hostname(), "namespace", provider.namespace(),
                "name", provider.type(), "version", version, "os", os, "arch", arch),
                "hostname", "namespace", "name", "version", "os", "arch");
    }

    @Override
    public void signedSums(UpstreamPackage pkg) {
        count(true, "mirrors_download_sha_sums_cache_hit_total", Map.of("hostname", pkg.hostname(), "namespace", pkg.namespace(),
                "name", pkg.type(), "version", pkg.version()), "hostname", "namespace", "name", "version");
    }

    /**
     * Counts one under the labels' values; returns the counter, or null when the series bound
     * refused a new one. Labels come from request paths, as in boring-registry. A name that was
     * {@code found} is one the registry holds, always counted. Any other (not found, or a storage
     * failure) makes a series only while there are fewer than {@link #MAX_SERIES} and its values
     * are no longer than a name can be: a client sending 20 000 made-up names of 6 000 characters
     * took a scrape past 100 MB, the heap up by 360 MB, and had real names go uncounted.
     */
    private @Nullable Counter count(boolean found, String name, Map<String, String> values, String... labels) {
        List<String> labelValues = new ArrayList<>(labels.length);
        for (String label : labels) {
            String value = Optional.ofNullable(values.get(label)).orElse("");
            if (!found && value.length() > MAX_UNFOUND_LABEL) {
                return null;
            }
            labelValues.add(value);
        }
        Key key = new Key(name, labelValues);
        if (!found && counters.size() >= MAX_SERIES && !counters.containsKey(key)) {
            return null;
        }
        Counter counter = counters.computeIfAbsent(key, k -> {
            Counter.Builder builder = Counter.builder(PREFIX + name.substring(0, name.length() - "_total".length()));
            for (int i = 0; i < labels.length; i++) {
                builder.tag(labels[i], k.values().get(i));
            }
            return builder.register(registry);
        });
        counter.increment();
        return counter;
    }

    /** The values of the route's {@code {placeholders}} in the path, segment by segment. */
    static Map<String, String> params(String route, String path) {
        String[] r = route.split("/", -1);
        String[] p = path.split("/", -1);
        Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i < r.length && i < p.length; i++) {
            if (r[i].startsWith("{") && r[i].endsWith("}")) {
                values.put(r[i].substring(1, r[i].length() - 1), pathSegment(p[i]));
            }
        }
        return values;
    }

    /** A path segment decoded as a path's, not a form's: '+' stays a plus (1.0.0+build.7), as the router reads it. */
    private static String pathSegment(String raw) {
        try {
            return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
