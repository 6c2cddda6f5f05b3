package org.xaiworkbench.cli;

import java.io.ObjectInputFilter;

/**
 * The process-wide JEP 290 filter every {@link java.io.ObjectInputStream} consults. The workbench reads no file with
 * Java deserialization (DL4J zips are read from their JSON and array entries); this bounds what a library path that
 * still does could build: plain values and collections only (Object for the arrays collections read into), shallow
 * and small, so neither gadget classes nor nested-collection payloads (whose hashing takes exponential time) get through.
 */
public final class DeserializationFilter {
    static final String PATTERN = "maxdepth=20;maxrefs=10000;maxbytes=16777216;maxarray=1000000;"
            + "java.lang.String;java.lang.Number;java.lang.Integer;java.lang.Long;java.lang.Float;java.lang.Double;"
            + "java.lang.Boolean;java.lang.Enum;java.lang.Object;java.util.*;!*";
    public static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(PATTERN);

    private DeserializationFilter() {
    }

    /** Installs {@link #FILTER} unless a filter is already set (the JVM allows setting it once; -Djdk.serialFilter wins). */
    public static synchronized void install() {
        if (ObjectInputFilter.Config.getSerialFilter() == null) {
            ObjectInputFilter.Config.setSerialFilter(FILTER);
        }
    }
}
