package io.siyu.service.nlu;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A trained intent classifier: multinomial logistic regression over the {@link Features} of a
 * message, plus the confidence threshold below which the answer is {@link Intents#FALLBACK}.
 * Feature hashes seen in training map to weight rows through an open-addressing table; unseen
 * hashes carry no weight. Immutable and thread-safe; classifying allocates two small arrays.
 *
 * <p>Artefact format (gzip): magic, format version, feature version, model version, SHA-256 of the
 * training data, labels, threshold, hashes, then weights row-major and biases as floats.
 */
public final class IntentModel {

    static final String MAGIC = "SIYU-INTENT";
    static final int FORMAT = 1;
    static final double COVERAGE_WEIGHT = 1;

    /** The best label, its softmax probability, and whether that clears the threshold. */
    public record Prediction(String intent, double confidence, String topLabel) {}

    private final String version;
    private final String dataSha256;
    private final String[] labels;
    private final double threshold;
    private final int[] tableKeys;
    private final int[] tableRows;
    private final int mask;
    private final float[] weights;
    private final float[] bias;

    IntentModel(String version, String dataSha256, String[] labels, double threshold, int[] hashes, float[] weights, float[] bias) {
        if (weights.length != hashes.length * labels.length || bias.length != labels.length) {
            throw new IllegalArgumentException("weights do not match " + hashes.length + " features × " + labels.length + " labels");
        }
        this.version = version;
        this.dataSha256 = dataSha256;
        this.labels = labels.clone();
        this.threshold = threshold;
        this.weights = weights;
        this.bias = bias;
        int size = Integer.highestOneBit(Math.max(16, hashes.length * 2)) << 1;
        this.mask = size - 1;
        this.tableKeys = new int[size];
        this.tableRows = new int[size];
        java.util.Arrays.fill(tableRows, -1);
        for (int row = 0; row < hashes.length; row++) {
            int slot = spread(hashes[row]) & mask;
            while (tableRows[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            tableKeys[slot] = hashes[row];
            tableRows[slot] = row;
        }
    }

    public String version() {
        return version;
    }

    public String dataSha256() {
        return dataSha256;
    }

    public double threshold() {
        return threshold;
    }

    public List<String> labels() {
        return List.of(labels);
    }

    IntentModel withThreshold(double newThreshold) {
        return new IntentModel(version, dataSha256, labels, newThreshold, hashes(), weights, bias);
    }

    /** Class probabilities for the given features (see {@link Features#extract}). */
    double[] probabilities(int[] features, int count) {
        double[] scores = new double[labels.length];
        double scale = 1.0 / Math.sqrt(Math.max(1, count));
        for (int c = 0; c < labels.length; c++) {
            scores[c] = bias[c];
        }
        for (int i = 0; i < count; i++) {
            int row = row(features[i]);
            if (row < 0) {
                continue;
            }
            int base = row * labels.length;
            for (int c = 0; c < labels.length; c++) {
                scores[c] += weights[base + c] * scale;
            }
        }
        return softmax(scores);
    }

    /**
     * The confidence is the softmax probability discounted by how much of the message the model has
     * seen in training (the share of its features with a weight row): off-topic chat is mostly
     * unseen n-grams, and a softmax alone would still hand it confidently to some intent.
     */
    Prediction predict(int[] features, int count) {
        double[] p = probabilities(features, count);
        int known = 0;
        for (int i = 0; i < count; i++) {
            if (row(features[i]) >= 0) {
                known++;
            }
        }
        double coverage = count == 0 ? 0 : (double) known / count;
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        String top = labels[best];
        double confidence = p[best] * Math.pow(coverage, COVERAGE_WEIGHT);
        return new Prediction(confidence >= threshold ? top : Intents.FALLBACK, confidence, top);
    }

    int row(int hash) {
        int slot = spread(hash) & mask;
        while (true) {
            int row = tableRows[slot];
            if (row < 0) {
                return -1;
            }
            if (tableKeys[slot] == hash) {
                return row;
            }
            slot = (slot + 1) & mask;
        }
    }

    static double[] softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < scores.length; c++) {
            scores[c] = Math.exp(scores[c] - max);
            sum += scores[c];
        }
        for (int c = 0; c < scores.length; c++) {
            scores[c] /= sum;
        }
        return scores;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16) * 0x45D9F3B;
    }

    private int[] hashes() {
        int[] hashes = new int[weights.length / labels.length];
        for (int slot = 0; slot < tableRows.length; slot++) {
            if (tableRows[slot] >= 0) {
                hashes[tableRows[slot]] = tableKeys[slot];
            }
        }
        return hashes;
    }

    public void write(OutputStream target) throws IOException {
        GZIPOutputStream gzip = new GZIPOutputStream(target);
        DataOutputStream out = new DataOutputStream(gzip);
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(Features.VERSION);
        out.writeUTF(version);
        out.writeUTF(dataSha256);
        out.writeInt(labels.length);
        for (String label : labels) {
            out.writeUTF(label);
        }
        out.writeDouble(threshold);
        int[] hashes = hashes();
        out.writeInt(hashes.length);
        for (int h : hashes) {
            out.writeInt(h);
        }
        for (float w : weights) {
            out.writeFloat(w);
        }
        for (float b : bias) {
            out.writeFloat(b);
        }
        out.flush();
        gzip.finish();
    }

    public static IntentModel read(InputStream source) throws IOException {
        DataInputStream in = new DataInputStream(new GZIPInputStream(source));
        if (!MAGIC.equals(in.readUTF())) {
            throw new IOException("not a Siyu intent model");
        }
        int format = in.readInt();
        int features = in.readInt();
        if (format != FORMAT || features != Features.VERSION) {
            throw new IOException("intent model format " + format + "/features " + features + " does not match this build ("
                    + FORMAT + "/" + Features.VERSION + "): retrain with ./siyu nlu-train");
        }
        String version = in.readUTF();
        String sha = in.readUTF();
        List<String> labels = new ArrayList<>();
        int labelCount = in.readInt();
        for (int i = 0; i < labelCount; i++) {
            labels.add(in.readUTF());
        }
        double threshold = in.readDouble();
        int[] hashes = new int[in.readInt()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = in.readInt();
        }
        float[] weights = new float[hashes.length * labelCount];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = in.readFloat();
        }
        float[] bias = new float[labelCount];
        for (int i = 0; i < labelCount; i++) {
            bias[i] = in.readFloat();
        }
        return new IntentModel(version, sha, labels.toArray(String[]::new), threshold, hashes, weights, bias);
    }
}
