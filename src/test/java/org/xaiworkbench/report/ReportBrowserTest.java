package org.xaiworkbench.report;

import org.xaiworkbench.viz.ExplanationFigures;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;
import org.openqa.selenium.OutputType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page in a real browser: Debian's headless Chromium, driven through its chromedriver by Selenium,
 * opens it from file:// with no console error, loads every image, and its filters change what is shown.
 * Skipped, with the reason, where Chromium is not installed (.ci/run installs it).
 */
class ReportBrowserTest {
    /** Debian's chromium-driver; named explicitly so that Selenium Manager never looks for (or downloads) a driver. */
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOT = Path.of("target", "report-browser-test", "report.png");

    @TempDir
    static Path root;
    private static ChromeDriver browser;
    private static List<LogEntry> loadLog;

    @BeforeAll
    static void openThePage() throws IOException {
        if (!chromiumInstalled()) {
            return;
        }
        ReportFixtures.everything(root);
        ReportBuilder.Result result = ReportBuilderTest.build(root);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // no sandbox: tests run as root in containers, where Chromium's sandbox cannot start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,900");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30)).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.get(result.page().toUri().toString());
        // the load event has fired: every image has loaded or failed
        loadLog = browser.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Checked per test, not in openThePage: a class aborted in @BeforeAll is reported as no test at all, not as skipped. */
    @BeforeEach
    void needsChromium() {
        assumeTrue(chromiumInstalled(),
                "headless Chromium is not installed (" + CHROMEDRIVER + ", " + CHROMIUM + "): apt-get install chromium chromium-driver");
    }

    private static boolean chromiumInstalled() {
        return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void opensFromDiskWithoutConsoleErrors() {
        assertTrue(browser.getCurrentUrl().startsWith("file:"), browser.getCurrentUrl());
        List<LogEntry> severe = loadLog.stream().filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertEquals(List.of(), severe.stream().map(LogEntry::getMessage).toList());
    }

    @Test
    void everyImageLoads() {
        List<?> broken = (List<?>) script("return Array.from(document.images)"
                + ".filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.getAttribute('src'));");
        long images = (Long) script("return document.images.length;");
        assertTrue(images > 30, "images on the page: " + images);
        assertEquals(List.of(), broken);
    }

    @Test
    void theClassFilterShowsOnlyThatTrueClass() {
        int all = visibleCards().size();
        assertEquals(ReportFixtures.EXPLAINED.size(), all);
        new Select(browser.findElement(By.id("filter-class"))).selectByValue("ship");
        List<WebElement> shown = visibleCards();
        assertEquals(1, shown.size());
        assertEquals("ship", shown.get(0).getAttribute("data-true-class"));
        assertTrue(browser.findElement(By.id("gallery-count")).getText().contains("1 of " + all));
        new Select(browser.findElement(By.id("filter-class"))).selectByValue("");
        assertEquals(all, visibleCards().size());
    }

    @Test
    void theOutcomeFilterShowsOnlyCorrectOrOnlyWrongPredictions() {
        Select outcome = new Select(browser.findElement(By.id("filter-outcome")));
        outcome.selectByValue("wrong");
        List<WebElement> wrong = visibleCards();
        assertEquals(1, wrong.size());
        wrong.forEach(card -> assertEquals("wrong", card.getAttribute("data-outcome")));
        outcome.selectByValue("correct");
        List<WebElement> correct = visibleCards();
        assertEquals(2, correct.size());
        correct.forEach(card -> assertEquals("correct", card.getAttribute("data-outcome")));
        outcome.selectByValue("");
        assertEquals(ReportFixtures.EXPLAINED.size(), visibleCards().size());
    }

    @Test
    void theMethodFilterHidesThatMethodsFigures() {
        WebElement gradCam = browser.findElement(By.cssSelector(".filter-method[value='grad-cam']"));
        gradCam.click();
        assertTrue(browser.findElements(By.cssSelector("figure.method[data-method='grad-cam']")).stream().noneMatch(WebElement::isDisplayed));
        assertTrue(browser.findElements(By.cssSelector("figure.method[data-method='saliency']")).stream().allMatch(WebElement::isDisplayed));
        gradCam.click();
        assertTrue(browser.findElements(By.cssSelector("figure.method[data-method='grad-cam']")).stream().allMatch(WebElement::isDisplayed));
    }

    @Test
    void aClickOnAFigureOpensTheImagesFullSizeFigures() {
        WebElement link = browser.findElement(By.cssSelector("a.open-figures"));
        WebElement dialog = browser.findElement(By.id(link.getAttribute("data-dialog")));
        assertFalse(dialog.isDisplayed());
        // in mid-screen, where the sticky filter bar cannot cover it whatever an earlier test scrolled
        script("arguments[0].scrollIntoView({block: 'center'});", link);
        link.click();
        assertTrue(dialog.isDisplayed());
        assertTrue(browser.getCurrentUrl().indexOf('#') < 0, "the script opened the dialog instead of following the link");
        dialog.findElement(By.cssSelector("form.close button")).click();
        assertFalse(dialog.isDisplayed());
    }

    /**
     * As a reader sees them: the summary names the maps to trust, the verdict is one sentence per finding, the tiles
     * are shown at the size they were drawn at, and a tile's dialog shows every figure at full resolution.
     */
    @Test
    void theReaderSeesTheVerdictGroupedAndEveryFigureUnshrunk() {
        String trust = browser.findElement(By.xpath("//section[@class='glance']//dt[.='Which maps to trust']/following-sibling::dd[1]"))
                .getText();
        assertTrue(trust.startsWith("Trust grad-cam and occlusion on this model"), trust);
        assertEquals(2, browser.findElements(By.cssSelector("#trust .verdict p")).size(), "the verdict's findings, one paragraph each");

        WebElement tile = browser.findElement(By.cssSelector("figure.method img.drawn-size"));
        script("arguments[0].scrollIntoView({block: 'center'});", tile);
        assertEquals(script("return arguments[0].naturalWidth;", tile), script("return arguments[0].clientWidth;", tile),
                "a tile is shown at the width it was drawn at");
        // the tile as the browser paints it (inside its 1 px border): the hot scale under the map, dark on the left, white on the right
        BufferedImage painted;
        try {
            painted = ImageIO.read(new java.io.ByteArrayInputStream(tile.getScreenshotAs(OutputType.BYTES)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int scaleRow = painted.getHeight() - 1 - 1 - ExplanationFigures.THUMBNAIL_SCALE / 2;
        int left = painted.getRGB(3, scaleRow);
        int right = painted.getRGB(painted.getWidth() - 4, scaleRow);
        assertTrue(brightness(left) < 60, "the scale starts near black: " + Integer.toHexString(left));
        assertTrue(brightness(right) > 220, "and ends near white: " + Integer.toHexString(right));
        WebElement link = tile.findElement(By.xpath("./ancestor::a"));
        WebElement dialog = browser.findElement(By.id(link.getAttribute("data-dialog")));
        link.click();
        try {
            List<WebElement> figures = dialog.findElements(By.cssSelector("img"));
            assertTrue(figures.size() >= 4, "the dialog's figures");
            for (WebElement figure : figures) {
                assertEquals(script("return arguments[0].naturalWidth;", figure), script("return arguments[0].clientWidth;", figure),
                        "the dialog shows " + figure.getAttribute("src") + " at full resolution");
            }
        } finally {
            dialog.findElement(By.cssSelector("form.close button")).click();
        }
    }

    @Test
    void aClickOnAMetricSortsTheRankingBetterFirstAndMovesTheSortMark() {
        assertEquals(List.of("occlusion", "grad-cam", "saliency", "control-random"), firstColumn(), "first sorted by deletion, lowest first");
        browser.findElement(By.xpath("//table[contains(@class, 'ranking')]//button[text()='complexity']")).click();
        List<String> byComplexity = firstColumn();
        assertEquals("control-random", byComplexity.get(0));
        browser.findElement(By.xpath("//table[contains(@class, 'ranking')]//button[text()='insertion']")).click();
        List<String> sorted = firstColumn();
        assertEquals("occlusion", sorted.get(0), "the highest insertion first");
        assertEquals("control-random", sorted.get(sorted.size() - 1));
        assertNotEquals(byComplexity, sorted);
        List<WebElement> marked = browser.findElements(By.cssSelector("table.ranking th[aria-sort]"));
        assertEquals(1, marked.size());
        assertEquals("insertion", marked.get(0).findElement(By.cssSelector("button")).getText());
        assertEquals("insertion", browser.findElement(By.cssSelector("table.ranking caption strong")).getText());
    }

    @Test
    void nothingScrollsSidewaysOnALaptopScreenOrInPrint() {
        try {
            for (int width : new int[]{1366, 1024}) {
                browser.manage().window().setSize(new Dimension(width, 900));
                assertEquals(0L, script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"),
                        "overflow at a " + width + " px window");
            }
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
            browser.manage().window().setSize(new Dimension(800, 1100));
            assertEquals(0L, script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"),
                    "overflow in print at a page's width");
        } finally {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
            browser.manage().window().setSize(new Dimension(1366, 900));
        }
    }

    @Test
    void theSummaryIsOnTheFirstScreenAndFitsAPhone() {
        try {
            browser.manage().window().setSize(new Dimension(1400, 900));
            script("window.scrollTo(0, 0);");
            Number bottom = (Number) script("return document.querySelector('section.glance').getBoundingClientRect().bottom;");
            assertTrue(bottom.doubleValue() <= 900, "the summary ends " + bottom + " px down, below a 900 px screen");
            browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390, "height", 844,
                    "deviceScaleFactor", 1, "mobile", true));
            Number right = (Number) script("return document.querySelector('section.glance').getBoundingClientRect().right;");
            assertTrue(right.doubleValue() <= 390, "the summary reaches " + right + " px on a 390 px phone");
            assertEquals(0L, script("const g = document.querySelector('section.glance'); return g.scrollWidth - g.clientWidth;"),
                    "nothing inside the summary scrolls sideways at 390 px");
        } finally {
            browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
            browser.manage().window().setSize(new Dimension(1366, 900));
        }
    }

    @Test
    void onAPhoneOnlyWideTablesScrollInsideTheirBoxAndTheFiltersDoNotStick() {
        try {
            browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390, "height", 844,
                    "deviceScaleFactor", 1, "mobile", true));
            assertEquals(0L, script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"),
                    "the page scrolls sideways at 390 px");
            @SuppressWarnings("unchecked")
            List<Number> tableEdges = (List<Number>) script("return [...document.querySelectorAll('main table')]"
                    + ".map(t => t.getBoundingClientRect().right);");
            assertFalse(tableEdges.isEmpty());
            tableEdges.forEach(right -> assertTrue(right.doubleValue() <= 390, "a table box reaches " + right + " px"));
            assertEquals("static", script("return getComputedStyle(document.querySelector('.filters')).position;"));
        } finally {
            browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Test
    void writesAFullPageScreenshotForAPersonToLookAt() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Number> content = (Map<String, Number>) metrics.get("cssContentSize");
        long width = content.get("width").longValue();
        long height = content.get("height").longValue();
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, Base64.getDecoder().decode((String) shot.get("data")));
        assertTrue(Files.size(SCREENSHOT) > 10_000, SCREENSHOT + " holds the page");
    }

    private static List<WebElement> visibleCards() {
        return browser.findElements(By.cssSelector("#gallery .card")).stream().filter(WebElement::isDisplayed).toList();
    }

    private static List<String> firstColumn() {
        return browser.findElements(By.cssSelector("table.ranking tbody th.method")).stream().map(WebElement::getText).toList();
    }

    private static int brightness(int rgb) {
        return (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3;
    }

    private static Object script(String code, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(code, arguments);
    }
}
