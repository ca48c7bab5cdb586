package io.siyu.service.nlu;

import io.siyu.service.nlu.TrainingData.Example;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Trains an {@link IntentModel}: softmax regression by stochastic gradient descent with L2
 * shrinkage over a fixed, seeded shuffle (same data → same model), then calibrates the fallback
 * threshold from 5-fold out-of-fold probabilities on the training split and the out-of-scope
 * messages: the threshold is the one that maximises "in-scope answered correctly or out-of-scope
 * sent to fallback". The held-out split is never seen here.
 */
public final class IntentTrainer {

    static final int EPOCHS = Integer.getInteger("nlu.epochs", 40);
    static final double LEARNING_RATE = Double.parseDouble(System.getProperty("nlu.lr", "1.5"));
    static final double L2 = Double.parseDouble(System.getProperty("nlu.l2", "1e-5"));
    static final long SEED = 20261125L;
    static final int FOLDS = 5;
    static final double OUT_OF_SCOPE_WEIGHT = Double.parseDouble(System.getProperty("nlu.oos", "0.1"));

    private IntentTrainer() {}

    public static IntentModel train(TrainingData data, String version) {
        IntentModel model = fit(data.train(), version, data.sha256());
        double threshold = calibrate(data, version);
        return model.withThreshold(threshold);
    }

    static IntentModel fit(List<Example> examples, String version, String sha) {
        String[] labels = Intents.LABELS.toArray(String[]::new);
        int classes = labels.length;
        int[][] features = new int[examples.size()][];
        int[] gold = new int[examples.size()];
        Set<Integer> vocabulary = new LinkedHashSet<>();
        int[] buffer = new int[Features.MAX_FEATURES];
        for (int i = 0; i < examples.size(); i++) {
            Example example = examples.get(i);
            String normalised = TextNormaliser.normalise(example.text());
            int count = Features.extract(normalised, EntityExtractor.forFeatures(normalised), SentimentScorer.score(normalised), buffer);
            features[i] = java.util.Arrays.copyOf(buffer, count);
            gold[i] = Intents.LABELS.indexOf(example.intent());
            for (int k = 0; k < count; k++) {
                vocabulary.add(buffer[k]);
            }
        }
        int[] hashes = vocabulary.stream().mapToInt(Integer::intValue).toArray();
        float[] weights = new float[hashes.length * classes];
        float[] bias = new float[classes];
        IntentModel index = new IntentModel(version, sha, labels, 0, hashes, weights, bias);
        int[][] rows = new int[examples.size()][];
        for (int i = 0; i < features.length; i++) {
            rows[i] = new int[features[i].length];
            for (int k = 0; k < features[i].length; k++) {
                rows[i][k] = index.row(features[i][k]);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            order.add(i);
        }
        Random random = new Random(SEED);
        double[] scores = new double[classes];
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            Collections.shuffle(order, random);
            double rate = LEARNING_RATE / (1 + 0.1 * epoch);
            for (int i : order) {
                int[] r = rows[i];
                double scale = 1.0 / Math.sqrt(Math.max(1, r.length));
                for (int c = 0; c < classes; c++) {
                    scores[c] = bias[c];
                }
                for (int row : r) {
                    for (int c = 0; c < classes; c++) {
                        scores[c] += weights[row * classes + c] * scale;
                    }
                }
                IntentModel.softmax(scores);
                for (int c = 0; c < classes; c++) {
                    double gradient = scores[c] - (c == gold[i] ? 1 : 0);
                    bias[c] -= (float) (rate * gradient);
                    for (int row : r) {
                        int w = row * classes + c;
                        weights[w] -= (float) (rate * (gradient * scale + L2 * weights[w]));
                    }
                }
            }
        }
        return new IntentModel(version, sha, labels, 0, hashes, weights, bias);
    }

    static double calibrate(TrainingData data, String version) {
        List<double[]> candidates = new ArrayList<>(); // {confidence, 1 if the top label was right}
        List<Example> train = data.train();
        for (int fold = 0; fold < FOLDS; fold++) {
            List<Example> fit = new ArrayList<>();
            List<Example> check = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                (i % FOLDS == fold ? check : fit).add(train.get(i));
            }
            IntentModel model = fit(fit, version, data.sha256());
            for (Example example : check) {
                IntentModel.Prediction p = LanguageUnderstanding.classify(model, example.text());
                candidates.add(new double[] {p.confidence(), p.topLabel().equals(example.intent()) ? 1 : 0, 1});
            }
        }
        IntentModel full = fit(train, version, data.sha256());
        for (String text : data.outOfScope()) {
            candidates.add(new double[] {LanguageUnderstanding.classify(full, text).confidence(), 0, 0});
        }
        // in-scope and out-of-scope count by their share, weighted so 39 off-topic lines are not drowned by 1,000
        // examples: the weight makes a wrongly answered off-topic message cost OUT_OF_SCOPE_WEIGHT times a lost answer
        double inScope = candidates.stream().filter(c -> c[2] == 1).count();
        double outOfScope = Math.max(1, candidates.size() - inScope);
        double best = 0;
        double bestScore = -1;
        for (int step = 2; step <= 90; step++) {
            double t = step / 100.0;
            double score = 0;
            for (double[] c : candidates) {
                boolean answered = c[0] >= t;
                if (c[2] == 1 && answered && c[1] == 1) {
                    score += 1 / inScope;
                } else if (c[2] == 0 && !answered) {
                    score += OUT_OF_SCOPE_WEIGHT / outOfScope;
                }
            }
            if (score > bestScore) {
                bestScore = score;
                best = t;
            }
        }
        return best;
    }
}
