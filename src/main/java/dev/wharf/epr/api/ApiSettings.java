package dev.wharf.epr.api;

import java.time.Duration;

/** Cache times from {@code config.yml} ({@code cache_time.*}) and whether unknown query parameters pass. */
public record ApiSettings(Duration cacheIndex, Duration cacheSearch, Duration cacheCategories, Duration cacheCatchAll,
        boolean allowUnknownQueryParameters) {
    public static ApiSettings defaults() {
        return new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(10), true);
    }
}
