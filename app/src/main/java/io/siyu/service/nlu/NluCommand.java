package io.siyu.service.nlu;

import io.siyu.service.nlu.TrainingData.Example;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./siyu nlu-train [model-file]} trains on the bundled data and writes the artefact
 * (default: the committed resource); {@code ./siyu nlu-eval [model-file]} prints accuracy,
 * macro-F1 and the confusion matrix on the held-out split, plus fallback recall on out-of-scope.
 */
public final class NluCommand {

    static final String DEFAULT_MODEL = "app/src/main/resources" + LanguageUnderstanding.MODEL_RESOURCE;
    static final String VERSION = "intent-v1";

    private NluCommand() {}

    public static void main(String[] args) throws IOException {
        String command = args.length == 0 ? "help" : args[0];
        Path file = Path.of(args.length > 1 ? args[1] : DEFAULT_MODEL);
        TrainingData data = TrainingData.bundled();
        switch (command) {
            case "train" -> {
                long started = System.nanoTime();
                IntentModel model = IntentTrainer.train(data, VERSION);
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    model.write(out);
                }
                System.out.printf("trained %s on %d examples (%d held out) in %d ms; fallback threshold %.2f; wrote %s (%,d bytes)%n",
                        VERSION, data.train().size(), data.heldOut().size(), (System.nanoTime() - started) / 1_000_000,
                        model.threshold(), file, Files.size(file));
            }
            case "eval" -> {
                IntentModel model;
                try (InputStream in = Files.newInputStream(file)) {
                    model = IntentModel.read(in);
                }
                if (!model.dataSha256().equals(data.sha256())) {
                    System.out.println("warning: the model was trained on different data than the bundled files; retrain first");
                }
                System.out.print(report(model, data));
            }
            default -> {
                System.out.println("usage: nlu-train [model-file] | nlu-eval [model-file]");
                System.exit(command.equals("help") ? 0 : 2);
            }
        }
    }

    static String report(IntentModel model, TrainingData data) {
        Evaluation eval = Evaluation.of(data.heldOut(), text -> LanguageUnderstanding.classify(model, text).intent());
        Evaluation top = Evaluation.of(data.heldOut(), text -> LanguageUnderstanding.classify(model, text).topLabel());
        List<Example> outOfScope = data.outOfScope().stream().map(t -> new Example(Intents.FALLBACK, t)).toList();
        long toFallback = outOfScope.stream().filter(e -> LanguageUnderstanding.classify(model, e.text()).intent().equals(Intents.FALLBACK)).count();
        return String.format("model %s, fallback threshold %.2f, held-out examples %d (never trained on)%n", model.version(),
                model.threshold(), eval.total())
                + String.format("accuracy %.4f (top label without fallback %.4f), macro-F1 %.4f%n", eval.accuracy(), top.accuracy(), eval.macroF1())
                + String.format("out-of-scope sent to fallback: %d of %d%n", toFallback, outOfScope.size())
                + eval.confusionTable();
    }
}
