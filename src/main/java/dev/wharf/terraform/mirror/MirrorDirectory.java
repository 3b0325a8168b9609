package dev.wharf.terraform.mirror;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.IoFailures;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.archive.RootedFiles;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.terraform.TerraformNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the directory {@code terraform providers mirror DIR} writes (its "packed" layout):
 * {@code HOST/NAMESPACE/TYPE/index.json} listing versions, {@code VERSION.json} listing one archive
 * per platform with its hashes, and the zips beside them. Every zip is hashed and must match every
 * {@code h1:} and {@code zh:} hash its JSON gives, after the shared archive check; every version must
 * be one Terraform can read; a directory that disagrees with itself is refused
 * as a whole, before anything is stored.
 */
public final class MirrorDirectory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLATFORM = Pattern.compile("([a-z0-9]+)_([a-z0-9]+)");

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Index(Map<String, Object> versions) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VersionFile(Map<String, ArchiveEntry> archives) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ArchiveEntry(String url, List<String> hashes) {
    }

    private MirrorDirectory() {
    }

    /** Every archive of the directory, checked; throws {@link PackageException} naming the first problem. */
    public static List<MirroredArchive> read(Path root, ZipInspector zips) {
        if (!Files.isDirectory(root)) {
            throw new PackageException(root + " is not a directory");
        }
        List<Path> indexes;
        try (Stream<Path> files = Files.find(root, 4, (p, a) -> a.isRegularFile() && p.getFileName().toString().equals("index.json"))) {
            indexes = files.filter(p -> root.relativize(p).getNameCount() == 4).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
        if (indexes.isEmpty()) {
            throw new PackageException(root + " holds no HOST/NAMESPACE/TYPE/index.json: is it the output of"
                    + " 'terraform providers mirror'? (only its default packed layout is read)");
        }
        List<MirroredArchive> archives = new ArrayList<>();
        for (Path index : indexes) {
            Path rel = root.relativize(index);
            MirrorCoordinates provider;
            try {
                provider = new MirrorCoordinates(rel.getName(0).toString(), rel.getName(1).toString(), rel.getName(2).toString());
            } catch (IllegalArgumentException e) {
                throw new PackageException(rel + ": " + e.getMessage());
            }
            archives.addAll(readProvider(root, Objects.requireNonNull(index.getParent()), provider, zips));
        }
        return archives;
    }

    private static List<MirroredArchive> readProvider(Path root, Path dir, MirrorCoordinates provider, ZipInspector zips) {
        Index index = readJson(root, dir.resolve("index.json"), Index.class);
        if (index.versions() == null || index.versions().isEmpty()) {
            throw new PackageException(root.relativize(dir.resolve("index.json")) + " lists no versions");
        }
        List<MirroredArchive> archives = new ArrayList<>();
        for (String version : index.versions().keySet()) {
            TerraformNames.checkVersion(version).ifPresent(why -> {
                throw new PackageException(root.relativize(dir.resolve("index.json")) + ": " + why);
            });
            Path versionFile = dir.resolve(version + ".json");
            if (version.contains("/") || !Files.isRegularFile(versionFile)) {
                throw new PackageException(root.relativize(dir) + ": index.json lists version " + version
                        + " but " + version + ".json is missing");
            }
            refuseLinkOut(root, versionFile);
            VersionFile listing = readJson(root, versionFile, VersionFile.class);
            if (listing.archives() == null || listing.archives().isEmpty()) {
                throw new PackageException(root.relativize(versionFile) + " lists no archives");
            }
            for (Map.Entry<String, ArchiveEntry> entry : listing.archives().entrySet()) {
                archives.add(readArchive(root, dir, provider, version, entry.getKey(), entry.getValue(), zips));
            }
        }
        return archives;
    }

    private static MirroredArchive readArchive(Path root, Path dir, MirrorCoordinates provider, String version,
                                               String platform, ArchiveEntry entry, ZipInspector zips) {
        String where = root.relativize(dir.resolve(version + ".json")) + " (" + platform + ")";
        var m = PLATFORM.matcher(platform);
        if (!m.matches()) {
            throw new PackageException(where + ": '" + platform + "' is not an OS_ARCH platform");
        }
        if (entry.url() == null || entry.url().isBlank() || entry.url().contains("/") || entry.url().contains("\\")) {
            throw new PackageException(where + ": the archive url '" + entry.url()
                    + "' is not a file name beside the JSON; only local mirror directories can be uploaded");
        }
        Path zip = dir.resolve(entry.url());
        refuseLinkOut(root, zip);
        if (!Files.isRegularFile(zip)) {
            throw new PackageException(where + ": " + entry.url() + " is missing");
        }
        List<String> claimed = entry.hashes() == null ? List.of() : entry.hashes();
        if (claimed.stream().noneMatch(h -> h.startsWith(PackageHashes.H1) || h.startsWith(PackageHashes.ZH))) {
            throw new PackageException(where + ": no h1: or zh: hash to check " + entry.url() + " against");
        }
        try {
            zips.inspect(zip);
        } catch (ArchiveRefusedException e) {
            throw new PackageException(where + ": " + entry.url() + " is refused: " + e.getMessage());
        } catch (IOException e) {
            throw new PackageException(where + ": " + entry.url() + " is not a readable zip: " + IoFailures.describe(e));
        }
        PackageHashes actual = PackageHashes.of(zip);
        for (String hash : claimed) {
            boolean checkable = hash.startsWith(PackageHashes.H1) || hash.startsWith(PackageHashes.ZH);
            if (checkable && !actual.asList().contains(hash)) {
                throw new PackageException(where + ": " + entry.url() + " does not match its recorded hash " + hash
                        + " (computed " + (hash.startsWith(PackageHashes.H1) ? actual.h1() : actual.zh()) + ")");
            }
        }
        return new MirroredArchive(provider, version, m.group(1), m.group(2), zip, actual);
    }

    /** Nothing outside the directory is read, so no error can quote it. */
    private static void refuseLinkOut(Path root, Path file) {
        if (RootedFiles.leaves(root, file)) {
            throw new PackageException(root.relativize(file) + " is a symbolic link leading out of " + root
                    + "; nothing outside the mirror directory is read");
        }
    }

    private static <T> T readJson(Path root, Path file, Class<T> type) {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new PackageException(root.relativize(file) + " is not valid mirror JSON: " + IoFailures.describe(e));
        }
    }
}
