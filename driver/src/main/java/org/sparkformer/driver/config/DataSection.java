package org.sparkformer.driver.config;

import java.util.Set;

/**
 * Where the data comes from and how it becomes tokens. Paths are any Hadoop path (file:, hdfs:, s3a:);
 * a null path is "not given". Columns are a header name or a 0-based column index.
 *
 * @param corpusPath          unlabelled text for pretraining and for building the vocabulary (default null)
 * @param corpusFormat        format of the corpus: text (one document per line) | jsonl | parquet (default text)
 * @param corpusTextColumn    text column of a jsonl or parquet corpus (default text)
 * @param trainPath           labelled training data (default null)
 * @param validationPath      labelled validation data, used for early stopping and best checkpoints (default null)
 * @param testPath            labelled test data for the final evaluation (default null)
 * @param format              text | tsv | csv | jsonl | parquet | conll (default tsv)
 * @param task                sequence | token: one label per example or one per word (conll implies token)
 *                            (default sequence)
 * @param textColumn          column holding the text (default "1")
 * @param labelColumn         column holding the label (default "0")
 * @param header              the first line of a tsv or csv file is a header (default false)
 * @param lowercase           lower-case text before tokenizing (default true)
 * @param stripAccents        remove accents before tokenizing (default true)
 * @param vocabSize           WordPiece vocabulary size to build when vocabPath is null (default 8000)
 * @param vocabPath           an existing vocab.txt to use instead of building one (default null)
 * @param maxLength           tokens per example after truncation, at most model.maxLength (default 128)
 * @param maskProbability     share of tokens masked for masked-LM pretraining (default 0.15)
 * @param onBadRecord         skip | fail: what a malformed record does; skipped ones are counted and
 *                            logged with file and line (default fail)
 * @param augmentation        training-time text augmentation (default off)
 */
public record DataSection(String corpusPath, String corpusFormat, String corpusTextColumn, String trainPath,
                          String validationPath, String testPath, String format, String task, String textColumn,
                          String labelColumn, boolean header, boolean lowercase, boolean stripAccents, int vocabSize,
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

    public static DataSection defaults() {
        return new DataSection(null, "text", "text", null, null, null, "tsv", "sequence", "1", "0", false, true, true,
                8000, null, 128, 0.15, "fail", Augmentation.defaults());
    }
}
