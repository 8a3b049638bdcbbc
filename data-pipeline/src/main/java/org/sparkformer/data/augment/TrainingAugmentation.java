package org.sparkformer.data.augment;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkformer.data.source.AtomicFiles;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.TrainingSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds augmented copies to a {@link TrainingSplit}, on the executors. Each original row is followed by its copies,
 * which keep its label, file and line. Takes only a training split, so evaluation data
 * cannot be augmented.
 */
public final class TrainingAugmentation {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingAugmentation.class);

    private TrainingAugmentation() {
    }

    public static TrainingSplit apply(TrainingSplit split, AugmentationConfig config, Configuration conf) {
        if (!config.enabled()) {
            return split;
        }
        WordNetSynonyms synonyms = null;
        if (config.wordnetDir() == null || !AtomicFiles.exists(config.wordnetDir(), conf)) {
            LOG.info("no WordNet directory ({}): synonym replacement and insertion are disabled", config.wordnetDir());
        } else {
            synonyms = WordNetSynonyms.load(config.wordnetDir(), conf);
            LOG.info("loaded WordNet synonyms for {} words from {}", synonyms.size(), config.wordnetDir());
        }
        JavaRDD<LabelledText> rows = split.records();
        Broadcast<EdaAugmenter> augmenter = JavaSparkContext.fromSparkContext(rows.context())
                .broadcast(new EdaAugmenter(config, synonyms));
        return split.withRecords(rows.flatMap(row -> withCopies(row, augmenter.value()).iterator()));
    }

    static List<LabelledText> withCopies(LabelledText row, EdaAugmenter augmenter) {
        List<LabelledText> out = new ArrayList<>();
        out.add(row);
        List<String> copies = augmenter.augment(row.text(), exampleKey(row));
        for (int c = 0; c < copies.size(); c++) {
            out.add(new LabelledText(row.file(), row.line(), copies.get(c), row.label()));
        }
        return out;
    }

    /** A stable key of a row: its file and line (String hash codes are the same in every JVM). */
    static long exampleKey(LabelledText row) {
        return ((long) row.file().hashCode() << 32) ^ row.line();
    }
}
