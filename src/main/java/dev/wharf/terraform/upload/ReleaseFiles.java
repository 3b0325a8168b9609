package dev.wharf.terraform.upload;

import dev.wharf.oci.archive.EntryNames;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.provider.Sha256Sums;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which files make up a provider release on disk, by file name: those its SHA256SUMS lists, found
 * beside it or among the archives given, each of this provider and version and each present.
 */
final class ReleaseFiles {
    private ReleaseFiles() {
    }

    static Map<String, Path> of(Path sumsPath, Sha256Sums sums, List<Path> archivePaths, String name, String version,
                                boolean everyListedFile) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String entry : sums.entries().keySet()) {
            ProviderFile file = ProviderFile.parse(entry).orElseThrow(() -> new UploadException(sumsPath
                    + " lists '" + EntryNames.printable(entry) + "', which is not a provider release file name"));
            if (!file.name().equals(name) || !file.version().equals(version)) {
                throw new UploadException(sumsPath + " lists '" + EntryNames.printable(entry) + "', which belongs to another provider or version");
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
                    throw new UploadException(sumsPath + " lists '" + EntryNames.printable(entry) + "' but --filenames-provider-archives does not give it");
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
}
