package dev.wharf.cli.boring;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** boring-registry's persistent {@code upload} flags. */
public final class UploadOptions {
    @Option(names = "--recursive", defaultValue = "true", fallbackValue = "true", arity = "0..1",
            description = "Find boring-registry.hcl in all subdirectories (BORING_REGISTRY_RECURSIVE; default ${DEFAULT-VALUE})")
    boolean recursive;

    @Option(names = "--ignore-existing", defaultValue = "true", fallbackValue = "true", arity = "0..1",
            description = "Skip versions that already exist; with false, an existing version fails the upload (BORING_REGISTRY_IGNORE_EXISTING; default ${DEFAULT-VALUE})")
    boolean ignoreExisting;

    @Option(names = "--version-constraints-semver", paramLabel = "CONSTRAINTS",
            description = "Upload only versions meeting these constraints, such as '>= 1.2, < 2.0', read as boring-registry reads them (hashicorp/go-version: '~> 1' is '>= 1'; '!=' takes pre-releases) (BORING_REGISTRY_VERSION_CONSTRAINTS_SEMVER)")
    @Nullable String semver;

    @Option(names = "--version-constraints-regex", paramLabel = "REGEX",
            description = "Upload only versions matching this regular expression (BORING_REGISTRY_VERSION_CONSTRAINTS_REGEX)")
    @Nullable String regex;
}
