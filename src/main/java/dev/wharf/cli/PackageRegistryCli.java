package dev.wharf.cli;

import dev.wharf.cli.epr.PackageRegistryCommandLine;

/** {@code package-registry ...}: the Elastic Package Registry front. */
final class PackageRegistryCli {
    int run(String[] args) {
        return PackageRegistryCommandLine.create(System.getenv()).execute(args);
    }
}
