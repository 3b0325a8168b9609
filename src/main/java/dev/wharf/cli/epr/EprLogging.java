package dev.wharf.cli.epr;

import ch.qos.logback.classic.Level;
import dev.wharf.cli.logging.ConsoleLogging;
import dev.wharf.cli.logging.EcsKeyValueEncoder;
import dev.wharf.cli.logging.PlainLineEncoder;
import dev.wharf.epr.api.EprApi;
import java.util.Set;

/** Sets up logging from {@code -log-level} and {@code -log-type}, as EPR logs. */
final class EprLogging {
    /** EPR's two log types: {@code ecs}, Elastic Common Schema JSON lines, and {@code dev}, plain text. */
    static final Set<String> LOG_TYPES = Set.of("ecs", "dev");

    private EprLogging() {
    }

    static void configure(String level, String type) {
        ConsoleLogging.install(Level.toLevel(level, Level.INFO), () -> {
            if (!hasFields(type)) {
                return new PlainLineEncoder(PlainLineEncoder.Stamp.TIME_OF_DAY);
            }
            EcsKeyValueEncoder ecs = new EcsKeyValueEncoder();
            ecs.setServiceName("package-registry");
            ecs.setServiceVersion(EprApi.EPR_API_VERSION);
            return ecs;
        });
    }

    /** Whether lines of this type carry fields beside the message: ECS's do, {@code dev}'s text does not. */
    static boolean hasFields(String type) {
        return !"dev".equals(type);
    }
}
