import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The floor under Wharf's figure 1: Javalin on Jetty, configured as Wharf's WebServer is, answering
 * fixed bytes from memory. Launched by bench/run as a single-file program on Wharf's class path:
 * java -cp target/wharf.jar bench/StaticJavalin.java PORT DIR
 */
public class StaticJavalin {
    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Map<String, byte[]> files = new HashMap<>();
        try (var list = Files.list(Path.of(args[1]))) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            cfg.http.generateEtags = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = Integer.parseInt(args[0]);
            cfg.routes.get("/{file}", ctx -> {
                byte[] body = files.get(ctx.pathParam("file"));
                if (body == null) {
                    ctx.status(404);
                    return;
                }
                ctx.contentType("application/json").result(body);
            });
        }).start();
    }
}
