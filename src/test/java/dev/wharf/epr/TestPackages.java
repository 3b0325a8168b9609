package dev.wharf.epr;

import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.epr.pkg.DirectoryPackageFiles;
import dev.wharf.epr.pkg.PackageZipWriter;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Wharf's own test packages (src/test/resources/epr/packages), laid out for each indexer. */
public final class TestPackages {
    public static final String REPOSITORY = "epr/packages";

    private TestPackages() {
    }

    public static Path source() {
        try {
            return Path.of(TestPackages.class.getResource("/epr/packages").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A package_paths folder: unpacked packages, and gallery as a zip, as EPR's two fs indexers read them. */
    public static Path fileSystemLayout(Path dir) throws IOException {
        Path root = dir.resolve("packages");
        copyTree(source(), root);
        Path gallery = root.resolve("gallery/2.0.0");
        zipFolder(gallery, "gallery-2.0.0", root.resolve("zips/gallery-2.0.0.zip"));
        deleteTree(root.resolve("gallery"));
        return root;
    }

    /** Publishes every test package with {@link PackagePublisher}, and the broken one as a bare zip layer. */
    public static void publishAll(ArtifactStore store, Path workDir) throws Exception {
        Path root = workDir.resolve("to-publish");
        copyTree(source(), root);
        PackagePublisher publisher = new PackagePublisher(store, REPOSITORY, 64L << 20, true);
        for (Path folder : folders(root)) {
            if (folder.getParent().getFileName().toString().equals("broken_pkg")) {
                Path zip = workDir.resolve("broken_pkg-1.0.0.zip");
                zipFolder(folder, "broken_pkg-1.0.0", zip);
                pushRaw(store, "broken_pkg-1.0.0", OciPackageLayout.ZIP_MEDIA_TYPE, zip);
            } else {
                publisher.push(folder, w -> { });
            }
        }
    }

    /** An artifact the way {@code oras push repo:tag file.zip} makes one: one titled layer, oras' default media type. */
    public static void pushRaw(ArtifactStore store, String tag, String mediaType, Path file) {
        store.push(REPOSITORY, tag, new Artifact("application/vnd.unknown.artifact.v1",
                List.of(Layer.file(mediaType, file.getFileName().toString(), BlobSource.ofFile(file))), Map.of()), false);
    }

    /**
     * Pushes legacy_stack 1.0.0's files as version {@code version} (tag {@code legacy_stack-VERSION}) the way
     * {@code oras push} would, a bare zip with no package config, which the OCI index reads from the zip.
     */
    public static void pushLegacyStackAsABareZip(ArtifactStore store, Path workDir, String version) throws IOException {
        String tag = "legacy_stack-" + version;
        Path folder = workDir.resolve("raw/legacy_stack/" + version);
        copyTree(source().resolve("legacy_stack/1.0.0"), folder);
        Path manifest = folder.resolve("manifest.yml");
        Files.writeString(manifest, Files.readString(manifest).replace("version: 1.0.0", "version: " + version));
        Path zip = workDir.resolve(tag + ".zip");
        zipFolder(folder, tag, zip);
        pushRaw(store, tag, OciPackageLayout.ZIP_MEDIA_TYPE, zip);
    }

    public static List<Path> folders(Path root) throws IOException {
        try (Stream<Path> names = Files.list(root)) {
            return names.filter(Files::isDirectory).flatMap(n -> {
                try (Stream<Path> versions = Files.list(n)) {
                    return versions.filter(Files::isDirectory).toList().stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    public static void zipFolder(Path folder, String rootName, Path zip) throws IOException {
        Files.createDirectories(zip.getParent());
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(folder); OutputStream out = Files.newOutputStream(zip)) {
            PackageZipWriter.write(files, rootName, out);
        }
    }

    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
            }
        }
    }

    public static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
