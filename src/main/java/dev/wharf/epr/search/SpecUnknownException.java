package dev.wharf.epr.search;

import dev.wharf.epr.model.LooseVersion;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A search with {@code spec.min} or {@code spec.max} reached a package without a format version (one
 * indexed with validation off). EPR's filter stops there with this error, and its {@code /search}
 * and {@code /categories} answer it with 404 for the whole request; the message is EPR's, word for
 * word, a bound not asked for printed as Go prints a nil version.
 */
public final class SpecUnknownException extends RuntimeException {
    SpecUnknownException(String packageName, @Nullable LooseVersion specMin, @Nullable LooseVersion specMax) {
        super("can't compare spec version for " + packageName + " (" + text(specMin) + "-" + text(specMax)
                + "): package spec version is not set");
    }

    private static String text(@Nullable LooseVersion v) {
        return v == null ? "<nil>" : v.toString();
    }

    /** Never null: the constructor makes it. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }
}
