package org.xaiworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.xaiworkbench.data.NpyFiles;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xaiworkbench.cli.CliRuns.withStderr;

/**
 * evaluate --images-dir: pictures without labels, scored for the class the model predicts. The model
 * reads colour (logit c is 10 x the mean of channel c), so each picture's predicted class is known
 * without running it: a red picture is class 0, a green one class 1, a blue one class 2.
 */
class EvaluateImagesDirTest {
    private static final int SIZE = 12;
    /** Each picture (file name without extension) and the class the model predicts for it. */
    private static final Map<String, Integer> CLASS_BY_PICTURE = Map.of("a_blue", 2, "b_red", 0, "c_green", 1);
    @TempDir
    static Path dir;
    static Path model;
    static Path pictures;

    @BeforeAll
    static void aColourModelAndPictures() throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.RELU).name("conv").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).name("out").build())
                .setInputType(InputType.convolutionalFlat(SIZE, SIZE, 3)).build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        network.getLayer(0).setParam("W", Nd4j.eye(3).castTo(DataType.FLOAT).reshape(3, 3, 1, 1));
        network.getLayer(0).setParam("b", Nd4j.zeros(DataType.FLOAT, 1, 3));
        network.getLayer(2).setParam("W", Nd4j.eye(3).castTo(DataType.FLOAT).muli(10));
        network.getLayer(2).setParam("b", Nd4j.zeros(DataType.FLOAT, 1, 3));
        model = dir.resolve("colour.zip");
        ModelSerializer.writeModel(network, model.toFile(), false);

        pictures = Files.createDirectories(dir.resolve("pictures"));
        picture(new Color(30, 60, 220), 40, 30, "a_blue.png", "png");
        picture(new Color(220, 40, 30), 30, 50, "b_red.jpg", "jpg");
        picture(new Color(30, 200, 60), 24, 24, "c_green.png", "png");
        Files.writeString(pictures.resolve("notes.txt"), "not a picture");
    }

    @Test
    void everyPictureIsScoredByEveryMethodForItsPredictedClass() throws Exception {
        Path out = dir.resolve("evaluate");
        String[] err = new String[1];
        int code = withStderr(err, () -> Main.run("evaluate", "--model", model.toString(), "--images-dir", pictures.toString(),
                "--methods", "saliency,grad-cam", "--metrics", "deletion,complexity,class-randomization", "--background", "0",
                "--randomization-images", "1", "--study-images", "1", "--bootstrap", "20", "--set", "deletion.steps=4", "--set", "insertion.steps=4", "--npy",
                "--out", out.toString()));
        assertEquals(0, code, err[0]);
        assertTrue(err[0].contains("notes.txt"), "the file that is not a picture is named: " + err[0]);

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        List<String> names = new ArrayList<>();
        summary.get("pictures").forEach(name -> names.add(name.asText()));
        assertEquals(List.of("a_blue", "b_red", "c_green"), names, "every readable picture, in file-name order");
        assertEquals(3, summary.get("images").asInt());

        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("image,label,target,method,control,metric,value", lines.get(0));
        List<String> methods = List.of("saliency", "grad-cam", "control-random", "control-edges", "control-centre");
        Map<String, Integer> rowsPerKey = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            int image = Integer.parseInt(cells[0]);
            int expected = CLASS_BY_PICTURE.get(names.get(image));
            assertEquals(expected, Integer.parseInt(cells[1]), "the label of a picture is its predicted class: " + line);
            assertEquals(expected, Integer.parseInt(cells[2]), "the explained class is the predicted one: " + line);
            assertTrue(methods.contains(cells[3]), line);
            rowsPerKey.merge(image + "," + cells[3] + "," + cells[5], 1, Integer::sum);
        }
        for (String method : methods) {
            for (int image = 0; image < 3; image++) {
                for (String metric : List.of("deletion", "complexity")) {
                    assertEquals(1, rowsPerKey.getOrDefault(image + "," + method + "," + metric, 0), image + " " + method + " " + metric);
                }
                assertEquals(image == 0 ? 1 : 0, rowsPerKey.getOrDefault(image + "," + method + ",class-randomization", 0),
                        "--randomization-images 1: the first picture only, " + method);
            }
        }
        assertEquals(methods.size() * (3 * 2 + 1), lines.size() - 1);

        for (String method : methods) {
            for (String name : names) {
                Path map = out.resolve("attributions").resolve(method).resolve(name + ".npy");
                assertTrue(Files.isRegularFile(map), map + " named after its picture");
                long[] shape = NpyFiles.read(map).shape();
                assertArrayEquals(new long[]{SIZE, SIZE}, new long[]{shape[2], shape[3]}, map + " at the model's input size");
            }
        }
        for (String figure : List.of("smoothgrad-grid", "top3-all-methods", "counterfactual")) {
            Path png = out.resolve("study").resolve(figure).resolve("a_blue.png");
            assertTrue(Files.isRegularFile(png) && ImageIO.read(png.toFile()) != null, png.toString());
        }
    }

    @Test
    void firstAndImagesPickPicturesInFileNameOrder() throws Exception {
        Path out = dir.resolve("second-picture");
        String[] err = new String[1];
        int code = withStderr(err, () -> Main.run("evaluate", "--model", model.toString(), "--images-dir", pictures.toString(),
                "--first", "1", "--images", "1", "--methods", "saliency", "--no-controls", "--metrics", "deletion", "--background", "0",
                "--study-images", "0", "--bootstrap", "20", "--set", "deletion.steps=4", "--set", "insertion.steps=4", "--out", out.toString()));
        assertEquals(0, code, err[0]);
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith("1,0,0,saliency,false,deletion,"), "b_red alone, picture 1, explained as class 0 (red): " + rows);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("b_red", summary.get("pictures").get(0).asText());
        assertEquals(1, summary.get("pictures").size());
    }

    @Test
    void aFolderWithoutPicturesIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path unreadable = Files.createDirectories(dir.resolve("unreadable"));
        Files.writeString(unreadable.resolve("broken.png"), "not a png");
        List<List<String>> cases = List.of(
                List.of("--images-dir", empty.toString()),
                List.of("--images-dir", unreadable.toString()),
                List.of("--images-dir", dir.resolve("missing").toString()),
                List.of("--images-dir", pictures.toString(), "--first", "3"));
        List<String> named = List.of("--images-dir", "--images-dir", "--images-dir", "--first");
        for (int c = 0; c < cases.size(); c++) {
            Path out = dir.resolve("refused" + c);
            List<String> args = new ArrayList<>(List.of("evaluate", "--model", model.toString(), "--background", "0", "--out",
                    out.toString()));
            args.addAll(cases.get(c));
            String[] err = new String[1];
            int code = withStderr(err, () -> Main.run(args.toArray(String[]::new)));
            assertEquals(2, code, cases.get(c) + ": " + err[0]);
            List<String> errors = err[0].lines().filter(l -> l.startsWith("error:")).toList();
            assertEquals(1, errors.size(), err[0]);
            assertTrue(errors.get(0).startsWith("error: " + named.get(c)), cases.get(c) + " should name " + named.get(c) + ": " + err[0]);
            assertFalse(Files.exists(out), "nothing written for " + cases.get(c));
        }
    }

    private static void picture(Color colour, int width, int height, String file, String format) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        ImageIO.write(image, format, pictures.resolve(file).toFile());
    }
}
