package dev.wharf.epr.fs;

import dev.wharf.epr.index.PackageContent;
import dev.wharf.epr.index.Resource;
import dev.wharf.oci.archive.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** An unpacked package folder: files straight from disk, the zip built once per content of the folder ({@link FolderZips}). */
final class FolderContent implements PackageContent {
    private final Path folder;
    private final String rootFolder;
    private final Path signature;
    private final FolderZips zips;

    FolderContent(Path folder, String rootFolder, Path signature, FolderZips zips) {
        this.folder = folder;
        this.zips = zips;
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
        return Optional.of(Resource.ofLocalFile(found.get()));
    }

    @Override
    public Resource zip() throws IOException {
        // Unstamped, as EPR's zip of a folder is: this one is built here, and its time would differ on every replica.
        Path zip = zips.zipOf(folder, rootFolder);
        return Resource.ofFile(zip, Files.size(zip));
    }

    @Override
    public Optional<Resource> signature() throws IOException {
        return FileResources.of(signature);
    }
}
