package dev.wharf.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.LoggerFactory;

/**
 * What a test class can change for every class that runs after it in the same surefire JVM: the system
 * properties, the default time zone and locale, and logback's loggers (level, additivity, appenders).
 * Two snapshots, before and after a class, are equal when it left the JVM as it found it.
 *
 * <p>Left out: properties the JDK or Wharf's own server set once per JVM by design, whichever class
 * comes first, and that no later class can tell from their unset state. A logger that has no level, no
 * appender and is additive is left out too: logback never forgets a logger once named, but such a one
 * changes nothing.
 */
public record JvmGlobals(Map<String, String> properties, String timeZone, Locale locale, Map<String, String> loggers) {
    /**
     * {@code user.timezone}: the JDK writes the zone it found there the first time anything asks for the
     * default zone. {@code jetty.git.hash}: Jetty's own class sets it when it loads. Jetty's
     * {@code referencesPerCacheLine}: WebServer sets it before Jetty's first thread pool reads it, once
     * per JVM, to the value Jetty would compute itself (JettyCacheLinesTest).
     */
    private static final Set<String> SET_ONCE_PER_JVM = Set.of("user.timezone", "jetty.git.hash",
            "org.eclipse.jetty.util.referencesPerCacheLine");

    public static JvmGlobals now() {
        Map<String, String> properties = new TreeMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (!SET_ONCE_PER_JVM.contains(name)) {
                properties.put(name, System.getProperty(name));
            }
        }
        Map<String, String> loggers = new TreeMap<>();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (Logger logger : context.getLoggerList()) {
            List<String> appenders = new ArrayList<>();
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> appender = it.next();
                // By identity: a new appender under an old name is still one the class left behind.
                appenders.add(appender.getClass().getSimpleName() + " " + appender.getName() + "@"
                        + Integer.toHexString(System.identityHashCode(appender)));
            }
            if (logger.getLevel() != null || !logger.isAdditive() || !appenders.isEmpty()) {
                loggers.put(logger.getName(), "level " + logger.getLevel() + ", additive " + logger.isAdditive() + ", appenders " + appenders);
            }
        }
        return new JvmGlobals(properties, TimeZone.getDefault().getID(), Locale.getDefault(), loggers);
    }

    /** What differs in {@code later}, one line each ("what: before -> after", null for absent); empty when nothing does. */
    public List<String> changesTo(JvmGlobals later) {
        List<String> changes = new ArrayList<>();
        changed("property ", properties, later.properties, changes);
        if (!timeZone.equals(later.timeZone)) {
            changes.add("default time zone: " + timeZone + " -> " + later.timeZone);
        }
        if (!locale.equals(later.locale)) {
            changes.add("default locale: " + locale + " -> " + later.locale);
        }
        changed("logger ", loggers, later.loggers, changes);
        return changes;
    }

    private static void changed(String what, Map<String, String> before, Map<String, String> after, List<String> changes) {
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            if (!Objects.equals(before.get(name), after.get(name))) {
                changes.add(what + name + ": " + before.get(name) + " -> " + after.get(name));
            }
        }
    }
}
