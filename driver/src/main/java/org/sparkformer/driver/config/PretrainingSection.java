package org.sparkformer.driver.config;

/**
 * How the encoder is pretrained. Every default is in {@code conf/default.yaml}.
 *
 * @param objective           masked_lm, or electra: masked-LM plus replaced-token detection on every token
 * @param discriminatorWeight electra only: weight of the detection loss beside the masked-LM loss
 */
public record PretrainingSection(PretrainingObjective objective, double discriminatorWeight) {

    public PretrainingSection {
        Checks.present("pretraining.objective", objective);
        Checks.positive("pretraining.discriminatorWeight", discriminatorWeight);
    }

    /** The detection loss weight the encoder trains with: 0 for masked-LM alone. */
    public double effectiveDiscriminatorWeight() {
        return objective == PretrainingObjective.ELECTRA ? discriminatorWeight : 0.0;
    }
}
