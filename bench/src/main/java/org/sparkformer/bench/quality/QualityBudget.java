package org.sparkformer.bench.quality;

import java.util.Locale;

/**
 * How much the benchmark trains: epochs of pretraining and fine-tuning per data set, the UD EWT training sentences
 * used for fine-tuning (the first N; all of them are the pretraining text), and which WordNet data. Early stopping
 * on dev keeps the best parameters in every fine-tuning run.
 *
 * @param wordnetPretrainEpochs masked-LM epochs on the WordNet gloss corpus
 * @param wordnetFinetuneEpochs fine-tuning epochs on a WordNet task
 * @param udPretrainEpochs      masked-LM epochs on the UD EWT training text
 * @param udFinetuneEpochs      fine-tuning epochs on a UD EWT task
 * @param udTrainSentences      labelled UD EWT training sentences (the first N); 0 = all
 * @param wordnetSample         the embedded sample (conf/sample-data/wordnet) instead of the full WordNet data
 * @param patience              evaluations on dev without improvement before fine-tuning stops
 */
public record QualityBudget(String name, int wordnetPretrainEpochs, int wordnetFinetuneEpochs, int udPretrainEpochs,
                            int udFinetuneEpochs, int udTrainSentences, boolean wordnetSample, int patience) {

    /**
     * About 15 minutes on 2 quiet cores: the embedded WordNet sample with the epochs of the shipped WordNet
     * configurations (10 and 10, as run-example), and a 2,000-sentence UD EWT slice fine-tuned long enough to converge
     * (20 epochs; 3 epochs of 2,000 sentences are under 100 steps); early stopping after 3 dev evaluations.
     */
    public static QualityBudget quick() {
        return new QualityBudget("quick", 10, 10, 3, 20, 2000, true, 3);
    }

    /** The full data sets, sized for at most about 30 minutes of training per task on 2 cores. */
    public static QualityBudget full() {
        return new QualityBudget("full", 1, 2, 3, 10, 0, false, 2);
    }

    public static QualityBudget parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "quick" -> quick();
            case "full" -> full();
            default -> throw new IllegalArgumentException("--budget must be quick or full, got '" + name + "'");
        };
    }
}
