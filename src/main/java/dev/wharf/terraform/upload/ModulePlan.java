package dev.wharf.terraform.upload;

import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.archive.EntryNames;
import dev.wharf.terraform.Version;
import dev.wharf.terraform.layout.ArchiveFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What {@code upload module} will do with one module, decided before anything is pushed: skip it
 * (filtered out, or stored already with {@code --ignore-existing}) or push it, its spec, version and
 * files checked. A module that cannot be pushed throws {@link UploadException}, so a recursive upload
 * can name every bad module and push none, rather than leave half a tree published.
 *
 * @param skipped the line to log when the module is skipped; empty when it is to be pushed
 */
record ModulePlan(Path specFile, ModuleSpec spec, String version, ModuleUploader.Outcome outcome, Optional<String> skipped) {

    String module() {
        return spec.namespace() + "/" + spec.name() + "/" + spec.provider();
    }

    Path directory() {
        return Objects.requireNonNull(specFile.getParent());
    }

    /** Checks one module as far as it can be without pushing: only whether its version is stored asks the target. */
    static ModulePlan of(Path specFile, ModuleUploader.Options options, ModuleSpecReader reader, ModuleTarget target) {
        ModuleSpec spec = reader.read(specFile);
        if (options.version().isPresent() && spec.version().isPresent()) {
            // boring-registry refuses this too ("metadata.version must be empty"): with two versions
            // given, one of them is a mistake, and taking either would publish under a version the
            // user did not mean.
            throw new UploadException(specFile + ": metadata sets version " + spec.version().get() + " and --version gives "
                    + options.version().get() + "; give the version in one place only (remove it from "
                    + ModuleSpecReader.FILE_NAME + " to upload with --version)");
        }
        String version = options.version().or(spec::version).orElseThrow(() -> new UploadException(specFile
                + ": metadata lacks 'version' (or give --version)"));
        ModuleUploader.checkCoordinates(specFile.toString(), spec.namespace(), spec.name(), spec.provider(), version);
        String module = spec.namespace() + "/" + spec.name() + "/" + spec.provider();
        Version parsed = Version.parse(version);
        if (options.semver().isPresent() && !options.semver().get().allows(parsed)) {
            return skip(specFile, spec, version, ModuleUploader.Outcome.FILTERED,
                    "skipped " + module + " " + version + ": outside --version-constraints-semver " + options.semver().get());
        }
        if (options.regex().isPresent() && !options.regex().get().matcher(version).find()) {
            return skip(specFile, spec, version, ModuleUploader.Outcome.FILTERED,
                    "skipped " + module + " " + version + ": does not match --version-constraints-regex");
        }
        List<String> versions = target.storedVersions(spec.namespace(), spec.name(), spec.provider());
        Optional<String> stored = versions.contains(version) || target.exists(spec.namespace(), spec.name(), spec.provider(), version)
                ? Optional.of("module " + module + " version " + version + " already exists; it is never overwritten")
                // Publishing refuses these as existing too: found only then, they stopped a tree half pushed.
                : SamePrecedence.among(versions, version)
                        .map(same -> String.valueOf(SamePrecedence.refusal("module " + module, version, same).getMessage()));
        if (stored.isPresent()) {
            if (!options.ignoreExisting()) {
                throw new UploadException(stored.get() + " (use --ignore-existing to skip existing versions)");
            }
            return skip(specFile, spec, version, ModuleUploader.Outcome.EXISTS, stored.get() + ", skipped");
        }
        checkFiles(Objects.requireNonNull(specFile.getParent()), specFile, options);
        return new ModulePlan(specFile, spec, version, ModuleUploader.Outcome.UPLOADED, Optional.empty());
    }

    /**
     * Two modules of the tree that would push the same version, or versions terraform takes for one
     * ({@link SamePrecedence}: {@code 1.0.0+a} and {@code 1.0.0+b}): the second push could only be refused.
     */
    static List<String> sameVersionTwice(List<ModulePlan> plans) {
        Map<String, Map<String, Path>> first = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (ModulePlan plan : plans) {
            if (plan.outcome() != ModuleUploader.Outcome.UPLOADED) {
                continue;
            }
            Map<String, Path> versions = first.computeIfAbsent(plan.module(), m -> new LinkedHashMap<>());
            Path earlier = versions.get(plan.version());
            Optional<String> same = SamePrecedence.among(versions.keySet(), plan.version());
            if (earlier != null) {
                problems.add(plan.specFile() + ": module " + plan.module() + " version " + plan.version() + " is also given by " + earlier
                        + "; a version is uploaded once");
            } else if (same.isPresent()) {
                problems.add(plan.specFile() + ": module " + plan.module() + " version " + plan.version() + " is version " + same.get()
                        + " to terraform, given by " + versions.get(same.get()) + "; versions that differ only in build metadata are one"
                        + " version, uploaded once");
            } else {
                versions.put(plan.version(), plan.specFile());
            }
        }
        return problems;
    }

    private static ModulePlan skip(Path specFile, ModuleSpec spec, String version, ModuleUploader.Outcome outcome, String line) {
        return new ModulePlan(specFile, spec, version, outcome, Optional.of(line));
    }

    /**
     * What the archive will hold, walked as {@link ModuleArchiver} walks it and refused for what the
     * archiver or the archive check would refuse later (links leading out, names an archive cannot
     * hold, no files, a zip past the size every stored zip is held to), without writing the archive.
     */
    private static void checkFiles(Path dir, Path specFile, ModuleUploader.Options options) {
        try {
            SortedMap<String, Path> files = ModuleFiles.walk(dir, options.excludes());
            long total = 0;
            for (Map.Entry<String, Path> file : files.entrySet()) {
                EntryNames.check(file.getKey());
                total += Files.size(file.getValue());
            }
            if (files.isEmpty()) {
                throw new UploadException(specFile + ": the module holds no files to archive");
            }
            if (options.format() == ArchiveFormat.ZIP && total > ArchiveLimits.DEFAULT.maxUncompressedBytes()) {
                throw new UploadException("cannot archive " + dir + ": its files hold " + total + " bytes, more than the "
                        + ArchiveLimits.DEFAULT.maxUncompressedBytes() + " a module zip may inflate to");
            }
        } catch (ArchiveRefusedException | IOException e) {
            throw new UploadException("cannot archive " + dir + ": " + e.getMessage());
        }
    }
}
