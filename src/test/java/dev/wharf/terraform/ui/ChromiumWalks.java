package dev.wharf.terraform.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.HeadlessChromium;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;

/**
 * What RegistryUiBrowserTest (the pages) and RegistryUiSignInBrowserTest (the sign-in) share: a fresh headless
 * Chromium per test, and the checks each walk ends with (styled, a console free of errors, a screenshot under
 * target/). One place, so the two classes cannot drift apart in what a clean walk means.
 */
abstract class ChromiumWalks {
    ChromeDriver browser;

    @BeforeEach
    void openBrowser() throws IOException {
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    void assertStyledAndClean(String walk) throws Exception {
        String color = browser.findElement(By.tagName("header")).getCssValue("background-color");
        assertThat(color).as("the stylesheet applies").isEqualTo("rgba(11, 61, 92, 1)");
        assertThat(consoleErrors()).isEmpty();
        screenshot(walk);
    }

    List<LogEntry> consoleErrors() {
        return HeadlessChromium.consoleErrors(browser);
    }

    void screenshot(String walk) throws Exception {
        HeadlessChromium.screenshot(browser, walk);
    }

    void waitFor(java.util.function.BooleanSupplier condition) {
        HeadlessChromium.waitFor(browser, condition);
    }
}
