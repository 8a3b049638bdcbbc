package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moves attention activations between the token layout {@code [rows*T, parts*d]} (column {@code p*d + h*dh + i}:
 * part p — Q, K, V or just one — of head h) and the per-head layout {@code [parts, rows*heads, T, dh]} that the
 * batched matmuls use. One host pass of bulk row copies, token rows split over {@link HostThreads}, in place of
 * 5-D permute-assign copies; the first part can be scaled on the way (the {@code 1/sqrt(dh)} of the queries).
 */
public final class HeadLayout {

    private final int rows;
    private final int seqLen;
    private final int heads;
    private final int headSize;

    public HeadLayout(int rows, int seqLen, int heads, int headSize) {
        this.rows = rows;
        this.seqLen = seqLen;
        this.heads = heads;
        this.headSize = headSize;
    }

    /** Offset of token row n's part p, head h in the per-head layout. */
    private int headOffset(int parts, int n, int p, int h) {
        int b = n / seqLen;
        int t = n % seqLen;
        return ((p * rows * heads + b * heads + h) * seqLen + t) * headSize;
    }

    /** {@code perHead[p, b*H+h, t, :] = tokens[b*T+t, p*d + h*dh ..]}, part 0 times {@code firstScale}. */
    public void split(INDArray tokens, INDArray perHead, int parts, double firstScale) {
        move(tokens, perHead, parts, firstScale, true);
    }

    /** The inverse of {@link #split}: {@code tokens[b*T+t, p*d + h*dh ..] = perHead[p, b*H+h, t, :]}, part 0 times {@code firstScale}. */
    public void merge(INDArray perHead, INDArray tokens, int parts, double firstScale) {
        move(tokens, perHead, parts, firstScale, false);
    }

    private void move(INDArray tokens, INDArray perHead, int parts, double firstScale, boolean toHeads) {
        int width = parts * heads * headSize;
        int n = rows * seqLen;
        if (tokens.length() != (long) n * width || perHead.length() != (long) n * width) {
            throw new IllegalArgumentException("head layout of " + rows + " x " + seqLen + " tokens, " + parts + " parts, "
                    + heads + " heads of " + headSize + " does not fit arrays of " + tokens.length() + " and "
                    + perHead.length() + " values");
        }
        HostArray token = HostArray.of(tokens);
        HostArray head = HostArray.of(perHead);
        boolean floats = token.isFloat() && head.isFloat();
        float scale = (float) firstScale;
        HostThreads.forRange(n, 64, (first, last) -> {
            float[] row = new float[width];
            double[] wide = new double[width];
            float[] staging = new float[width];
            double[] part = new double[headSize];
            for (int r = first; r < last; r++) {
                if (toHeads) {
                    if (floats) {
                        token.readFloats(r * width, row, width);
                    } else {
                        token.read(r * width, wide, width, staging);
                    }
                }
                for (int p = 0; p < parts; p++) {
                    for (int h = 0; h < heads; h++) {
                        int at = (p * heads + h) * headSize;
                        int to = headOffset(parts, r, p, h);
                        if (floats) {
                            if (toHeads) {
                                scale(row, at, p == 0 ? scale : 1f);
                                head.writeFloats(to, slice(row, at, staging), headSize);
                            } else {
                                head.readFloats(to, staging, headSize);
                                System.arraycopy(staging, 0, row, at, headSize);
                                scale(row, at, p == 0 ? scale : 1f);
                            }
                        } else {
                            if (toHeads) {
                                for (int i = 0; i < headSize; i++) {
                                    part[i] = wide[at + i] * (p == 0 ? firstScale : 1.0);
                                }
                                head.write(to, part, headSize, staging);
                            } else {
                                head.read(to, part, headSize, staging);
                                for (int i = 0; i < headSize; i++) {
                                    wide[at + i] = part[i] * (p == 0 ? firstScale : 1.0);
                                }
                            }
                        }
                    }
                }
                if (!toHeads) {
                    if (floats) {
                        token.writeFloats(r * width, row, width);
                    } else {
                        token.write(r * width, wide, width, staging);
                    }
                }
            }
        });
    }

    private void scale(float[] row, int at, float s) {
        if (s != 1f) {
            for (int i = at; i < at + headSize; i++) {
                row[i] *= s;
            }
        }
    }

    private float[] slice(float[] row, int at, float[] into) {
        System.arraycopy(row, at, into, 0, headSize);
        return into;
    }
}
