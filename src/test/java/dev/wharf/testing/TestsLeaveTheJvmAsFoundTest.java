package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Test classes that change JVM-wide state (a system property, the default time zone, a logger's level or
 * appenders) put it back: surefire runs every class in one JVM, so what one leaves changed decides how
 * the classes after it run. Each case runs the class here, in this JVM, between two snapshots of that
 * state; where the change would go unseen because the state already held the value (a property another
 * class or the pom set, a level that was unset), the case first sets it otherwise, and puts it back.
 */
class TestsLeaveTheJvmAsFoundTest {
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    /** Set by the pom for the whole JVM, so no test stub server needs to set it (and none could take it back). */
    @Test
    void everyStubHttpServerOfThisJvmAnswersWithoutNaglesDelay() {
        assertThat(System.getProperty(NODELAY)).isEqualTo("true");
    }

    @Test
    void loginV1TestSetsNoSystemProperty() {
        withPropertyUnset(NODELAY, () -> assertUnchangedBy(false, "dev.wharf.terraform.auth.LoginV1Test"));
    }

    @Test
    void theStubHttpServersSetNoSystemProperty() {
        withPropertyUnset(NODELAY, () -> {
            JvmGlobals before = JvmGlobals.now();
            TestCertificates.SelfSigned certificate = TestCertificates.localhost();
            StaticHttpServer.start().close();
            StaticHttpServer.startTls(certificate).close();
            OidcIssuer.start().close();
            OidcIssuer.startTls(certificate).close();
            assertThat(before.changesTo(JvmGlobals.now())).isEmpty();
        });
    }

    @Test
    void theAccessLogTestsDetachTheirAppenders() {
        assertUnchangedBy(false, "dev.wharf.http.ExchangeLogTest", "dev.wharf.http.AccessLogLineTest");
    }

    /**
     * An in-process server before them (ConsoleLogging.install) leaves Jetty's logger at WARN; they quiet
     * Jetty to INFO for their own run and must give back WARN, not an unset level that lets Jetty's
     * debug lines through. Their bodies take minutes and change no level: only their set-up and
     * tear-down run here.
     */
    @Test
    void theSlowReaderTestsGiveJettysLoggerBackTheLevelItHad() {
        ch.qos.logback.classic.Logger jetty = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty");
        ch.qos.logback.classic.Level level = jetty.getLevel();
        jetty.setLevel(ch.qos.logback.classic.Level.WARN);
        try {
            assertUnchangedBy(true, "dev.wharf.http.ServerLimitsTest", "dev.wharf.epr.SlowReadersTest",
                    "dev.wharf.cli.BoringRegistrySlowReadersTest");
            assertThat(jetty.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        } finally {
            jetty.setLevel(level);
        }
    }

    /** In a zone neither of them sets, so that a zone they left behind cannot pass for this JVM's own. */
    @Test
    void theZipEntryTimeTestsGiveBackTheDefaultTimeZone() {
        java.util.TimeZone zone = java.util.TimeZone.getDefault();
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Pacific/Chatham"));
        try {
            assertUnchangedBy(false, "dev.wharf.epr.pkg.ZipEntryTimeTest", "dev.wharf.epr.pkg.ZipEntryTimeRollOverTest");
            assertThat(java.util.TimeZone.getDefault().getID()).isEqualTo("Pacific/Chatham");
        } finally {
            java.util.TimeZone.setDefault(zone);
        }
    }

    /** The snapshot leaves Jetty's property out (the server sets it once per JVM): checked here by itself, unset and set. */
    @Test
    void jettyCacheLinesTestGivesBackJettysProperty() {
        String property = "org.eclipse.jetty.util.referencesPerCacheLine";
        withPropertyUnset(property, () -> {
            assertUnchangedBy(false, "dev.wharf.http.JettyCacheLinesTest");
            assertThat(System.getProperty(property)).isNull();
            System.setProperty(property, "5");
            assertUnchangedBy(false, "dev.wharf.http.JettyCacheLinesTest");
            assertThat(System.getProperty(property)).isEqualTo("5");
        });
    }

    /**
     * Runs the classes here (with {@code lifecycleOnly}, their tests' set-up and tear-down alone), every
     * test passing, and checks the JVM-wide state is as it was.
     */
    private static void assertUnchangedBy(boolean lifecycleOnly, String... classes) {
        JvmGlobals before = JvmGlobals.now();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(classes).map(DiscoverySelectors::selectClass).toList());
        if (lifecycleOnly) {
            request.configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                    .configurationParameter(LifecycleOnly.ENABLED, "true");
        }
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request.build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        StringWriter failures = new StringWriter();
        summary.printFailuresTo(new PrintWriter(failures), 30);
        assertThat(summary.getTestsFoundCount()).as("tests found in %s", Arrays.toString(classes)).isPositive();
        assertThat(summary.getTestsSucceededCount()).as("tests of %s passed: %s", Arrays.toString(classes), failures)
                .isEqualTo(summary.getTestsFoundCount());
        assertThat(before.changesTo(JvmGlobals.now())).as("what %s changed", Arrays.toString(classes)).isEmpty();
    }

    private static void withPropertyUnset(String name, Runnable check) {
        @Nullable String value = System.clearProperty(name);
        try {
            check.run();
        } finally {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        }
    }
}
