package io.faro.documents;

import io.faro.core.document.DocumentFormat;
import java.util.Locale;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.ZeroByteFileException;

/** Says why a parser failed, from the exception it threw (or one it wraps). */
final class ParseFailures {

    private ParseFailures() {
    }

    static ExtractionException classify(Throwable failure, DocumentFormat format) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ExtractionException e) {
                return e;
            }
            if (t instanceof StructureHandler.Stop stop) {
                return new ExtractionException(stop.reason(), stop.getMessage(), failure);
            }
            String name = t.getClass().getName();
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof EncryptedDocumentException || name.equals("org.apache.poi.EncryptedDocumentException")
                    || name.equals("org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException")) {
                return new ExtractionException(ExtractionException.Reason.ENCRYPTED, "the " + format
                        + " is encrypted (protected by a password); publish it unprotected", failure);
            }
            if (message.contains("zip bomb")) {
                return new ExtractionException(ExtractionException.Reason.TOO_LARGE, "the " + format
                        + " expands more than FARO_MAX_COMPRESSION_RATIO allows (a zip bomb?): " + t.getMessage(), failure);
            }
            if (t instanceof OutOfMemoryError) {
                return new ExtractionException(ExtractionException.Reason.TOO_LARGE, "the " + format
                        + " needs more memory than the heap has", failure);
            }
            if (t instanceof ZeroByteFileException) {
                return new ExtractionException(ExtractionException.Reason.EMPTY, "the content is empty", failure);
            }
        }
        return new ExtractionException(ExtractionException.Reason.CORRUPT, "the " + format + " cannot be read ("
                + rootMessage(failure) + "); is it truncated, damaged, or of another type?", failure);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        message = message == null || message.isBlank() ? root.getClass().getSimpleName() : message.strip();
        return message.length() > 300 ? message.substring(0, 297) + "..." : message;
    }
}
