package org.xaiworkbench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xaiworkbench.model.ModelCard;
import org.xaiworkbench.model.io.ModelStore;
import org.xaiworkbench.model.vgg.Vgg13Network;

import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Use it as a library" example, taken from the README itself, compiled and run. */
class LibraryExampleTest {
    private static final List<String> CLASSES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    static String readmeExample() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Use it as a library");
        assertTrue(section >= 0, "the README has a library section");
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(section), "the library section holds a java block");
        return block.group(1);
    }

    @Test
    void theReadmeExampleCompilesAndWritesAFigurePerPictureAndMethod(@TempDir Path dir) throws Exception {
        String source = readmeExample();
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(name.find());
        Path sources = Files.createDirectories(dir.resolve("src"));
        Path file = Files.writeString(sources.resolve(name.group(1) + ".java"), source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = compiler.run(null, null, diagnostics, "-cp", classpath, "-d", classes.toString(), file.toString());
        assertEquals(0, compiled, diagnostics.toString());

        Path model = dir.resolve("model");
        ModelStore.save(Vgg13Network.build(new Vgg13Network.Hyper(1e-3, 0, 2)), new ModelCard("t", CLASSES,
                new double[]{0.5, 0.5, 0.5}, new double[]{0.25, 0.25, 0.25}, 1e-3, 0, 2, 0, 64, "none"), model, false);
        Path pictures = Files.createDirectories(dir.resolve("pictures"));
        for (String picture : List.of("red", "blue")) {
            BufferedImage image = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(picture.equals("red") ? Color.RED : Color.BLUE);
            g.fillOval(8, 6, 30, 26);
            g.dispose();
            ImageIO.write(image, "png", pictures.resolve(picture + ".png").toFile());
        }
        Path out = Files.createDirectories(dir.resolve("figures"));
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, getClass().getClassLoader())) {
            loader.loadClass(name.group(1)).getMethod("main", String[].class)
                    .invoke(null, (Object) new String[]{model.toString(), pictures.toString(), out.toString()});
        }
        for (String figure : List.of("red-integrated-gradients", "red-grad-cam", "blue-integrated-gradients", "blue-grad-cam")) {
            assertNotNull(ImageIO.read(out.resolve(figure + ".png").toFile()), figure);
        }
    }
}
