package dev.wharf.cli.boring;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.terraform.mirror.MirrorStorage;
import dev.wharf.terraform.mirror.MirrorUpload;
import dev.wharf.terraform.mirror.MirroredArchive;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code boring-registry upload mirror DIR}: fills the network mirror from {@code terraform providers mirror} output. */
@Command(name = "mirror", mixinStandardHelpOptions = true,
        description = "Store a directory written by 'terraform providers mirror DIR' in the network mirror, checking every hash")
public final class UploadMirrorCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(UploadMirrorCommand.class);

    @Mixin
    GlobalOptions global;

    @Mixin
    ArchiveLimitOptions archiveLimits;

    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "0", paramLabel = "DIR", description = "Output directory of terraform providers mirror (its default packed layout)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Logging.configure(global);
        try (ScratchFolder temp = ScratchFolder.create("wharf-upload-mirror-");
                ArtifactStore store = global.repositoryLayout().over(Storage.open(global), global.terraformLayout().base())) {
            MirrorUpload.Result result = new MirrorUpload(new MirrorStorage(store, global.terraformLayout(), temp.path()),
                    archiveLimits.inspector()).upload(dir);
            for (MirroredArchive a : result.stored()) {
                LOG.info("stored {} {} {} ({})", a.provider(), a.version(), a.platform(), a.hashes().h1());
            }
            for (MirroredArchive a : result.skipped()) {
                LOG.info("skipped {} {} {}: already mirrored with the same content", a.provider(), a.version(), a.platform());
            }
            LOG.info("{} package(s) stored, {} already there", result.stored().size(), result.skipped().size());
        }
        return 0;
    }
}
