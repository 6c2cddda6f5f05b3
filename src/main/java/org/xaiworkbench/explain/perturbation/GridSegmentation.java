package org.xaiworkbench.explain.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A plain rows x cols grid, the image-independent alternative to SLIC: cell boundaries at
 * floor(i * H / rows), so a 32x32 image with an 8x8 grid has 64 cells of 4x4.
 */
public final class GridSegmentation implements Segmentation {
    private final int rows;
    private final int cols;

    public GridSegmentation(int rows, int cols) {
        if (rows <= 0) {
            throw new IllegalArgumentException("grid rows must be > 0, got " + rows);
        }
        if (cols <= 0) {
            throw new IllegalArgumentException("grid cols must be > 0, got " + cols);
        }
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public Superpixels segment(INDArray image) {
        long[] shape = Segmentation.imageShape(image);
        return of((int) shape[1], (int) shape[2]);
    }

    /** The grid for an image of the given size. */
    public Superpixels of(int height, int width) {
        if (rows > height || cols > width) {
            throw new IllegalArgumentException("grid " + rows + "x" + cols + " is finer than the image " + height + "x" + width);
        }
        int[] labels = new int[height * width];
        for (int y = 0; y < height; y++) {
            int row = (int) ((long) y * rows / height);
            for (int x = 0; x < width; x++) {
                labels[y * width + x] = row * cols + (int) ((long) x * cols / width);
            }
        }
        return new Superpixels(height, width, labels, rows * cols);
    }

    @Override
    public String describe() {
        return "grid(" + rows + "x" + cols + ")";
    }

    /** What a run's provenance shows. */
    @Override
    public String toString() {
        return describe();
    }
}
