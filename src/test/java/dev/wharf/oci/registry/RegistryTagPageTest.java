package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Tag pages a hostile or broken registry may send: read within bounded memory, refused with one message. */
class RegistryTagPageTest {
    /** TagLister.MAX_TAGS, written out. */
    private static final int MAX_TAGS = 500_000;

    private static StubHttpServer afterPing(HttpHandler tagPage) throws IOException {
        return new StubHttpServer(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/v2/")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else {
                tagPage.handle(exchange);
            }
        });
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * A page just under the 64 MiB page limit holding 15 million one-letter tags, 30 times what a listing keeps. Read whole
     * and built as a JSON tree before its tags were counted, it cost over a gigabyte of heap (a node, a string and its bytes
     * a tag) and could take a server's heap down; read as a stream, the listing holds the tags up to the bound and no
     * more. What the listing thread allocates bounds what it can hold: the kept tags are some 40 MB.
     */
    @Test
    void aPageOfMillionsOfTagsIsRefusedWithoutBuildingThemAll() throws IOException {
        int count = 15_000_000;
        StringBuilder page = new StringBuilder(count * 4 + 32).append("{\"name\":\"many/app\",\"tags\":[");
        for (int i = 0; i < count; i++) {
            page.append(i == 0 ? "\"a\"" : ",\"a\"");
        }
        String body = page.append("]}").toString();
        assertThat(body.length()).isLessThan(TagLister.TAG_PAGE_LIMIT);
        try (StubHttpServer stub = afterPing(exchange -> StubHttpServer.respond(exchange, 200, "application/json", body))) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            long before = allocatedByThisThread();
            assertThatThrownBy(() -> store.listTags("many/app")).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                assertThat(e.getMessage()).contains(stub.host(), "many/app", "more than " + MAX_TAGS + " tags");
            });
            assertThat(allocatedByThisThread() - before).as("bytes the listing allocated").isLessThan(200L << 20);
        }
    }

    @Test
    void jsonNestedAHundredThousandDeepIsNotATagList() throws IOException {
        String body = "{\"name\":\"deep/app\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"tags\":[\"1\"]}";
        try (StubHttpServer stub = afterPing(exchange -> StubHttpServer.respond(exchange, 200, "application/json", body))) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.listTags("deep/app")).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                assertThat(e.getMessage()).contains(stub.host(), "deep/app", "not JSON");
            });
        }
    }

    @Test
    void aTagThatIsNotAStringIsNotATagList() throws IOException {
        try (StubHttpServer stub = afterPing(exchange -> respond(exchange, "{\"name\":\"odd/app\",\"tags\":[\"1\",{\"a\":[]}]}"))) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.listTags("odd/app")).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                assertThat(e.getMessage()).contains(stub.host(), "odd/app", "OCI tag list shape");
            });
        }
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        StubHttpServer.respond(exchange, 200, "application/json", body);
    }
}
