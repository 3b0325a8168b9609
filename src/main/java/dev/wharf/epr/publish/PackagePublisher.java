package dev.wharf.epr.publish;

import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.epr.oci.PackageIndexConfig;
import dev.wharf.epr.pkg.DirectoryPackageFiles;
import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.pkg.PackageReader;
import dev.wharf.epr.pkg.PackageZipWriter;
import dev.wharf.epr.pkg.ZipPackageFiles;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ConcurrentPublishException;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.archive.ArchiveLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Publishes a package to an OCI repository as {@link OciPackageLayout} describes: validates it with
 * the same reader the indexers use, zips a folder the way EPR expects ({@code {name}-{version}/…}),
 * and pushes it tagged {@code {name}-{version}} with its {@code .sig} when one lies beside it (refused
 * unless it is an armoured detached signature, {@link PackageSignatureFile}), and with the package as read in the artifact's config ({@link PackageIndexConfig}). An
 * existing version is refused: published packages are immutable, as Fleet assumes. Given a
 * {@link PublisherKey}, it publishes only a package whose {@code .sig} verifies with that key; for a
 * server that serves only signed packages, only a package with a {@code .sig}.
 */
public final class PackagePublisher {
    /** What was pushed. */
    public record Published(String tag, Manifest manifest, boolean signed) {
    }

    private final ArtifactStore store;
    private final String repository;
    private final long maxBytes;
    private final boolean validate;
    private final ArchiveLimits limits;
    private final Optional<PublisherKey> key;
    private final boolean signatureRequired;

    /** The version is published already; packages are immutable. */
    public static final class ExistsException extends InvalidPackageException {
        private final String forClients;

        public ExistsException(String message) {
            this(message, message);
        }

        /** {@code forClients}: the message without where storage is, which only the operator is told. */
        public ExistsException(String message, String forClients) {
            super(message);
            this.forClients = forClients;
        }

        public String forClients() {
            return forClients;
        }
    }

    /**
     * The tag was deleted while the publish wrote it (read back, it points at nothing): the package is
     * not published, and publishing it again may well work. Not {@link ExistsException}: nothing exists.
     */
    public static final class TagChangedException extends InvalidPackageException {
        private final String forClients;

        /** {@code forClients}: the message without where storage is, which only the operator is told. */
        public TagChangedException(String message, String forClients) {
            super(message);
            this.forClients = forClients;
        }

        public String forClients() {
            return forClients;
        }
    }

    /**
     * The package has no {@code .sig}, and the server it is published for serves only signed packages
     * ({@code -require-package-signatures}): stored, it would be left out of the index for good, its
     * version taken. Its own type, so each way in (upload, pull-through) can say what to do instead.
     */
    public static final class SignatureRequiredException extends InvalidPackageException {
        private final String tag;

        public SignatureRequiredException(String tag) {
            super(tag + ".zip has no signature, and packages without one are not served here (-require-package-signatures),"
                    + " so nothing was published");
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** The package's name is outside what the publisher may publish. */
    public static final class NotAllowedException extends InvalidPackageException {
        private final String name;

        public NotAllowedException(String name) {
            super("publishing package " + name + " is not allowed");
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    public PackagePublisher(ArtifactStore store, String repository, long maxBytes, boolean validate) {
        this(store, repository, maxBytes, validate, ArchiveLimits.DEFAULT);
    }

    public PackagePublisher(ArtifactStore store, String repository, long maxBytes, boolean validate, ArchiveLimits limits) {
        this(store, repository, maxBytes, validate, limits, Optional.empty());
    }

    /** {@code key}: when present, every package must carry a {@code .sig} that verifies with it (push's and the upload API's, never a copy's). */
    public PackagePublisher(ArtifactStore store, String repository, long maxBytes, boolean validate, ArchiveLimits limits,
                            Optional<PublisherKey> key) {
        this(store, repository, maxBytes, validate, limits, key, false);
    }

    /**
     * {@code signatureRequired}: the server's {@code -require-package-signatures}, for the publishers of a
     * server (upload API, pull-through), whose index would leave an unsigned package out; {@code push}
     * to the registry and {@code mirror} know no server's setting and only warn.
     */
    public PackagePublisher(ArtifactStore store, String repository, long maxBytes, boolean validate, ArchiveLimits limits,
                            Optional<PublisherKey> key, boolean signatureRequired) {
        this.store = store;
        this.repository = repository;
        this.maxBytes = maxBytes;
        this.validate = validate;
        this.limits = limits;
        this.key = key;
        this.signatureRequired = signatureRequired;
    }

    public Published push(Path source, Consumer<String> warnings) throws InvalidPackageException, IOException {
        return push(source, warnings, name -> true);
    }

    /**
     * As above, pushing only a package whose name {@code allowed} accepts (a publish token's scope):
     * refused with {@link NotAllowedException} after validation, before anything is stored.
     */
    public Published push(Path source, Consumer<String> warnings, java.util.function.Predicate<String> allowed)
            throws InvalidPackageException, IOException {
        if (Files.isDirectory(source)) {
            return pushFolder(source, warnings, allowed);
        }
        if (!Files.exists(source)) {
            throw new InvalidPackageException(source + " does not exist");
        }
        if (!Files.isRegularFile(source)) {
            throw new InvalidPackageException(source + " is neither a package folder nor a zip");
        }
        Path sig = source.resolveSibling(source.getFileName() + ".sig");
        return pushZip(source, sig, List.of(source, sig), warnings, allowed);
    }

    private Published pushFolder(Path folder, Consumer<String> given, java.util.function.Predicate<String> allowed) throws InvalidPackageException, IOException {
        // The folder is read, then the zip made of it: the same document, whose warnings are said once.
        Set<String> said = new HashSet<>();
        Consumer<String> warnings = w -> {
            if (said.add(w)) {
                given.accept(w);
            }
        };
        PackageDocument doc;
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(folder)) {
            doc = new PackageReader(validate, warnings, limits).read(files, false);
        }
        try (ScratchFolder scratch = ScratchFolder.create("wharf-epr-")) {
            Path zip = scratch.path().resolve("package.zip");
            try (DirectoryPackageFiles files = new DirectoryPackageFiles(folder);
                    OutputStream out = Files.newOutputStream(zip)) {
                PackageZipWriter.write(files, doc.name + "-" + doc.version, out);
            }
            Path sig = folder.resolveSibling(folder.getFileName() + ".sig");
            Path namedSig = folder.resolveSibling(doc.name + "-" + doc.version + ".zip.sig");
            Path signature = Files.isRegularFile(namedSig) ? namedSig : sig;
            return pushZip(zip, signature, List.of(folder, signature), warnings, allowed);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** {@code inputs}: what the user gave, whose times date the artifact (a folder's zip is made just now). */
    private Published pushZip(Path zip, Path sig, List<Path> inputs, Consumer<String> warnings,
                              java.util.function.Predicate<String> allowed) throws InvalidPackageException, IOException {
        long size = Files.size(zip);
        if (size > maxBytes) {
            throw new InvalidPackageException(zip + " is " + size + " bytes, more than the limit of " + maxBytes);
        }
        PackageDocument doc;
        try (ZipPackageFiles files = new ZipPackageFiles(zip)) {
            doc = new PackageReader(validate, warnings, limits).read(files, false);
            String expected = doc.name + "-" + doc.version;
            if (!files.rootFolder().equals(expected)) {
                throw new InvalidPackageException("the zip's root folder is " + files.rootFolder() + " but manifest.yml says "
                        + expected + "; EPR serves a package from a folder named {name}-{version}");
            }
        }
        String tag = doc.name + "-" + doc.version;
        if (!allowed.test(doc.name)) {
            throw new NotAllowedException(doc.name);
        }
        List<Layer> layers = new ArrayList<>();
        layers.add(Layer.file(OciPackageLayout.ZIP_MEDIA_TYPE, tag + ".zip", BlobSource.ofFile(zip)));
        boolean signed = Files.isRegularFile(sig);
        if (!signed && signatureRequired) {
            throw new SignatureRequiredException(tag);
        }
        if (signed) {
            PackageSignatureFile.require(sig, tag + ".zip.sig");
            layers.add(Layer.file(OciPackageLayout.SIGNATURE_MEDIA_TYPE, tag + ".zip.sig", BlobSource.ofFile(sig)));
        }
        if (key.isPresent()) {
            key.get().require(zip, sig, tag + ".zip");
        }
        Map<String, String> annotations = new java.util.HashMap<>(StandardAnnotations.of(tag, doc.version, StandardAnnotations.created(inputs)));
        annotations.put("dev.wharf.epr.package.name", doc.name);
        try {
            // The document in the config lets an indexer list the package from its manifest alone.
            Artifact artifact = new Artifact(OciPackageLayout.ARTIFACT_TYPE, PackageIndexConfig.of(doc, validate), layers, annotations);
            Manifest m = store.push(repository, tag, artifact, false);
            return new Published(tag, m, signed);
        } catch (StorageException e) {
            if (e instanceof ConcurrentPublishException lost) {
                if (lost.stored() == null) {
                    // Nothing is published under the tag: answering "already published" would make a mirror
                    // count it as there and a client stop, for a version no one can download.
                    throw new TagChangedException(tag + " was not published: " + e.getMessage(), tag
                            + " was deleted while this publish wrote it, so it is not published; publish it again");
                }
                throw new ExistsException(tag + " lost to a concurrent push: " + e.getMessage());
            }
            if (e.kind() == StorageException.Kind.TAG_EXISTS) {
                String instead = "; publish a new version instead (packages are immutable)";
                throw new ExistsException(tag + " is already published in " + store.describe() + "/" + repository + instead,
                        tag + " is already published" + instead);
            }
            throw e;
        }
    }
}
