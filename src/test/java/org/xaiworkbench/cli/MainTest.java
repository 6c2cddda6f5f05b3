package org.xaiworkbench.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    @Test
    void badFlagValueIsOneLineAndExitCodeTwo() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err));
        int code;
        try {
            code = Main.run("train", "--epochs", "0");
        } finally {
            System.setErr(original);
        }
        assertEquals(2, code);
        String text = err.toString().strip();
        assertEquals("error: --epochs must be > 0, got 0", text);
    }

    @Test
    void unknownSubcommandIsRejected() {
        PrintStream original = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            assertTrue(Main.run("no-such-command") != 0);
        } finally {
            System.setErr(original);
        }
    }
}
