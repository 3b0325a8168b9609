package dev.wharf.oci.archive;

import dev.wharf.oci.PrintableText;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one rule for names inside archives, whether Wharf writes them or accepts them: relative,
 * '/'-separated, and unpacked under the archive's root whatever tool unpacks them. So no leading
 * '/', no drive letter, no {@code ..} segment, and no backslash or NUL, which some unpackers read as
 * a separator or an end of name and so turn a harmless-looking name into a path elsewhere.
 */
public final class EntryNames {
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);

    private EntryNames() {
    }

    /** Empty when {@code name} is safe to unpack under a root (a trailing '/' marks a directory), else why not. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("has an empty name");
        }
        if (name.indexOf('\0') >= 0) {
            return Optional.of("has a NUL character in its name");
        }
        if (name.indexOf('\\') >= 0) {
            return Optional.of("has a backslash in its name (a path separator to some unpackers)");
        }
        if (name.startsWith("/") || DRIVE.matcher(name).matches()) {
            return Optional.of("is an absolute path");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of("climbs out of the root with '..'");
            }
        }
        return Optional.empty();
    }

    /** Throws naming the entry when {@link #problem} finds one. */
    public static String check(String name) {
        problem(name).ifPresent(why -> {
            throw new ArchiveRefusedException("entry '" + printable(name) + "' " + why);
        });
        return name;
    }

    /**
     * The most of a name a message quotes. A PAX or zip name has no length of its own worth trusting (a zip's
     * may be 65 535 characters, a PAX one any), and the message reaches an API's JSON error, a terminal and
     * the log, where a name of a page would bury the reason it was refused.
     */
    public static final int MAX_QUOTED = 200;

    /**
     * The name as an error message may quote it, whatever it holds: {@link PrintableText#escaped(String, int)
     * escaped}, its line breaks shown rather than joined (a name "a\nb" is not "a b"), and cut at
     * {@link #MAX_QUOTED} characters with "…". Every quote of an entry's name goes through here, from
     * both protocols.
     */
    public static String printable(@Nullable String name) {
        return name == null ? "" : PrintableText.escaped(name, MAX_QUOTED);
    }
}
