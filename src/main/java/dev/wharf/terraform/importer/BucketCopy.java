package dev.wharf.terraform.importer;

import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.ProviderFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A local copy of a boring-registry bucket prefix ({@code aws s3 sync}, {@code gsutil rsync},
 * {@code azcopy}), read in boring-registry's storage layout:
 * <ul>
 *   <li>{@code modules/{ns}/{name}/{provider}/{ns}-{name}-{provider}-{version}.{tar.gz|zip}}</li>
 *   <li>{@code providers/{ns}/signing-keys.json} and {@code providers/{ns}/{name}/terraform-provider-{name}_{version}_…}
 *       (zips, {@code _SHA256SUMS}, {@code _SHA256SUMS.sig})</li>
 *   <li>{@code mirror/providers/{hostname}/{ns}/signing-keys.json} and {@code mirror/providers/{hostname}/{ns}/{name}/…}
 *       in the same form</li>
 * </ul>
 * Files that fit none of these are listed as strays, so the import can say it left them.
 */
public record BucketCopy(List<ModuleArchive> modules, List<KeySet> keySets, List<Release> providers,
                         List<KeySet> mirrorKeySets, List<Release> mirrored, List<Path> strays) {
    public static final String SIGNING_KEYS = "signing-keys.json";

    public record ModuleArchive(String namespace, String name, String provider, String version, ArchiveFormat format, Path file) {
    }

    /** A {@code signing-keys.json}; {@code hostname} is empty outside the mirror. */
    public record KeySet(String hostname, String namespace, Path file) {
    }

    /** A release: its SHA256SUMS and the zips lying beside it that the SUMS lists. */
    public record Release(String hostname, String namespace, String name, String version, Path sums, List<Path> archives) {
    }

    public static BucketCopy read(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + " is not a directory");
        }
        List<ModuleArchive> modules = new ArrayList<>();
        List<KeySet> keySets = new ArrayList<>();
        List<Release> providers = new ArrayList<>();
        List<KeySet> mirrorKeySets = new ArrayList<>();
        List<Release> mirrored = new ArrayList<>();
        List<Path> strays = new ArrayList<>();
        List<Path> all = files(root);
        if (all.isEmpty()) {
            // Said, not reported as "0 copied" with success: an empty folder is a sync that has not
            // run or went elsewhere, and a migration script must not take it for a finished import.
            throw new IllegalArgumentException(root + " holds no files: name the local copy of the bucket prefix"
                    + " (aws s3 sync s3://BUCKET/PREFIX DIR), which holds modules/, providers/ or mirror/providers/");
        }
        for (Path file : all) {
            Path rel = root.relativize(file);
            String top = rel.getName(0).toString();
            int depth = rel.getNameCount();
            boolean known;
            if (top.equals("modules") && depth == 5) {
                known = module(rel, file, modules);
            } else if (top.equals("providers")) {
                known = provider("", rel.subpath(1, depth), file, keySets, providers);
            } else if (top.equals("mirror") && depth > 3 && rel.getName(1).toString().equals("providers")) {
                known = provider(rel.getName(2).toString(), rel.subpath(3, depth), file, mirrorKeySets, mirrored);
            } else {
                known = false;
            }
            if (!known) {
                strays.add(rel);
            }
        }
        return new BucketCopy(modules, keySets, providers, mirrorKeySets, mirrored, strays);
    }

    private static boolean module(Path rel, Path file, List<ModuleArchive> modules) {
        String ns = rel.getName(1).toString();
        String name = rel.getName(2).toString();
        String provider = rel.getName(3).toString();
        String fileName = rel.getName(4).toString();
        String prefix = ns + "-" + name + "-" + provider + "-";
        for (ArchiveFormat format : ArchiveFormat.values()) {
            String suffix = "." + format.extension();
            if (fileName.startsWith(prefix) && fileName.endsWith(suffix) && fileName.length() > prefix.length() + suffix.length()) {
                String version = fileName.substring(prefix.length(), fileName.length() - suffix.length());
                modules.add(new ModuleArchive(ns, name, provider, version, format, file));
                return true;
            }
        }
        return false;
    }

    /** {@code below}: the path under {@code providers/} (or {@code mirror/providers/{hostname}/}). */
    private static boolean provider(String hostname, Path below, Path file, List<KeySet> keySets, List<Release> releases) {
        String fileName = file.getFileName().toString();
        if (below.getNameCount() == 2 && fileName.equals(SIGNING_KEYS)) {
            keySets.add(new KeySet(hostname, below.getName(0).toString(), file));
            return true;
        }
        if (below.getNameCount() != 3) {
            return false;
        }
        var parsed = ProviderFile.parse(fileName);
        if (parsed.isEmpty() || !parsed.get().name().equals(below.getName(1).toString())) {
            return false;
        }
        if (parsed.get().kind() == ProviderFile.Kind.SHA256SUMS) {
            ProviderFile sums = parsed.get();
            Path folder = java.util.Objects.requireNonNull(file.getParent(), "a provider file lies in a folder");
            List<Path> archives = files(folder).stream()
                    .filter(p -> folder.equals(p.getParent()))
                    .filter(p -> ProviderFile.parse(p.getFileName().toString())
                            .filter(f -> f.kind() == ProviderFile.Kind.ARCHIVE || f.kind() == ProviderFile.Kind.MANIFEST)
                            .filter(f -> f.name().equals(sums.name()) && f.version().equals(sums.version()))
                            .isPresent())
                    .toList();
            releases.add(new Release(hostname, below.getName(0).toString(), parsed.get().name(), parsed.get().version(), file, archives));
        }
        // Zips, signatures and manifests are read with their SHA256SUMS; without one beside them they are strays.
        return Files.isRegularFile(file.resolveSibling(ProviderFile.sha256Sums(parsed.get().name(), parsed.get().version()).fileName()));
    }

    private static List<Path> files(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
    }
}
