package dev.wharf.terraform.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Layer;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.layout.TerraformLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleServiceTest {
    private static final TerraformLayout LAYOUT = TerraformLayout.under("boring-registry");

    @TempDir
    Path dir;

    /** The check a network thread makes: from memory, until the tag list expires or an upload goes through. */
    @Test
    void isCurrentTellsFromMemoryWhetherTheVersionsStillHold() {
        ImageLayoutStore layout = new ImageLayoutStore(dir);
        AtomicInteger listed = new AtomicInteger();
        AtomicLong nanos = new AtomicLong();
        CachingArtifactStore store = new CachingArtifactStore(new ForwardingArtifactStore(layout) {
            @Override
            public List<String> listTags(String repository) {
                listed.incrementAndGet();
                return delegate.listTags(repository);
            }
        }, Duration.ofSeconds(30), Duration.ofSeconds(30), nanos::get);
        ModuleService modules = new ModuleService(store, LAYOUT);
        ModuleAddress vpc = new ModuleAddress("acme", "vpc", "aws");
        push(store, vpc, "1.0.0");
        push(store, vpc, "1.1.0");

        List<String> versions = modules.versions(vpc);
        assertThat(versions).containsExactly("1.1.0", "1.0.0");
        listed.set(0);
        assertThat(modules.isCurrent(vpc, versions)).isTrue();
        assertThat(modules.isCurrent(vpc, new ArrayList<>(versions))).as("another object").isFalse();
        assertThat(modules.isCurrent(new ModuleAddress("acme", "vpc", "gcp"), versions)).isFalse();

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(modules.isCurrent(vpc, versions)).isFalse();
        assertThat(listed).as("the checks never listed tags").hasValue(0);

        List<String> again = modules.versions(vpc);
        assertThat(listed).hasValue(1);
        assertThat(modules.isCurrent(vpc, again)).isTrue();
        push(store, vpc, "2.0.0");
        assertThat(modules.isCurrent(vpc, again)).as("an upload through this store").isFalse();
        assertThat(modules.versions(vpc)).containsExactly("2.0.0", "1.1.0", "1.0.0");
    }

    private static void push(CachingArtifactStore store, ModuleAddress module, String version) {
        store.push(LAYOUT.moduleRepository(module.namespace(), module.name(), module.provider()),
                LAYOUT.moduleTag(module.namespace(), module.name(), module.provider(), version),
                Artifact.single("application/vnd.wharf.test", Layer.file("application/octet-stream", "m.tar.gz",
                        BlobSource.ofBytes(new byte[] {1, 2, 3}))), false);
    }
}
