package org.sparkformer.driver.jobs;

import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.config.Task;

/**
 * The configuration's data section as a trained model needs it read: the task is the model's (one label per example,
 * or per word), sequences are cut to the length the model was trained with, and a path given on the command line
 * replaces the configured one.
 */
final class ScoringDataSection {

    private ScoringDataSection() {
    }

    /**
     * @param input replaces {@code data.testPath} and {@code data.corpusPath} when not null
     */
    static DataSection forModel(DataSection d, TrainedModel model, String input) {
        Task task = model.config().task();
        if (task == Task.SEQUENCE_CLASSIFICATION && d.format().equals("conll")) {
            throw new IllegalArgumentException("the model is a sequence classifier (one label per text) but data.format is"
                    + " conll (one tag per word): set data.format to the format of the input");
        }
        String dataTask = task == Task.TOKEN_CLASSIFICATION ? "token" : "sequence";
        String testPath = input != null ? input : d.testPath();
        String corpusPath = input != null ? input : d.corpusPath();
        return new DataSection(corpusPath, d.corpusFormat(), d.corpusTextColumn(), d.trainPath(), d.validationPath(),
                testPath, d.format(), dataTask, d.textColumn(), d.labelColumn(), d.header(), d.lowercase(),
                d.stripAccents(), d.vocabSize(), d.vocabPath(), maxLength(model), d.maskProbability(), d.onBadRecord(),
                d.augmentation());
    }

    /** Tokens per sequence: the tokenizer length the model was trained with, within its position table. */
    static int maxLength(TrainedModel model) {
        return Math.min(model.tokenizerSettings().maxLength(), model.config().maxLength());
    }

    /** The request's batch size option, else training.batchSize. */
    static int batchSize(JobRequest request) {
        String value = request.option("batch-size", Integer.toString(request.config().training().batchSize()));
        try {
            int size = Integer.parseInt(value);
            if (size >= 1) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("batch size must be a whole number of at least 1, got '" + value + "'");
    }
}
