package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.host.HostArray;

/**
 * Picks the rows of {@code [N, d]} hidden states that a head predicts from (for masked-LM only the labelled
 * positions), and routes their gradients back. {@code positions == null} means every row, in order.
 */
public final class RowSelection {

    private RowSelection() {
    }

    /** {@code source[positions]} as {@code [L, d]}, or {@code source} itself when positions is null. */
    public static INDArray gather(INDArray source, int[] positions, String key, Workspace ws) {
        if (positions == null) {
            return source;
        }
        INDArray rows = ws.rows(key, positions.length, source.columns());
        Nd4j.pullRows(source, rows, 1, positions);
        return rows;
    }

    /** {@code target = 0; target[positions] = rows} (positions are distinct), or {@code target = rows} when null. */
    public static void scatter(INDArray rows, int[] positions, INDArray target) {
        if (positions == null) {
            target.assign(rows);
            return;
        }
        target.assign(0);
        int width = (int) target.columns();
        HostArray to = HostArray.of(target);
        HostArray from = HostArray.of(rows);
        for (int r = 0; r < positions.length; r++) {
            to.copy(positions[r] * width, from, r * width, width);
        }
    }
}
