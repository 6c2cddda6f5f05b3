package org.xaiworkbench.train;

/** counts[actual][predicted], with the per-class and macro precision, recall and F1 derived from it. */
public final class ConfusionMatrix {
    private final long[][] counts;

    public ConfusionMatrix(int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        this.counts = new long[numClasses][numClasses];
    }

    public static ConfusionMatrix of(long[][] counts) {
        ConfusionMatrix m = new ConfusionMatrix(counts.length);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != counts.length) {
                throw new IllegalArgumentException("confusion matrix must be square, row " + i + " has " + counts[i].length);
            }
            System.arraycopy(counts[i], 0, m.counts[i], 0, counts.length);
        }
        return m;
    }

    public void add(int actual, int predicted) {
        counts[actual][predicted]++;
    }

    public int numClasses() {
        return counts.length;
    }

    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    public long total() {
        long t = 0;
        for (long[] row : counts) {
            for (long c : row) {
                t += c;
            }
        }
        return t;
    }

    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
        }
        long total = total();
        return total == 0 ? 0 : (double) correct / total;
    }

    /** TP / (TP + FP); 0 for a class never predicted, as scikit-learn's zero_division=0. */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    public double recall(int c) {
        long actual = 0;
        for (long v : counts[c]) {
            actual += v;
        }
        return actual == 0 ? 0 : (double) counts[c][c] / actual;
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double macroPrecision() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) {
            s += precision(c);
        }
        return s / counts.length;
    }

    public double macroRecall() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) {
            s += recall(c);
        }
        return s / counts.length;
    }

    /** Mean of the per-class F1 scores (scikit-learn's average='macro'). */
    public double macroF1() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) {
            s += f1(c);
        }
        return s / counts.length;
    }

    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    public String toCsv(java.util.List<String> classNames) {
        StringBuilder sb = new StringBuilder("actual\\predicted");
        for (String n : classNames) {
            sb.append(',').append(n);
        }
        sb.append('\n');
        for (int i = 0; i < counts.length; i++) {
            sb.append(classNames.get(i));
            for (long c : counts[i]) {
                sb.append(',').append(c);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
