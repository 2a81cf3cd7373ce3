package io.faro.cli.publish;

import io.faro.core.FaroException;
import io.faro.core.model.Document;
import io.faro.core.document.DocumentFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns files into documents: text and Markdown as text, PDF, Word, PowerPoint, Excel and HTML files as their
 * bytes inline ({@code content_base64}) with the content type of their extension, for the ingest to extract.
 * The id is the file's path (relative to the working directory when it lies under it, with forward
 * slashes), so publishing the same file again replaces it; the title is the first Markdown heading, else
 * the file name.
 */
public final class DocumentFiles {

    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.+?)\\s*#*\\s*$", Pattern.MULTILINE);

    private final Path workingDir;

    public DocumentFiles(Path workingDir) {
        this.workingDir = workingDir.toAbsolutePath().normalize();
    }

    /** The publishable files under each path (a directory recursively), sorted, without duplicates. */
    public List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).filter(DocumentFiles::isPublishable).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new FaroException("cannot read directory " + path + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(path)) {
                if (!isPublishable(path)) {
                    throw new FaroException(path + " is not a file FARO reads (" + String.join(", ", extensions()) + ")");
                }
                files.add(path);
            } else {
                throw new FaroException(path + " does not exist");
            }
        }
        return files.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    }

    /** Every extension {@code faro publish} takes. */
    public static List<String> extensions() {
        return DocumentFormat.allExtensions();
    }

    public Document read(Path file) {
        String id = idOf(file);
        String fileName = file.getFileName().toString();
        DocumentFormat format = DocumentFormat.ofFileName(fileName).orElseThrow(() -> new FaroException(
                file + " is not a file FARO reads (" + String.join(", ", extensions()) + ")"));
        Map<String, Object> metadata = Map.of("source_path", id, "content_type", format.mimeType());
        byte[] bytes = bytes(file);
        Optional<String> text = format.isPlainText() ? utf8(bytes) : Optional.empty();
        if (text.isEmpty()) {
            // a binary format, or text in another charset, which the ingest detects
            return Document.inline(id, stripExtension(fileName), bytes, format.mimeType(), metadata);
        }
        String title = format == DocumentFormat.MARKDOWN ? firstHeading(text.get()).orElse(stripExtension(fileName))
                : stripExtension(fileName);
        return new Document(id, title, text.get(), metadata);
    }

    String idOf(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path id = absolute.startsWith(workingDir) ? workingDir.relativize(absolute) : absolute;
        return id.toString().replace('\\', '/');
    }

    static Optional<String> firstHeading(String markdown) {
        Matcher matcher = HEADING.matcher(markdown);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FaroException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean isPublishable(Path file) {
        return DocumentFormat.ofFileName(file.getFileName().toString()).isPresent();
    }

    private static String stripExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
