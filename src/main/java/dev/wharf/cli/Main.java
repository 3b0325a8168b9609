package dev.wharf.cli;

import java.io.PrintStream;
import java.net.ProxySelector;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One jar, two programs: the first argument names the program, as the launchers in {@code bin/}
 * pass it, so each accepts its own command line exactly as documented.
 */
public final class Main {
    private Main() {
    }

    /** java.net.http reads 16 KB per socket read unless told otherwise; see {@link #main}. */
    static final String HTTP_CLIENT_BUFFER = "jdk.httpclient.bufsize";

    public static void main(String[] args) {
        // Downloads from public registries (the mirror's) stream through java.net.http; with its 16 KB
        // default buffers a 200 MB download ran at ~220 MB/s here, with 256 KB at ~350 MB/s (bench/).
        // Must be set before the first HttpClient exists; -D on the command line still wins.
        if (System.getProperty(HTTP_CLIENT_BUFFER) == null) {
            System.setProperty(HTTP_CLIENT_BUFFER, Integer.toString(256 * 1024));
        }
        // Before any client exists: every one of them (registry, public registries, OIDC) asks the JVM's selector.
        try {
            ProxyEnvironment.from(System.getenv(), properties()).ifPresent(ProxySelector::setDefault);
        } catch (IllegalArgumentException e) {
            System.err.println((args.length > 0 ? args[0] : "wharf") + ": " + e.getMessage());
            System.exit(2);
        }
        System.exit(run(args, System.err));
    }

    private static Map<String, String> properties() {
        Map<String, String> copy = new HashMap<>();
        System.getProperties().forEach((k, v) -> copy.put(String.valueOf(k), String.valueOf(v)));
        return copy;
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
