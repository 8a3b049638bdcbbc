package org.sparkformer.driver.inputs;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.sparkformer.data.augment.AugmentationConfig;
import org.sparkformer.data.augment.TrainingAugmentation;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.SequenceBuilder;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.BadRecordReason;
import org.sparkformer.data.source.Column;
import org.sparkformer.data.source.ConllReader;
import org.sparkformer.data.source.ConllSpec;
import org.sparkformer.data.source.CorpusFormat;
import org.sparkformer.data.source.CorpusReader;
import org.sparkformer.data.source.CorpusSpec;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledFormat;
import org.sparkformer.data.source.LabelledSpec;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.LabelledTextReader;
import org.sparkformer.data.source.Outcome;
import org.sparkformer.data.source.ReadOptions;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.data.source.TrainingSplit;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.driver.config.Augmentation;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.kernels.config.Task;

/**
 * Reads the data a job needs as the configuration's data section describes it. Labelled data is
 * encoded for the model's task: one label per example ({@code data.task: sequence}) or one per word
 * ({@code token}, CoNLL input). Unknown labels follow {@code data.onBadRecord} like every other bad
 * record: counted and skipped, or the job fails naming file and line.
 */
public final class SplitReader {

    private final SparkSession spark;
    private final DataSection data;

    public SplitReader(SparkSession spark, DataSection data) {
        this.spark = spark;
        this.data = data;
    }

    public BadRecordPolicy policy() {
        return BadRecordPolicy.parse(data.onBadRecord());
    }

    public ReadOptions readOptions() {
        return ReadOptions.of(policy());
    }

    /** The classification task the labelled data implies. */
    public Task task() {
        return isTagging() ? Task.TOKEN_CLASSIFICATION : Task.SEQUENCE_CLASSIFICATION;
    }

    public boolean isTagging() {
        return isTagging(data);
    }

    private static boolean isTagging(DataSection data) {
        return data.task().equals("token") || data.format().equals("conll");
    }

    /**
     * The records (sentences, for tagging) of the labelled split at {@code paths}, counted on this JVM before Spark
     * starts and only up to {@code limit}, so that a check that a split holds enough records reads no more than that.
     * Skipped bad records are not counted; under {@code data.onBadRecord: fail} the first one throws. For Parquet it
     * is the row count of the files' footers.
     */
    public static long countUpTo(DataSection data, String paths, Configuration conf, long limit) {
        ReadOptions options = ReadOptions.of(BadRecordPolicy.parse(data.onBadRecord()));
        if (isTagging(data)) {
            return ConllReader.countUpTo(ConllSpec.of(paths), options, conf, limit);
        }
        LabelledSpec spec = new LabelledSpec(paths, LabelledFormat.parse(data.format()), data.header(),
                Column.parse(data.textColumn()), Column.parse(data.labelColumn()));
        return LabelledTextReader.countUpTo(spec, options, conf, limit);
    }

    /** The unlabelled corpus ({@code data.corpusPath}). */
    public ReadResult<Document> corpus() {
        String path = required(data.corpusPath(), "data.corpusPath");
        CorpusSpec spec = new CorpusSpec(path, CorpusFormat.parse(data.corpusFormat()), data.corpusTextColumn());
        return CorpusReader.read(spark, spec, readOptions());
    }

    /** Labelled text from {@code paths} (not CoNLL). */
    public ReadResult<LabelledText> labelledText(String paths) {
        LabelledSpec spec = new LabelledSpec(paths, LabelledFormat.parse(data.format()), data.header(),
                Column.parse(data.textColumn()), Column.parse(data.labelColumn()));
        return LabelledTextReader.read(spark, spec, readOptions());
    }

    /** Token-tagged sentences from CoNLL files at {@code paths}. */
    public ReadResult<TaggedSentence> tagged(String paths) {
        return ConllReader.read(spark, ConllSpec.of(paths), readOptions());
    }

    /** The label set of the training split, sorted, as the data holds it. */
    public LabelSet inferLabels(String trainPaths) {
        if (isTagging()) {
            ReadResult<TaggedSentence> read = tagged(trainPaths);
            try {
                return LabelSet.infer(read.records().flatMap(s -> s.tags().iterator()));
            } finally {
                read.unpersist();
            }
        }
        ReadResult<LabelledText> read = labelledText(trainPaths);
        try {
            return new TrainingSplit(read).inferLabels();
        } finally {
            read.unpersist();
        }
    }

    /**
     * The training split encoded for the task, augmented when {@code data.augmentation} is on (training
     * only: the other splits go through {@link #encoded}).
     */
    public EncodedSplit training(String paths, BertTokenizer tokenizer, LabelSet labels, long jobSeed) {
        if (isTagging()) {
            return encoded(paths, tokenizer, labels);
        }
        return training(labelledText(paths), tokenizer, labels, jobSeed);
    }

    /** As {@link #training(String, BertTokenizer, LabelSet, long)} for labelled text already read. */
    public EncodedSplit training(ReadResult<LabelledText> read, BertTokenizer tokenizer, LabelSet labels, long jobSeed) {
        TrainingSplit split = new TrainingSplit(read);
        Augmentation a = data.augmentation();
        if (a.enabled()) {
            AugmentationConfig config = new AugmentationConfig(a.synonymReplacement(), a.randomInsertion(), a.randomSwap(),
                    a.randomDeletion(), a.copies(), jobSeed, a.wordnetDir());
            split = TrainingAugmentation.apply(split, config, spark.sparkContext().hadoopConfiguration());
        }
        ReadResult<EncodedSequence> sequences = SequenceBuilder.sequenceClassification(split.records(), tokenizer, labels,
                data.maxLength(), policy());
        return new EncodedSplit(read, sequences);
    }

    /** Records already in memory (e.g. rows of a DataFrame) as a read with nothing skipped. */
    public static <T> ReadResult<T> inMemory(JavaRDD<T> records) {
        return new ReadResult<>(records.map(Outcome::good));
    }

    /** A validation, test or prediction split encoded for the task. */
    public EncodedSplit encoded(String paths, BertTokenizer tokenizer, LabelSet labels) {
        if (isTagging()) {
            ReadResult<TaggedSentence> read = tagged(paths);
            return new EncodedSplit(read, SequenceBuilder.tokenClassification(read.records(), tokenizer, labels, data.maxLength(),
                    policy()));
        }
        return encoded(labelledText(paths), tokenizer, labels);
    }

    /**
     * Tagged sentences already read (e.g. rows of a DataFrame), encoded for token classification: for training
     * ({@code heldOut} false) unknown tags follow {@code data.onBadRecord}; for a held-out split they are counted and
     * the sentence left out, as {@link #heldOut(String, BertTokenizer, LabelSet)} does.
     */
    public EncodedSplit tagged(ReadResult<TaggedSentence> read, BertTokenizer tokenizer, LabelSet labels, boolean heldOut) {
        return new EncodedSplit(read, SequenceBuilder.tokenClassification(read.records(), tokenizer, labels, data.maxLength(),
                heldOut ? BadRecordPolicy.SKIP : policy()));
    }

    /** Labelled text already read, encoded for sequence classification. */
    public EncodedSplit encoded(ReadResult<LabelledText> read, BertTokenizer tokenizer, LabelSet labels) {
        return new EncodedSplit(read, SequenceBuilder.sequenceClassification(read.records(), tokenizer, labels, data.maxLength(),
                policy()));
    }

    /**
     * A validation or test split for fine-tuning, encoded with the training split's labels: bad records follow
     * {@code data.onBadRecord}, but a label the training split does not have is counted
     * ({@link BadRecordReason#UNKNOWN_LABEL}) and the example left out, not fatal: the model cannot predict it,
     * and training can finish without it.
     */
    public EncodedSplit heldOut(String paths, BertTokenizer tokenizer, LabelSet labels) {
        if (isTagging()) {
            ReadResult<TaggedSentence> read = tagged(paths);
            return new EncodedSplit(read, SequenceBuilder.tokenClassification(read.records(), tokenizer, labels, data.maxLength(),
                    BadRecordPolicy.SKIP));
        }
        return heldOut(labelledText(paths), tokenizer, labels);
    }

    /** As {@link #heldOut(String, BertTokenizer, LabelSet)} for labelled text already read. */
    public EncodedSplit heldOut(ReadResult<LabelledText> read, BertTokenizer tokenizer, LabelSet labels) {
        return new EncodedSplit(read, SequenceBuilder.sequenceClassification(read.records(), tokenizer, labels, data.maxLength(),
                BadRecordPolicy.SKIP));
    }

    static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set: give it in the configuration or with --set " + key + "=...");
        }
        return value;
    }
}
