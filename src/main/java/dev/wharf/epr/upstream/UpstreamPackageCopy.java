package dev.wharf.epr.upstream;

import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.pkg.PackageSignatureCheck;
import dev.wharf.epr.pkg.ZipPackageFiles;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.oci.Leftovers;
import dev.wharf.oci.ScratchFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one package version from the upstream into the OCI repository: its zip and {@code .sig}
 * streamed to a temporary folder, the zip verified against the signature when a key is given, then
 * pushed by {@link PackagePublisher} exactly as {@code push} would push the pair. Nothing reaches
 * the repository unless every check passed; the temporary files are removed either way.
 */
public final class UpstreamPackageCopy {
    /** What was copied: the tag, the zip's size, and whether its signature was checked. */
    public record Copied(String tag, long bytes, boolean signed, Optional<String> verifiedBy) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPackageCopy.class);

    private final UpstreamEpr upstream;
    private final PackagePublisher publisher;
    private final Optional<PackageSignatureCheck> signatures;
    private final long maxBytes;
    private final Path workDir;
    private volatile boolean swept;

    public UpstreamPackageCopy(UpstreamEpr upstream, PackagePublisher publisher, Optional<PackageSignatureCheck> signatures,
                               long maxBytes, Path workDir) {
        this.upstream = upstream;
        this.publisher = publisher;
        this.signatures = signatures;
        this.maxBytes = maxBytes;
        this.workDir = workDir;
    }

    public boolean verifies() {
        return signatures.isPresent();
    }

    /**
     * The zip is the package asked for: a signature says who made a zip, not which package and
     * version it is, and the publisher stores a zip under the name and version its own manifest
     * gives. Answered with an older release's genuine zip and signature, the copy had stored that
     * release and reported the version asked for as copied and verified; every later run then failed
     * on it. The root folder is checked here, and the publisher checks the manifest against it.
     */
    private static void requireAsked(Path zip, String tag) throws InvalidPackageException, IOException {
        try (ZipPackageFiles files = new ZipPackageFiles(zip)) {
            if (!files.rootFolder().equals(tag)) {
                throw new UpstreamException(UpstreamException.Kind.REFUSED, "the upstream answered " + tag + ".zip with the package "
                        + files.rootFolder() + "; nothing was stored");
            }
        }
    }

    /**
     * Throws {@link UpstreamException} (REFUSED when the package fails a check, NOT_FOUND when the
     * upstream has no zip) and {@link InvalidPackageException} when the publisher refuses it.
     */
    public Copied copy(String name, String version, Consumer<String> warnings) throws InvalidPackageException {
        String tag = name + "-" + version;
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a work folder in " + workDir + ": " + e.getMessage(), e);
        }
        if (!swept) {
            swept = true;
            try {
                // The copies of a process killed mid-download (a zip may be hundreds of MB); never one in progress.
                Leftovers.scratchFolders(workDir);
            } catch (IOException e) {
                LOG.debug("cannot look for the copies of killed processes in {}: {}", workDir, e.toString());
            }
        }
        try (ScratchFolder scratch = ScratchFolder.create(workDir, "wharf-upstream-")) {
            Path dir = scratch.path();
            Path zip = dir.resolve(tag + ".zip");
            Path sig = dir.resolve(tag + ".zip.sig");
            String path = "/epr/" + name + "/" + tag + ".zip";
            long bytes = upstream.download(path, zip, maxBytes).orElseThrow(() -> new UpstreamException(
                    UpstreamException.Kind.NOT_FOUND, "upstream " + upstream.base() + " has no " + tag + ".zip"));
            boolean signed = upstream.download(path + ".sig", sig, 1L << 20).isPresent();
            Optional<String> verifiedBy = Optional.empty();
            if (signatures.isPresent()) {
                if (!signed) {
                    throw new UpstreamException(UpstreamException.Kind.REFUSED, tag + " has no signature upstream, so it cannot be verified");
                }
                try {
                    verifiedBy = Optional.of(signatures.get().verify(zip, sig, tag + ".zip"));
                } catch (InvalidPackageException e) {
                    // The upstream's package failed its check, not the publisher's: refused as the upstream's.
                    throw new UpstreamException(UpstreamException.Kind.REFUSED, e.getMessage(), e);
                }
            }
            requireAsked(zip, tag);
            try {
                publisher.push(zip, warnings);
            } catch (PackagePublisher.SignatureRequiredException e) {
                // Copied, it would be left out of the index: every request would download it again and answer 404.
                throw new UpstreamException(UpstreamException.Kind.REFUSED, tag + " has no signature upstream, and this server serves"
                        + " only signed packages (-require-package-signatures), so it was not copied", e);
            }
            return new Copied(tag, bytes, signed, verifiedBy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the copy of " + tag + ": " + e.getMessage(), e);
        }
    }
}
