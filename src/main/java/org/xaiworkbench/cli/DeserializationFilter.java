package org.xaiworkbench.cli;

import java.io.ObjectInputFilter;
import java.util.function.BinaryOperator;

/**
 * The process-wide JEP 290 filter every {@link java.io.ObjectInputStream} consults. The workbench reads no file with
 * Java deserialization (DL4J zips are read from their JSON and array entries); this bounds what a library path that
 * still does could build: plain values and collections only (Object for the arrays collections read into), shallow
 * and small, so neither gadget classes nor nested-collection payloads (whose hashing takes exponential time) get through.
 * <p>
 * The one exception is Spark's own traffic between its driver and executors ({@code evaluate --spark}), which is Java
 * serialization of tasks, broadcast models and results: a stream opened by Spark may build Spark's, Scala's, the JDK's
 * and the workbench's classes, without the size limits (a broadcast model is megabytes). That traffic comes from the
 * cluster the user runs, so it is trusted as the cluster is (see the README's recipe for its authentication).
 */
public final class DeserializationFilter {
    static final String PATTERN = "maxdepth=20;maxrefs=10000;maxbytes=16777216;maxarray=1000000;"
            + "java.lang.String;java.lang.Number;java.lang.Integer;java.lang.Long;java.lang.Float;java.lang.Double;"
            + "java.lang.Boolean;java.lang.Enum;java.lang.Object;java.util.*;!*";
    public static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(PATTERN);
    static final ObjectInputFilter SPARK_TRAFFIC = ObjectInputFilter.Config.createFilter(
            "maxdepth=1000;org.apache.spark.**;scala.**;org.xaiworkbench.**;java.**;!*");
    private static final StackWalker STACK = StackWalker.getInstance();

    private DeserializationFilter() {
    }

    /**
     * Installs {@link #FILTER} unless a filter is already set (the JVM allows setting it once; -Djdk.serialFilter wins),
     * and the factory that gives Spark's streams {@link #SPARK_TRAFFIC} instead, where the JVM still allows setting one.
     */
    public static synchronized void install() {
        if (ObjectInputFilter.Config.getSerialFilter() == null) {
            ObjectInputFilter.Config.setSerialFilter(FILTER);
        }
        if (ObjectInputFilter.Config.getSerialFilterFactory() instanceof SparkAware) {
            return;
        }
        try {
            ObjectInputFilter.Config.setSerialFilterFactory(new SparkAware());
        } catch (IllegalStateException alreadySetOrUsed) {
            // the JVM-wide filter still applies to every stream; Spark in this JVM then fails on its first task
        }
    }

    /** Whether the stream being opened is Spark's: some frame on the stack belongs to Spark. */
    static boolean openedBySpark() {
        return STACK.walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith("org.apache.spark.")));
    }

    /** The factory: a stream's own filter as the JDK's default would give it, Spark's streams {@link #SPARK_TRAFFIC}. */
    private static final class SparkAware implements BinaryOperator<ObjectInputFilter> {
        @Override
        public ObjectInputFilter apply(ObjectInputFilter current, ObjectInputFilter requested) {
            if (current == null && requested == FILTER && openedBySpark()) {
                return SPARK_TRAFFIC;
            }
            return requested;
        }
    }
}
