package dev.unfold.processor.eclipse;

import org.eclipse.jdt.core.compiler.CategorizedProblem;

/** One of Unfold's errors, as the editor shows a problem: a message on a source range of one file. */
final class UnfoldProblem extends CategorizedProblem {
    private final String message;
    private final char[] fileName;
    private int start;
    private int end;
    private int line;

    /** {@code end} is inclusive, as JDT's problems have it. */
    UnfoldProblem(String message, char[] fileName, int start, int end, int line) {
        this.message = message;
        this.fileName = fileName;
        this.start = start;
        this.end = end;
        this.line = line;
    }

    @Override
    public int getCategoryID() {
        return CAT_UNSPECIFIED;
    }

    @Override
    public String getMarkerType() {
        return ReconcileParticipant.MARKER_TYPE;
    }

    @Override
    public String[] getArguments() {
        return new String[0];
    }

    @Override
    public int getID() {
        return 0; // IProblem ids are JDT's own; Unfold's id is the [UnfoldXxx] opening the message
    }

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public char[] getOriginatingFileName() {
        return fileName;
    }

    @Override
    public int getSourceStart() {
        return start;
    }

    @Override
    public int getSourceEnd() {
        return end;
    }

    @Override
    public int getSourceLineNumber() {
        return line;
    }

    @Override
    public boolean isError() {
        return true;
    }

    @Override
    public boolean isWarning() {
        return false;
    }

    @Override
    public void setSourceStart(int sourceStart) {
        start = sourceStart;
    }

    @Override
    public void setSourceEnd(int sourceEnd) {
        end = sourceEnd;
    }

    @Override
    public void setSourceLineNumber(int lineNumber) {
        line = lineNumber;
    }

    @Override
    public String toString() {
        return line + ": " + message;
    }
}
