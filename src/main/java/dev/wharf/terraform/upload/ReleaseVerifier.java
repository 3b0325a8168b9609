package dev.wharf.terraform.upload;

import dev.wharf.oci.IoFailures;
import dev.wharf.oci.archive.ArchiveContents;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.archive.EntryNames;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.provider.Sha256Sums;
import dev.wharf.terraform.provider.SignatureException;
import dev.wharf.terraform.provider.SignatureVerifier;
import dev.wharf.terraform.provider.SigningKeys;
import dev.wharf.terraform.upload.ProviderUploader.CheckedRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The checks a provider release on disk passes before anything is stored: its names, each file
 * against the SHA256SUMS, each zip through the shared archive check and holding files only, and
 * the SHA256SUMS signature against the namespace's keys.
 */
final class ReleaseVerifier {
    private final ZipInspector zips;

    ReleaseVerifier(ZipInspector zips) {
        this.zips = zips;
    }

    /** See {@link ProviderUploader#check}. */
    CheckedRelease check(String namespace, Path sha256SumsFile, List<Path> archivePaths, boolean everyListedFile,
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

        Map<String, Path> files = ReleaseFiles.of(sumsPath, sums, archivePaths, name, version, everyListedFile);
        for (Map.Entry<String, Path> e : files.entrySet()) {
            String actual = FileSha256.of(e.getValue());
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
            throw new UploadException(zip + " is not a readable zip: " + IoFailures.describe(e));
        }
        if (!contents.directories().isEmpty()) {
            throw new UploadException(zip + " holds a directory entry '" + EntryNames.printable(contents.directories().get(0)) + "'; terraform records a"
                    + " lock-file hash for such zips that a later init rejects. Rebuild it with files only (zip -D)");
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UploadException(path + " does not exist");
        } catch (IOException e) {
            throw new UploadException(IoFailures.cannotRead(path, e));
        }
    }
}
