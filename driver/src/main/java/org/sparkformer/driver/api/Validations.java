package org.sparkformer.driver.api;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.BatchPosition;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.MiniBatchIterator;
import org.sparkformer.data.batch.Objective;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.List;

/** Validation accuracy during fine-tuning, measured on the executors. */
final class Validations {

    private Validations() {
    }

    static double accuracy(JavaRDD<EncodedSequence> data, TransformerConfig config, float[] params, int batchSize) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.context());
        Broadcast<float[]> p = jsc.broadcast(params);
        String json = config.toJson();
        Objective objective = config.task() == Task.TOKEN_CLASSIFICATION ? Objective.TOKEN_CLASSIFICATION
                : Objective.SEQUENCE_CLASSIFICATION;
        BatchConfig batches = BatchConfig.of(batchSize, objective);
        Vocabulary vocab = Vocabulary.withSpecialTokens(List.of());
        try {
            long[] counts = data.mapPartitionsWithIndex((partition, it) -> {
                TransformerModel model = new TransformerModel(TransformerConfig.fromJson(json));
                model.loadParameters(p.value());
                MiniBatchIterator batchesIt = MiniBatchIterator.over(it, batches, vocab, 0, partition, new BatchPosition(0, 0), 1);
                long correct = 0;
                long total = 0;
                while (batchesIt.hasNext()) {
                    MiniBatch b = batchesIt.next();
                    INDArray logits = model.logits(b);
                    INDArray predicted = logits.argMax(1);
                    int[] labels = b.labels();
                    for (int i = 0; i < labels.length; i++) {
                        if (labels[i] != MiniBatch.IGNORE) {
                            total++;
                            if (predicted.getInt(i) == labels[i]) {
                                correct++;
                            }
                        }
                    }
                }
                return List.of(new long[] {correct, total}).iterator();
            }, false).reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            return counts[1] == 0 ? 0 : (double) counts[0] / counts[1];
        } finally {
            p.destroy();
        }
    }
}
