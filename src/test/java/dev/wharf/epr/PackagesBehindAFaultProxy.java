package dev.wharf.epr;

import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import java.nio.file.Path;

/**
 * The test packages published to a real docker-registry, and a store that reads them through a {@link FaultProxy} in
 * front of it: what the fill's tests start from, each then breaking what it is about. {@code direct} reaches the
 * registry past the proxy, to look up what a test injects a fault for without counting as a request of the server.
 */
final class PackagesBehindAFaultProxy implements AutoCloseable {
    final DockerRegistryServer registry;
    final RegistryArtifactStore direct;
    final FaultProxy proxy;
    final RegistryArtifactStore store;

    private PackagesBehindAFaultProxy(DockerRegistryServer registry, RegistryArtifactStore direct, FaultProxy proxy,
            RegistryArtifactStore store) {
        this.registry = registry;
        this.direct = direct;
        this.proxy = proxy;
        this.store = store;
    }

    /** Publishes {@link TestPackages#publishAll} in a registry under {@code dir}, then puts the proxy in front. */
    static PackagesBehindAFaultProxy publish(Path dir) throws Exception {
        DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        RegistryArtifactStore direct = RegistryStores.anonymous(registry);
        TestPackages.publishAll(direct, dir);
        FaultProxy proxy = FaultProxy.before(registry.host());
        return new PackagesBehindAFaultProxy(registry, direct, proxy, RegistryStores.anonymousAt("http://" + proxy.host()));
    }

    /** The digest of the zip layer of {@code tag}, as the registry holds it. */
    String zipDigest(String tag) {
        return direct.resolve(TestPackages.REPOSITORY, tag).orElseThrow().layer("application/zip").orElseThrow().digest().toString();
    }

    /** How many times the blob {@code digest} was read through the proxy. */
    long fetches(String digest) {
        return proxy.requests().stream().filter(r -> r.isBlobRead() && r.path().endsWith("/" + digest)).count();
    }

    @Override
    public void close() {
        store.close();
        proxy.close();
        direct.close();
        registry.stop();
    }
}
