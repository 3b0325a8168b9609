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
        Path p = found.get();
        return Optional.of(Resource.ofFile(p, Files.size(p)));
    }

    @Override
    public Resource zip() throws IOException {
        Path zip = zips.zipOf(folder, rootFolder);
        return Resource.ofFile(zip, Files.size(zip));
    }

    @Override
    public Optional<Resource> signature() throws IOException {
        return FileResources.of(signature);
    }
}
