package org.sparkformer.kernels.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The activation {@link Workspace}s of the most recently used batch shapes ({@code rows x seqLen}), so that
 * alternating shapes (a full batch and an epoch's last, smaller one) do not reallocate every buffer. Not
 * thread-safe.
 */
public final class WorkspaceCache {

    private final DataType dataType;
    private final Map<Long, Workspace> byShape;

    /** Keeps the workspaces of the {@code shapes} most recently used shapes. */
    public WorkspaceCache(DataType dataType, int shapes) {
        this.dataType = dataType;
        this.byShape = new LinkedHashMap<>(4, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Workspace> eldest) {
                return size() > shapes;
            }
        };
    }

    /** The workspace for batches of {@code rows x seqLen}, made on first use. */
    public Workspace forShape(int rows, int seqLen) {
        return byShape.computeIfAbsent(((long) rows << 32) | seqLen, k -> new Workspace(dataType));
    }
}
