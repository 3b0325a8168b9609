package dev.wharf.epr.oci;

import org.jspecify.annotations.Nullable;

/** What one tag came to in a pass of {@link RepositoryScan}. */
sealed interface ScanOutcome {
    /** A package to serve. */
    record Accepted(CachedPackage entry) implements ScanOutcome {
    }

    /** Left out and remembered; {@code report}: warn (new, or found again by a verification) rather than stay quiet. */
    record Rejected(RejectedTag rejection, boolean report) implements ScanOutcome {
    }

    /**
     * Left out for this pass only: the tag vanished meanwhile, or the registry failed for it alone;
     * {@code manifestDigest}: what it pointed at, when it was resolved.
     */
    record Skipped(@Nullable String manifestDigest, String reason) implements ScanOutcome {
    }

    /**
     * Left out until its blob {@code digest} (its zip or its signature, {@code what}), broken in the registry, is due
     * again; {@code report}: its first failure.
     */
    record BrokenBlob(String manifestDigest, String digest, String what, String reason, boolean report) implements ScanOutcome {
    }
}
