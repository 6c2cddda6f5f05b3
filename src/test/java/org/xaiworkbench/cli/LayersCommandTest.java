package org.xaiworkbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.model.vgg.VggSpec;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.cli.CliRuns.withStderr;

class LayersCommandTest {
    @Test
    void listsTheVggModulesUnderTheirPyTorchNames(@TempDir Path dir) throws Exception {
        LayersCommand command = new LayersCommand();
        command.modelOption.path = CliRuns.freshModel(dir.resolve("model"));
        LayersCommand.Listing listing = command.run();
        assertArrayEquals(new long[]{3, 32, 32}, listing.input());
        List<String> names = listing.layers().stream().map(LayersCommand.Layer::name).toList();
        assertEquals(VggSpec.modules().size() + 1, names.size(), "every module and the flatten before the first linear one");
        assertEquals("conv_layers.13", listing.defaultCamLayer());
        assertEquals(VggSpec.convModules().stream().map(VggSpec.Module::name).toList(),
                listing.layers().stream().filter(LayersCommand.Layer::camLayer).map(LayersCommand.Layer::name).toList());
        LayersCommand.Layer pool = listing.layers().get(names.indexOf("conv_layers.14"));
        assertArrayEquals(new long[]{256, 4, 4}, pool.shape());
        assertEquals(List.of("conv_layers.13"), pool.inputs());
        assertArrayEquals(new long[]{10}, listing.layers().get(names.size() - 1).shape());
    }

    @Test
    void aMissingModelIsOneLineNamingTheFlag(@TempDir Path dir) {
        String[] captured = new String[1];
        int code = withStderr(captured, () -> Main.run("layers", "--model", dir.resolve("none.onnx").toString()));
        assertEquals(2, code);
        assertTrue(captured[0].strip().startsWith("error: --model") && captured[0].strip().lines().count() == 1, captured[0]);
    }
}
