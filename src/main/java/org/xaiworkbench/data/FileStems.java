package org.xaiworkbench.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * File names for things named by their users: safe on every file system, and distinct even when the
 * names are not, so one picture's figures never overwrite another's. Names that clash once made safe
 * (a&lt;b and a?b) or differ only in case (which macOS and Windows do not tell apart) get -2, -3, ...
 */
public final class FileStems {
    private FileStems() {
    }

    /** {@code name} with every character outside A-Z, a-z, 0-9, '.', '_' and '-' replaced by '_'. */
    public static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * One distinct stem per name, in order: the first of several names with the same safe stem keeps it.
     * Each clash is reported once, as one line naming the clashing names and the stems they got.
     */
    public static List<String> distinct(List<String> names, Consumer<String> warnings) {
        return distinct(names, names, warnings);
    }

    /** As {@link #distinct(List, Consumer)}, the warning calling each name by its label ("cifar0006 (test image)"). */
    public static List<String> distinct(List<String> names, List<String> labels, Consumer<String> warnings) {
        Set<String> plain = new HashSet<>();
        names.forEach(name -> plain.add(key(safe(name))));
        Set<String> used = new HashSet<>();
        Map<String, List<String>> clashes = new LinkedHashMap<>();
        List<String> stems = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String wanted = safe(name);
            String stem = wanted;
            // a suffixed stem must not take the plain stem of a name that comes later
            for (int n = 2; used.contains(key(stem)) || (n > 2 && plain.contains(key(stem))); n++) {
                stem = wanted + "-" + n;
            }
            used.add(key(stem));
            stems.add(stem);
            clashes.computeIfAbsent(key(wanted), k -> new ArrayList<>()).add("'" + labels.get(i) + "' as " + stem);
        }
        clashes.values().stream().filter(group -> group.size() > 1).forEach(group ->
                warnings.accept("warning: " + String.join(", ", group) + ": these names are alike as file names, so their figures are named apart"));
        return stems;
    }

    private static String key(String stem) {
        return stem.toLowerCase(Locale.ROOT);
    }
}
