package dev.wharf.terraform.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Generations;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.Version;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.layout.ProviderFile.Kind;
import dev.wharf.terraform.layout.ProviderFile.Platform;
import dev.wharf.terraform.layout.TerraformLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The provider registry protocol over storage. A version is listed once its SHA256SUMS and signature
 * are stored: uploads push those last, so a half-finished upload stays invisible. Anything read by
 * digest (a SHA256SUMS, a signing-keys.json) is parsed once and kept, since it cannot change.
 */
public final class ProviderService {
    static final List<String> DEFAULT_PROTOCOLS = List.of("5.0");
    private static final int SMALL_FILE_LIMIT = 1 << 20;

    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ObjectMapper json;
    private final Cache<Digest, Sha256Sums> sums = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();
    private final Cache<Digest, SigningKeys> keys = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();
    // The versions answer per provider, with the generation of the tag list it was built from. Tags
    // of provider files never change meaning, so the same tags mean the same answer; without this
    // every request looked up one SHA256SUMS manifest per version (bench/RESULTS.md, figure 1).
    // Keyed by the address as asked: a repeat skips the name checks as well (only checked addresses get in).
    private final Cache<ProviderAddress, Listing> listings = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();
    private final Generations generations = new Generations();

    private record Listing(String repository, Generation tags, Stamped<List<ProviderVersion>> answer) {
        boolean current(ArtifactStore store) {
            return store.isCurrentTagList(repository, tags);
        }
    }

    // Download answers per request, with the generations of the four tag lookups they were built from (see download()).
    private final Cache<KnownDownload.Request, KnownDownload> downloads = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();

    /** The caches by name, for their hit, miss and size metrics. */
    public Map<String, Cache<?, ?>> caches() {
        return Map.of("provider_sums", sums, "provider_signing_keys", keys, "provider_listings", listings, "provider_downloads", downloads);
    }

    public ProviderService(ArtifactStore store, TerraformLayout layout, ObjectMapper json) {
        this.store = store;
        this.layout = layout;
        this.json = json;
    }

    /** Every complete version, highest first. Its generation stays while the tag list keeps its generation. */
    public Stamped<List<ProviderVersion>> versions(ProviderAddress provider) {
        Listing known = listings.getIfPresent(provider);
        if (known != null && known.current(store)) {
            return known.answer();
        }
        check(provider);
        String repository = layout.providerRepository(provider.namespace(), provider.name());
        Stamped<List<String>> tags = store.listTagsStamped(repository);
        if (known != null && tags.generation().isCached() && tags.generation().equals(known.tags())) {
            // Read again after its cache entry expired, with the same tags: the same answer.
            return known.answer();
        }
        Map<String, Set<Kind>> kinds = new LinkedHashMap<>();
        Map<String, List<Platform>> platforms = new TreeMap<>();
        for (String tag : tags.value()) {
            Optional<ProviderFile> file = layout.providerFile(tag);
            if (file.isEmpty() || !file.get().name().equals(provider.name().toLowerCase(java.util.Locale.ROOT))
                    || Version.tryParse(file.get().version()).isEmpty()) {
                continue;
            }
            ProviderFile f = file.get();
            kinds.computeIfAbsent(f.version(), v -> EnumSet.noneOf(Kind.class)).add(f.kind());
            f.platform().ifPresent(p -> platforms.computeIfAbsent(f.version(), v -> new ArrayList<>()).add(p));
        }
        List<String> complete = new ArrayList<>();
        for (String version : Version.sortDescending(new ArrayList<>(kinds.keySet()))) {
            if (Objects.requireNonNull(kinds.get(version)).containsAll(EnumSet.of(Kind.ARCHIVE, Kind.SHA256SUMS, Kind.SIGNATURE))) {
                complete.add(version);
            }
        }
        // Versions and platforms are in the tag names. The protocols are an annotation that an upload
        // puts on the SHA256SUMS manifest only when the release has a _manifest.json, itself a tag:
        // so only those versions cost a lookup (the others announce 5.0), asked as one batch that a
        // store can answer from its cache or concurrently. Cold, 5 000 tags cost 834 requests
        // before, 1 now (bench/RESULTS.md, figure 3).
        List<String> declaring = complete.stream().filter(version -> Objects.requireNonNull(kinds.get(version)).contains(Kind.MANIFEST))
                .toList();
        List<Optional<Manifest>> sumsManifests = store.resolveAll(repository, declaring.stream()
                .map(version -> layout.providerTag(ProviderFile.sha256Sums(provider.name(), version))).toList());
        Map<String, List<String>> protocols = new LinkedHashMap<>();
        for (int i = 0; i < declaring.size(); i++) {
            protocols.put(declaring.get(i), sumsManifests.get(i).map(ProviderService::protocolsOf).orElse(DEFAULT_PROTOCOLS));
        }
        List<ProviderVersion> versions = new ArrayList<>();
        for (String version : complete) {
            List<Platform> list = new ArrayList<>(platforms.get(version));
            list.sort(Comparator.comparing(Platform::os).thenComparing(Platform::arch));
            versions.add(new ProviderVersion(version, protocols.getOrDefault(version, DEFAULT_PROTOCOLS), list));
        }
        if (versions.isEmpty()) {
            throw new ProviderException(ProviderException.Reason.NOT_FOUND, "provider " + provider + " not found");
        }
        Stamped<List<ProviderVersion>> answer = new Stamped<>(List.copyOf(versions), generations.next());
        listings.put(provider, new Listing(repository, tags.generation(), answer));
        return answer;
    }

    /**
     * Whether the answer of this generation, an earlier {@link #versions} of this provider, is still
     * what it would return, told from memory alone (false when that would need storage): never waits.
     */
    public boolean isCurrent(ProviderAddress provider, Generation answer) {
        Listing known = listings.getIfPresent(provider);
        return known != null && known.answer().generation().equals(answer) && known.current(store);
    }

    /** Whether the answer of this generation, an earlier {@link #download}, is still its answer, told from memory alone: never waits. */
    public boolean isCurrent(ProviderAddress provider, String version, String os, String arch, Generation answer) {
        KnownDownload known = downloads.getIfPresent(new KnownDownload.Request(provider, version, os, arch));
        return known != null && known.answer().generation().equals(answer) && known.current(store);
    }

    /**
     * What {@code terraform init} needs to fetch and verify one platform's archive. Its generation
     * stays while the four tags it was built from (SHA256SUMS, signature, archive, signing keys)
     * keep their generations, so a busy endpoint costs four cache lookups, not a rebuild.
     */
    public Stamped<ProviderPackage> download(ProviderAddress provider, String version, String os, String arch) {
        KnownDownload.Request request = new KnownDownload.Request(provider, version, os, arch);
        KnownDownload known = downloads.getIfPresent(request);
        if (known != null && known.current(store)) {
            return known.answer();
        }
        check(provider);
        TerraformNames.checkVersion(version).ifPresent(this::badRequest);
        TerraformNames.checkPlatformPart(os, "os").ifPresent(this::badRequest);
        TerraformNames.checkPlatformPart(arch, "arch").ifPresent(this::badRequest);
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
        SigningKeys signingKeys = keysManifest.value().map(m -> parsedKeys(keysRepository, m)).orElseThrow(() -> new ProviderException(
                ProviderException.Reason.NOT_FOUND, "namespace " + provider.namespace()
                        + " has no signing keys (signing-keys.json) in storage; terraform cannot verify provider " + provider));
        Stamped<ProviderPackage> answer = new Stamped<>(
                new ProviderPackage(protocolsOf(sumsManifest), archive, sumsFile, signatureFile, shasum, signingKeys), generations.next());
        downloads.put(request, new KnownDownload(repository, tags, keysRepository, seen, answer));
        return answer;
    }

    /** A stored release file of a provider by its file name (archive, SHA256SUMS or signature). */
    public StoredFile file(ProviderAddress provider, String fileName) {
        check(provider);
        ProviderFile file = ProviderFile.parse(fileName)
                .filter(f -> f.name().equals(provider.name()))
                .orElseThrow(() -> new ProviderException(ProviderException.Reason.NOT_FOUND,
                        "'" + fileName + "' is not a release file of provider " + provider));
        String repository = layout.providerRepository(provider.namespace(), provider.name());
        Manifest manifest = store.resolve(repository, layout.providerTag(file)).orElseThrow(() -> new ProviderException(
                ProviderException.Reason.NOT_FOUND, "provider " + provider + " has no file " + fileName));
        Descriptor layer = firstLayer(manifest, fileName);
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
        TerraformNames.checkNamespace(namespace).ifPresent(this::badRequest);
        String repository = layout.signingKeysRepository(namespace);
        Stamped<Optional<Manifest>> found = store.resolveStamped(repository, TerraformLayout.SIGNING_KEYS_TAG);
        return new Stamped<>(found.value().map(manifest -> parsedKeys(repository, manifest)), found.generation());
    }

    /** Whether the namespace's keys are still those of this generation of {@link #signingKeysStamped}, told from memory alone: never waits. */
    public boolean isCurrentSigningKeys(String namespace, Generation answer) {
        return store.isCurrentResolution(layout.signingKeysRepository(namespace), TerraformLayout.SIGNING_KEYS_TAG, answer);
    }

    /** The keys as storage holds them now, past any cache: for writers, and for checks another replica's write must reach. */
    public Optional<SigningKeys> freshSigningKeys(String namespace) {
        TerraformNames.checkNamespace(namespace).ifPresent(this::badRequest);
        String repository = layout.signingKeysRepository(namespace);
        return store.resolveFresh(repository, TerraformLayout.SIGNING_KEYS_TAG).map(manifest -> parsedKeys(repository, manifest));
    }

    private SigningKeys parsedKeys(String repository, Manifest manifest) {
        Descriptor layer = firstLayer(manifest, TerraformLayout.SIGNING_KEYS_TAG);
        return keys.get(layer.digest(), d -> parseKeys(readSmall(repository, layer), repository));
    }

    /** The file's blob, read chunk by chunk and checked against its digest ({@link ArtifactStore#readBlob}). */
    public ChunkSource read(StoredFile file) {
        return store.readBlob(file.repository(), file.layer().digest());
    }

    public Optional<URI> directUrl(StoredFile file) {
        return store.directBlobUrl(file.repository(), file.layer().digest());
    }

    private static List<String> protocolsOf(Manifest manifest) {
        String value = manifest.annotations().get(MediaTypes.PROTOCOLS_ANNOTATION);
        if (value == null && !manifest.layers().isEmpty()) {
            value = manifest.layers().get(0).annotations().get(MediaTypes.PROTOCOLS_ANNOTATION);
        }
        if (value == null || value.isBlank()) {
            return DEFAULT_PROTOCOLS;
        }
        return List.of(value.split("\\s*,\\s*"));
    }

    private Sha256Sums readSums(String repository, Manifest manifest, String fileName) {
        Descriptor layer = firstLayer(manifest, fileName);
        return sums.get(layer.digest(), d -> {
            try {
                return Sha256Sums.parse(readSmall(repository, layer), fileName + " in storage");
            } catch (IllegalArgumentException e) {
                throw new ProviderException(ProviderException.Reason.BROKEN_RELEASE, Objects.requireNonNullElse(e.getMessage(), e.toString()));
            }
        });
    }

    private SigningKeys parseKeys(byte[] content, String repository) {
        try {
            return json.readValue(content, SigningKeys.class);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Reason.BROKEN_RELEASE, "signing-keys.json in " + repository
                    + " is not valid JSON of the form {\"gpg_public_keys\":[…]}: " + e.getMessage());
        }
    }

    private byte[] readSmall(String repository, Descriptor layer) {
        if (layer.size() > SMALL_FILE_LIMIT) {
            throw new ProviderException(ProviderException.Reason.BROKEN_RELEASE, "file " + layer.title().orElse(layer.digest().toString())
                    + " in " + repository + " is " + layer.size() + " bytes; at most " + SMALL_FILE_LIMIT + " expected");
        }
        try (InputStream in = store.openBlob(repository, layer.digest())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.CORRUPT, "cannot read " + layer.digest() + " from " + repository + ": " + e.getMessage(), e);
        }
    }

    private Descriptor firstLayer(Manifest manifest, String fileName) {
        if (manifest.layers().isEmpty()) {
            throw new ProviderException(ProviderException.Reason.BROKEN_RELEASE, fileName + " is stored without a layer");
        }
        return manifest.layers().get(0);
    }

    private void check(ProviderAddress provider) {
        TerraformNames.checkNamespace(provider.namespace()).ifPresent(this::badRequest);
        TerraformNames.checkProviderType(provider.name()).ifPresent(this::badRequest);
    }

    private void badRequest(String message) {
        throw new ProviderException(ProviderException.Reason.BAD_REQUEST, message);
    }
}
