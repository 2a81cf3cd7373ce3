package io.faro.cli.publish;

import io.faro.core.FaroException;
import io.faro.core.model.Document;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns text and Markdown files into documents. The id is the file's path (relative to the working
 * directory when it lies under it, with forward slashes), so publishing the same file again replaces
 * it; the title is the first Markdown heading, else the file name.
 */
public final class DocumentFiles {

    private static final List<String> EXTENSIONS = List.of(".md", ".markdown", ".txt", ".text");
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
                    throw new FaroException(path + " is not a text or Markdown file (" + String.join(", ", EXTENSIONS) + ")");
                }
                files.add(path);
            } else {
                throw new FaroException(path + " does not exist");
            }
        }
        return files.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    }

    public Document read(Path file) {
        String text = decode(file);
        String id = idOf(file);
        String fileName = file.getFileName().toString();
        String title = isMarkdown(fileName) ? firstHeading(text).orElse(stripExtension(fileName)) : stripExtension(fileName);
        return new Document(id, title, text, Map.of("source_path", id,
                "content_type", isMarkdown(fileName) ? "text/markdown" : "text/plain"));
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

    private static String decode(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FaroException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new FaroException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isPublishable(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static boolean isMarkdown(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".md") || name.endsWith(".markdown");
    }

    private static String stripExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
