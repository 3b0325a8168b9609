package dev.wharf.terraform.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.oci.Digest;
import dev.wharf.terraform.importer.BucketCopy.KeySet;
import dev.wharf.terraform.importer.BucketCopy.ModuleArchive;
import dev.wharf.terraform.importer.BucketCopy.Release;
import dev.wharf.terraform.importer.ImportReport.Outcome;
import dev.wharf.terraform.layout.LayoutException;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import dev.wharf.terraform.mirror.MirrorException;
import dev.wharf.terraform.mirror.MirrorStorage;
import dev.wharf.terraform.mirror.PackageHashes;
import dev.wharf.terraform.mirror.StoredArchive;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.provider.ProviderException;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.provider.SigningKeys;
import dev.wharf.terraform.provider.SigningKeysFile;
import dev.wharf.terraform.upload.FileSha256;
import dev.wharf.terraform.upload.ModuleArchiveCheck;
import dev.wharf.terraform.upload.ModuleUploader;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.ProviderUploader.CheckedRelease;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.terraform.upload.UploadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code import DIR}: stores a boring-registry bucket copy ({@link BucketCopy}) in Wharf's layout.
 * Every item goes through the checks of the matching {@code upload} command, by the same code
 * ({@link ModuleUploader}, {@link ProviderUploader}, {@link SigningKeyUploader}, {@link MirrorStorage}),
 * and is checked whole before any of it is pushed, so a refused item leaves nothing behind. An item
 * already stored with the same digest is "already there", one stored with other content is refused:
 * nothing is overwritten, and a second run copies nothing new. Signing keys go first, since the
 * providers' signatures are checked against the namespace's keys in storage, as on upload.
 */
public final class BucketImporter {
    private final ModuleUploader modules;
    private final ProviderUploader providers;
    private final SigningKeyUploader keys;
    private final ProviderService providerService;
    private final MirrorStorage mirror;
    private final ObjectMapper json;
    private final boolean dryRun;

    public BucketImporter(ModuleUploader modules, ProviderUploader providers, SigningKeyUploader keys, ProviderService providerService,
                          MirrorStorage mirror, ObjectMapper json, boolean dryRun) {
        this.modules = modules;
        this.providers = providers;
        this.keys = keys;
        this.providerService = providerService;
        this.mirror = mirror;
        this.json = json;
        this.dryRun = dryRun;
    }

    public ImportReport run(BucketCopy copy) {
        ImportReport report = new ImportReport();
        // With --dry-run the keys are not stored, so signatures are checked against what would be.
        Map<String, SigningKeys> pendingKeys = new HashMap<>();
        for (KeySet set : copy.keySets()) {
            importKeys(set, report, pendingKeys);
        }
        for (ModuleArchive module : copy.modules()) {
            importModule(module, report);
        }
        for (Release release : copy.providers()) {
            importProvider(release, report, pendingKeys);
        }
        Map<String, List<KeySet>> mirrorKeys = new HashMap<>();
        copy.mirrorKeySets().forEach(k -> mirrorKeys.computeIfAbsent(folded(k.hostname(), k.namespace()), f -> new ArrayList<>()).add(k));
        for (Release release : copy.mirrored()) {
            importMirrored(release, mirrorKeys.getOrDefault(folded(release.hostname(), release.namespace()), List.of()), report);
        }
        for (Path stray : copy.strays()) {
            report.add(stray.toString(), Outcome.REFUSED, "not a file of boring-registry's storage layout");
        }
        return report;
    }

    /**
     * Terraform lower-cases a provider's namespace (and host) before it asks for it (terraform-registry-address's
     * ParseProviderPart), and Wharf stores a namespace under its lower case, so the bucket's
     * {@code Hashicorp} and {@code hashicorp} are one namespace: their signing keys are merged, and a
     * release in either is checked against both, in a dry run as in a real one.
     */
    private static String folded(String hostname, String namespace) {
        return hostname.toLowerCase(Locale.ROOT) + "/" + namespace.toLowerCase(Locale.ROOT);
    }

    private void importKeys(KeySet set, ImportReport report, Map<String, SigningKeys> pendingKeys) {
        String where = "signing keys of namespace " + set.namespace();
        SigningKeys incoming;
        SigningKeys stored;
        try {
            incoming = SigningKeysFile.read(json, Files.readAllBytes(set.file()));
            stored = providerService.signingKeys(set.namespace()).orElse(new SigningKeys(java.util.List.of()));
        } catch (IOException | ProviderException | LayoutException e) {
            report.add(where, Outcome.REFUSED, set.file() + ": " + e.getMessage());
            return;
        }
        // With --dry-run nothing is stored: the keys of a file of the same namespace in another case are pending.
        SigningKeys pending = dryRun ? pendingKeys.getOrDefault(folded("", set.namespace()), stored) : stored;
        for (SigningKeys.GpgPublicKey key : incoming.gpgPublicKeys()) {
            String item = "signing key " + key.keyId() + " of namespace " + set.namespace();
            boolean there = pending.gpgPublicKeys().stream().anyMatch(k -> k.keyId().equalsIgnoreCase(key.keyId())
                    && k.asciiArmor().strip().equals(key.asciiArmor() == null ? "" : key.asciiArmor().strip()));
            if (there) {
                report.add(item, Outcome.ALREADY_THERE, null);
                continue;
            }
            try {
                if (dryRun) {
                    String keyId = dev.wharf.terraform.provider.SignatureVerifier.primaryKeyId(key.asciiArmor());
                    pending = pending.with(new SigningKeys.GpgPublicKey(keyId, key.asciiArmor()));
                    report.add(item, Outcome.WOULD_COPY, null);
                } else {
                    keys.addArmored(set.namespace(), key.asciiArmor(), set.file().toString());
                    report.add(item, Outcome.COPIED, null);
                }
            } catch (RuntimeException e) {
                report.add(item, Outcome.REFUSED, e.getMessage());
            }
        }
        pendingKeys.put(folded("", set.namespace()), pending);
    }

    private void importModule(ModuleArchive m, ImportReport report) {
        String item = "module " + m.namespace() + "/" + m.name() + "/" + m.provider() + " " + m.version();
        try {
            ModuleUploader.checkCoordinates(m.file().toString(), m.namespace(), m.name(), m.provider(), m.version());
            ModuleArchiveCheck.check(m.file(), m.format());
            String sha256 = FileSha256.of(m.file());
            Optional<String> stored = modules.storedSha256(m.namespace(), m.name(), m.provider(), m.version());
            if (stored.isPresent()) {
                alreadyThereOrConflict(report, item, stored.get().equals(sha256));
            } else if (dryRun) {
                report.add(item, Outcome.WOULD_COPY, null);
            } else {
                modules.pushArchive(m.namespace(), m.name(), m.provider(), m.version(), m.format(), m.file());
                report.add(item, Outcome.COPIED, null);
            }
        } catch (UploadException | LayoutException e) {
            report.add(item, Outcome.REFUSED, e.getMessage());
        }
    }

    private void importProvider(Release r, ImportReport report, Map<String, SigningKeys> pendingKeys) {
        String item = "provider " + r.namespace() + "/" + r.name() + " " + r.version();
        try {
            CheckedRelease release = providers.check(r.namespace(), r.sums(), r.archives(), false, () -> namespaceKeys(r.namespace(), pendingKeys));
            Optional<String> stored = providers.storedSums(release);
            if (stored.isPresent()) {
                alreadyThereOrConflict(report, item, stored.get().equals(Digest.sha256(release.sums()).hex()));
            } else if (dryRun) {
                report.add(item, Outcome.WOULD_COPY, count(release.files().size(), "file") + ", signed by " + release.keyId());
            } else {
                providers.push(release);
                report.add(item, Outcome.COPIED, count(release.files().size(), "file") + ", signed by " + release.keyId());
            }
        } catch (UploadException | LayoutException | ProviderException e) {
            report.add(item, Outcome.REFUSED, e.getMessage());
        }
    }

    private SigningKeys namespaceKeys(String namespace, Map<String, SigningKeys> pendingKeys) {
        Optional<SigningKeys> keys = dryRun ? Optional.ofNullable(pendingKeys.get(folded("", namespace))) : Optional.empty();
        return keys.or(() -> providerService.signingKeys(namespace)).orElseThrow(() -> new UploadException("namespace " + namespace
                + " has no signing-keys.json, neither in storage nor in the bucket copy (providers/" + namespace + "/signing-keys.json)"));
    }

    /** @param keySets the signing-keys.json of the release's namespace, in every case the bucket spells it */
    private void importMirrored(Release r, List<KeySet> keySets, ImportReport report) {
        String item = "mirrored provider " + r.hostname() + "/" + r.namespace() + "/" + r.name() + " " + r.version();
        try {
            if (keySets.isEmpty()) {
                throw new UploadException("mirror/providers/" + r.hostname() + "/" + r.namespace()
                        + "/signing-keys.json is missing: the release's signature cannot be checked");
            }
            ObjectNode merged = json.createObjectNode();
            ArrayNode all = merged.putArray("gpg_public_keys");
            for (KeySet keySet : keySets) {
                SigningKeysFile.canonical(json, Files.readAllBytes(keySet.file())).path("gpg_public_keys").forEach(all::add);
            }
            String keysJson = json.writeValueAsString(merged);
            SigningKeys upstreamKeys = SigningKeysFile.read(json, keysJson.getBytes(StandardCharsets.UTF_8));
            CheckedRelease release = providers.check(r.namespace(), r.sums(), r.archives(), false, () -> upstreamKeys);
            MirrorCoordinates coordinates = new MirrorCoordinates(r.hostname(), r.namespace(), r.name());
            Map<ProviderFile, PackageHashes> zips = new java.util.LinkedHashMap<>();
            Map<ProviderFile, Path> zipFiles = new HashMap<>();
            int there = 0;
            for (Map.Entry<String, Path> file : release.files().entrySet()) {
                ProviderFile parsed = ProviderFile.parse(file.getKey()).orElseThrow();
                if (parsed.kind() != ProviderFile.Kind.ARCHIVE) {
                    continue;
                }
                ProviderFile.Platform platform = parsed.platform().orElseThrow();
                PackageHashes hashes = PackageHashes.of(file.getValue());
                Optional<StoredArchive> stored = mirror.archive(coordinates, r.version(), platform.os(), platform.arch());
                if (stored.isPresent() && !mirror.hashes(stored.get()).zh().equals(hashes.zh())) {
                    throw new UploadException(file.getKey() + " is already mirrored with different content; it is never overwritten");
                }
                if (stored.isPresent()) {
                    there++;
                }
                zips.put(parsed, hashes);
                zipFiles.put(parsed, file.getValue());
            }
            if (there == zips.size()) {
                report.add(item, Outcome.ALREADY_THERE, null);
            } else if (dryRun) {
                report.add(item, Outcome.WOULD_COPY, count(zips.size(), "archive") + ", signed by " + release.keyId());
            } else {
                // The sums first: a release whose archives are all stored is not imported again, so sums failing after them would stay missing.
                mirror.storeSums(coordinates, r.version(), release.sums(), release.signature());
                for (Map.Entry<ProviderFile, PackageHashes> zip : zips.entrySet()) {
                    ProviderFile.Platform platform = zip.getKey().platform().orElseThrow();
                    mirror.storeArchive(coordinates, r.version(), platform.os(), platform.arch(),
                            java.util.Objects.requireNonNull(zipFiles.get(zip.getKey())), zip.getValue());
                }
                mirror.addSigningKeys(coordinates, keysJson);
                report.add(item, Outcome.COPIED, count(zips.size(), "archive") + ", signed by " + release.keyId());
            }
        } catch (UploadException | MirrorException | IllegalArgumentException | IOException e) {
            report.add(item, Outcome.REFUSED, e.getMessage());
        }
    }

    private static void alreadyThereOrConflict(ImportReport report, String item, boolean sameDigest) {
        if (sameDigest) {
            report.add(item, Outcome.ALREADY_THERE, null);
        } else {
            report.add(item, Outcome.REFUSED, "already stored with different content; it is never overwritten");
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
