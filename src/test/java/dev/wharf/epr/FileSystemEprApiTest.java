package dev.wharf.epr;

import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.epr.index.Indexer;
import dev.wharf.oci.archive.ArchiveLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** The API over the file-system indexers: unpacked folders and a zip under one package path. */
class FileSystemEprApiTest extends EprApiContract {
    @Override
    protected Indexer startIndexer(Path work) throws Exception {
        FileSystemIndexer indexer = new FileSystemIndexer(List.of(TestPackages.fileSystemLayout(work)), true, false,
                ArchiveLimits.DEFAULT, Clock.systemUTC());
        indexer.start();
        return indexer;
    }
}
