package org.sparkformer.bench.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's printed table and its JSON line: per task the scores, and the machine, commit, budget and configuration. */
final class QualityReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final QualityBudget budget;
    private final String commit;
    private final Path data;
    private final QualityProtocol protocol;
    private final List<TaskResult> results;
    private final double seconds;
    private final String date = Instant.now().toString();

    QualityReport(QualityBudget budget, String commit, Path data, QualityProtocol protocol, List<TaskResult> results,
                  double seconds) {
        this.budget = budget;
        this.commit = commit;
        this.data = data;
        this.protocol = protocol;
        this.results = results;
        this.seconds = seconds;
    }

    /** A Markdown table, one row per task (accuracy in %, on test), then the run's circumstances. */
    String table() {
        StringBuilder s = new StringBuilder();
        s.append("| task | train examples | test: pretrained | test: fresh weights | baselines (fitted on train) "
                + "| words shuffled | wall s: pretrain / fine-tune fresh / pretrained | tokens trained: fresh / pretrained |\n");
        s.append("|---|---|---|---|---|---|---|---|\n");
        for (TaskResult r : results) {
            s.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %.0f / %.0f / %.0f | %,d / %,d |%n",
                    r.task().name(), r.trainExamples(), percent(r.pretrained().testAccuracy()),
                    percent(r.fresh().testAccuracy()), baselines(r.baselines()),
                    r.task().token() ? percent(r.shuffledAccuracy()) : "-",
                    r.pretrainSeconds(), r.fresh().seconds(), r.pretrained().seconds(),
                    r.fresh().tokensTrained(), r.pretrained().tokensTrained()));
        }
        s.append(String.format(Locale.ROOT, "%nbudget %s, %s; commit %s; %s; %.0f s in all%n", budget.name(), describe(budget),
                commit, machine().get("cpu").asText() + ", " + machine().get("cores").asInt() + " cores", seconds));
        protocol.missing().forEach(m -> s.append("left out: ").append(m).append('\n'));
        return s.toString();
    }

    /** One line of JSON with everything the table holds and the configuration of every task. */
    String jsonLine() {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "quality");
        root.put("date", date);
        root.put("commit", commit);
        root.set("machine", machine());
        ObjectNode b = JSON.valueToTree(budget);
        root.set("budget", b);
        root.put("data", data.toString());
        root.put("seconds", seconds);
        ArrayNode tasks = root.putArray("tasks");
        for (TaskResult r : results) {
            ObjectNode t = tasks.addObject();
            t.put("task", r.task().name());
            t.put("kind", r.task().token() ? "token" : "sequence");
            t.put("metric", r.task().token() ? "word accuracy" : "accuracy");
            t.put("trainExamples", r.trainExamples());
            t.set("pretrained", run(r.pretrained()));
            t.set("fresh", run(r.fresh()));
            ObjectNode baselines = t.putObject("baselines");
            r.baselines().forEach(baselines::put);
            if (r.task().token()) {
                t.put("shuffledWordsAccuracy", r.shuffledAccuracy());
            }
            t.put("pretrainSeconds", r.pretrainSeconds());
            ObjectNode config = t.putObject("configuration");
            config.set("configs", JSON.valueToTree(r.task().configs()));
            config.set("settings", JSON.valueToTree(r.task().settings()));
            config.set("pretrainConfigs", JSON.valueToTree(r.task().pretrain().configs()));
            config.set("pretrainSettings", JSON.valueToTree(r.task().pretrain().settings()));
        }
        root.set("leftOut", JSON.valueToTree(protocol.missing()));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    private static ObjectNode run(TrainedRun run) {
        ObjectNode n = JSON.createObjectNode();
        putNumber(n, "testAccuracy", run.testAccuracy());
        putNumber(n, "devAccuracy", run.devAccuracy());
        n.put("seconds", run.seconds());
        n.put("tokensTrained", run.tokensTrained());
        return n;
    }

    private static void putNumber(ObjectNode n, String key, double value) {
        if (Double.isFinite(value)) {
            n.put(key, value);
        } else {
            n.putNull(key);
        }
    }

    private static String describe(QualityBudget b) {
        return String.format(Locale.ROOT, "WordNet %s (pretrain %d, fine-tune %d epochs), UD EWT %s (pretrain %d, fine-tune %d"
                        + " epochs), early stopping on dev after %d", b.wordnetSample() ? "embedded sample" : "full data",
                b.wordnetPretrainEpochs(), b.wordnetFinetuneEpochs(),
                b.udTrainSentences() > 0 ? "first " + b.udTrainSentences() + " training sentences" : "all training sentences",
                b.udPretrainEpochs(), b.udFinetuneEpochs(), b.patience());
    }

    private static String baselines(Map<String, Double> baselines) {
        StringBuilder s = new StringBuilder();
        baselines.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(name(k)).append(' ').append(percent(v)));
        return s.toString();
    }

    private static String name(String key) {
        return switch (key) {
            case "mostFrequentTag" -> "most-frequent tag";
            case "naiveBayes" -> "naive Bayes";
            default -> key;
        };
    }

    private static String percent(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f%%", 100 * value) : "-";
    }

    /** Cores, CPU model, host, operating system and Java version. */
    static ObjectNode machine() {
        ObjectNode m = JSON.createObjectNode();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("host", host());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
