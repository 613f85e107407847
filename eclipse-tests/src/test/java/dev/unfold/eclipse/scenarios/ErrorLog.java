package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;

/**
 * Eclipse's error log (the Error Log view) while a scenario runs. JDT APT logs there, and only
 * there, what goes wrong around a processor: an exception it throws, a processor it cannot load,
 * a file it cannot write. A build can look clean in the Problems view with such errors logged, so
 * every scenario also requires the log to stay free of errors.
 */
final class ErrorLog {
    /** A scenario's body. */
    interface Body {
        void run() throws Exception;
    }

    private ErrorLog() {
    }

    /** Runs {@code body}; then fails if Eclipse logged an error meanwhile. */
    static void watching(Body body) throws Exception {
        List<String> errors = new ArrayList<>();
        ILogListener listener = (status, plugin) -> {
            if (status.matches(IStatus.ERROR)) {
                synchronized (errors) {
                    errors.add(describe(status));
                }
            }
        };
        Platform.addLogListener(listener);
        try {
            body.run();
        } finally {
            Platform.removeLogListener(listener);
        }
        synchronized (errors) {
            assertEquals(List.of(), errors, "Eclipse logged errors");
        }
    }

    private static String describe(IStatus status) {
        StringWriter text = new StringWriter();
        text.append(status.getPlugin()).append(": ").append(status.getMessage());
        if (status.getException() != null) {
            text.append('\n');
            status.getException().printStackTrace(new PrintWriter(text));
        }
        for (IStatus child : status.getChildren()) {
            text.append("\n  ").append(describe(child));
        }
        return text.toString();
    }
}
