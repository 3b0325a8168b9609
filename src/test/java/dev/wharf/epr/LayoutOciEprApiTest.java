package dev.wharf.epr;

import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.nio.file.Path;

/** The API over the OCI indexer reading an OCI image layout the publisher filled. */
class LayoutOciEprApiTest extends EprApiContract {
    @Override
    protected Indexer startIndexer(Path work) throws Exception {
        ImageLayoutStore store = new ImageLayoutStore(work.resolve("oci"));
        TestPackages.publishAll(store, work);
        OciIndexer indexer = new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, work.resolve("cache"))
                .withMaxPackageBytes(64L << 20));
        indexer.start();
        return indexer;
    }

    @Override
    protected boolean blobsNamedByDigest() {
        return true;
    }
}
