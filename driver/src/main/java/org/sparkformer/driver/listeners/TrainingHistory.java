package org.sparkformer.driver.listeners;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * A training run's figures, one {@link Round} per averaging round in order, as {@link HistoryRecorder} took them from
 * the {@link TrainingState} after each round. As CSV ({@link #toCsv}: a header of {@link #COLUMNS}, one line per
 * round, numbers as Java writes doubles, an empty field where there is no value) and as a Spark DataFrame with the
 * same columns ({@link #toDataFrame}).
 */
public final class TrainingHistory {

    /** The CSV header and DataFrame columns, in order. */
    public static final List<String> COLUMNS = List.of("round", "epoch", "step", "loss", "learning_rate",
            "tokens_per_second", "round_seconds", "elapsed_seconds", "validation_metric");

    /**
     * One averaging round.
     *
     * @param round            1-based round number
     * @param epoch            epochs completed after the round (a fraction)
     * @param step             optimizer steps per worker completed after the round
     * @param loss             mean training loss over the round's loss terms (NaN when the round trained nothing)
     * @param learningRate     learning rate of the round's last optimizer step
     * @param tokensPerSecond  tokens per second of round wall time
     * @param roundSeconds     the round's wall time (broadcast, compute and aggregate)
     * @param elapsedSeconds   training time since the run started (of a resumed run: the time before the interruption, up
     *                         to its last checkpoint's round, and the time since the resume)
     * @param validationMetric the validation metric measured after the round (accuracy, for fine-tuning), or null when
     *                         none was measured
     */
    public record Round(int round, double epoch, long step, double loss, double learningRate, double tokensPerSecond,
                        double roundSeconds, double elapsedSeconds, Double validationMetric) {
    }

    /**
     * The rounds of one epoch: those that ended in it (a round that ends exactly at an epoch's end belongs to that
     * epoch).
     *
     * @param epoch            1-based epoch
     * @param firstRound       its first round
     * @param lastRound        its last round
     * @param meanLoss         mean of its rounds' training losses (NaN when none trained)
     * @param lastLearningRate learning rate of its last round's last step
     * @param validationMetric the last validation measured in it, or null
     */
    public record Epoch(int epoch, int firstRound, int lastRound, double meanLoss, double lastLearningRate,
                        Double validationMetric) {
    }

    private final List<Round> rounds;

    public TrainingHistory(List<Round> rounds) {
        this.rounds = List.copyOf(rounds);
    }

    public static TrainingHistory empty() {
        return new TrainingHistory(List.of());
    }

    /** Every round, in order. */
    public List<Round> rounds() {
        return rounds;
    }

    /** The rounds after which validation was measured, in order. */
    public List<Round> validated() {
        return rounds.stream().filter(r -> r.validationMetric() != null).toList();
    }

    public int size() {
        return rounds.size();
    }

    public boolean isEmpty() {
        return rounds.isEmpty();
    }

    /** The rounds summed up per epoch, in order. */
    public List<Epoch> perEpoch() {
        List<Epoch> epochs = new ArrayList<>();
        int i = 0;
        while (i < rounds.size()) {
            int epoch = epochOf(rounds.get(i));
            int j = i;
            double lossSum = 0;
            int losses = 0;
            Double validation = null;
            while (j < rounds.size() && epochOf(rounds.get(j)) == epoch) {
                Round r = rounds.get(j);
                if (Double.isFinite(r.loss())) {
                    lossSum += r.loss();
                    losses++;
                }
                if (r.validationMetric() != null) {
                    validation = r.validationMetric();
                }
                j++;
            }
            epochs.add(new Epoch(epoch, rounds.get(i).round(), rounds.get(j - 1).round(),
                    losses == 0 ? Double.NaN : lossSum / losses, rounds.get(j - 1).learningRate(), validation));
            i = j;
        }
        return epochs;
    }

    /** The 1-based epoch a round ended in. */
    private static int epochOf(Round r) {
        return Math.max(1, (int) Math.ceil(r.epoch() - 1e-9));
    }

    /** The rounds up to and including {@code round}. */
    public TrainingHistory upTo(int round) {
        return new TrainingHistory(rounds.stream().filter(r -> r.round() <= round).toList());
    }

    /**
     * Reads {@link #toCsv} output back; {@code source} names it in errors, which give the line:
     * {@code checkpoints/history.csv:4: 8 fields, expected 9}.
     */
    public static TrainingHistory parseCsv(String csv, String source) {
        List<String> lines = csv.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(String.join(",", COLUMNS))) {
            throw new IllegalArgumentException(source + ":1: not a training history: the header is not "
                    + String.join(",", COLUMNS));
        }
        List<Round> rounds = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String where = source + ":" + (i + 1) + ": ";
            String[] f = lines.get(i).split(",", -1);
            if (f.length != COLUMNS.size()) {
                throw new IllegalArgumentException(where + f.length + " fields, expected " + COLUMNS.size());
            }
            try {
                Round r = new Round(Integer.parseInt(f[0]), decimal(f[1]), Long.parseLong(f[2]), decimal(f[3]),
                        decimal(f[4]), decimal(f[5]), decimal(f[6]), decimal(f[7]),
                        f[8].isEmpty() ? null : Double.parseDouble(f[8]));
                if (!rounds.isEmpty() && r.round() <= rounds.get(rounds.size() - 1).round()) {
                    throw new IllegalArgumentException(where + "round " + r.round() + " does not follow round "
                            + rounds.get(rounds.size() - 1).round());
                }
                rounds.add(r);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "not a number: " + e.getMessage());
            }
        }
        return new TrainingHistory(rounds);
    }

    private static double decimal(String field) {
        return field.isEmpty() ? Double.NaN : Double.parseDouble(field);
    }

    /** The history as CSV: the header, then one line per round. */
    public String toCsv() {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Round r : rounds) {
            csv.append(r.round()).append(',').append(number(r.epoch())).append(',').append(r.step()).append(',')
                    .append(number(r.loss())).append(',').append(number(r.learningRate())).append(',')
                    .append(number(r.tokensPerSecond())).append(',').append(number(r.roundSeconds())).append(',')
                    .append(number(r.elapsedSeconds())).append(',')
                    .append(r.validationMetric() == null ? "" : number(r.validationMetric())).append('\n');
        }
        return csv.toString();
    }

    /** The DataFrame schema: {@code round} int, {@code step} long, every other column a nullable double. */
    public static StructType schema() {
        List<StructField> fields = new ArrayList<>();
        for (String c : COLUMNS) {
            fields.add(switch (c) {
                case "round" -> DataTypes.createStructField(c, DataTypes.IntegerType, false);
                case "step" -> DataTypes.createStructField(c, DataTypes.LongType, false);
                default -> DataTypes.createStructField(c, DataTypes.DoubleType, true);
            });
        }
        return DataTypes.createStructType(fields);
    }

    /** The history as a DataFrame of {@link #schema()}, one row per round; numbers that are NaN or infinite become null. */
    public Dataset<Row> toDataFrame(SparkSession spark) {
        List<Row> rows = new ArrayList<>(rounds.size());
        for (Round r : rounds) {
            rows.add(RowFactory.create(r.round(), finite(r.epoch()), r.step(), finite(r.loss()), finite(r.learningRate()),
                    finite(r.tokensPerSecond()), finite(r.roundSeconds()), finite(r.elapsedSeconds()),
                    r.validationMetric() == null ? null : finite(r.validationMetric())));
        }
        return spark.createDataFrame(rows, schema());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }
}
