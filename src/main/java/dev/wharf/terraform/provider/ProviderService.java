package dev.wharf.terraform.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Generations;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.layout.ProviderFile.Kind;
import dev.wharf.terraform.layout.TerraformLayout;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provider registry protocol over storage: the versions answer ({@link ProviderListings}), the
 * download answer ({@link ProviderDownloads}), the release files and the namespaces' signing keys
 * ({@link SigningKeysReader}). Anything read by digest (a SHA256SUMS, a signing-keys.json) is
 * parsed once and kept, since it cannot change.
 */
public final class ProviderService {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final SigningKeysReader signingKeys;
    private final ProviderListings listings;
    private final ProviderDownloads downloads;

    public ProviderService(ArtifactStore store, TerraformLayout layout, ObjectMapper json) {
        this.store = store;
        this.layout = layout;
        SmallFiles files = new SmallFiles(store);
        this.signingKeys = new SigningKeysReader(store, layout, json, files);
        // One source for both kinds of answer: a generation names one answer, never two.
        Generations generations = new Generations();
        this.listings = new ProviderListings(store, layout, generations);
        this.downloads = new ProviderDownloads(store, layout, files, signingKeys, generations);
    }

    /** The caches by name, for their hit, miss and size metrics. */
    public Map<String, Cache<?, ?>> caches() {
        return Map.of("provider_sums", downloads.sumsCache(), "provider_signing_keys", signingKeys.cache(),
                "provider_listings", listings.cache(), "provider_downloads", downloads.cache());
    }

    /** Every complete version, highest first. Its generation stays while the tag list keeps its generation. */
    public Stamped<List<ProviderVersion>> versions(ProviderAddress provider) {
        return listings.versions(provider);
    }

    /**
     * Whether the answer of this generation, an earlier {@link #versions} of this provider, is still
     * what it would return, told from memory alone (false when that would need storage): never waits.
     */
    public boolean isCurrent(ProviderAddress provider, Generation answer) {
        return listings.isCurrent(provider, answer);
    }

    /** Whether the answer of this generation, an earlier {@link #download}, is still its answer, told from memory alone: never waits. */
    public boolean isCurrent(ProviderAddress provider, String version, String os, String arch, Generation answer) {
        return downloads.isCurrent(provider, version, os, arch, answer);
    }

    /**
     * What {@code terraform init} needs to fetch and verify one platform's archive. Its generation
     * stays while the four tags it was built from (SHA256SUMS, signature, archive, signing keys)
     * keep their generations, so a busy endpoint costs four cache lookups, not a rebuild.
     */
    public Stamped<ProviderPackage> download(ProviderAddress provider, String version, String os, String arch) {
        return downloads.download(provider, version, os, arch);
    }

    /** A stored release file of a provider by its file name (archive, SHA256SUMS or signature). */
    public StoredFile file(ProviderAddress provider, String fileName) {
        ProviderNames.check(provider);
        ProviderFile file = ProviderFile.parse(fileName)
                .filter(f -> f.name().equals(provider.name()))
                .orElseThrow(() -> new ProviderException(ProviderException.Reason.NOT_FOUND,
                        "'" + fileName + "' is not a release file of provider " + provider));
        String repository = layout.providerRepository(provider.namespace(), provider.name());
        Manifest manifest = store.resolve(repository, layout.providerTag(file)).orElseThrow(() -> new ProviderException(
                ProviderException.Reason.NOT_FOUND, "provider " + provider + " has no file " + fileName));
        Descriptor layer = SmallFiles.firstLayer(manifest, fileName);
        String contentType = file.kind() == Kind.ARCHIVE ? "application/zip"
                : file.kind() == Kind.MANIFEST ? "application/json"
                : file.kind() == Kind.SHA256SUMS ? "text/plain; charset=utf-8" : "application/octet-stream";
        return new StoredFile(repository, layer, fileName, contentType);
    }

    public Optional<SigningKeys> signingKeys(String namespace) {
        return signingKeysStamped(namespace).value();
    }

    /** {@link #signingKeys} with the generation of the tag lookup it came from, for {@link #isCurrentSigningKeys}. */
    public Stamped<Optional<SigningKeys>> signingKeysStamped(String namespace) {
        return signingKeys.stamped(namespace);
    }

    /** Whether the namespace's keys are still those of this generation of {@link #signingKeysStamped}, told from memory alone: never waits. */
    public boolean isCurrentSigningKeys(String namespace, Generation answer) {
        return signingKeys.isCurrent(namespace, answer);
    }

    /** The keys as storage holds them now, past any cache: for writers, and for checks another replica's write must reach. */
    public Optional<SigningKeys> freshSigningKeys(String namespace) {
        return signingKeys.fresh(namespace);
    }

    /** The file's blob, read chunk by chunk and checked against its digest and size ({@link ArtifactStore#readBlob(String, dev.wharf.oci.Descriptor)}). */
    public ChunkSource read(StoredFile file) {
        return store.readBlob(file.repository(), file.layer());
    }

    /** Whether {@link #read} would hand out a file, which a Range can start anywhere in, told without opening it. */
    public boolean readsInParts(StoredFile file) {
        return store.readsBlobInParts(file.repository(), file.layer().digest());
    }

    public Optional<URI> directUrl(StoredFile file) {
        return store.directBlobUrl(file.repository(), file.layer().digest());
    }
}
