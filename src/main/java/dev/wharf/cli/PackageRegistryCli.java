package dev.wharf.cli;

/** Placeholder until the command tree lands. */
final class PackageRegistryCli {
    int run(String[] args) {
        System.err.println("PackageRegistryCli: not built yet");
        return 1;
    }
}
