package io.siyu.journey;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionProvider;
import io.siyu.action.ActionRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * For the crash test's child process: action type {@code test-recorder} appends every call (action
 * id, node, the user it was for) to a file and forces it to disk before answering, like a remote
 * that logs each request it receives. Only present when {@code siyu.test.recorder-file} is set.
 */
@Component
@ConditionalOnProperty("siyu.test.recorder-file")
class FileRecordingProvider implements ActionProvider {

    private final FileChannel file;

    FileRecordingProvider(org.springframework.core.env.Environment environment) throws IOException {
        this.file = FileChannel.open(Path.of(environment.getRequiredProperty("siyu.test.recorder-file")),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public String type() {
        return "test-recorder";
    }

    @Override
    public synchronized ActionOutcome perform(ActionRequest request) {
        String line = request.actionId() + "\t" + request.parameter("node", "") + "\t" + request.parameter("user", "") + "\n";
        try {
            file.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            file.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ActionOutcome.Done("recorded", Map.of());
    }
}
