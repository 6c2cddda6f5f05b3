package org.xaiworkbench.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** CIFAR-sized images as unsigned bytes in planar RGB order (3x32x32 each), with their labels. */
public record LabeledImages(byte[] pixels, int[] labels) {
    public static final int CHANNELS = 3;
    public static final int SIZE = 32;
    public static final int PIXELS = CHANNELS * SIZE * SIZE;

    public LabeledImages {
        if (pixels.length != labels.length * PIXELS) {
            throw new IllegalArgumentException("pixels must hold " + labels.length + " images of " + PIXELS
                    + " bytes, got " + pixels.length + " bytes");
        }
    }

    public int size() {
        return labels.length;
    }

    public static LabeledImages concat(List<LabeledImages> parts) {
        int n = parts.stream().mapToInt(LabeledImages::size).sum();
        byte[] pixels = new byte[n * PIXELS];
        int[] labels = new int[n];
        int at = 0;
        for (LabeledImages part : parts) {
            System.arraycopy(part.pixels, 0, pixels, at * PIXELS, part.pixels.length);
            System.arraycopy(part.labels, 0, labels, at, part.size());
            at += part.size();
        }
        return new LabeledImages(pixels, labels);
    }

    /** The images at the given indices, in that order. */
    public LabeledImages select(int[] indices) {
        byte[] out = new byte[indices.length * PIXELS];
        int[] outLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int j = indices[i];
            System.arraycopy(pixels, j * PIXELS, out, i * PIXELS, PIXELS);
            outLabels[i] = labels[j];
        }
        return new LabeledImages(out, outLabels);
    }

    public LabeledImages range(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return select(idx);
    }

    /** Images indices[from..to) as an [n,3,32,32] float tensor in pixel space [0,1]. */
    public INDArray pixelTensor(int[] indices, int from, int to) {
        return pixelTensor(i -> indices[i], from, to);
    }

    /** Images from..to as an [n,3,32,32] float tensor in pixel space [0,1]. */
    public INDArray pixelTensor(int from, int to) {
        return pixelTensor(i -> i, from, to);
    }

    private INDArray pixelTensor(java.util.function.IntUnaryOperator image, int from, int to) {
        int n = to - from;
        float[] data = new float[n * PIXELS];
        for (int i = 0; i < n; i++) {
            int src = image.applyAsInt(from + i) * PIXELS;
            int dst = i * PIXELS;
            for (int k = 0; k < PIXELS; k++) {
                data[dst + k] = (pixels[src + k] & 0xFF) / 255f;
            }
        }
        return Nd4j.create(data, new long[]{n, CHANNELS, SIZE, SIZE}, DataType.FLOAT);
    }
}
