package dev.wharf.epr.index;

import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.LooseVersion;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.VersionConstraint;
import dev.wharf.epr.model.Versions;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.semver4j.Semver;

/** A package in the index: its document, its parsed versions and ranges, and where its bytes are. */
public final class IndexedPackage {
    private final PackageDocument document;
    private final Semver version;
    private final @Nullable Predicate<LooseVersion> kibana;
    private final @Nullable Predicate<LooseVersion> agent;
    private final @Nullable Semver specMajorMinor;
    private final PackageContent content;

    public IndexedPackage(PackageDocument document, PackageContent content) {
        this.document = document;
        this.content = content;
        this.version = Versions.strict(document.version)
                .orElseThrow(() -> new IllegalArgumentException("invalid package version " + document.version));
        this.kibana = document.conditions != null && document.conditions.kibana != null
                ? range(document.conditions.kibana.version) : null;
        this.agent = document.conditions != null && document.conditions.agent != null
                ? range(document.conditions.agent.version) : null;
        this.specMajorMinor = Versions.majorMinor(document.formatVersion).orElse(null);
    }

    public PackageDocument document() {
        return document;
    }

    public String name() {
        return document.name;
    }

    public String versionText() {
        return document.version;
    }

    public Semver version() {
        return version;
    }

    public boolean isPrerelease() {
        return Versions.isPrerelease(version);
    }

    public @Nullable String release() {
        return document.release;
    }

    /** A condition's range as EPR checks a query's version against it; one EPR cannot read takes none. */
    private static Predicate<LooseVersion> range(String text) {
        return VersionConstraint.parse(text).<Predicate<LooseVersion>>map(c -> c::check).orElse(v -> false);
    }

    public boolean worksWithKibana(LooseVersion kibanaVersion) {
        return kibana == null || kibanaVersion == null || kibana.test(kibanaVersion);
    }

    public boolean worksWithAgent(LooseVersion agentVersion) {
        return agent == null || agentVersion == null || agent.test(agentVersion);
    }

    public Optional<Semver> specMajorMinor() {
        return Optional.ofNullable(specMajorMinor);
    }

    public PackageContent content() {
        return content;
    }

    /** The same package showing another {@code deprecated} notice (EPR shows the newest version's on all). */
    public IndexedPackage withDocument(PackageDocument replaced) {
        return new IndexedPackage(replaced, content);
    }

    public PackageDocument copyOfDocument() {
        return Json.mapper().convertValue(document, PackageDocument.class);
    }

    public String key() {
        return document.name + "-" + document.version;
    }
}
