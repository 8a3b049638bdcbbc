package org.sparkformer.driver.config;

import java.util.Set;

/**
 * Where the data comes from and how it becomes tokens. Paths are any Hadoop path (file:, hdfs:, s3a:);
 * a null path is "not given". Columns are a header name or a 0-based column index. Every default is in
 * {@code conf/default.yaml}.
 *
 * @param corpusPath          unlabelled text for pretraining and for building the vocabulary
 * @param corpusFormat        format of the corpus: text (a sentence per line; consecutive lines form a
 *                            document, a blank line ends it) | jsonl | parquet
 * @param corpusTextColumn    text column of a jsonl or parquet corpus
 * @param trainPath           labelled training data
 * @param validationPath      labelled validation data, used for early stopping and best checkpoints
 * @param testPath            labelled test data for the final evaluation
 * @param format              text | tsv | csv | jsonl | parquet | conll
 * @param task                sequence | token: one label per example or one per word (conll implies token)
 * @param textColumn          column holding the text
 * @param labelColumn         column holding the label
 * @param header              the first line of a tsv or csv file is a header
 * @param lowercase           lower-case text before tokenizing; null decides by task ({@link #lowercaseText()})
 * @param stripAccents        remove accents before tokenizing
 * @param vocabSize           WordPiece vocabulary size to build when vocabPath is null
 * @param vocabPath           an existing vocab.txt to use instead of building one
 * @param maxLength           tokens per example after truncation, at most model.maxLength
 * @param maskProbability     share of tokens masked for masked-LM pretraining
 * @param onBadRecord         skip | fail: what a malformed record does; skipped ones are counted and
 *                            logged with file and line
 * @param augmentation        training-time text augmentation
 */
public record DataSection(String corpusPath, String corpusFormat, String corpusTextColumn, String trainPath,
                          String validationPath, String testPath, String format, String task, String textColumn,
                          String labelColumn, boolean header, Boolean lowercase, boolean stripAccents, int vocabSize,
                          String vocabPath, int maxLength, double maskProbability, String onBadRecord,
                          Augmentation augmentation) {

    public static final Set<String> CORPUS_FORMATS = Set.of("text", "jsonl", "parquet");
    public static final Set<String> FORMATS = Set.of("text", "tsv", "csv", "jsonl", "parquet", "conll");
    public static final Set<String> TASKS = Set.of("sequence", "token");
    public static final Set<String> BAD_RECORD_POLICIES = Set.of("skip", "fail");

    public DataSection {
        Checks.oneOf("data.corpusFormat", corpusFormat, CORPUS_FORMATS);
        Checks.required("data.corpusTextColumn", corpusTextColumn);
        Checks.oneOf("data.format", format, FORMATS);
        Checks.oneOf("data.task", task, TASKS);
        if (format.equals("conll") && !task.equals("token")) {
            throw new IllegalArgumentException("data.format conll holds one label per word: it needs data.task token, got " + task);
        }
        Checks.required("data.textColumn", textColumn);
        Checks.required("data.labelColumn", labelColumn);
        Checks.positive("data.vocabSize", vocabSize);
        Checks.positive("data.maxLength", maxLength);
        if (!(maskProbability > 0 && maskProbability < 1)) {
            throw new IllegalArgumentException("data.maskProbability must be in (0, 1), got " + maskProbability);
        }
        Checks.oneOf("data.onBadRecord", onBadRecord, BAD_RECORD_POLICIES);
        if (augmentation == null) {
            throw new IllegalArgumentException("data.augmentation must be a mapping");
        }
    }

    /**
     * Whether text is lower-cased before tokenizing: {@code lowercase} when set, otherwise by task: sequence tasks
     * lower-case (a word counts the same at the start of a sentence), token tasks keep the case (capitals carry part
     * of speech: a cased vocabulary tags UD EWT 1.1 points better).
     */
    public boolean lowercaseText() {
        return lowercase != null ? lowercase : !task.equals("token");
    }
}
