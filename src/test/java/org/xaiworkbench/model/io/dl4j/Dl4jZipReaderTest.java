package org.xaiworkbench.model.io.dl4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.xaiworkbench.data.DataException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jZipReaderTest {
    @Test
    void serializedPreprocessorIsNeverDeserialized(@TempDir Path dir) throws IOException {
        byte[] model = Dl4jZips.write(Dl4jTestNetworks.smallMultiLayer(4, false), false);
        Path hashSets = dir.resolve("hash-sets.zip");
        Files.write(hashSets, Dl4jZips.with(model, "preprocessor.bin", HostilePayloads.nestedHashSets(100)));
        Path marker = dir.resolve("marker.zip");
        Files.write(marker, Dl4jZips.with(model, "preprocessor.bin", HostilePayloads.marker()));

        for (Path zip : new Path[]{hashSets, marker}) {
            PrintStream original = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true));
            Model loaded;
            try {
                loaded = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Dl4jGraphs.load(zip), zip.toString());
            } finally {
                System.setErr(original);
            }
            assertInstanceOf(MultiLayerNetwork.class, loaded);
            assertTrue(err.toString().contains("warning: " + zip + ": ignoring the entry preprocessor.bin (a serialized Java object"),
                    err.toString());
        }
        assertFalse(HostilePayloads.MARKER_BUILT.get(), "a serialized object in the model file was built");
    }

    @Test
    void multiLayerNetworkReadsBackWithIdenticalParametersAndOutputs(@TempDir Path dir) throws IOException {
        MultiLayerNetwork written = Dl4jTestNetworks.smallMultiLayer(4, false);
        Path zip = dir.resolve("net.zip");
        Files.write(zip, Dl4jZips.write(written, false));
        List<String> warnings = new ArrayList<>();
        MultiLayerNetwork read = assertInstanceOf(MultiLayerNetwork.class, Dl4jZipReader.read(zip, false, warnings::add));
        assertEquals(List.of(), warnings);
        assertEquals(written.getLayerWiseConfigurations(), read.getLayerWiseConfigurations());
        assertEquals(written.params(), read.params());
        INDArray x = Dl4jTestNetworks.images(7, 3);
        assertEquals(written.output(x), read.output(x));
    }

    @Test
    void computationGraphReadsBackWithIdenticalParametersAndOutputs(@TempDir Path dir) throws IOException {
        ComputationGraph written = Dl4jTestNetworks.residualGraph(3, true);
        Path zip = dir.resolve("graph.zip");
        Files.write(zip, Dl4jZips.write(written, false));
        ComputationGraph read = assertInstanceOf(ComputationGraph.class, Dl4jZipReader.read(zip, false, w -> { }));
        assertEquals(written.getConfiguration(), read.getConfiguration());
        assertEquals(written.params(), read.params());
        INDArray x = Dl4jTestNetworks.images(7, 3);
        assertEquals(written.outputSingle(x), read.outputSingle(x));
    }

    @Test
    void updaterStateReadsBackSoTrainingContinuesAsItWould(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = adamNetwork();
        ComputationGraph graph = adamGraph();
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 5);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1).castTo(DataType.FLOAT);
        net.fit(x, y);
        graph.fit(new INDArray[]{x}, new INDArray[]{y});
        Path netZip = dir.resolve("net.zip");
        Path graphZip = dir.resolve("graph.zip");
        Files.write(netZip, Dl4jZips.write(net, true));
        Files.write(graphZip, Dl4jZips.write(graph, true));

        MultiLayerNetwork netRead = (MultiLayerNetwork) Dl4jZipReader.read(netZip, true, w -> { });
        ComputationGraph graphRead = (ComputationGraph) Dl4jZipReader.read(graphZip, true, w -> { });
        assertEquals(net.getUpdater().getStateViewArray(), netRead.getUpdater().getStateViewArray());
        assertEquals(graph.getUpdater().getStateViewArray(), graphRead.getUpdater().getStateViewArray());
        net.fit(x, y);
        netRead.fit(x, y);
        graph.fit(new INDArray[]{x}, new INDArray[]{y});
        graphRead.fit(new INDArray[]{x}, new INDArray[]{y});
        assertEquals(net.params(), netRead.params());
        assertEquals(graph.params(), graphRead.params());

        MultiLayerNetwork withoutState = (MultiLayerNetwork) Dl4jZipReader.read(netZip, false, w -> { });
        assertFalse(net.getUpdater().getStateViewArray().equals(withoutState.getUpdater().getStateViewArray()));
    }

    @Test
    void aZipThatIsNoModelIsOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        byte[] model = Dl4jZips.write(Dl4jTestNetworks.smallMultiLayer(4, false), false);
        Path noConfiguration = dir.resolve("no-configuration.zip");
        var entries = Dl4jZips.entries(model);
        entries.remove(Dl4jZipReader.CONFIGURATION);
        Files.write(noConfiguration, Dl4jZips.zip(entries));
        Path foreignClass = dir.resolve("foreign-class.zip");
        String json = new String(Dl4jZips.entries(model).get(Dl4jZipReader.CONFIGURATION))
                .replaceFirst("\"org\\.nd4j\\.linalg\\.activations\\.impl\\.Activation[A-Za-z]+\"", "\"java.lang.ProcessBuilder\"");
        Files.write(foreignClass, Dl4jZips.with(model, Dl4jZipReader.CONFIGURATION, json.getBytes()));

        assertOneLine(noConfiguration, noConfiguration + ": neither a DL4J MultiLayerNetwork nor a ComputationGraph (no configuration.json)");
        assertOneLine(foreignClass, foreignClass + ": configuration.json: names the class \"java.lang.ProcessBuilder\", which is not part of DL4J or ND4J");
    }

    private static void assertOneLine(Path zip, String expected) {
        DataException e = assertThrows(DataException.class, () -> Dl4jZipReader.read(zip, false, w -> { }));
        assertEquals(expected, e.getMessage());
    }

    private static MultiLayerNetwork adamNetwork() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(5)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static ComputationGraph adamGraph() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(6).dataType(DataType.FLOAT)
                .updater(new Adam(0.01)).graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(5))
                .addLayer("dense", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").build());
        graph.init();
        return graph;
    }
}
