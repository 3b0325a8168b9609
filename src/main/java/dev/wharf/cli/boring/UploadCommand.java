package dev.wharf.cli.boring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.publish.HttpModuleTarget;
import dev.wharf.terraform.publish.HttpProviderPublish;
import dev.wharf.terraform.publish.PublishApi;
import dev.wharf.terraform.publish.PublishClient;
import dev.wharf.terraform.upload.ExcludePatterns;
import dev.wharf.terraform.upload.ModuleUploader;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.terraform.upload.VersionConstraints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code boring-registry upload module|provider|signing-key}. */
@Command(name = "upload", mixinStandardHelpOptions = true, description = "Upload modules, providers, signing keys and network mirror contents",
        subcommands = {UploadCommand.Module.class, UploadCommand.Provider.class, UploadCommand.SigningKey.class,
                UploadMirrorCommand.class})
public final class UploadCommand {
    private static final Logger LOG = LoggerFactory.getLogger(UploadCommand.class);

    // Not mixinStandardHelpOptions: boring-registry's --version (the module's version) takes the
    // place of picocli's -V/--version here, so only the help option is declared.
    @Command(name = "module", description = "Archive and upload the modules found in DIR")
    public static final class Module implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Mixin
        GlobalOptions global;

        @Mixin
        UploadOptions upload;

        @Mixin
        ServerTargetOptions target;

        @Option(names = "--version", paramLabel = "VERSION",
                description = "Version to upload the module as; needs --recursive=false (BORING_REGISTRY_VERSION)")
        @Nullable String version;

        @Option(names = "--exclude", paramLabel = "PATTERN",
                description = "gitignore-style pattern of files to leave out of the archive, matched as boring-registry does (*, ?, [0-9], [^a], \\ escapes, **, a trailing / for directories); repeatable (BORING_REGISTRY_EXCLUDE)")
        List<String> excludes = new ArrayList<>();

        @SuppressWarnings("NullAway.Init")
        @Parameters(index = "0", paramLabel = "DIR", description = "Module directory")
        Path dir;

        @Override
        public Integer call() {
            Logging.configure(global);
            VersionConstraints semver = null;
            if (upload.semver != null && !upload.semver.isBlank()) {
                semver = VersionConstraints.parse(upload.semver);
            }
            Pattern regex = null;
            if (upload.regex != null && !upload.regex.isBlank()) {
                try {
                    regex = Pattern.compile(upload.regex);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("--version-constraints-regex: " + e.getDescription());
                }
            }
            ModuleUploader.Options options = new ModuleUploader.Options(upload.recursive, upload.ignoreExisting,
                    Optional.ofNullable(semver), Optional.ofNullable(regex), Optional.ofNullable(version).filter(v -> !v.isBlank()),
                    ExcludePatterns.of(excludes), global.archiveFormat);
            Optional<PublishClient> client = target.client();
            if (client.isPresent()) {
                new ModuleUploader(new HttpModuleTarget(client.get()), options, LOG::info).upload(dir);
                return 0;
            }
            try (ArtifactStore store = global.repositoryLayout().over(Storage.open(global), global.terraformLayout().base())) {
                new ModuleUploader(store, global.terraformLayout(), options, LOG::info).upload(dir);
            }
            return 0;
        }
    }

    @Command(name = "provider", mixinStandardHelpOptions = true,
            description = "Check and upload a signed provider release (zips, SHA256SUMS and its .sig)")
    public static final class Provider implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Mixin
        UploadOptions upload;

        @Mixin
        ArchiveLimitOptions archiveLimits;

        @Mixin
        ServerTargetOptions target;

        @SuppressWarnings("NullAway.Init")
        @Option(names = "--namespace", required = true, description = "Namespace to upload the provider to (BORING_REGISTRY_NAMESPACE)")
        String namespace;

        @SuppressWarnings("NullAway.Init")
        @Option(names = "--filename-sha256sums", required = true, paramLabel = "FILE",
                description = "Path of the terraform-provider-NAME_VERSION_SHA256SUMS file; its .sig lies beside it (BORING_REGISTRY_FILENAME_SHA256SUMS)")
        Path sums;

        @Option(names = "--filenames-provider-archives", split = ",", paramLabel = "ZIP",
                description = "The release zips; default: the files SHA256SUMS lists, beside it (BORING_REGISTRY_FILENAMES_PROVIDER_ARCHIVES)")
        List<Path> archives = new ArrayList<>();

        @Override
        public Integer call() {
            Logging.configure(global);
            Optional<PublishClient> client = target.client();
            if (client.isPresent()) {
                new HttpProviderPublish(client.get()).publish(namespace, sums, archives, upload.ignoreExisting, LOG::info);
                return 0;
            }
            ObjectMapper json = new ObjectMapper();
            TerraformLayout layout = global.terraformLayout();
            try (ArtifactStore store = global.repositoryLayout().over(Storage.open(global), global.terraformLayout().base())) {
                ProviderService providers = new ProviderService(store, layout, json);
                new ProviderUploader(store, layout, providers, json, archiveLimits.inspector(), LOG::info).upload(namespace, sums, archives, upload.ignoreExisting);
            }
            return 0;
        }
    }

    @Command(name = "signing-key", mixinStandardHelpOptions = true,
            description = "Add an ASCII-armored OpenPGP public key to a namespace's signing-keys.json")
    public static final class SigningKey implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @SuppressWarnings("NullAway.Init")
        @Option(names = "--namespace", required = true, description = "Namespace whose providers the key signs (BORING_REGISTRY_NAMESPACE)")
        String namespace;

        @SuppressWarnings("NullAway.Init")
        @Parameters(index = "0", paramLabel = "KEY.asc", description = "Public key as gpg --armor --export writes it")
        Path key;

        @Mixin
        ServerTargetOptions target;

        @Override
        public Integer call() {
            Logging.configure(global);
            Optional<PublishClient> client = target.client();
            if (client.isPresent()) {
                String keyId = client.get().putFile(PublishApi.PREFIX + "/providers/" + namespace + "/signing-keys", "application/pgp-keys", key, "key_id")
                        .path("key_id").asText();
                LOG.info("added key {} to the signing keys of namespace {} through the server", keyId, namespace);
                return 0;
            }
            ObjectMapper json = new ObjectMapper();
            TerraformLayout layout = global.terraformLayout();
            try (ArtifactStore store = global.repositoryLayout().over(Storage.open(global), global.terraformLayout().base())) {
                String keyId = new SigningKeyUploader(store, layout, new ProviderService(store, layout, json), json).add(namespace, key);
                LOG.info("added key {} to the signing keys of namespace {}", keyId, namespace);
            }
            return 0;
        }
    }
}
