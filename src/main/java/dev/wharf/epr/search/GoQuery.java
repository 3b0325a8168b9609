package dev.wharf.epr.search;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A query string's parameters as EPR's Go server has them ({@code url.ParseQuery}, through
 * {@code r.URL.Query()}): pairs split at {@code &}; a pair holding a {@code ;} is dropped whole (Go 1.17 and
 * later), as is one whose escapes do not decode; {@code +} is a space. The servlet's own map splits at
 * {@code &} only and keeps a bad escape as an empty value, so {@code ?package=nginx;all=true} searched for a
 * package named {@code nginx;all=true} where EPR answers as if no package were named.
 */
public final class GoQuery {
    private GoQuery() {
    }

    public static Map<String, List<String>> parse(@Nullable String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty() || pair.indexOf(';') >= 0) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                key = URLDecoder.decode(key, StandardCharsets.UTF_8);
                value = URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue;
            }
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }
}
