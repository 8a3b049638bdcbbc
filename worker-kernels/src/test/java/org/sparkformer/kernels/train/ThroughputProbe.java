package org.sparkformer.kernels.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.optim.Optimizer;
import org.sparkformer.kernels.optim.OptimizerConfig;

import java.util.Random;

/**
 * Measures training throughput of a config (not a test): {@code ThroughputProbe [base|small|tiny] [rows] [steps]}.
 * Masked-LM with 15% of real positions labelled, AdamW; prints tokens/s and the forward/backward/optimizer split.
 */
public final class ThroughputProbe {

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "base";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int vocab = 8000;
        TransformerConfig cfg = switch (preset) {
            case "tiny" -> TransformerConfig.tiny(vocab);
            case "small" -> TransformerConfig.small(vocab);
            default -> TransformerConfig.base(vocab);
        };
        int seqLen = cfg.maxLength();
        TransformerModel model = new TransformerModel(cfg);
        Optimizer optimizer = Optimizer.create(OptimizerConfig.defaults(), model.weightDecayMask());
        Random random = new Random(1);
        int n = rows * seqLen;
        int[] tokens = new int[n];
        int[] mask = new int[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = random.nextInt(vocab);
            mask[i] = 1;
            labels[i] = random.nextDouble() < 0.15 ? random.nextInt(vocab) : MiniBatch.IGNORE;
        }
        MiniBatch batch = new MiniBatch(rows, seqLen, tokens, mask, labels);
        INDArray params = model.flatParameters();
        INDArray grads = model.flatGradients();
        for (int i = 0; i < 2; i++) {
            model.lossAndGradients(batch, i);
            optimizer.step(params, grads, 1e-4, i + 1);
        }
        long forward = 0;
        long both = 0;
        long update = 0;
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            model.trainingLoss(batch, i);
            long t1 = System.nanoTime();
            model.lossAndGradients(batch, i);
            long t2 = System.nanoTime();
            optimizer.step(params, grads, 1e-4, i + 3);
            long t3 = System.nanoTime();
            forward += t1 - t0;
            both += t2 - t1;
            update += t3 - t2;
        }
        double stepSeconds = (both + update) / 1e9 / steps;
        double fwd = forward / 1e9 / steps;
        double bwd = both / 1e9 / steps - fwd;
        double opt = update / 1e9 / steps;
        long d = cfg.dModel();
        long matmulParams = cfg.layers() * (4 * d * d + 2 * d * cfg.dFf()) + d * d + (long) vocab * d;
        double flopsPerToken = 6.0 * matmulParams + cfg.layers() * 12.0 * seqLen * d;
        double tokensPerSecond = n / stepSeconds;
        System.out.printf("%s d%d L%d rows %d seq %d, %d params: %.0f tokens/s, step %.3f s (forward %.3f, backward %.3f, optimizer %.3f)%n",
                preset, d, cfg.layers(), rows, seqLen, model.numParameters(), tokensPerSecond, stepSeconds, fwd, bwd, opt);
        System.out.printf("nominal %.1f MFLOP/token (6 x %d matmul params + attention) -> %.1f GFLOP/s%n",
                flopsPerToken / 1e6, matmulParams, flopsPerToken * tokensPerSecond / 1e9);
    }
}
