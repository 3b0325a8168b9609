package dev.wharf.terraform.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.archive.ArchiveContents;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.provider.Sha256Sums;
import dev.wharf.terraform.provider.SignatureException;
import dev.wharf.terraform.provider.SignatureVerifier;
import dev.wharf.terraform.provider.SigningKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code upload provider}: checks everything before pushing anything — each zip against the
 * SHA256SUMS, through the shared archive check, and that it holds files only (terraform's lock-file
 * hash breaks on directory entries), the binary signature against the namespace's signing keys in storage — then pushes the
 * zips, and the SHA256SUMS and its signature last, so a release becomes visible only when complete.
 */
public final class ProviderUploader {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ProviderService providers;
    private final ObjectMapper json;
    private final ZipInspector zips;
    private final Consumer<String> log;

    public ProviderUploader(ArtifactStore store, TerraformLayout layout, ProviderService providers, ObjectMapper json,
            ZipInspector zips, Consumer<String> log) {
        this.store = store;
        this.layout = layout;
        this.providers = providers;
        this.json = json;
        this.zips = zips;
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
        if (store.exists(layout.providerRepository(namespace, release.name()), layout.providerTag(release.sumsFile()))) {
            throw new VersionExistsException("provider " + namespace + "/" + release.name() + " version " + release.version()
                    + " already exists; it is never overwritten", false);
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
        TerraformNames.checkNamespace(namespace).ifPresent(m -> {
            throw new UploadException("--namespace: " + m);
        });
        Path sumsPath = sha256SumsFile.toAbsolutePath();
        Path sigPath = sumsPath.resolveSibling(sumsPath.getFileName() + ".sig");
        byte[] sumsBytes = read(sumsPath);
        byte[] signature = read(sigPath);
        ProviderFile sumsFile = ProviderFile.parse(sumsPath.getFileName().toString())
                .filter(f -> f.kind() == ProviderFile.Kind.SHA256SUMS)
                .orElseThrow(() -> new UploadException(sumsPath + ": expected a file named terraform-provider-NAME_VERSION_SHA256SUMS"));
        String name = sumsFile.name();
        String version = sumsFile.version();
        TerraformNames.checkProviderType(name).ifPresent(m -> {
            throw new UploadException(sumsPath + ": " + m);
        });
        TerraformNames.checkVersion(version).ifPresent(m -> {
            throw new UploadException(sumsPath + ": " + m);
        });
        Sha256Sums sums;
        try {
            sums = Sha256Sums.parse(sumsBytes, sumsPath.toString());
        } catch (IllegalArgumentException e) {
            throw new UploadException(Objects.requireNonNullElse(e.getMessage(), e.toString()));
        }

        Map<String, Path> files = releaseFiles(sumsPath, sums, archivePaths, name, version, everyListedFile);
        for (Map.Entry<String, Path> e : files.entrySet()) {
            String actual = sha256(e.getValue());
            if (!actual.equals(sums.sha256Of(e.getKey()).orElseThrow())) {
                throw new UploadException(e.getValue() + " does not match its SHA256SUMS entry (sha256 " + actual
                        + ", expected " + sums.sha256Of(e.getKey()).orElseThrow() + ")");
            }
            if (e.getKey().endsWith(".zip")) {
                checkZip(e.getValue());
            }
        }

        SigningKeys keys = namespaceKeys.get();
        try {
            String keyId = new SignatureVerifier().verify(sumsBytes, signature, keys);
            return new CheckedRelease(namespace, sumsFile, sumsBytes, signature, files, sums, keyId);
        } catch (SignatureException e) {
            throw new UploadException(sigPath + ": " + e.getMessage());
        }
    }

    /** The sha256 of the release's SHA256SUMS as stored, or empty when the release is not stored. */
    public Optional<String> storedSums(CheckedRelease release) {
        String repository = layout.providerRepository(release.namespace(), release.name());
        return store.resolve(repository, layout.providerTag(release.sumsFile()))
                .map(m -> m.layers().isEmpty() ? "" : m.layers().get(0).digest().hex());
    }

    /** Pushes a checked release: the files, then its SHA256SUMS and signature last. */
    public void push(CheckedRelease release) {
        String repository = layout.providerRepository(release.namespace(), release.name());
        Instant created = StandardAnnotations.created(release.files().values());
        String version = release.version();
        String protocols = null;
        for (Map.Entry<String, Path> e : release.files().entrySet()) {
            ProviderFile file = ProviderFile.parse(e.getKey()).orElseThrow();
            if (file.kind() == ProviderFile.Kind.MANIFEST) {
                protocols = protocolsFrom(e.getValue());
            }
            pushFile(repository, file, BlobSource.ofFile(e.getValue()), standard(file, version, created, Map.of()),
                    release.parsedSums().sha256Of(e.getKey()).orElseThrow());
        }
        Map<String, String> annotations = protocols == null ? Map.of() : Map.of(MediaTypes.PROTOCOLS_ANNOTATION, protocols);
        pushFile(repository, release.sumsFile(), BlobSource.ofBytes(release.sums()), standard(release.sumsFile(), version, created, annotations), null);
        ProviderFile signatureFile = ProviderFile.signature(release.name(), version);
        pushFile(repository, signatureFile, BlobSource.ofBytes(release.signature()), standard(signatureFile, version, created, Map.of()), null);
        log.accept("uploaded provider " + release.namespace() + "/" + release.name() + " " + version
                + " (" + release.files().size() + " files) to " + repository);
    }

    private Map<String, Path> releaseFiles(Path sumsPath, Sha256Sums sums, List<Path> archivePaths, String name, String version,
                                           boolean everyListedFile) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String entry : sums.entries().keySet()) {
            ProviderFile file = ProviderFile.parse(entry).orElseThrow(() -> new UploadException(sumsPath
                    + " lists '" + entry + "', which is not a provider release file name"));
            if (!file.name().equals(name) || !file.version().equals(version)) {
                throw new UploadException(sumsPath + " lists '" + entry + "', which belongs to another provider or version");
            }
        }
        if (archivePaths.isEmpty()) {
            for (String entry : sums.entries().keySet()) {
                files.put(entry, sumsPath.resolveSibling(entry));
            }
        } else {
            Map<String, Path> given = new HashMap<>();
            for (Path p : archivePaths) {
                String fileName = p.getFileName().toString();
                if (sums.sha256Of(fileName).isEmpty()) {
                    throw new UploadException(p + " is not listed in " + sumsPath);
                }
                given.put(fileName, p.toAbsolutePath());
            }
            for (String entry : sums.entries().keySet()) {
                if (!given.containsKey(entry)) {
                    if (!everyListedFile) {
                        continue;
                    }
                    throw new UploadException(sumsPath + " lists '" + entry + "' but --filenames-provider-archives does not give it");
                }
                files.put(entry, given.get(entry));
            }
        }
        for (Path p : files.values()) {
            if (!Files.isRegularFile(p)) {
                throw new UploadException(p + " is listed in " + sumsPath.getFileName() + " but does not exist");
            }
        }
        return files;
    }

    private static Map<String, String> standard(ProviderFile file, String version, Instant created, Map<String, String> extra) {
        Map<String, String> annotations = new HashMap<>(StandardAnnotations.of(file.fileName(), version, created));
        annotations.putAll(extra);
        return annotations;
    }

    private void pushFile(String repository, ProviderFile file, BlobSource content, Map<String, String> annotations, @Nullable String expectedSha256) {
        String tag = layout.providerTag(file);
        Layer layer = Layer.file(MediaTypes.providerLayerType(file.kind()), file.fileName(), content);
        try {
            store.push(repository, tag, new Artifact(MediaTypes.PROVIDER_ARTIFACT, List.of(layer), annotations), false);
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.TAG_EXISTS) {
                throw e;
            }
            if (expectedSha256 == null) {
                // The SHA256SUMS (or its signature) went in meanwhile: a concurrent upload of this version won.
                throw new VersionExistsException(file.fileName() + " was stored meanwhile by a concurrent upload of the same version;"
                        + " it is never overwritten", true);
            }
            // Left by an earlier upload that stopped before its SHA256SUMS: fine when it is the same file.
            Manifest existing = store.resolve(repository, tag).orElseThrow(() -> e);
            Digest stored = existing.layers().isEmpty() ? null : existing.layers().get(0).digest();
            if (stored == null || !stored.hex().equals(expectedSha256)) {
                throw new UploadException(file.fileName() + " is already stored with different content; it is never overwritten");
            }
        }
    }

    private @Nullable String protocolsFrom(Path manifest) {
        try {
            JsonNode node = json.readTree(manifest.toFile()).path("metadata").path("protocol_versions");
            List<String> list = new ArrayList<>();
            node.forEach(n -> list.add(n.asText()));
            return list.isEmpty() ? null : String.join(",", list);
        } catch (IOException e) {
            throw new UploadException(manifest + " is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * The shared archive check (names, links, inflated size), whatever the signature says: a correctly
     * signed zip-slip archive is still one. Then terraform's own rule against directory entries.
     */
    private void checkZip(Path zip) {
        ArchiveContents contents;
        try {
            contents = zips.inspect(zip);
        } catch (ArchiveRefusedException e) {
            throw new UploadException(zip + " is refused: " + e.getMessage());
        } catch (IOException e) {
            throw new UploadException(zip + " is not a readable zip: " + e.getMessage());
        }
        if (!contents.directories().isEmpty()) {
            throw new UploadException(zip + " holds a directory entry '" + contents.directories().get(0) + "'; terraform records a"
                    + " lock-file hash for such zips that a later init rejects. Rebuild it with files only (zip -D)");
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UploadException(path + " does not exist");
        } catch (IOException e) {
            throw new UploadException("cannot read " + path + ": " + e.getMessage());
        }
    }

    private static String sha256(Path path) {
        MessageDigest digest = Digest.newSha256();
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UploadException("cannot read " + path + ": " + e.getMessage());
        }
        return Digest.ofSha256(digest).hex();
    }
}
