package dev.wharf.terraform.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.testing.ChromiumWalks;
import dev.wharf.testing.HeadlessChromium;
import dev.wharf.testing.OidcIssuer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.logging.LogEntry;

/**
 * The sign-in guarding {@code /ui/} in Debian's headless Chromium: the static token's form (another site's posts
 * refused, sign-out), where {@code next} may lead, and the OIDC issuer's sign-in across two sites, each walk
 * checked as RegistryUiBrowserTest checks the pages.
 */
class RegistryUiSignInBrowserTest extends ChromiumWalks {
    private static final String TOKEN = "browser-s3cret";

    @TempDir
    static Path dir;
    private static UiRegistry registry;
    private static URI guarded;
    private static OidcIssuer issuer;
    private static URI oidcGuarded;

    RegistryUiSignInBrowserTest() {
        super(Ui.REGISTRY);
    }

    @BeforeAll
    static void start() throws Exception {
        registry = new UiRegistry(dir).withCatalog();
        guarded = registry.serve(new ClientAuthentication(h -> h.equals("Bearer " + TOKEN), true, Optional.empty()));
        issuer = registry.keep(OidcIssuer.start());
        oidcGuarded = registry.serve(OidcSignInTest.oidcAuthentication(issuer));
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    @Test
    void signInWithAStaticToken() throws Exception {
        // Another site's form with a valid token (login CSRF) is refused, and signs nobody in.
        HeadlessChromium.postFromAnotherSite(browser, guarded.resolve("/ui/sign-in"), Map.of("token", TOKEN, "next", "/ui/providers/acme/dummy"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Refused");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("sent from another site", "Nothing changed");
        assertThat(consoleErrors()).allSatisfy(e -> assertThat(e.getMessage()).contains("/ui/sign-in").contains("403"));
        browser.get(guarded.resolve("/ui/providers/acme/dummy").toString());
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign in");
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("acme");

        browser.findElement(By.id("token")).sendKeys("not-the-token", Keys.ENTER);
        waitFor(() -> !browser.findElements(By.id("sign-in-error")).isEmpty());
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("not accepted");

        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/providers/acme/dummy"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("acme/dummy");
        // HttpOnly: no script of the page can read the token.
        assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie")).isEqualTo("");
        List<LogEntry> errors = consoleErrors();
        // The one error expected is the refused wrong token (a 401 answer); nothing else.
        assertThat(errors).allSatisfy(e -> assertThat(e.getMessage()).contains("/ui/sign-in").contains("401"));
        screenshot("sign-in");
        // Nor does another site's form sign this visitor out.
        HeadlessChromium.postFromAnotherSite(browser, guarded.resolve("/ui/sign-out"), Map.of());
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Refused");
        assertThat(consoleErrors()).allSatisfy(e -> assertThat(e.getMessage()).contains("/ui/sign-out").contains("403"));
        browser.get(guarded.resolve("/ui/providers/acme/dummy").toString());
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/providers/acme/dummy"));
        browser.findElement(By.cssSelector("form.sign-out button")).click();
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
        browser.get(guarded.resolve("/ui/").toString());
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
    }

    /**
     * A sign-in link whose next is /ui/../..//evil.example/ had passed as a path under /ui/: the browser, following it
     * after sign-in, left the UI for //evil.example/ (a protocol-relative address to anything that reads it as a link).
     */
    @Test
    void aNextThatLeavesTheUiOnceResolvedLeadsToTheUiAfterSignIn() {
        for (String next : List.of("/ui/../..//evil.example/", "/ui/%2e%2e/%2E%2E//evil.example/")) {
            browser.manage().deleteAllCookies();
            browser.get(guarded.resolve("/ui/sign-in?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8)).toString());
            browser.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
            waitFor(() -> !browser.getCurrentUrl().contains("/ui/sign-in"));
            URI landed = URI.create(browser.getCurrentUrl());
            assertThat(landed.getAuthority()).as(next).isEqualTo(guarded.getAuthority());
            assertThat(landed.getRawPath()).as(next).isEqualTo("/ui/");
            assertThat(browser.findElement(By.tagName("h1")).getText()).as(next).isEqualTo("Modules and providers");
        }
    }

    @Test
    void signInThroughTheOidcIssuer() throws Exception {
        // Wharf as localhost and the issuer as 127.0.0.1 are different sites, as in real life: the
        // session cookie is SameSite=Strict, yet the browser must carry it right after the issuer's redirect.
        URI site = URI.create("http://localhost:" + oidcGuarded.getPort());
        int asked = issuer.authorizeRequests().size();
        browser.get(site.resolve("/ui/providers/acme/dummy").toString());
        approveAtTheIssuer();
        waitFor(() -> browser.getCurrentUrl().equals(site.resolve("/ui/providers/acme/dummy").toString()));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("acme/dummy");
        assertThat(issuer.authorizeRequests()).hasSize(asked + 1);
        assertThat(issuer.authorizeRequests().get(asked)).containsEntry("code_challenge_method", "S256");
        assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie")).isEqualTo("");
        browser.findElement(By.linkText("Wharf registry")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Modules and providers");
        assertStyledAndClean("oidc-sign-in");

        browser.findElement(By.cssSelector("form.sign-out button")).click();
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
        assertThat(browser.findElement(By.linkText("Sign in with your identity provider")).isDisplayed()).isTrue();
        issuer.tamperState(true);
        try {
            browser.get(site.resolve("/ui/").toString());
            approveAtTheIssuer();
            waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in/callback"));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign-in refused");
            assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).contains("state");
            assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("acme");
            screenshot("oidc-wrong-state");
        } finally {
            issuer.tamperState(false);
        }
        browser.findElement(By.linkText("Sign in again")).click();
        approveAtTheIssuer();
        waitFor(() -> browser.getCurrentUrl().equals(site.resolve("/ui/").toString()));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Modules and providers");
    }

    private void approveAtTheIssuer() {
        waitFor(() -> browser.getCurrentUrl().startsWith(issuer.issuer() + "/authorize?"));
        browser.findElement(By.id("approve")).click();
    }

}
