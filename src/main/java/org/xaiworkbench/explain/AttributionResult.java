package org.xaiworkbench.explain;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Raw signed attributions, one row per (image, target): [M,C,H,W] of the input's shape, or [M,1,H,W]
 * for class-activation maps. {@code image[r]} says which input image row r explains, {@code targets[r]}
 * which class, {@code targetScores[r]} the attributed score of that class. {@code convergenceDelta} is
 * per row where the method has a completeness property (else null).
 */
public record AttributionResult(String method, INDArray attributions, int[] image, int[] targets,
                                double[] targetScores, double[] convergenceDelta, Map<String, Object> options,
                                long elapsedNanos) {
    public int rows() {
        return targets.length;
    }

    /** Row r of the attributions as [1,C,H,W]. */
    public INDArray row(int r) {
        return attributions.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(r, r + 1));
    }
}
