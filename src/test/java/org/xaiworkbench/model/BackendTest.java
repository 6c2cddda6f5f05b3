package org.xaiworkbench.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackendTest {
    @Test
    void backendPicksTheBuildForTheCpu() {
        assertEquals("-onednn-avx512", Backend.extensionFor("fpu sse avx2 avx512f avx512bw avx512vl"));
        assertEquals("-onednn-avx2", Backend.extensionFor("fpu sse avx avx2 fma"));
        assertEquals("", Backend.extensionFor("fpu sse sse2"));
    }
}
