package dev.wharf.epr.search;

import dev.wharf.epr.model.LooseVersion;
import dev.wharf.epr.model.Versions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Turns the query parameters of {@code /search} and {@code /categories} into a {@link Filter}, with EPR's errors. */
public final class QueryParser {
    private final boolean allowUnknown;

    public QueryParser(boolean allowUnknown) {
        this.allowUnknown = allowUnknown;
    }

    public Filter search(Map<String, List<String>> query) throws BadQueryException {
        return parse(query, true);
    }

    public Filter categories(Map<String, List<String>> query) throws BadQueryException {
        return parse(query, false);
    }

    /** {@code include_policy_templates} of {@code /categories}. */
    public static boolean includePolicyTemplates(Map<String, List<String>> query) throws BadQueryException {
        String v = first(query.get("include_policy_templates"));
        if (v.isEmpty()) {
            return false;
        }
        return bool(v, "include_policy_templates");
    }

    private Filter parse(Map<String, List<String>> query, boolean search) throws BadQueryException {
        boolean all = false;
        String category = null;
        boolean prerelease = false;
        LooseVersion kibana = null;
        String name = null;
        String type = null;
        List<String> capabilities = null;
        LooseVersion specMin = null;
        LooseVersion specMax = null;
        List<Filter.DiscoveryFilter> discovery = new ArrayList<>();
        LooseVersion agent = null;
        boolean experimental = false;
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String v = first(e.getValue());
            String key = e.getKey();
            switch (key) {
                case "kibana.version" -> {
                    if (!v.isEmpty()) {
                        kibana = version(v, "invalid Kibana version '" + v + "': ");
                    }
                }
                case "agent.version" -> {
                    if (!v.isEmpty()) {
                        agent = version(v, "invalid agent version '" + v + "': ");
                    }
                }
                case "experimental" -> {
                    if (!v.isEmpty()) {
                        experimental = bool(v, "experimental");
                    }
                }
                case "prerelease" -> {
                    if (!v.isEmpty()) {
                        prerelease = bool(v, "prerelease");
                    }
                }
                case "capabilities" -> {
                    if (!v.isEmpty()) {
                        capabilities = Arrays.asList(v.split(",", -1));
                    }
                }
                case "spec.min" -> {
                    if (!v.isEmpty()) {
                        specMin = spec(v, "spec.min");
                    }
                }
                case "spec.max" -> {
                    if (!v.isEmpty()) {
                        specMax = spec(v, "spec.max");
                    }
                }
                case "discovery" -> {
                    for (String d : e.getValue()) {
                        try {
                            discovery.add(Filter.DiscoveryFilter.parse(d));
                        } catch (IllegalArgumentException ex) {
                            throw bad("invalid 'discovery' query param: '" + d + "': " + ex.getMessage());
                        }
                    }
                }
                default -> {
                    if (search && key.equals("category")) {
                        category = v.isEmpty() ? null : v;
                    } else if (search && key.equals("package")) {
                        name = v.isEmpty() ? null : v;
                    } else if (search && key.equals("type")) {
                        type = v.isEmpty() ? null : v;
                    } else if (search && key.equals("all")) {
                        if (!v.isEmpty()) {
                            all = bool(v, "all");
                        }
                    } else if (search && key.equals("internal")) {
                        // Removed from EPR, still accepted so that old clients keep working.
                    } else if (!search && key.equals("include_policy_templates")) {
                        // Read separately: it shapes the counting, not the filter.
                    } else if (!allowUnknown) {
                        throw bad("unknown query parameter: \"" + key + "\"");
                    }
                }
            }
        }
        return new Filter(all, category, prerelease, kibana, name, null, type, capabilities, specMin, specMax,
                List.copyOf(discovery), agent, experimental);
    }

    private static String first(@Nullable List<String> values) {
        return values == null || values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    }

    /** Go's {@code strconv.ParseBool}. */
    private static boolean bool(String v, String name) throws BadQueryException {
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw bad("invalid '" + name + "' query param: '" + v + "'");
        };
    }

    private static LooseVersion spec(String v, String name) throws BadQueryException {
        if (v.split("\\.", -1).length != 2) {
            throw bad("invalid '" + name + "' version: invalid version '" + v + "': it should be <major.version>");
        }
        return version(v, "invalid '" + name + "' version: invalid spec version '" + v + "': ");
    }

    /** A query version as EPR reads one; refused with Masterminds' reason after {@code refusal}, as EPR answers. */
    private static LooseVersion version(String v, String refusal) throws BadQueryException {
        try {
            return Versions.coerced(v);
        } catch (IllegalArgumentException e) {
            throw bad(refusal + e.getMessage());
        }
    }

    private static BadQueryException bad(String message) {
        return new BadQueryException(message);
    }
}
