package org.xaiworkbench.report;

/**
 * One picture on the page: {@code src} is its copy's address relative to the page, or null when the
 * file is missing, in which case the page shows {@code path} in its place.
 */
public record Figure(String src, String path, String caption) {
}
