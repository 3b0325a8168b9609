package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A package's own {@code elasticsearch} section as EPR publishes it: only the privileges. Index
 * templates in an input package's manifest are for Fleet to read from the package, not part of
 * the answer; a present section with nothing EPR publishes still shows as {@code {}}, as in EPR.
 */
public final class PackageElasticsearch {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public @Nullable Privileges privileges;

    public static final class Privileges {
        public @Nullable List<String> cluster;
    }
}
