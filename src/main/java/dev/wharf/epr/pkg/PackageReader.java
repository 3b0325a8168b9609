package dev.wharf.epr.pkg;

import dev.wharf.epr.model.Categories;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.PolicyTemplate;
import dev.wharf.epr.model.Versions;
import dev.wharf.oci.archive.ArchiveLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a package the way EPR's {@code NewPackage} does: {@code manifest.yml} with its defaults,
 * policy template readmes, {@code docs/README.md}, assets, data streams from
 * {@code data_stream/*}{@code /manifest.yml} with their pipelines, and, unless validation is off, the
 * checks EPR's {@code Validate} makes — after the shared archive check, within the limits it is given.
 * Every indexer reads packages through this one class, so a
 * package looks the same whether it came from a folder, a zip or an OCI registry.
 */
public final class PackageReader {
    private static final Set<String> AGENTLESS_RELEASES = Set.of("beta", "ga");

    private final boolean validate;
    private final Consumer<String> warnings;
    private final ArchiveLimits limits;
    private final DataStreamReader dataStreams;
    private final IngestionMethods ingestionMethods = IngestionMethods.elastic();

    public PackageReader(boolean validate, Consumer<String> warnings) {
        this(validate, warnings, ArchiveLimits.DEFAULT);
    }

    public PackageReader(boolean validate, Consumer<String> warnings, ArchiveLimits limits) {
        this.validate = validate;
        this.warnings = warnings;
        this.limits = limits;
        this.dataStreams = new DataStreamReader(validate);
    }

    /** Reads the package; {@code hasSignature} says whether a {@code .zip.sig} goes with it. */
    public PackageDocument read(PackageFiles files, boolean hasSignature) throws InvalidPackageException {
        checkSafety(files);
        PackageManifest manifest = PackageManifest.read(files);
        PackageDocument p = manifest.document();
        String base = "/package/" + p.name + "/" + p.version;

        if (validate) {
            PackageValidation.checkManifest(p, files);
        }
        completePolicyTemplates(p, files, base);
        if (p.type == null || p.type.isEmpty()) {
            p.type = "integration";
        }
        if (p.license == null || p.license.isEmpty()) {
            p.license = p.conditions != null && p.conditions.elastic != null && !p.conditions.elastic.subscription.isEmpty()
                    ? p.conditions.elastic.subscription : "basic";
        }
        if (p.conditions != null && p.conditions.kibana != null
                && Versions.range(p.conditions.kibana.version).isEmpty()) {
            throw new InvalidPackageException("invalid Kibana versions range " + p.conditions.kibana.version);
        }
        if (p.conditions != null && p.conditions.agent != null
                && Versions.range(p.conditions.agent.version).isEmpty()) {
            throw new InvalidPackageException("invalid Agent versions range " + p.conditions.agent.version);
        }
        // Validation has refused an invalid format version already; a version is not parsed twice.
        if (!validate && !p.formatVersion.isEmpty() && !Versions.isStrict(p.formatVersion)) {
            throw new InvalidPackageException("invalid format spec version '" + p.formatVersion + "'");
        }
        ImagePaths.setPaths(p.icons, base);
        ImagePaths.setPaths(p.screenshots, base);
        if (p.release == null || p.release.isEmpty()) {
            p.release = Releases.defaultFor(manifest.version());
        }
        Releases.requireKnown(p.release);
        if (!files.isFile("docs/README.md")) {
            throw new InvalidPackageException("no readme file found, README.md is required");
        }
        p.readme = base + "/docs/README.md";
        p.download = "/epr/" + p.name + "/" + p.name + "-" + p.version + ".zip";
        p.path = base;
        p.assets = PackageAssets.list(files, p.name, base);
        p.dataStreams = dataStreams.read(files, p);
        if (p.dataStreams.isEmpty()) {
            p.dataStreams = null;
        }
        p.signaturePath = hasSignature ? p.download + ".sig" : null;
        ingestionMethods.applyTo(p);
        if (p.discovery != null && p.discovery.isEmpty()) {
            p.discovery = null;
        }
        if (p.categories != null) {
            p.categories = knownCategories(p.categories, p);
        }
        return p;
    }

    private void checkSafety(PackageFiles files) throws InvalidPackageException {
        try {
            files.checkSafety(limits);
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read the package: " + e.getMessage(), e);
        }
    }

    private static void completePolicyTemplates(PackageDocument p, PackageFiles files, String base) throws InvalidPackageException {
        if (p.policyTemplates == null) {
            return;
        }
        for (PolicyTemplate t : p.policyTemplates) {
            if (t.multiple == null) {
                t.multiple = true;
            }
            ImagePaths.setPaths(t.icons, base);
            ImagePaths.setPaths(t.screenshots, base);
            if (files.isFile("docs/" + t.name + ".md")) {
                t.readme = base + "/docs/" + t.name + ".md";
            } else if (files.isDirectory("docs/" + t.name + ".md")) {
                throw new InvalidPackageException(t.name + ".md is a directory");
            }
            if (t.deploymentModes != null && t.deploymentModes.agentless != null
                    && t.deploymentModes.agentless.release != null && !t.deploymentModes.agentless.release.isEmpty()
                    && !AGENTLESS_RELEASES.contains(t.deploymentModes.agentless.release)) {
                throw new InvalidPackageException("policy template \"" + t.name + "\": invalid agentless release: \""
                        + t.deploymentModes.agentless.release + "\"");
            }
        }
    }

    private List<String> knownCategories(List<String> categories, PackageDocument p) {
        List<String> known = new ArrayList<>();
        for (String c : categories) {
            if (Categories.isKnown(c)) {
                known.add(c);
            } else {
                warnings.accept("package " + p.name + "-" + p.version + " uses an unknown category, ignored: " + c);
            }
        }
        return known;
    }
}
