package dev.wharf.cli;

/** Placeholder until the command tree lands. */
final class BoringRegistryCli {
    int run(String[] args) {
        System.err.println("BoringRegistryCli: not built yet");
        return 1;
    }
}
