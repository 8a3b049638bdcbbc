package org.sparkformer.driver.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of a job's report.html and its charts, for the tests of every job that writes one: the page is whole and
 * self-contained (no script, style sheet, font or image from outside it), embeds the PNG files beside it, each a
 * picture, and, with {@code -Dsparkformer.browserTests=true} and chromium installed, opens in headless chromium
 * without an error or a network request, its charts on the screenshot.
 */
public final class ReportChecks {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    private ReportChecks() {
    }

    /** report.html, checked to load nothing from elsewhere: no script, style sheet, font or remote image. */
    public static String selfContainedReport(Path job) throws Exception {
        Path file = job.resolve(JobReport.FILE_NAME);
        assertTrue(Files.size(file) > 0, file + " is empty");
        String html = Files.readString(file);
        for (String external : List.of("<script", "<link", "@import", "url(", "http://", "https://", "@font-face",
                "<iframe", "<object", "<embed")) {
            assertFalse(html.toLowerCase(Locale.ROOT).contains(external), "report has " + external);
        }
        Matcher src = Pattern.compile("src=\"([^\"]{0,30})").matcher(html);
        while (src.find()) {
            assertTrue(src.group(1).startsWith("data:image/png;base64,"), "inline image only: " + src.group(1));
        }
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"), "a whole page");
        return html;
    }

    /** Every {@code src} and {@code href} of the job's report.html is an inline PNG or an anchor in the page. */
    public static void assertLoadsNothingFromOutside(Path job) throws Exception {
        Pattern reference = Pattern.compile("\\b(src|href)\\s*=\\s*[\"']?([^\"'\\s>]*)", Pattern.CASE_INSENSITIVE);
        String html = Files.readString(job.resolve(JobReport.FILE_NAME));
        String lower = html.toLowerCase(Locale.ROOT);
        Matcher m = reference.matcher(html);
        int images = 0;
        while (m.find()) {
            String target = m.group(2);
            assertTrue(target.startsWith("data:image/png;base64,") || target.startsWith("#"),
                    job + ": " + m.group(1) + " names " + target.substring(0, Math.min(60, target.length())));
            images += target.startsWith("data:") ? 1 : 0;
        }
        assertTrue(images > 0, job + ": the charts are in the page");
        for (String external : List.of("http://", "https://", "//fonts.", "<script", "<link", "@import", "@font-face",
                "url(")) {
            assertFalse(lower.contains(external), job + ": the report holds " + external);
        }
    }

    /** The full value of the figure shown under {@code key}. */
    public static double figure(String html, String key) {
        Matcher m = Pattern.compile("data-metric=\"" + Pattern.quote(key) + "\" data-value=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "report shows " + key);
        return Double.parseDouble(m.group(1));
    }

    /** Each PNG file is beside the report, a picture, and embedded in it byte for byte; the page embeds no other image. */
    public static void assertEmbedsTheChartsBesideIt(String html, Path job, String... pngs) throws Exception {
        List<byte[]> embedded = new ArrayList<>();
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        while (m.find()) {
            embedded.add(Base64.getDecoder().decode(m.group(1)));
        }
        assertEquals(pngs.length, embedded.size(), "embedded images");
        for (String png : pngs) {
            byte[] file = Files.readAllBytes(job.resolve(png));
            assertArrayEquals(PNG_MAGIC, Arrays.copyOf(file, 4), png + " is a PNG");
            assertTrue(file.length > 2000, png + " holds a picture: " + file.length + " bytes");
            assertTrue(embedded.stream().anyMatch(e -> Arrays.equals(e, file)), png + " is embedded in the report");
        }
    }

    /**
     * {@code png} decodes as an image that is not blank: at least 2% of it inked (axes, labels, grid lines) and at
     * least {@code minColoured} pixels of a clear colour (the chart's markers, lines, bars or cells).
     */
    public static void assertAPicture(Path png, long minColoured) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " does not decode as an image");
        assertTrue(image.getWidth() >= 200 && image.getHeight() >= 200,
                png + " is " + image.getWidth() + " x " + image.getHeight());
        double inked = inkedShare(image);
        long coloured = colouredPixels(image);
        assertTrue(inked > 0.02, png + " is blank: " + inked + " of it inked");
        assertTrue(coloured >= minColoured, png + " has " + coloured + " coloured pixels, fewer than " + minColoured);
    }

    /** Whether {@code -Dsparkformer.browserTests=true} asks for the reports to be opened in chromium. */
    public static boolean browserTestsAsked() {
        return Boolean.getBoolean("sparkformer.browserTests");
    }

    /**
     * With {@code -Dsparkformer.browserTests=true} and chromium installed, {@link #assertOpensInHeadlessChromium};
     * otherwise nothing (said on standard output when the browser tests were asked for but chromium is missing).
     */
    public static void assertOpensInHeadlessChromiumWhenAsked(Path job, Path work, long minColoured) throws Exception {
        if (!browserTestsAsked()) {
            return;
        }
        if (HeadlessChromium.find() == null) {
            System.out.println(job + "/report.html not opened: chromium is not installed (Debian: apt-get install chromium)");
            return;
        }
        assertOpensInHeadlessChromium(job, work, minColoured);
    }

    /**
     * The job's report.html opens in headless chromium (1280 x 2000) without an error, a console line or a network
     * request, and its screenshot is inked, with at least {@code minColoured} pixels of a clear colour (the charts).
     */
    public static void assertOpensInHeadlessChromium(Path job, Path work, long minColoured) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find();
        assertNotNull(chromium, "chromium is not installed");
        HeadlessChromium.Page page = chromium.open(job.resolve(JobReport.FILE_NAME), 1280, 2000, work);
        assertEquals(0, page.exitCode(), job + ": chromium failed:\n" + page.log());
        assertEquals(List.of(), page.externalRequests(), job + ": the page asked the network");
        assertEquals(List.of(), page.console(), job + ": the page logged to the console");
        assertNotNull(page.screenshot(), job + ": no screenshot:\n" + page.log());
        assertEquals(1280, page.screenshot().getWidth());
        double inked = page.inkedShare();
        long coloured = page.colouredPixels();
        assertTrue(inked > 0.005, job + ": the screenshot is blank (" + inked + " of it not white)");
        assertTrue(coloured > minColoured, job + ": no chart drawn in the screenshot (" + coloured + " coloured pixels)");
        System.out.printf(Locale.ROOT, "%s/report.html in chromium: %.1f%% of the screenshot inked, %d coloured pixels%n",
                job.getFileName(), 100 * inked, coloured);
    }

    /** The share of the image's pixels that are not (near) white. */
    static double inkedShare(BufferedImage image) {
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (Math.min(Math.min(rgb >> 16 & 0xff, rgb >> 8 & 0xff), rgb & 0xff) < 235) {
                    inked++;
                }
            }
        }
        return (double) inked / ((long) image.getWidth() * image.getHeight());
    }

    /** Pixels of a clear colour (not grey, black or white): the charts' lines, bars and cells; text is grey. */
    static long colouredPixels(BufferedImage image) {
        long coloured = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    coloured++;
                }
            }
        }
        return coloured;
    }
}
