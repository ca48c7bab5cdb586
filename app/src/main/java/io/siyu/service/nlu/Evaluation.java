package io.siyu.service.nlu;

import io.siyu.service.nlu.TrainingData.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Accuracy, macro-F1 over the 17 intents and a confusion matrix (rows gold, columns predicted,
 * last column {@code fallback}) for any classifier over labelled examples.
 */
public record Evaluation(List<String> labels, int[][] confusion, int total, int correct) {

    public static Evaluation of(List<Example> examples, Function<String, String> classifier) {
        List<String> labels = new ArrayList<>(Intents.LABELS);
        labels.add(Intents.FALLBACK);
        int[][] confusion = new int[labels.size()][labels.size()];
        int correct = 0;
        for (Example example : examples) {
            String predicted = classifier.apply(example.text());
            int g = labels.indexOf(example.intent());
            int p = labels.indexOf(predicted);
            confusion[g][p < 0 ? labels.size() - 1 : p]++;
            if (g == p) {
                correct++;
            }
        }
        return new Evaluation(List.copyOf(labels), confusion, examples.size(), correct);
    }

    public double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    /** Mean F1 over the intents (fallback is not a class of its own). */
    public double macroF1() {
        double sum = 0;
        int n = Intents.LABELS.size();
        for (int c = 0; c < n; c++) {
            int tp = confusion[c][c];
            int predicted = 0;
            int actual = 0;
            for (int k = 0; k < labels.size(); k++) {
                predicted += confusion[k][c];
                actual += confusion[c][k];
            }
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = actual == 0 ? 0 : (double) tp / actual;
            sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        return sum / n;
    }

    public String confusionTable() {
        StringBuilder out = new StringBuilder(String.format("%-18s", "gold \\ predicted"));
        for (int c = 0; c < labels.size(); c++) {
            out.append(String.format("%4s", abbreviation(c)));
        }
        out.append('\n');
        for (int g = 0; g < labels.size() - 1; g++) {
            out.append(String.format("%-18s", labels.get(g)));
            for (int p = 0; p < labels.size(); p++) {
                out.append(String.format("%4s", confusion[g][p] == 0 ? "." : Integer.toString(confusion[g][p])));
            }
            out.append('\n');
        }
        out.append("columns: ");
        for (int c = 0; c < labels.size(); c++) {
            out.append(abbreviation(c)).append('=').append(labels.get(c)).append(c + 1 < labels.size() ? ", " : "\n");
        }
        return out.toString();
    }

    private String abbreviation(int c) {
        return "c" + c;
    }
}
