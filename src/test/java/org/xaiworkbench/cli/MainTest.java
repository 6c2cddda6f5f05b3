package org.xaiworkbench.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void unparsableFlagValueIsOneLineNamingFlagValueAndHelp() {
        for (String[] args : new String[][]{{"evaluate", "--images", "abc"}, {"train", "--lr", "fast"}, {"explain", "--no-such-flag"}}) {
            PrintStream original = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err));
            int code;
            try {
                code = Main.run(args);
            } finally {
                System.setErr(original);
            }
            String text = err.toString().strip();
            assertEquals(2, code, text);
            assertFalse(text.contains("\n"), text);
            assertTrue(text.startsWith("error: "), text);
            assertTrue(text.contains(args[1]), text);
            assertTrue(args.length < 3 || text.contains("'" + args[2] + "'"), text);
            assertTrue(text.endsWith("(see 'xai " + args[0] + " --help')"), text);
        }
    }
}
