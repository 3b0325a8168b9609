package dev.wharf.http;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.OptionalInt;

/**
 * Tells Jetty how many object references share a cache line before its thread pool asks. Jetty's
 * {@code MemoryUtils} works it out from {@code -XX:UseCompressedOops}, read through the platform MBean
 * server, which registers every platform MBean first: 7 % of the main thread's profile at a server's
 * start (issue 19, session 10). The HotSpot diagnostic bean alone gives the same flag for a fraction of
 * that. Jetty's own system property wins when set, and on a JVM without the bean Jetty asks as before.
 */
final class JettyCacheLines {
    static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    private static final String CACHE_LINE_BYTES = "org.eclipse.jetty.util.cacheLineBytes";

    private JettyCacheLines() {
    }

    /** Sets Jetty's property, unless it is set already or the JVM cannot say; needed before Jetty's first thread pool. */
    static void tellJetty() {
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            referencesPerCacheLine().ifPresent(n -> System.setProperty(REFERENCES_PER_CACHE_LINE, Integer.toString(n)));
        }
    }

    /** What Jetty would compute: a cache line's bytes over the size of a reference, 4 bytes when compressed, else 8. */
    static OptionalInt referencesPerCacheLine() {
        int cacheLine = Integer.getInteger(CACHE_LINE_BYTES, 64);
        try {
            String compressed = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("UseCompressedOops").getValue();
            return OptionalInt.of(Boolean.parseBoolean(compressed) ? cacheLine >> 2 : cacheLine >> 3);
        } catch (RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
