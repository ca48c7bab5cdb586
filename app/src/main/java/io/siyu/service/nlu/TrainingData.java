package io.siyu.service.nlu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The authored examples ({@code service/nlu/training.tsv}) and out-of-scope messages
 * ({@code service/nlu/out-of-scope.tsv}), with the fixed split: an example whose normalised text
 * hashes to 0 mod 5 is held out and never trained on, so the evaluation is honest and repeatable.
 */
public record TrainingData(List<Example> train, List<Example> heldOut, List<String> outOfScope, String sha256) {

    public record Example(String intent, String text) {}

    public static TrainingData bundled() {
        try (InputStream examples = resource("/service/nlu/training.tsv");
                InputStream outOfScope = resource("/service/nlu/out-of-scope.tsv")) {
            return read(examples.readAllBytes(), outOfScope.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrainingData read(byte[] examplesTsv, byte[] outOfScopeTsv) throws IOException {
        List<Example> train = new ArrayList<>();
        List<Example> heldOut = new ArrayList<>();
        int lineNo = 0;
        for (String line : lines(examplesTsv)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            String intent = tab < 0 ? "" : line.substring(0, tab);
            if (!Intents.LABELS.contains(intent)) {
                throw new IllegalArgumentException("training line " + lineNo + ": unknown intent '" + intent + "'");
            }
            Example example = new Example(intent, line.substring(tab + 1).strip());
            (isHeldOut(example.text()) ? heldOut : train).add(example);
        }
        List<String> outOfScope = new ArrayList<>();
        for (String line : lines(outOfScopeTsv)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                outOfScope.add(line.strip());
            }
        }
        return new TrainingData(List.copyOf(train), List.copyOf(heldOut), List.copyOf(outOfScope), sha256(examplesTsv, outOfScopeTsv));
    }

    static boolean isHeldOut(String text) {
        String key = TextNormaliser.normalise(text);
        int h = 0x811C9DC5;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x01000193;
        }
        return Integer.remainderUnsigned(h, 5) == 0;
    }

    private static List<String> lines(byte[] bytes) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        return reader.lines().toList();
    }

    private static String sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = TrainingData.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is missing from the classpath");
        }
        return in;
    }
}
