package dev.wharf.terraform.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.terraform.importer.BucketCopy.KeySet;
import dev.wharf.terraform.importer.BucketCopy.Release;
import dev.wharf.terraform.importer.ImportReport.Outcome;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import dev.wharf.terraform.mirror.MirrorException;
import dev.wharf.terraform.mirror.MirrorStorage;
import dev.wharf.terraform.mirror.PackageHashes;
import dev.wharf.terraform.mirror.StoredArchive;
import dev.wharf.terraform.mirror.StoredRelease;
import dev.wharf.terraform.provider.SigningKeys;
import dev.wharf.terraform.provider.SigningKeysFile;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.ProviderUploader.CheckedRelease;
import dev.wharf.terraform.upload.UploadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One release of a bucket copy's {@code mirror/providers/…} into the network mirror's storage: its signature checked
 * against the keys the bucket holds for its namespace, its zips against its SHA256SUMS, then SHA256SUMS and signature
 * stored before the zips. A release whose zips are all stored but which lost its SHA256SUMS or signature gets them
 * again from the bucket: nothing else would store them, since a stored zip is never imported or pulled again.
 */
final class MirroredReleaseImport {
    private final ProviderUploader providers;
    private final MirrorStorage mirror;
    private final ObjectMapper json;
    private final boolean dryRun;

    MirroredReleaseImport(ProviderUploader providers, MirrorStorage mirror, ObjectMapper json, boolean dryRun) {
        this.providers = providers;
        this.mirror = mirror;
        this.json = json;
        this.dryRun = dryRun;
    }

    /** @param keySets the signing-keys.json of the release's namespace, in every case the bucket spells it */
    void run(Release r, List<KeySet> keySets, ImportReport report) {
        String item = "mirrored provider " + r.hostname() + "/" + r.namespace() + "/" + r.name() + " " + r.version();
        try {
            String keysJson = mergedKeys(r, keySets);
            SigningKeys upstreamKeys = SigningKeysFile.read(json, keysJson.getBytes(StandardCharsets.UTF_8));
            CheckedRelease release = providers.check(r.namespace(), r.sums(), r.archives(), false, () -> upstreamKeys);
            MirrorCoordinates coordinates = new MirrorCoordinates(r.hostname(), r.namespace(), r.name());
            StoredRelease stored = mirror.release(coordinates, r.version());
            Map<String, StoredArchive> storedByPlatform = new HashMap<>();
            stored.archives().forEach(a -> storedByPlatform.put(a.platform(), a));
            Map<ProviderFile, PackageHashes> zips = new LinkedHashMap<>();
            Map<ProviderFile, Path> zipFiles = new HashMap<>();
            int there = 0;
            for (Map.Entry<String, Path> file : release.files().entrySet()) {
                ProviderFile parsed = ProviderFile.parse(file.getKey()).orElseThrow();
                if (parsed.kind() != ProviderFile.Kind.ARCHIVE) {
                    continue;
                }
                ProviderFile.Platform platform = parsed.platform().orElseThrow();
                PackageHashes hashes = PackageHashes.of(file.getValue());
                StoredArchive storedZip = storedByPlatform.get(platform.os() + "_" + platform.arch());
                if (storedZip != null && !mirror.hashes(storedZip).zh().equals(hashes.zh())) {
                    throw new UploadException(file.getKey() + " is already mirrored with different content; it is never overwritten");
                }
                if (storedZip != null) {
                    there++;
                }
                zips.put(parsed, hashes);
                zipFiles.put(parsed, file.getValue());
            }
            if (!stored.sumsStored()) {
                // Sums stored now must hold for the zips already stored too, the bucket's or not: terraform checks each against them.
                requireListed(coordinates, r.version(), stored.archives(), release);
            }
            String signed = ", signed by " + release.keyId();
            if (there == zips.size() && (stored.sumsStored() || zips.isEmpty())) {
                report.add(item, Outcome.ALREADY_THERE, null);
            } else if (there == zips.size()) {
                String archives = count(there, "archive") + " already there";
                if (dryRun) {
                    report.add(item, Outcome.WOULD_COPY, "would store again its lost SHA256SUMS and signature (" + archives + ")" + signed);
                } else {
                    mirror.storeSums(coordinates, r.version(), release.sums(), release.signature());
                    mirror.addSigningKeys(coordinates, keysJson);
                    report.add(item, Outcome.COPIED, "stored again its lost SHA256SUMS and signature (" + archives + ")" + signed);
                }
            } else if (dryRun) {
                report.add(item, Outcome.WOULD_COPY, count(zips.size(), "archive") + signed);
            } else {
                // The sums first: a release whose archives are all stored is not imported again, so sums failing after them would stay missing.
                mirror.storeSums(coordinates, r.version(), release.sums(), release.signature());
                for (Map.Entry<ProviderFile, PackageHashes> zip : zips.entrySet()) {
                    ProviderFile.Platform platform = zip.getKey().platform().orElseThrow();
                    mirror.storeArchive(coordinates, r.version(), platform.os(), platform.arch(),
                            Objects.requireNonNull(zipFiles.get(zip.getKey())), zip.getValue());
                }
                mirror.addSigningKeys(coordinates, keysJson);
                report.add(item, Outcome.COPIED, count(zips.size(), "archive") + signed);
            }
        } catch (UploadException | MirrorException | IllegalArgumentException | IOException e) {
            report.add(item, Outcome.REFUSED, e.getMessage());
        }
    }

    /** The namespace's keys from every signing-keys.json the bucket holds for it, as one signing-keys.json. */
    private String mergedKeys(Release r, List<KeySet> keySets) throws IOException {
        if (keySets.isEmpty()) {
            throw new UploadException("mirror/providers/" + r.hostname() + "/" + r.namespace()
                    + "/signing-keys.json is missing: the release's signature cannot be checked");
        }
        ObjectNode merged = json.createObjectNode();
        ArrayNode all = merged.putArray("gpg_public_keys");
        for (KeySet keySet : keySets) {
            SigningKeysFile.canonical(json, Files.readAllBytes(keySet.file())).path("gpg_public_keys").forEach(all::add);
        }
        return json.writeValueAsString(merged);
    }

    private void requireListed(MirrorCoordinates provider, String version, List<StoredArchive> stored, CheckedRelease release) {
        for (StoredArchive archive : stored) {
            String fileName = provider.archiveFileName(version, archive.os(), archive.arch());
            String zh = mirror.hashes(archive).zh();
            Optional<String> listed = release.parsedSums().sha256Of(fileName).map(sha -> PackageHashes.ZH + sha);
            if (!listed.equals(Optional.of(zh))) {
                throw new UploadException(release.sumsFile().fileName() + " lists " + listed.orElse("nothing") + " for " + fileName
                        + ", but the mirror holds " + zh + " under that name; its SHA256SUMS and signature are not stored");
            }
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
