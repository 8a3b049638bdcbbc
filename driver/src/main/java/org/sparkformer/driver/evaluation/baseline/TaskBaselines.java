package org.sparkformer.driver.evaluation.baseline;

import org.apache.spark.api.java.JavaRDD;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.data.tokenize.BasicTokenizer;
import org.sparkformer.driver.inputs.SplitReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The baselines of a task, fitted on its training records and scored on an evaluated split: naive Bayes and the
 * majority class for sequence tasks (one label per text), the most frequent tag per word and the majority tag for
 * token tasks (one tag per word). Words are lower-cased; texts are split into words as BERT's basic tokenizer
 * splits them (whitespace, then each punctuation character on its own).
 */
public final class TaskBaselines {

    private static final BasicTokenizer WORDS = new BasicTokenizer(true, false);

    private TaskBaselines() {
    }

    /**
     * The baselines of the task {@code inputs} reads, fitted on the files at {@code trainPath} and scored on those at
     * {@code scoredPath}.
     */
    public static BaselineReport fromFiles(SplitReader inputs, String trainPath, String scoredPath) {
        if (inputs.isTagging()) {
            ReadResult<TaggedSentence> train = inputs.tagged(trainPath);
            ReadResult<TaggedSentence> scored = inputs.tagged(scoredPath);
            try {
                return token(train.records(), scored.records(), trainPath, scoredPath);
            } finally {
                train.unpersist();
                scored.unpersist();
            }
        }
        ReadResult<LabelledText> train = inputs.labelledText(trainPath);
        ReadResult<LabelledText> scored = inputs.labelledText(scoredPath);
        try {
            return sequence(train.records(), scored.records(), trainPath, scoredPath);
        } finally {
            train.unpersist();
            scored.unpersist();
        }
    }

    /** Baselines of a sequence task. */
    public static BaselineReport sequence(JavaRDD<LabelledText> train, JavaRDD<LabelledText> evaluated, String fittedOn,
                                          String scoredOn) {
        JavaRDD<Example<List<String>>> examples = texts(train).cache();
        try {
            List<Baseline<List<String>>> fitted = List.of(NaiveBayes.fit(examples), MajorityClass.fit(examples));
            return BaselineScoring.score(fitted, texts(evaluated), fittedOn, scoredOn);
        } finally {
            examples.unpersist(false);
        }
    }

    /** Baselines of a token task. */
    public static BaselineReport token(JavaRDD<TaggedSentence> train, JavaRDD<TaggedSentence> evaluated, String fittedOn,
                                       String scoredOn) {
        JavaRDD<Example<String>> examples = words(train).cache();
        try {
            List<Baseline<String>> fitted = List.of(MostFrequentTag.fit(examples), MajorityClass.fit(examples));
            return BaselineScoring.score(fitted, words(evaluated), fittedOn, scoredOn);
        } finally {
            examples.unpersist(false);
        }
    }

    /** Each text as its lower-cased words with its label. */
    static JavaRDD<Example<List<String>>> texts(JavaRDD<LabelledText> records) {
        return records.map(r -> new Example<>(WORDS.tokenize(r.text()), r.label()));
    }

    /** Each word of each sentence, lower-cased, with its tag. */
    static JavaRDD<Example<String>> words(JavaRDD<TaggedSentence> sentences) {
        return sentences.flatMap(s -> {
            List<String> words = s.words();
            List<String> tags = s.tags();
            ArrayList<Example<String>> out = new ArrayList<>(words.size());
            for (int i = 0; i < words.size(); i++) {
                out.add(new Example<>(words.get(i).toLowerCase(Locale.ROOT), tags.get(i)));
            }
            return out.iterator();
        });
    }
}
