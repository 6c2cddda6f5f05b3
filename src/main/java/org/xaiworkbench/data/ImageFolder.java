package org.xaiworkbench.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Your own pictures as model inputs: every JPEG or PNG in a folder, of any size and colour type, as
 * an RGB 32x32 pixel-space tensor. Each image is cropped to its centred square (as ImageNet-style
 * Resize + CenterCrop does, so objects are not squashed) and shrunk by area averaging, which keeps
 * fine detail from aliasing; images smaller than 32 px are enlarged bilinearly. Transparent pixels
 * are composited over white. A file that cannot be read is skipped with a one-line warning, and so is
 * a picture of more than {@link #MAX_PIXELS} pixels, judged from its header before it is decoded.
 */
public final class ImageFolder {
    public static final int SIZE = LabeledImages.SIZE;
    /**
     * 50 megapixels (a 48 MP camera's 8000x6000 fits): decoding and cropping take up to about 30 bytes a
     * pixel, so the largest picture needs about 1.5 GB of heap, whatever its size on disk.
     */
    public static final long MAX_PIXELS = 50_000_000L;
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    /**
     * Names and their pixels [n,3,32,32] in [0,1]; pixels is null when n is 0. A name is the file name without
     * its extension, unless another picture has the same one (x.png and x.jpg): then both keep their extension.
     */
    public record Images(List<String> names, INDArray pixels) {
        public int size() {
            return names.size();
        }
    }

    private ImageFolder() {
    }

    /**
     * @param warnings receives one line per skipped file
     * @return the readable images in file-name order; none when the folder does not exist
     */
    public static Images read(Path folder, Consumer<String> warnings) throws IOException {
        return read(folder, warnings, SIZE, 1.0);
    }

    /**
     * @param size         the side of the square pictures returned
     * @param cropFraction the centred square's side as a fraction of each picture's short side (1: the largest square)
     */
    public static Images read(Path folder, Consumer<String> warnings, int size, double cropFraction) throws IOException {
        if (size < 1 || !(cropFraction > 0 && cropFraction <= 1)) {
            throw new IllegalArgumentException("pictures need a size >= 1 and a crop fraction in (0, 1], got " + size + " and " + cropFraction);
        }
        if (!Files.isDirectory(folder)) {
            return new Images(List.of(), null);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        List<String> names = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            if (EXTENSIONS.stream().noneMatch(fileName.toLowerCase(Locale.ROOT)::endsWith)) {
                warnings.accept("warning: skipping " + file + ": not a .png, .jpg or .jpeg file");
                continue;
            }
            try {
                pixels.add(toPixels(decode(file), size, cropFraction));
                names.add(fileName);
            } catch (UnreadablePicture e) {
                warnings.accept("warning: skipping " + file + ": " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                warnings.accept("warning: skipping " + file + ": not a readable image (" + e.getMessage() + ")");
            } catch (OutOfMemoryError e) {
                // the picture's own arrays are the ones that did not fit, and they are garbage now
                warnings.accept("warning: skipping " + file + ": too large to decode in this JVM's memory");
            }
        }
        if (names.isEmpty()) {
            return new Images(List.of(), null);
        }
        int planeSize = 3 * size * size;
        float[] all = new float[names.size() * planeSize];
        for (int i = 0; i < pixels.size(); i++) {
            System.arraycopy(pixels.get(i), 0, all, i * planeSize, planeSize);
        }
        return new Images(withoutSharedExtensions(names), Nd4j.create(all, new long[]{names.size(), 3, size, size}, DataType.FLOAT));
    }

    private static List<String> withoutSharedExtensions(List<String> fileNames) {
        Map<String, Long> counts = fileNames.stream().collect(Collectors.groupingBy(ImageFolder::base, Collectors.counting()));
        return fileNames.stream().map(name -> counts.get(base(name)) > 1 ? name : base(name)).toList();
    }

    private static String base(String fileName) {
        return fileName.substring(0, fileName.lastIndexOf('.'));
    }

    /** Why a picture is skipped, in words that follow its file name. */
    private static final class UnreadablePicture extends Exception {
        UnreadablePicture(String reason) {
            super(reason);
        }
    }

    /** The picture, its size checked from the header before any pixel is decoded. */
    private static BufferedImage decode(Path file) throws IOException, UnreadablePicture {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new UnreadablePicture("not a readable image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > MAX_PIXELS) {
                    throw new UnreadablePicture(width + "x" + height + " pixels, more than the limit of " + MAX_PIXELS);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Planar RGB 3x32x32 in [0,1] for one decoded image. */
    static float[] toPixels(BufferedImage image) {
        return toPixels(image, SIZE, 1.0);
    }

    /** Planar RGB 3 x size x size in [0,1]: the centred square of cropFraction of the short side, resized. */
    static float[] toPixels(BufferedImage image, int size, double cropFraction) {
        int side = Math.max(1, (int) Math.round(Math.min(image.getWidth(), image.getHeight()) * cropFraction));
        int left = (image.getWidth() - side) / 2;
        int top = (image.getHeight() - side) / 2;
        double[][] rgb = rgbPlanes(image, left, top, side);
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            double[] resized = Resampling.resize(rgb[c], side, side, size, size);
            for (int i = 0; i < size * size; i++) {
                out[c * size * size + i] = (float) Math.max(0, Math.min(1, resized[i]));
            }
        }
        return out;
    }

    /**
     * The square's red, green and blue planes in [0,1]. Grey images are read from their samples: the
     * colour-managed path (getRGB) treats Java's grey as linear light and would brighten every value.
     */
    private static double[][] rgbPlanes(BufferedImage image, int left, int top, int side) {
        double[][] planes = new double[3][side * side];
        Raster raster = image.getRaster();
        boolean grey = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof IndexColorModel);
        boolean alpha = image.getColorModel().hasAlpha();
        double greyMax = grey ? (1L << image.getColorModel().getComponentSize(0)) - 1 : 1;
        double alphaMax = grey && alpha ? (1L << image.getColorModel().getComponentSize(1)) - 1 : 1;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int i = y * side + x;
                double r;
                double gr;
                double b;
                double a;
                if (grey) {
                    r = gr = b = raster.getSample(left + x, top + y, 0) / greyMax;
                    a = alpha ? raster.getSample(left + x, top + y, 1) / alphaMax : 1;
                } else {
                    int argb = image.getRGB(left + x, top + y);
                    r = ((argb >> 16) & 0xFF) / 255.0;
                    gr = ((argb >> 8) & 0xFF) / 255.0;
                    b = (argb & 0xFF) / 255.0;
                    a = alpha ? ((argb >>> 24) & 0xFF) / 255.0 : 1;
                }
                planes[0][i] = r * a + (1 - a);
                planes[1][i] = gr * a + (1 - a);
                planes[2][i] = b * a + (1 - a);
            }
        }
        return planes;
    }
}
