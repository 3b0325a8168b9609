package dev.wharf.epr.api;

import dev.wharf.epr.TestPackages;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.archive.ArchiveLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * EPR's API over the test packages kept as folders ({@link TestPackages#fileSystemLayout}), on a free
 * port, refusing unknown query parameters as EPR does.
 */
final class FolderPackagesServer implements AutoCloseable {
    private final Path dir;
    private final FileSystemIndexer indexer;
    private final WebServer server;

    private FolderPackagesServer(Path dir, FileSystemIndexer indexer, WebServer server) {
        this.dir = dir;
        this.indexer = indexer;
        this.server = server;
    }

    /** Writes a package_paths folder under the given directory and returns it. */
    interface Layout {
        Path write(Path dir) throws IOException;
    }

    static FolderPackagesServer start(String tempPrefix) throws Exception {
        return start(tempPrefix, TestPackages::fileSystemLayout, true);
    }

    /** Over the packages {@code layout} writes, validated as EPR validates them or not ({@code -disable-package-validation}). */
    static FolderPackagesServer start(String tempPrefix, Layout layout, boolean validate) throws Exception {
        Path dir = Files.createTempDirectory(tempPrefix);
        FileSystemIndexer indexer = new FileSystemIndexer(List.of(layout.write(dir)), validate, false, ArchiveLimits.DEFAULT,
                Clock.systemUTC());
        indexer.start();
        ApiSettings strict = new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(1), false);
        EprApi api = new EprApi(indexer, strict, Clock.systemUTC());
        return new FolderPackagesServer(dir, indexer, WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register));
    }

    /** {@code path} as given, query and escapes included, on this server. */
    URI uri(String path) {
        return URI.create(server.localUri() + path);
    }

    @Override
    public void close() throws IOException {
        server.close();
        indexer.close();
        TestPackages.deleteTree(dir);
    }
}
