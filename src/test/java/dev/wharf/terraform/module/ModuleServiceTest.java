package dev.wharf.terraform.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.layout.TerraformLayout;
import java.nio.file.Path;
import java.time.Duration;
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

        Stamped<List<String>> versions = modules.versions(vpc);
        assertThat(versions.value()).containsExactly("1.1.0", "1.0.0");
        listed.set(0);
        assertThat(modules.isCurrent(vpc, versions.generation())).isTrue();
        assertThat(modules.isCurrent(vpc, new Generation(versions.generation().value()))).as("an equal generation").isTrue();
        assertThat(modules.isCurrent(vpc, Generation.NONE)).isFalse();
        assertThat(modules.isCurrent(new ModuleAddress("acme", "vpc", "gcp"), versions.generation())).isFalse();

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(modules.isCurrent(vpc, versions.generation())).isFalse();
        assertThat(listed).as("the checks never listed tags").hasValue(0);

        Stamped<List<String>> again = modules.versions(vpc);
        assertThat(listed).hasValue(1);
        assertThat(again.generation()).as("the same tags, read again: the same answer").isEqualTo(versions.generation());
        assertThat(modules.isCurrent(vpc, versions.generation())).isTrue();
        push(store, vpc, "2.0.0");
        assertThat(modules.isCurrent(vpc, again.generation())).as("an upload through this store").isFalse();
        Stamped<List<String>> after = modules.versions(vpc);
        assertThat(after.value()).containsExactly("2.0.0", "1.1.0", "1.0.0");
        assertThat(after.generation()).isNotEqualTo(versions.generation());
        assertThat(modules.isCurrent(vpc, after.generation())).isTrue();
        assertThat(modules.isCurrent(vpc, versions.generation())).isFalse();
    }

    /** Without a caching store nothing is ever current: every request is answered afresh. */
    @Test
    void withoutACachingStoreNoAnswerIsCurrent() {
        ImageLayoutStore layout = new ImageLayoutStore(dir);
        ModuleService modules = new ModuleService(layout, LAYOUT);
        ModuleAddress vpc = new ModuleAddress("acme", "vpc", "aws");
        layout.push(LAYOUT.moduleRepository("acme", "vpc", "aws"), LAYOUT.moduleTag("acme", "vpc", "aws", "1.0.0"),
                Artifact.single("application/vnd.wharf.test", Layer.file("application/octet-stream", "m.tar.gz",
                        BlobSource.ofBytes(new byte[] {1, 2, 3}))), false);
        Stamped<List<String>> first = modules.versions(vpc);
        assertThat(modules.isCurrent(vpc, first.generation())).isFalse();
        assertThat(modules.versions(vpc).generation()).isNotEqualTo(first.generation());
    }

    private static void push(CachingArtifactStore store, ModuleAddress module, String version) {
        store.push(LAYOUT.moduleRepository(module.namespace(), module.name(), module.provider()),
                LAYOUT.moduleTag(module.namespace(), module.name(), module.provider(), version),
                Artifact.single("application/vnd.wharf.test", Layer.file("application/octet-stream", "m.tar.gz",
                        BlobSource.ofBytes(new byte[] {1, 2, 3}))), false);
    }
}
