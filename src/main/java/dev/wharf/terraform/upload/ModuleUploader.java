package dev.wharf.terraform.upload;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.TerraformLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code upload module DIR}: finds {@code boring-registry.hcl} files as boring-registry does (the
 * whole tree with {@code --recursive}, else DIR itself), archives each module and pushes it under
 * its version tag. An existing version is skipped with {@code --ignore-existing} and otherwise
 * refused; it is never overwritten. Every module found is checked ({@link ModulePlan}) before the
 * first is pushed, and one that cannot be uploaded stops the upload with nothing pushed.
 */
public final class ModuleUploader {
    public enum Outcome { UPLOADED, EXISTS, FILTERED }

    public record Result(Path specFile, String module, String version, Outcome outcome) {
    }

    public record Options(boolean recursive, boolean ignoreExisting, Optional<VersionConstraints> semver,
            Optional<Pattern> regex, Optional<String> version, ExcludePatterns excludes, ArchiveFormat format) {
    }

    private final ModuleTarget target;
    private final Options options;
    private final Consumer<String> log;
    private final ModuleSpecReader reader = new ModuleSpecReader();

    public ModuleUploader(ArtifactStore store, TerraformLayout layout, Options options, Consumer<String> log) {
        this(new ModulePublication(store, layout), options, log);
    }

    /** Sending each archive to {@code target}: storage, or a Wharf server's publish API. */
    public ModuleUploader(ModuleTarget target, Options options, Consumer<String> log) {
        this.target = target;
        this.options = options;
        this.log = log;
        if (options.recursive() && options.version().isPresent()) {
            throw new UploadException("--version cannot be combined with recursive discovery: add --recursive=false");
        }
        options.version().ifPresent(v -> TerraformNames.checkVersion(v).ifPresent(m -> {
            throw new UploadException("--version: " + m);
        }));
    }

    public List<Result> upload(Path root) {
        if (!Files.isDirectory(root)) {
            throw new UploadException("module directory " + root + " does not exist or is not a directory");
        }
        List<Path> specs = discover(root);
        if (specs.isEmpty()) {
            throw new UploadException("no " + ModuleSpecReader.FILE_NAME + " found in " + root
                    + (options.recursive() ? " or below" : ""));
        }
        // Every module is checked before the first is pushed: a bad one anywhere in the tree stops the
        // upload with nothing published, rather than after the modules sorted before it went out.
        List<ModulePlan> plans = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path spec : specs) {
            try {
                plans.add(ModulePlan.of(spec, options, reader, target));
            } catch (TargetFailedException e) {
                throw e;
            } catch (UploadException e) {
                problems.add(String.valueOf(e.getMessage()));
            }
        }
        problems.addAll(ModulePlan.sameVersionTwice(plans));
        if (specs.size() == 1 && problems.size() == 1) {
            throw new UploadException(problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new UploadException(problems.size() + " of " + specs.size() + " modules cannot be uploaded, so none was pushed:\n  "
                    + String.join("\n  ", problems));
        }
        List<Result> results = new ArrayList<>();
        for (ModulePlan plan : plans) {
            results.add(push(plan));
        }
        return results;
    }

    private List<Path> discover(Path root) {
        if (!options.recursive()) {
            Path spec = root.resolve(ModuleSpecReader.FILE_NAME);
            return Files.isRegularFile(spec) || Files.isSymbolicLink(spec) ? List.of(spec) : List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName() != null && p.getFileName().toString().equals(ModuleSpecReader.FILE_NAME))
                    .filter(p -> root.relativize(p).toString().replace('\\', '/').matches("(?!(?:.*/)?\\.(?:git|terraform)/).*"))
                    .filter(p -> Files.isRegularFile(p) || Files.isSymbolicLink(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UploadException("cannot walk " + root + ": " + e.getMessage());
        }
    }

    private Result push(ModulePlan plan) {
        Path specFile = plan.specFile();
        String module = plan.module();
        String version = plan.version();
        ModuleSpec spec = plan.spec();
        if (plan.skipped().isPresent()) {
            log.accept(plan.skipped().get());
            return new Result(specFile, module, version, plan.outcome());
        }
        ScratchFolder scratch;
        try {
            scratch = ScratchFolder.create("wharf-module-");
        } catch (UncheckedIOException e) {
            throw new UploadException("cannot archive " + specFile.getParent() + ": " + e.getMessage());
        }
        try (scratch) {
            Path archive = scratch.path().resolve("module." + options.format().extension());
            try (OutputStream out = Files.newOutputStream(archive)) {
                new ModuleArchiver(options.excludes()).write(plan.directory(), options.format(), out);
            }
            ModulePublication.Published published = target.publish(specFile.toString(), spec.namespace(), spec.name(),
                    spec.provider(), version, options.format(), archive,
                    StandardAnnotations.created(List.of(plan.directory())));
            log.accept("uploaded module " + module + " " + version + " to " + published.repository() + ":" + published.tag());
            return new Result(specFile, module, version, Outcome.UPLOADED);
        } catch (VersionExistsException e) {
            // Not "skipped" even with --ignore-existing: this upload did write the tag, and lost it.
            if (e.lostRace()) {
                throw e;
            }
            return existing(specFile, module, version, String.valueOf(e.getMessage()));
        } catch (ArchiveRefusedException | IOException e) {
            throw new UploadException("cannot archive " + specFile.getParent() + ": " + e.getMessage());
        }
    }

    /** Fails, naming {@code where}, unless the coordinates are ones Terraform accepts. */
    public static void checkCoordinates(String where, String namespace, String name, String provider, String version) {
        for (Optional<String> problem : List.of(TerraformNames.checkNamespace(namespace), TerraformNames.checkModuleName(name),
                TerraformNames.checkModuleProvider(provider), TerraformNames.checkVersion(version))) {
            problem.ifPresent(m -> {
                throw new UploadException(where + ": " + m);
            });
        }
    }

    /** The sha256 of the archive stored for this version, or empty when the version is not stored (storage targets only). */
    public Optional<String> storedSha256(String namespace, String name, String provider, String version) {
        return storage().storedSha256(namespace, name, provider, version);
    }

    /** Pushes a checked module archive under its version tag (storage targets only); an existing version is refused. */
    public void pushArchive(String namespace, String name, String provider, String version, ArchiveFormat format, Path archive) {
        storage().push(namespace, name, provider, version, format, archive, StandardAnnotations.created(List.of(archive)));
    }

    private ModulePublication storage() {
        if (target instanceof ModulePublication publication) {
            return publication;
        }
        throw new IllegalStateException("importing needs direct storage, not a publish API");
    }

    /** A version that is stored (or one terraform takes for it): skipped with --ignore-existing, else refused with {@code why}. */
    private Result existing(Path specFile, String module, String version, String why) {
        if (options.ignoreExisting()) {
            log.accept(why + ", skipped");
            return new Result(specFile, module, version, Outcome.EXISTS);
        }
        throw new UploadException(why + " (use --ignore-existing to skip existing versions)");
    }
}
