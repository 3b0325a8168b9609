package dev.wharf.epr.fs;

import dev.wharf.epr.index.PackageContent;
import dev.wharf.epr.index.Resource;
import dev.wharf.epr.pkg.DirectoryPackageFiles;
import dev.wharf.epr.pkg.PackageZipChunks;
import dev.wharf.oci.archive.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** An unpacked package folder: files straight from disk, the zip built while it streams. */
final class FolderContent implements PackageContent {
    private final Path folder;
    private final String rootFolder;
    private final Path signature;

    FolderContent(Path folder, String rootFolder, Path signature) {
        this.folder = folder;
        this.rootFolder = rootFolder;
        this.signature = signature;
    }

    @Override
    public Optional<Resource> file(String path) throws IOException {
        // Resolved as the operating system would: a link out of the folder is never followed.
        Optional<Path> found = RootedFiles.resolve(folder, path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Path p = found.get();
        return Optional.of(Resource.ofFile(p, Files.size(p)));
    }

    @Override
    public Resource zip() {
        return new Resource(-1, () -> PackageZipChunks.owning(new DirectoryPackageFiles(folder), rootFolder));
    }

    @Override
    public Optional<Resource> signature() throws IOException {
        return FileResources.of(signature);
    }
}
