package org.sparkformer.driver.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.sparkformer.driver.config.ModelSection;

import java.util.List;

/**
 * The Spark ML parameters of the Sparkformer stages (classifier, tagger, pretrainer and their models), defined once:
 * each method makes the parameter for the stage that owns it, with its name, documentation (what
 * {@code explainParams()} prints) and validation. A model takes the subset it needs, and Spark copies values between
 * stages by name. Training parameters take their defaults from {@link TrainingParams}.
 */
final class ClassifierParams {

    /** Presets a Spark ML user can pick: the named ones; "custom" needs a configuration file. */
    static final List<String> PRESETS = List.copyOf(ModelSection.PRESET_SHAPES.keySet());

    /** Default names of the columns read and written, the same on the classifier and its model. */
    static final String TEXT_COL = "text";
    static final String LABEL_COL = "label";
    static final String PREDICTION_COL = "prediction";
    static final String PREDICTED_LABEL_COL = "predictedLabel";
    static final String PROBABILITY_COL = "probability";
    static final String WORDS_COL = "words";
    static final String TAGS_COL = "tags";
    static final String PREDICTED_TAGS_COL = "predictedTags";
    static final String TAG_PROBABILITIES_COL = "tagProbabilities";
    static final String EMBEDDING_COL = "embedding";

    private ClassifierParams() {
    }

    static Param<String> textCol(Params owner) {
        return new Param<>(owner, "textCol", "input column holding the text to classify (string)");
    }

    /** The text column of a stage that does not classify it (the pretrainer and its encoder). */
    static Param<String> textCol(Params owner, String purpose) {
        return new Param<>(owner, "textCol", "input column holding the text " + purpose + " (string)");
    }

    static Param<String> wordsCol(Params owner) {
        return new Param<>(owner, "wordsCol", "input column holding each sentence's words (array<string>)");
    }

    static Param<String> tagsCol(Params owner) {
        return new Param<>(owner, "tagsCol", "input column holding one tag per word (array<string>, as long as the"
                + " words)");
    }

    static Param<String> predictedTagsCol(Params owner) {
        return new Param<>(owner, "predictedTagsCol", "output column of the predicted tag of each word (array<string>;"
                + " null for a word cut off by maxLength); empty to leave it out");
    }

    static Param<String> tagProbabilitiesCol(Params owner) {
        return new Param<>(owner, "tagProbabilitiesCol", "output column of each predicted tag's probability"
                + " (array<double>, in word order); empty to leave it out");
    }

    static Param<String> embeddingCol(Params owner) {
        return new Param<>(owner, "embeddingCol", "output column of the text's embedding: the encoder's final hidden"
                + " states averaged over the text's tokens, a Vector of the model's width");
    }

    static DoubleParam maskProbability(Params owner) {
        return new DoubleParam(owner, "maskProbability", "share of tokens masked for masked-LM pretraining, in (0, 1)",
                ParamValidators.inRange(0, 1, false, false));
    }

    static Param<String> labelCol(Params owner) {
        return new Param<>(owner, "labelCol", "input column holding the label (string, or a numeric index such as a"
                + " StringIndexer's output)");
    }

    static Param<String> predictionCol(Params owner) {
        return new Param<>(owner, "predictionCol", "output column of the prediction as a double: the label's value for a"
                + " numeric label column, otherwise the label's index in the model's labels (alphabetical order);"
                + " empty to leave it out");
    }

    static Param<String> predictedLabelCol(Params owner) {
        return new Param<>(owner, "predictedLabelCol", "output column of the predicted label as a string; empty to leave"
                + " it out");
    }

    static Param<String> probabilityCol(Params owner) {
        return new Param<>(owner, "probabilityCol", "output column of the class probabilities, a Vector in the order of"
                + " the model's labels; empty to leave it out");
    }

    static IntParam batchSize(Params owner) {
        return new IntParam(owner, "batchSize", "examples per minibatch on each worker, in training and inference (>= 1)",
                ParamValidators.gtEq(1));
    }

    static IntParam epochs(Params owner) {
        return new IntParam(owner, "epochs", "passes over the training data (>= 1)", ParamValidators.gtEq(1));
    }

    static DoubleParam learningRate(Params owner) {
        return new DoubleParam(owner, "learningRate", "peak learning rate of the optimizer (> 0)", ParamValidators.gt(0));
    }

    static IntParam workers(Params owner) {
        return new IntParam(owner, "workers", "data partitions trained in parallel, one per task (>= 1)",
                ParamValidators.gtEq(1));
    }

    static IntParam averagingFrequency(Params owner) {
        return new IntParam(owner, "averagingFrequency", "optimizer steps each worker takes between parameter-averaging"
                + " rounds (>= 1)", ParamValidators.gtEq(1));
    }

    static IntParam maxLength(Params owner) {
        return new IntParam(owner, "maxLength", "tokens per text after truncation, [CLS] and [SEP] included; also the"
                + " length the model's position table covers (>= 3)", ParamValidators.gtEq(3));
    }

    static IntParam vocabSize(Params owner) {
        return new IntParam(owner, "vocabSize", "WordPiece vocabulary size built from the training texts when no"
                + " pretrained model is given (>= 1)", ParamValidators.gtEq(1));
    }

    static Param<String> preset(Params owner) {
        return new Param<>(owner, "preset", "encoder size when no pretrained model is given: one of " + PRESETS,
                ParamValidators.inArray(PRESETS));
    }

    static LongParam seed(Params owner) {
        return new LongParam(owner, "seed", "seed of the initial weights and of every random choice in training");
    }

    static Param<String> pretrainedModelPath(Params owner) {
        return new Param<>(owner, "pretrainedModelPath", "optional Sparkformer model directory (any Hadoop path) of a"
                + " pretrained encoder to fine-tune; its vocabulary and architecture are kept");
    }

    static Param<String> configPath(Params owner) {
        return new Param<>(owner, "configPath", "optional Sparkformer YAML configuration (local file) applied before the"
                + " parameters set on this stage; unset parameters keep its values");
    }
}
