package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;

/** The answer given to Jetty is the one it would have read through the platform MBean server itself. */
class JettyCacheLinesTest {
    @Test
    void referencesPerCacheLineIsWhatJettyComputesFromTheMBeanServer() throws Exception {
        CompositeData option = (CompositeData) ManagementFactory.getPlatformMBeanServer().invoke(
                ObjectName.getInstance("com.sun.management:type=HotSpotDiagnostic"), "getVMOption",
                new Object[] {"UseCompressedOops"}, new String[] {"java.lang.String"});
        boolean compressed = Boolean.parseBoolean((String) option.get("value"));
        int cacheLine = Integer.getInteger("org.eclipse.jetty.util.cacheLineBytes", 64);
        assertThat(JettyCacheLines.referencesPerCacheLine()).hasValue(compressed ? cacheLine / 4 : cacheLine / 8);
    }

    @Test
    void aValueSetForJettyIsKept() {
        String before = System.getProperty(JettyCacheLines.REFERENCES_PER_CACHE_LINE);
        try {
            System.setProperty(JettyCacheLines.REFERENCES_PER_CACHE_LINE, "3");
            JettyCacheLines.tellJetty();
            assertThat(System.getProperty(JettyCacheLines.REFERENCES_PER_CACHE_LINE)).isEqualTo("3");
        } finally {
            if (before == null) {
                System.clearProperty(JettyCacheLines.REFERENCES_PER_CACHE_LINE);
            } else {
                System.setProperty(JettyCacheLines.REFERENCES_PER_CACHE_LINE, before);
            }
        }
    }
}
