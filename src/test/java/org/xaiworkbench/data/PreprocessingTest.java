package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PreprocessingTest {
    @Test
    void imagenetIsTorchvisionsEvaluationTransform() {
        Preprocessing p = Preprocessing.parse("ImageNet");
        assertEquals(0.875, p.cropFraction(), 1e-12, "short side 256, centre crop 224");
        assertArrayEquals(new double[]{0.485, 0.456, 0.406}, p.normalization().mean());
        assertEquals(1000, p.classNames().size());
        assertEquals("tench", p.classNames().get(0));
        assertEquals("toilet tissue", p.classNames().get(999));
        assertEquals(Preprocessing.NONE, Preprocessing.parse("none"));
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.parse("inception"));
    }

    /** A 400x200 picture, red outside a blue 100x100 centre: the imagenet crop of half the short side sees only blue. */
    @Test
    void pictureFoldersAreReadAtTheModelsSizeWithTheCentreCrop(@TempDir Path dir) throws Exception {
        BufferedImage image = new BufferedImage(400, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 400, 200);
        g.setColor(Color.BLUE);
        g.fillRect(150, 50, 100, 100);
        g.dispose();
        ImageIO.write(image, "png", dir.resolve("centre.png").toFile());

        ImageFolder.Images half = ImageFolder.read(dir, w -> { }, 16, 0.5);
        assertArrayEquals(new long[]{1, 3, 16, 16}, half.pixels().shape());
        assertEquals(0, half.pixels().getDouble(0, 0, 8, 8), 1e-6, "no red in the crop");
        assertEquals(1, half.pixels().getDouble(0, 2, 0, 0), 1e-6, "blue to the crop's corner");

        ImageFolder.Images whole = ImageFolder.read(dir, w -> { }, 16, 1.0);
        assertEquals(1, whole.pixels().getDouble(0, 0, 0, 0), 1e-6, "the largest square's corner is red");
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.read(dir, w -> { }, 16, 0));
    }
}
