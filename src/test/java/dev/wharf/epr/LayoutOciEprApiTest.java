package dev.wharf.epr;

import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The API over the OCI indexer reading an OCI image layout the publisher filled. */
class LayoutOciEprApiTest extends EprApiContract {
    @Override
    protected Indexer startIndexer(Path work) throws Exception {
        ImageLayoutStore store = new ImageLayoutStore(work.resolve("oci"));
        TestPackages.publishAll(store, work);
        OciIndexer indexer = new OciIndexer(store, TestPackages.REPOSITORY, work.resolve("cache"), true, false,
                64L << 20, Duration.ZERO, Clock.systemUTC());
        indexer.start();
        return indexer;
    }
}
