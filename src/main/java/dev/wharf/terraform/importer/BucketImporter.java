package dev.wharf.terraform.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Digest;
import dev.wharf.terraform.importer.BucketCopy.KeySet;
import dev.wharf.terraform.importer.BucketCopy.ModuleArchive;
import dev.wharf.terraform.importer.BucketCopy.Release;
import dev.wharf.terraform.importer.ImportReport.Outcome;
import dev.wharf.terraform.layout.LayoutException;
import dev.wharf.terraform.mirror.MirrorStorage;
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
    private final MirroredReleaseImport mirrored;
    private final ObjectMapper json;
    private final boolean dryRun;

    public BucketImporter(ModuleUploader modules, ProviderUploader providers, SigningKeyUploader keys, ProviderService providerService,
                          MirrorStorage mirror, ObjectMapper json, boolean dryRun) {
        this.modules = modules;
        this.providers = providers;
        this.keys = keys;
        this.providerService = providerService;
        this.mirrored = new MirroredReleaseImport(providers, mirror, json, dryRun);
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
            mirrored.run(release, mirrorKeys.getOrDefault(folded(release.hostname(), release.namespace()), List.of()), report);
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
