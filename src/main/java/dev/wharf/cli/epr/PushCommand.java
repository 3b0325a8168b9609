package dev.wharf.cli.epr;

import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.epr.publish.PackagePushClient;
import dev.wharf.epr.publish.PublisherKey;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.StorageException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code package-registry push <zip-or-folder>...}: publishes packages to the OCI repository. */
@Command(name = "push", sortOptions = false, usageHelpAutoWidth = true,
        description = "Validate packages (built zips or package folders) and push each as {name}-{version} to the OCI repository.%n"
                + "A signature {name}-{version}.zip.sig beside a zip (or <folder>.sig) is pushed with it. Existing versions are refused.")
public final class PushCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @SuppressWarnings("NullAway.Init")
    @Parameters(arity = "1..*", paramLabel = "PACKAGE", description = "A package zip or a package folder.")
    List<Path> packages;
    @Mixin
    OciOptions oci = new OciOptions();
    @Option(names = {"-disable-package-validation", "--disable-package-validation"}, arity = "0..1", fallbackValue = "true", description = "Skip EPR's content checks (the manifest and root folder are still checked).")
    boolean disableValidation;
    @Option(names = {"-max-package-size", "--max-package-size"}, defaultValue = "536870912", description = "Largest zip accepted, in bytes (default: ${DEFAULT-VALUE}).")
    long maxPackageSize;
    @Mixin
    PackageLimitOptions limits = new PackageLimitOptions();
    @Option(names = {"-server", "--server"}, paramLabel = "URL",
            description = "Publish each zip through this package-registry's PUT /api/v1/packages (https://epr.example.com) instead of"
                    + " writing to the OCI registry; no registry flags needed then.")
    @Nullable String server;
    @Option(names = {"-token", "--token"}, paramLabel = "TOKEN", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Token with a publish scope for -server, from 'token create' (prefer EPR_TOKEN).")
    @Nullable String token;
    @Option(names = {"-server-ca-file", "--server-ca-file"}, paramLabel = "PEM",
            description = "PEM file of CA certificates to trust for an https -server, in addition to the JVM's default trust.")
    @Nullable Path serverCaFile;
    @Option(names = {"-publish-verification-key", "--publish-verification-key"}, paramLabel = "FILE",
            description = "Armoured OpenPGP public key Fleet verifies the packages with (xpack.fleet.packageVerification.gpgKeyPath):"
                    + " each package must carry a .sig that verifies over its zip with this key, or is refused before anything is"
                    + " pushed or sent. Only the file's first key (or a subkey of it) verifies, as Fleet reads one key from its file."
                    + " Not -verification-key, the upstream's key for mirror and pull-through.")
    @Nullable Path publisherKey;
    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() {
        EprLogging.configureForCommand();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (server != null && server.isBlank()) {
            // Read as absent, it would push with the registry flags instead, or be refused for lacking them.
            throw new ParameterException(spec.commandLine(), "-server was given without a URL; name the Wharf server, or leave the flag out");
        }
        Optional<PublisherKey> key = publisherKey();
        if (server != null) {
            return pushThroughServer(out, err, key);
        }
        if (serverCaFile != null) {
            throw new ParameterException(spec.commandLine(), "-server-ca-file is for -server: it needs -server");
        }
        if (!oci.hasRegistry()) {
            throw new ParameterException(spec.commandLine(), "push needs -oci-registry (registry.example.com, or oci-layout:/path)");
        }
        int failures = 0;
        try (ArtifactStore store = oci.open()) {
            PackagePublisher publisher = new PackagePublisher(store, oci.repository, maxPackageSize, !disableValidation, limits.limits(), key);
            for (Path p : packages) {
                try {
                    PackagePublisher.Published done = publisher.push(p, w -> err.println("warning: " + w));
                    out.println("pushed " + done.tag() + (done.signed() ? " (signed)" : "") + " to " + store.describe() + "/"
                            + oci.repository + " as " + done.manifest().digest());
                    if (!done.signed()) {
                        // Said after the push, so the version is already taken: a server that requires signatures never serves it.
                        err.println("warning: " + done.tag() + " has no signature (no " + p.getFileName() + ".sig beside it): a package-registry"
                                + " that requires signatures (-require-package-signatures, the default) will not serve it, and the version is"
                                + " taken (versions are never overwritten); only one started with -require-package-signatures=false serves it");
                    }
                } catch (InvalidPackageException e) {
                    err.println("push " + p + ": " + e.getMessage());
                    failures++;
                } catch (StorageException e) {
                    err.println("push " + p + ": " + e.getMessage());
                    failures++;
                } catch (java.io.IOException e) {
                    err.println("push " + p + ": cannot read it: " + e.getMessage());
                    failures++;
                }
            }
        } catch (IllegalStateException e) {
            err.println("push: " + e.getMessage());
            return 1;
        }
        out.flush();
        err.flush();
        return failures == 0 ? 0 : 1;
    }

    /** {@code -publish-verification-key}, read now: a file that holds no key is refused before any package is read. */
    private Optional<PublisherKey> publisherKey() {
        if (publisherKey == null) {
            return Optional.empty();
        }
        if (publisherKey.toString().isBlank()) {
            // Read as no key, the packages would be pushed unchecked ('-publish-verification-key "$KEY"' with the variable unset).
            throw new ParameterException(spec.commandLine(), PublisherKey.FLAG + " was given without a file; name it, or leave the flag out");
        }
        try {
            return Optional.of(PublisherKey.fromKeyFile(publisherKey));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), PublisherKey.FLAG + ": " + e.getMessage());
        }
    }

    private int pushThroughServer(PrintWriter out, PrintWriter err, Optional<PublisherKey> key) {
        PackagePushClient client;
        try {
            client = PackagePushClient.of(String.valueOf(server).trim(), token == null ? "" : token.trim(), Optional.ofNullable(serverCaFile), key);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        int refused = 0;
        for (int i = 0; i < packages.size(); i++) {
            Path p = packages.get(i);
            PackagePushClient.Outcome outcome = client.push(p);
            switch (outcome.kind()) {
                case PUBLISHED -> out.println("published " + outcome.detail() + " through " + client.describe());
                case EXISTS -> out.println("already exists " + p.getFileName() + ": " + outcome.detail());
                case REFUSED -> {
                    err.println("refused " + p + ": " + outcome.detail());
                    refused++;
                }
                case SERVER_FAILED -> {
                    // The next package would meet the same server: stop, as upload --server does, naming what was not sent.
                    err.println("refused " + p + ": " + outcome.detail());
                    List<Path> rest = packages.subList(i + 1, packages.size());
                    if (!rest.isEmpty()) {
                        err.println("not sent, as push stopped at this server's answer: "
                                + String.join(", ", rest.stream().map(Path::toString).toList()));
                    }
                    out.flush();
                    err.flush();
                    return 1;
                }
            }
        }
        out.flush();
        err.flush();
        return refused == 0 ? 0 : 1;
    }
}
