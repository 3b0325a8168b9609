package dev.wharf.cli.boring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.terraform.importer.BucketCopy;
import dev.wharf.terraform.importer.BucketImporter;
import dev.wharf.terraform.importer.ImportReport;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.mirror.MirrorStorage;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.upload.ExcludePatterns;
import dev.wharf.terraform.upload.ModuleUploader;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code boring-registry import DIR}: a way in for boring-registry's users, from a local copy of their bucket. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Store a local copy of a boring-registry S3, GCS or Azure bucket prefix (modules/, providers/,"
                + " mirror/providers/) in Wharf's storage, checked as the upload commands check; prints what was copied,"
                + " already there or refused, and exits 1 when anything was refused")
public final class ImportCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ImportCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ArchiveLimitOptions archiveLimits;

    @Mixin
    GlobalOptions global;

    @Option(names = "--dry-run", fallbackValue = "true", arity = "0..1",
            description = "Check everything and list what would be copied, storing nothing (BORING_REGISTRY_DRY_RUN; default false)")
    boolean dryRun;

    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "0", paramLabel = "DIR", description = "The bucket copy, e.g. from aws s3 sync s3://BUCKET/PREFIX DIR")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Logging.configure(global);
        BucketCopy copy = BucketCopy.read(dir);
        ObjectMapper json = new ObjectMapper();
        TerraformLayout layout = global.terraformLayout();
        ImportReport report;
        try (ScratchFolder temp = ScratchFolder.create("wharf-import-");
                ArtifactStore store = global.repositoryLayout().over(Storage.open(global), layout.base())) {
            ProviderService providers = new ProviderService(store, layout, json);
            ModuleUploader.Options moduleOptions = new ModuleUploader.Options(false, true, Optional.empty(), Optional.empty(),
                    Optional.empty(), ExcludePatterns.of(java.util.List.of()), global.archiveFormat);
            report = new BucketImporter(new ModuleUploader(store, layout, moduleOptions, LOG::info),
                    new ProviderUploader(store, layout, providers, json, archiveLimits.inspector(), LOG::info), new SigningKeyUploader(store, layout, providers, json),
                    providers, new MirrorStorage(store, layout, temp.path()), json, dryRun).run(copy);
        }
        PrintWriter out = spec.commandLine().getOut();
        report.entries().forEach(out::println);
        out.println((dryRun ? "dry run, nothing stored: " : "") + report.summary());
        out.flush();
        return report.refusedAny() ? 1 : 0;
    }
}
