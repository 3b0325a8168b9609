package dev.wharf.epr;

import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * The API over the OCI indexer reading Debian's docker-registry, which the publisher filled over
 * HTTP: the answers must be byte for byte those of the file-system indexer. One registry per class.
 */
class RegistryOciEprApiTest extends EprApiContract {
    private DockerRegistryServer registry;
    private RegistryArtifactStore store;

    @Override
    protected Indexer startIndexer(Path work) throws Exception {
        registry = DockerRegistryServer.anonymous(work.resolve("registry"));
        store = RegistryStores.anonymous(registry);
        TestPackages.publishAll(store, work);
        OciIndexer indexer = new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, work.resolve("cache"))
                .withMaxPackageBytes(64L << 20));
        indexer.start();
        return indexer;
    }

    // Runs before the contract's own @AfterAll, which deletes the work folder the registry stores into.
    @AfterAll
    void stopRegistry() {
        if (store != null) {
            store.close();
        }
        if (registry != null) {
            registry.stop();
        }
    }

    @Override
    protected boolean blobsNamedByDigest() {
        return true;
    }
}
