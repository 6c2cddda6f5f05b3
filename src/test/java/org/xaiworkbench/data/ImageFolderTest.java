package org.xaiworkbench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {
    private static final double PIXEL = 1 / 255.0;

    @Test
    void readsGreyPaletteAlphaAndLargeImagesSkippingUnreadableOnes(@TempDir Path dir) throws Exception {
        BufferedImage grey = new BufferedImage(40, 20, BufferedImage.TYPE_BYTE_GRAY);
        fill(grey, new Color(128, 128, 128));
        ImageIO.write(grey, "png", dir.resolve("a_grey.png").toFile());

        byte[] red = {(byte) 255, 0};
        byte[] green = {0, 0};
        byte[] blue = {0, (byte) 255};
        BufferedImage palette = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(1, 2, red, green, blue));
        Graphics2D g = palette.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 64);
        g.setColor(Color.BLUE);
        g.fillRect(32, 0, 32, 64);
        g.dispose();
        ImageIO.write(palette, "png", dir.resolve("b_palette.png").toFile());

        BufferedImage large = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB);
        fill(large, new Color(200, 100, 50));
        ImageIO.write(large, "jpg", dir.resolve("c_large.jpg").toFile());

        BufferedImage transparent = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        fill(transparent, new Color(0, 0, 0, 0));
        ImageIO.write(transparent, "png", dir.resolve("d_alpha.png").toFile());

        Files.writeString(dir.resolve("e_broken.png"), "not a png at all");
        Files.writeString(dir.resolve("notes.txt"), "hello");

        List<String> warnings = new ArrayList<>();
        ImageFolder.Images images = ImageFolder.read(dir, warnings::add);

        assertEquals(List.of("a_grey", "b_palette", "c_large", "d_alpha"), images.names());
        INDArray px = images.pixels();
        assertArrayEquals(new long[]{4, 3, 32, 32}, px.shape());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("e_broken.png") && !warnings.get(0).contains("\n"), warnings.get(0));
        assertTrue(warnings.get(1).contains("notes.txt"), warnings.get(1));

        for (int c = 0; c < 3; c++) {
            assertEquals(128 * PIXEL, px.getDouble(0, c, 16, 16), 1e-6, "grey keeps its value in every channel");
        }
        assertEquals(1.0, px.getDouble(1, 0, 10, 5), 1e-6, "left half of the palette image is red");
        assertEquals(0.0, px.getDouble(1, 2, 10, 5), 1e-6);
        assertEquals(1.0, px.getDouble(1, 2, 10, 28), 1e-6, "right half is blue");
        assertEquals(200 * PIXEL, px.getDouble(2, 0, 16, 16), 3 * PIXEL, "JPEG is lossy by a few levels");
        assertEquals(100 * PIXEL, px.getDouble(2, 1, 16, 16), 3 * PIXEL);
        assertEquals(50 * PIXEL, px.getDouble(2, 2, 16, 16), 3 * PIXEL);
        assertEquals(1.0, px.getDouble(3, 1, 4, 4), 1e-6, "fully transparent pixels become white");
    }

    @Test
    void aHugePictureSmallOnDiskIsSkippedAndTheOthersAreRead(@TempDir Path dir) throws Exception {
        Path huge = dir.resolve("b_huge.png");
        writeBlankGreyPng(huge, 30_000, 30_000);
        assertTrue(Files.size(huge) < 1_000_000, "a 900-megapixel picture in " + Files.size(huge) + " bytes");
        BufferedImage small = new BufferedImage(40, 20, BufferedImage.TYPE_BYTE_GRAY);
        fill(small, new Color(128, 128, 128));
        ImageIO.write(small, "png", dir.resolve("a_small.png").toFile());
        ImageIO.write(small, "png", dir.resolve("c_small.png").toFile());

        List<String> warnings = new ArrayList<>();
        ImageFolder.Images images = ImageFolder.read(dir, warnings::add);

        assertEquals(List.of("a_small", "c_small"), images.names());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("b_huge.png") && warnings.get(0).contains("30000x30000")
                && warnings.get(0).contains(String.valueOf(ImageFolder.MAX_PIXELS)), warnings.get(0));
    }

    @Test
    void missingFolderGivesNoImages(@TempDir Path dir) throws Exception {
        ImageFolder.Images images = ImageFolder.read(dir.resolve("absent"), w -> {
            throw new AssertionError(w);
        });
        assertEquals(0, images.size());
        assertNull(images.pixels());
    }

    @Test
    void areaAveragingIsTheMeanOfCoveredPixels() {
        // 3 -> 2: each output covers 1.5 input pixels per axis
        double[] in = {0, 3, 6, 9, 12, 15, 18, 21, 24};
        double[] out = Resampling.resize(in, 3, 3, 2, 2);
        double firstRow = (0 + 0.5 * 3) / 1.5;
        double secondRow = (9 + 0.5 * 12) / 1.5;
        assertEquals((firstRow + 0.5 * secondRow) / 1.5, out[0], 1e-12);
        double total = 0;
        for (double v : in) {
            total += v;
        }
        assertEquals(total / 9, (out[0] + out[1] + out[2] + out[3]) / 4, 1e-12, "area averaging keeps the mean");
    }

    @Test
    void npyRoundTrip(@TempDir Path dir) throws Exception {
        INDArray a = Nd4j.rand(DataType.FLOAT, 2, 1, 4, 4);
        Path file = dir.resolve("x/a.npy");
        NpyFiles.write(file, a);
        assertEquals(a, NpyFiles.read(file));
        byte[] head = Files.readAllBytes(file);
        assertEquals(0x93, head[0] & 0xFF);
        assertEquals("NUMPY", new String(head, 1, 5));
    }

    /** An 8-bit grey PNG of zeros, written chunk by chunk: it is never held in memory, and deflates about 1000:1. */
    private static void writeBlankGreyPng(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream fields = new DataOutputStream(header);
        fields.writeInt(width);
        fields.writeInt(height);
        fields.write(new byte[]{8, 0, 0, 0, 0});
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] row = new byte[width + 1];
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            for (int y = 0; y < height; y++) {
                deflate.write(row);
            }
        }
        try (DataOutputStream png = new DataOutputStream(Files.newOutputStream(file))) {
            png.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            chunk(png, "IHDR", header.toByteArray());
            chunk(png, "IDAT", compressed.toByteArray());
            chunk(png, "IEND", new byte[0]);
        }
    }

    private static void chunk(DataOutputStream png, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.writeInt(data.length);
        png.write(typeBytes);
        png.write(data);
        png.writeInt((int) crc.getValue());
    }

    private static void fill(BufferedImage image, Color color) {
        Graphics2D g = image.createGraphics();
        g.setComposite(java.awt.AlphaComposite.Src);
        g.setColor(color);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
    }
}
