package org.xaiworkbench.data;

import java.nio.file.Path;

/**
 * A name a user gives that becomes a folder (a run name): one path segment, so that everything written under it
 * stays inside the folder the user chose for such runs.
 */
public final class PathSegments {
    private static final String ALLOWED = "[A-Za-z0-9._-]+";

    private PathSegments() {
    }

    /** {@code name} as one segment; the message names the flag and the value. */
    public static String check(String flag, String name) {
        if (name == null || !name.matches(ALLOWED) || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(flag + " must be one folder name of letters, digits, '.', '_' or '-' "
                    + "(not '.' or '..'), got '" + printable(name) + "'");
        }
        return name;
    }

    /**
     * {@code folder/name}, after checking that the resolved path is a direct child of {@code folder}: the check on
     * the final path holds whatever the name check lets through.
     */
    public static Path child(Path folder, String flag, String name) {
        Path base = folder.toAbsolutePath().normalize();
        Path resolved = base.resolve(check(flag, name)).normalize();
        if (!base.equals(resolved.getParent())) {
            throw new IllegalArgumentException(flag + " '" + name + "' leads outside " + folder);
        }
        return folder.resolve(name);
    }

    private static String printable(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
        return out.toString();
    }
}
