package dev.wharf.terraform.provider;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Generations;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.cache.CacheChecks;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.layout.TerraformLayout;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The download answers of the provider protocol, kept per request with the generations of the four
 * tag lookups they were built from. A SHA256SUMS is read by digest, so it is parsed once and kept.
 */
final class ProviderDownloads {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final SmallFiles files;
    private final SigningKeysReader signingKeys;
    private final Generations generations;
    private final Cache<Digest, Sha256Sums> sums = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();
    // Download answers per request, with the generations of the four tag lookups they were built from (see download()).
    private final Cache<KnownDownload.Request, KnownDownload> downloads = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();

    ProviderDownloads(ArtifactStore store, TerraformLayout layout, SmallFiles files, SigningKeysReader signingKeys,
            Generations generations) {
        this.store = store;
        this.layout = layout;
        this.files = files;
        this.signingKeys = signingKeys;
        this.generations = generations;
    }

    Cache<Digest, Sha256Sums> sumsCache() {
        return sums;
    }

    Cache<KnownDownload.Request, KnownDownload> cache() {
        return downloads;
    }

    /**
     * What {@code terraform init} needs to fetch and verify one platform's archive. Its generation
     * stays while the four tags it was built from (SHA256SUMS, signature, archive, signing keys)
     * keep their generations, so a busy endpoint costs four cache lookups, not a rebuild.
     */
    Stamped<ProviderPackage> download(ProviderAddress provider, String version, String os, String arch) {
        KnownDownload.Request request = new KnownDownload.Request(provider, version, os, arch);
        KnownDownload known = downloads.getIfPresent(request);
        if (known != null && known.current(store)) {
            return known.answer();
        }
        ProviderNames.check(provider);
        TerraformNames.checkVersion(version).ifPresent(ProviderNames::badRequest);
        TerraformNames.checkPlatformPart(os, "os").ifPresent(ProviderNames::badRequest);
        TerraformNames.checkPlatformPart(arch, "arch").ifPresent(ProviderNames::badRequest);
        String repository = layout.providerRepository(provider.namespace(), provider.name());
        ProviderFile sumsFile = ProviderFile.sha256Sums(provider.name(), version);
        ProviderFile signatureFile = ProviderFile.signature(provider.name(), version);
        ProviderFile archive = ProviderFile.archive(provider.name(), version, os, arch);
        List<String> tags = List.of(layout.providerTag(sumsFile), layout.providerTag(signatureFile), layout.providerTag(archive));
        String keysRepository = layout.signingKeysRepository(provider.namespace());

        // resolve, not exists: the answer goes through the tag cache, so a busy download endpoint
        // does not cost the registry one HEAD per request.
        Stamped<Optional<Manifest>> sums = store.resolveStamped(repository, tags.get(0));
        Stamped<Optional<Manifest>> signature = store.resolveStamped(repository, tags.get(1));
        Stamped<Optional<Manifest>> archiveManifest = store.resolveStamped(repository, tags.get(2));
        Stamped<Optional<Manifest>> keysManifest = store.resolveStamped(keysRepository, TerraformLayout.SIGNING_KEYS_TAG);
        List<Generation> seen = List.of(sums.generation(), signature.generation(), archiveManifest.generation(),
                keysManifest.generation());
        if (known != null && known.builtFrom(seen)) {
            // Read again after the cache entries expired, with the same manifests: the same answer.
            return known.answer();
        }
        Manifest sumsManifest = sums.value().orElseThrow(() -> new ProviderException(
                ProviderException.Reason.NOT_FOUND, "provider " + provider + " has no version " + version));
        if (signature.value().isEmpty()) {
            throw new ProviderException(ProviderException.Reason.NOT_FOUND, "provider " + provider + " " + version
                    + " has no SHA256SUMS signature");
        }
        if (archiveManifest.value().isEmpty()) {
            throw new ProviderException(ProviderException.Reason.NOT_FOUND, "provider " + provider + " " + version
                    + " is not available for " + os + "_" + arch);
        }
        Sha256Sums checksums = readSums(repository, sumsManifest, sumsFile.fileName());
        String shasum = checksums.sha256Of(archive.fileName()).orElseThrow(() -> new ProviderException(
                ProviderException.Reason.BROKEN_RELEASE, sumsFile.fileName() + " in storage does not list " + archive.fileName()));
        SigningKeys keys = keysManifest.value().map(m -> signingKeys.parsed(keysRepository, m)).orElseThrow(() -> new ProviderException(
                ProviderException.Reason.NOT_FOUND, "namespace " + provider.namespace()
                        + " has no signing keys (signing-keys.json) in storage; terraform cannot verify provider " + provider));
        Stamped<ProviderPackage> answer = new Stamped<>(
                new ProviderPackage(ReleaseProtocols.of(sumsManifest), archive, sumsFile, signatureFile, shasum, keys), generations.next());
        downloads.put(request, new KnownDownload(repository, tags, keysRepository, seen, answer));
        return answer;
    }

    /** Told from memory alone: never waits. */
    boolean isCurrent(ProviderAddress provider, String version, String os, String arch, Generation answer) {
        KnownDownload known = CacheChecks.peek(downloads, new KnownDownload.Request(provider, version, os, arch));
        return known != null && known.answer().generation().equals(answer) && known.current(store);
    }

    private Sha256Sums readSums(String repository, Manifest manifest, String fileName) {
        Descriptor layer = SmallFiles.firstLayer(manifest, fileName);
        return sums.get(layer.digest(), d -> {
            try {
                return Sha256Sums.parse(files.read(repository, layer), fileName + " in storage");
            } catch (IllegalArgumentException e) {
                throw new ProviderException(ProviderException.Reason.BROKEN_RELEASE, Objects.requireNonNullElse(e.getMessage(), e.toString()));
            }
        });
    }
}
