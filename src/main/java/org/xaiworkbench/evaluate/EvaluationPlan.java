package org.xaiworkbench.evaluate;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xaiworkbench.data.HostValues;
import org.xaiworkbench.explain.AttributionRegistry;
import org.xaiworkbench.explain.MethodContext;
import org.xaiworkbench.model.Classifier;

import java.io.Serializable;
import java.util.List;

/**
 * An evaluation as plain values: what a run was asked for, from which one JVM, or each Spark task with
 * its own copy of the model, builds the same methods and metrics.
 *
 * @param methods           registry ids of the methods that apply to the model
 * @param methodAssignments the methods' {@code --set} assignments
 * @param controls          whether the control maps are scored too
 * @param metrics           metric ids
 * @param metricAssignments the metrics' {@code --set} assignments
 * @param background        the expectation methods' reference images, or null
 */
public record EvaluationPlan(List<String> methods, List<String> methodAssignments, boolean controls, List<String> metrics,
                             List<String> metricAssignments, EvaluationConfig config, Background background) implements Serializable {
    /** Reference images as their values, shape and data type. */
    public record Background(double[] values, long[] shape, String dataType) implements Serializable {
        public static Background of(INDArray images) {
            return images == null ? null : new Background(HostValues.of(images), images.shape(), images.dataType().name());
        }

        INDArray array() {
            return Nd4j.create(values, shape, DataType.DOUBLE).castTo(DataType.valueOf(dataType));
        }
    }

    public EvaluationPlan {
        methods = List.copyOf(methods);
        methodAssignments = List.copyOf(methodAssignments);
        metrics = List.copyOf(metrics);
        metricAssignments = List.copyOf(metricAssignments);
    }

    /** The suite of methods and the evaluation, on {@code classifier}; no evaluation for a plan without metrics (a maps run). */
    public record Built(MethodSuite suite, Evaluation evaluation) {
    }

    public Built build(Classifier classifier) {
        MethodContext context = new MethodContext(classifier, background == null ? null : background.array(),
                AttributionRegistry.settings(methodAssignments, null));
        MethodSuite suite = new MethodSuite(methods, context, controls, DataType.FLOAT);
        MetricSettings settings = MetricRegistry.settings(metricAssignments);
        List<Metric> chosen = metrics.stream().map(id -> MetricRegistry.create(id, settings)).toList();
        return new Built(suite, chosen.isEmpty() ? null : new Evaluation(suite, chosen, config, new Probe(classifier, config.batch(),
                DataType.FLOAT)));
    }
}
