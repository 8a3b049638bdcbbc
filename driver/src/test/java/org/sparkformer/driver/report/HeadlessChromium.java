package org.sparkformer.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} in headless mode, for tests that open a page as a user's browser would. A page is loaded
 * from a file with every host name resolving to nothing and the browser's own background traffic off; what it asked
 * the network for is read from the browser's net log (the requests whose network isolation key is the page's
 * {@code file://} origin), what it logged to its console from the browser's log, and its screenshot is kept.
 */
final class HeadlessChromium {

    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The installed browser, or null when there is none. */
    static HeadlessChromium find() {
        for (String candidate : CANDIDATES) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return new HeadlessChromium(p);
            }
        }
        return null;
    }

    /**
     * One page load: the browser's exit code, the URLs the page requested that are neither {@code file:} nor
     * {@code data:}, the lines the page wrote to the console (script errors among them), the screenshot, and the
     * browser's whole log for messages.
     */
    record Page(int exitCode, List<String> externalRequests, List<String> console, BufferedImage screenshot, String log) {

        /** The share of the screenshot's pixels that are not (near) white. */
        double inkedShare() {
            return ReportChecks.inkedShare(screenshot);
        }

        /** Pixels of a clear colour (not grey, black or white): the charts' lines, bars and cells; text is grey. */
        long colouredPixels() {
            return ReportChecks.colouredPixels(screenshot);
        }
    }

    /** Opens {@code file} in a {@code width} x {@code height} window; {@code work} holds the profile, logs and shot. */
    Page open(Path file, int width, int height, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path screenshot = work.resolve("screenshot.png");
        Path netLog = work.resolve("net-log.json");
        Path log = work.resolve("chromium.log");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--no-pings", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + work.resolve("profile"), "--host-resolver-rules=MAP * ~NOTFOUND",
                "--log-net-log=" + netLog, "--virtual-time-budget=5000", "--window-size=" + width + "," + height,
                "--screenshot=" + screenshot, file.toUri().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish loading " + file + " in 120 s");
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        List<String> console = text.lines().filter(l -> l.contains(":CONSOLE")).toList();
        BufferedImage image = Files.exists(screenshot) ? ImageIO.read(screenshot.toFile()) : null;
        return new Page(process.exitValue(), pageRequests(netLog), console, image, text);
    }

    /** The URLs the page (its file:// origin) requested other than file: and data: ones, in order. */
    private static List<String> pageRequests(Path netLog) throws IOException {
        Set<String> urls = new LinkedHashSet<>();
        if (!Files.exists(netLog)) {
            throw new IllegalStateException("chromium wrote no net log " + netLog);
        }
        for (JsonNode event : JSON.readTree(netLog.toFile()).path("events")) {
            JsonNode params = event.path("params");
            String url = params.path("url").asText("");
            if (params.path("network_isolation_key").asText("").startsWith("file://")
                    && !url.startsWith("file:") && !url.startsWith("data:")) {
                urls.add(url);
            }
        }
        return List.copyOf(urls);
    }
}
