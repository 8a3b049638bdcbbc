package org.sparkformer.driver.compression;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the compression report measures of one model.
 *
 * @param fileBytes         size of model.safetensors
 * @param parameters        parameters the model has
 * @param nonzeroParameters parameters that are not zero
 * @param examples          validation examples scored
 * @param accuracy          validation accuracy, computed as {@code evaluate} computes it
 * @param macroF1           validation macro-F1, likewise
 * @param loss              validation cross-entropy, likewise
 * @param tokensPerSecond   eval-mode inference throughput on the driver, timed as the benchmark times it
 */
public record ModelFigures(long fileBytes, long parameters, long nonzeroParameters, long examples, double accuracy,
                           double macroF1, double loss, double tokensPerSecond) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("fileBytes", fileBytes);
        node.put("parameters", parameters);
        node.put("nonzeroParameters", nonzeroParameters);
        node.put("examples", examples);
        node.put("accuracy", accuracy);
        node.put("macroF1", macroF1);
        node.put("loss", loss);
        node.put("tokensPerSecond", tokensPerSecond);
        return node;
    }
}
