package dev.wharf.cli;

import java.security.NoSuchAlgorithmException;
import java.text.SimpleDateFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * The JDK's one-time set-ups that a server's main thread otherwise waits for in turn, started on a thread
 * of their own while main parses the flags and opens storage (issue 19, session 10): the list of every
 * locale (Jetty's {@code MimeTypes} asks for it), the calendar and date-format data of {@code Locale.US}
 * (Jackson's {@code StdDateFormat}), and the TLS provider (every java.net.http client builds a TLS
 * context, the registry's too). Each is built once, lazily and thread-safely by the JDK itself: whichever
 * thread asks first builds it and the other waits for that, so what main computes is unchanged; it only
 * finds these ready sooner, the second core having built them. The JDK's classes alone, none of a
 * library's: two threads initialising one library's classes in different orders could deadlock.
 */
final class JdkWarmUp {
    private JdkWarmUp() {
    }

    /** Whether {@code args} (after the program's name) start a server: only a server's start is worth a thread. */
    static boolean startsServer(String program, String[] args) {
        return switch (program) {
            case "boring-registry" -> args.length > 0 && args[0].equals("server");
            case "package-registry" -> args.length == 0 || (args[0].startsWith("-") && !isHelpOrVersion(args[0]));
            default -> false;
        };
    }

    private static boolean isHelpOrVersion(String arg) {
        return arg.equals("-h") || arg.equals("-help") || arg.equals("--help") || arg.equals("-version") || arg.equals("--version")
                || arg.equals("-V");
    }

    /** Starts the set-ups on a daemon thread, which ends when they are done (or with the process). */
    static Thread start() {
        Thread thread = new Thread(JdkWarmUp::run, "wharf-jdk-warm-up");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static void run() {
        Locale.getAvailableLocales();
        new SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss zzz", Locale.US);
        try {
            SSLContext.getInstance("TLS");
        } catch (NoSuchAlgorithmException e) {
            // Nothing to build then; the client that needs TLS reports it where it can say what failed.
        }
    }
}
