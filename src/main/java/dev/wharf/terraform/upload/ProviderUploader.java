package dev.wharf.terraform.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.provider.Sha256Sums;
import dev.wharf.terraform.provider.SigningKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code upload provider}: checks everything before pushing anything — each zip against the
 * SHA256SUMS, through the shared archive check, and that it holds files only (terraform's lock-file
 * hash breaks on directory entries), the binary signature against the namespace's signing keys in storage — then pushes the
 * zips, and the SHA256SUMS and its signature last, so a release becomes visible only when complete.
 * The checks are {@link ReleaseVerifier}'s, the pushes {@link ReleasePusher}'s.
 */
public final class ProviderUploader {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ProviderService providers;
    private final ReleaseVerifier verifier;
    private final ReleasePusher pusher;
    private final Consumer<String> log;

    public ProviderUploader(ArtifactStore store, TerraformLayout layout, ProviderService providers, ObjectMapper json,
            ZipInspector zips, Consumer<String> log) {
        this.store = store;
        this.layout = layout;
        this.providers = providers;
        this.verifier = new ReleaseVerifier(zips);
        this.pusher = new ReleasePusher(store, layout, json, log);
        this.log = log;
    }

    /**
     * A release that passed every check: its files match the SHA256SUMS, its zips hold files only,
     * and the SHA256SUMS signature verifies against the namespace's keys.
     */
    public record CheckedRelease(String namespace, ProviderFile sumsFile, byte[] sums, byte[] signature,
                                 Map<String, Path> files, Sha256Sums parsedSums, String keyId) {
        public String name() {
            return sumsFile.name();
        }

        public String version() {
            return sumsFile.version();
        }
    }

    /** Returns false when the release exists and {@code ignoreExisting} skipped it. */
    public boolean upload(String namespace, Path sha256SumsFile, List<Path> archivePaths, boolean ignoreExisting) {
        try {
            publish(namespace, sha256SumsFile, archivePaths);
            return true;
        } catch (VersionExistsException e) {
            if (!ignoreExisting || e.lostRace()) {
                throw e;
            }
            log.accept(e.getMessage() + ", skipped");
            return false;
        }
    }

    /**
     * The one way a release goes into storage, whether {@code upload provider} read it from disk or
     * a {@code PUT} brought it: every check first, then the files, the SHA256SUMS and its signature
     * last. Throws {@link VersionExistsException} when the version is stored.
     */
    public CheckedRelease publish(String namespace, Path sha256SumsFile, List<Path> archivePaths) {
        CheckedRelease release = check(namespace, sha256SumsFile, archivePaths, true,
                () -> providers.freshSigningKeys(namespace).orElseThrow(() -> new UploadException("namespace " + namespace
                        + " has no signing-keys.json in storage; add the public key first: upload signing-key --namespace "
                        + namespace + " KEY.asc")));
        log.accept("signature of " + release.sumsFile().fileName() + " verified with key " + release.keyId());
        String repository = layout.providerRepository(namespace, release.name());
        // The signature is the last tag an upload writes: a SHA256SUMS without it is an upload that
        // stopped (the registry failed between the two), which this one completes if it is the same release.
        if (store.exists(repository, layout.providerTag(ProviderFile.signature(release.name(), release.version())))) {
            throw new VersionExistsException("provider " + namespace + "/" + release.name() + " version " + release.version()
                    + " already exists; it is never overwritten", false);
        }
        List<String> stored = store.listTags(repository).stream()
                .flatMap(tag -> layout.providerFile(tag).stream()).map(ProviderFile::version).distinct().toList();
        Optional<String> same = SamePrecedence.among(stored, release.version());
        if (same.isPresent()) {
            throw SamePrecedence.refusal("provider " + namespace + "/" + release.name(), release.version(), same.get());
        }
        push(release);
        return release;
    }

    /**
     * Checks a release without storing anything. With {@code everyListedFile}, each file the
     * SHA256SUMS lists must be there (an upload); without, only the archives given are checked (a
     * mirrored release, of which a mirror keeps only the platforms asked for).
     */
    public CheckedRelease check(String namespace, Path sha256SumsFile, List<Path> archivePaths, boolean everyListedFile,
                                Supplier<SigningKeys> namespaceKeys) {
        return verifier.check(namespace, sha256SumsFile, archivePaths, everyListedFile, namespaceKeys);
    }

    /**
     * The sha256 of the release's SHA256SUMS as stored, or empty when the release is not stored: not
     * at all, or without its signature, the last tag an upload writes ({@link #push} completes it).
     */
    public Optional<String> storedSums(CheckedRelease release) {
        String repository = layout.providerRepository(release.namespace(), release.name());
        if (!store.exists(repository, layout.providerTag(ProviderFile.signature(release.name(), release.version())))) {
            return Optional.empty();
        }
        return store.resolve(repository, layout.providerTag(release.sumsFile()))
                .map(m -> m.layers().isEmpty() ? "" : m.layers().get(0).digest().hex());
    }

    /** Pushes a checked release: the files, then its SHA256SUMS and signature last. */
    public void push(CheckedRelease release) {
        pusher.push(release);
    }
}
