package dev.wharf.cli.epr;

import dev.wharf.cli.LeftoverSweep;
import dev.wharf.epr.mirror.MirrorReport;
import dev.wharf.epr.mirror.MirrorSelection;
import dev.wharf.epr.mirror.PackageMirror;
import dev.wharf.epr.pkg.PackageSignatureCheck;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.epr.upstream.UpstreamEpr;
import dev.wharf.epr.upstream.UpstreamException;
import dev.wharf.epr.upstream.UpstreamPackageCopy;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ScratchFolder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code package-registry mirror}: copies the packages some Kibana versions can use from an upstream registry into the OCI repository. */
@Command(name = "mirror", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Copy the packages some Kibana versions can use from an upstream registry (-proxy-to) into the OCI repository.",
                "Each zip goes with its .sig, verified first with -verification-key; versions already there are left alone."})
public final class MirrorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    UpstreamOptions upstream = new UpstreamOptions();
    @SuppressWarnings("NullAway.Init")
    @Option(names = {"-kibana-version", "--kibana-version"}, paramLabel = "VERSION", description = "A Kibana version to mirror packages for (repeat the flag for more).")
    List<String> kibanaVersions = new ArrayList<>();
    @Option(names = {"-package", "--package"}, split = ",", paramLabel = "NAME", description = "Only these packages (comma-separated; default: every package).")
    List<String> packages = new ArrayList<>();
    @Option(names = {"-versions", "--versions"}, defaultValue = "1", description = "Newest versions of each package to copy per Kibana version (default: ${DEFAULT-VALUE}).")
    int versions;
    @Option(names = {"-prerelease", "--prerelease"}, arity = "0..1", fallbackValue = "true", description = "Include prerelease versions (as Fleet's prerelease=true).")
    boolean prerelease;
    @Mixin
    OciOptions oci = new OciOptions();
    @Option(names = {"-disable-package-validation", "--disable-package-validation"}, arity = "0..1", fallbackValue = "true", description = "Skip EPR's content checks (the manifest and root folder are still checked).")
    boolean disableValidation;
    @Option(names = {"-max-package-size", "--max-package-size"}, defaultValue = "536870912", description = "Largest zip accepted, in bytes (default: ${DEFAULT-VALUE}).")
    long maxPackageSize;
    @Mixin
    PackageLimitOptions limits = new PackageLimitOptions();
    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() throws Exception {
        EprLogging.configureForCommand();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!oci.hasRegistry()) {
            throw new ParameterException(spec.commandLine(), "mirror needs -oci-registry (registry.example.com, or oci-layout:/path)");
        }
        MirrorSelection selection;
        UpstreamEpr client;
        Optional<PackageSignatureCheck> check;
        try {
            selection = new MirrorSelection(kibanaVersions, packages, versions, prerelease);
            client = upstream.client();
            check = upstream.signatureCheck();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        // A run killed mid-download (a cron job's timeout, the OOM killer) leaves its scratch folder with
        // a partial zip of up to -max-package-size; only a server's start swept them, and a host that
        // only mirrors may never start one. A folder another run is using stays (it is locked).
        LeftoverSweep.of(oci.layoutFolder(), LoggerFactory.getLogger("package-registry")).run();
        try (ScratchFolder work = ScratchFolder.create("wharf-epr-mirror-"); ArtifactStore store = oci.open()) {
            PackagePublisher publisher = new PackagePublisher(store, oci.repository, maxPackageSize, !disableValidation, limits.limits());
            PackageMirror mirror = new PackageMirror(client, new UpstreamPackageCopy(client, publisher, check, maxPackageSize, work.path()),
                    store, oci.repository);
            PackageMirror.Plan plan;
            try {
                plan = mirror.plan(selection);
            } catch (UpstreamException e) {
                err.println("mirror: cannot list the packages to copy: " + e.getMessage());
                return 1;
            }
            String kibana = String.join(", ", selection.kibanaVersions());
            err.println("mirror: " + plan.tags().size() + " package versions for Kibana " + kibana
                    + " from " + client.base() + " into " + store.describe() + "/" + oci.repository);
            if (!plan.ignored().isEmpty()) {
                err.println("mirror: left out " + plan.ignored().size() + " entries of the upstream's answer that no package can be"
                        + " (name, version): " + String.join(", ", plan.ignored()));
            }
            plan.unmatched().forEach(name -> err.println("mirror: -package " + name + ": " + client.base()
                    + " offers no version of it for Kibana " + kibana + (selection.prerelease() ? "" : " (without -prerelease)")));
            MirrorReport report = mirror.run(plan.tags(), (done, total, bytes, tag, outcome) -> {
                err.println("mirror: [" + done + "/" + total + " packages, " + bytes + " bytes copied] " + tag + ": " + outcome);
                err.flush();
            }, w -> err.println("warning: " + w));
            summarize(out, report, check.isPresent());
            if (!plan.unmatched().isEmpty()) {
                out.println("not offered: " + String.join(", ", plan.unmatched()));
            }
            return report.refused().isEmpty() && plan.unmatched().isEmpty() ? 0 : 1;
        }
    }

    private void summarize(PrintWriter out, MirrorReport report, boolean verified) {
        out.println("copied: " + report.copied().size() + " (" + report.bytes() + " bytes)" + (report.copied().isEmpty() ? "" : ": "
                + String.join(", ", report.copied())));
        out.println("already there: " + report.alreadyThere().size());
        out.println("refused: " + report.refused().size());
        report.refused().forEach(r -> out.println("  " + r.tag() + ": " + r.reason()));
        if (!report.copied().isEmpty()) {
            out.println(verified ? "verified: every copied zip matched its signature and -verification-key"
                    : "NOT verified: no -verification-key was given, so " + report.copied().size() + " packages were copied without checking their signatures"
                    + (report.unsigned() > 0 ? " (" + report.unsigned() + " had none)" : ""));
        }
        out.flush();
    }
}
