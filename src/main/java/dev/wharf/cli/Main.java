package dev.wharf.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * One jar, two programs: the first argument names the program, as the launchers in {@code bin/}
 * pass it, so each accepts its own command line exactly as documented.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    static int run(String[] args, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: wharf boring-registry ... | wharf package-registry ...");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "boring-registry" -> new BoringRegistryCli().run(rest);
            case "package-registry" -> new PackageRegistryCli().run(rest);
            default -> {
                err.println("unknown program '" + args[0] + "': use boring-registry or package-registry");
                yield 2;
            }
        };
    }
}
