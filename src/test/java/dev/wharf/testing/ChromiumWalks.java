package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;

/**
 * What every UI walk in a browser shares, for both programs' UIs: a fresh headless Chromium per test
 * ({@link HeadlessChromium}), and the checks each walk ends with (styled, a console free of errors,
 * a screenshot under target/). One place, so the browser tests cannot drift apart in how they open
 * the browser or in what a clean walk means.
 */
public abstract class ChromiumWalks {
    /** The UI a class walks: what its stylesheet paints the header with, and how its screenshots are named. */
    public enum Ui {
        /** boring-registry's /ui/. */
        REGISTRY("rgba(11, 61, 92, 1)", ""),
        /** package-registry's /ui/: its screenshots start with "epr-", as the two UIs have walks of the same name. */
        PACKAGES("rgba(31, 78, 61, 1)", "epr-");

        private final String header;
        private final String screenshots;

        Ui(String header, String screenshots) {
            this.header = header;
            this.screenshots = screenshots;
        }
    }

    private final Ui ui;
    protected ChromeDriver browser;

    protected ChromiumWalks(Ui ui) {
        this.ui = ui;
    }

    @BeforeEach
    protected void openBrowser() throws IOException {
        browser = HeadlessChromium.start();
    }

    @AfterEach
    protected void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    protected void assertStyledAndClean(String walk) throws Exception {
        String color = browser.findElement(By.tagName("header")).getCssValue("background-color");
        assertThat(color).as("the stylesheet applies").isEqualTo(ui.header);
        assertThat(consoleErrors()).isEmpty();
        screenshot(walk);
    }

    protected List<LogEntry> consoleErrors() {
        return HeadlessChromium.consoleErrors(browser);
    }

    protected void screenshot(String walk) throws Exception {
        HeadlessChromium.screenshot(browser, ui.screenshots + walk);
    }

    protected void waitFor(BooleanSupplier condition) {
        HeadlessChromium.waitFor(browser, condition);
    }
}
