package org.xaiworkbench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A section while its reader fills it in: notices, warnings, the files read, then the content. */
final class SectionDraft {
    private final String id;
    private final String title;
    private final PageFiles files;
    private final List<Notice> notRun = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();
    private Object content;

    SectionDraft(String id, String title, PageFiles files) {
        this.id = id;
        this.title = title;
        this.files = files;
    }

    /** {@code missing} is not there: {@code command} writes it. */
    void notRun(String command, Path missing) {
        notRun.add(new Notice(command, files.display(missing)));
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    /** A file that is there but unreadable: named in a warning, and whatever needed it is left out. */
    void skipped(MalformedInput problem, String what) {
        warn(files.display(problem.file()) + " is malformed (" + problem.reason() + "): " + what + " skipped");
    }

    /**
     * A file the section was built from, with its date, so a reader sees how fresh each part is: the file's
     * modification time, said as such (a fresh clone dates every shipped file to the clone).
     */
    void source(Path file) {
        String modified = "";
        try {
            modified = ", file modified " + PageFiles.DATE.format(Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            // the file was just read; a date that cannot be had is only left out
        }
        sources.add(files.display(file) + modified);
    }

    /** A file the section was built from, dated by when its run finished, as the file records it. */
    void source(Path file, java.time.Instant finished) {
        sources.add(files.display(file) + ", run finished " + PageFiles.DATE.format(finished));
    }

    void content(Object content) {
        this.content = content;
    }

    SectionView view(int number) {
        return new SectionView(id, number, title, List.copyOf(notRun), List.copyOf(warnings), List.copyOf(sources), content);
    }
}
