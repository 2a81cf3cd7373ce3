package io.faro.bench.data;

import io.faro.core.model.Document;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Real English text in bulk, present on every machine that runs FARO: the documentation comments of the JDK's
 * own sources ({@code lib/src.zip} of the running JDK; Temurin 25's holds about six million words of them). Each
 * source file is one document, titled by its class, whose text is its comments with the markup taken out, one
 * paragraph each; a comment seen before (inherited documentation repeats) is left out. For benchmarks that need
 * more distinct chunks of real text than the SQuAD sample has (recall of an index of 100 000 chunks).
 */
public final class Javadoc {

    /** Comments shorter than this, in words, are left out ("Returns the value."). */
    static final int MIN_WORDS = 12;
    private static final Pattern COMMENT = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern LINE_START = Pattern.compile("(?m)^\\s*\\*? ?");
    private static final Pattern CODE_TAG =
            Pattern.compile("\\{@(?:code|literal|systemProperty|term|index)\\s+([^{}]*)}");
    /** {@code {@link Map#get(Object) get}} reads "get"; without a label, the reference ("Map.get(Object)"). */
    private static final Pattern LINK_TAG = Pattern.compile(
            "\\{@(?:link|linkplain)\\s+([^{}\\s(]+(?:\\([^)]*\\))?)(?:\\s+([^{}]*))?}");
    private static final Pattern OTHER_INLINE_TAG = Pattern.compile("\\{@[^{}]*}");
    private static final Pattern HTML = Pattern.compile("<[^>]*>");
    private static final Pattern DROPPED_BLOCK_TAG = Pattern.compile(
            "(?m)^@(since|see|author|serial|serialData|serialField|spec|jls|jvms|revised|implNote|hidden|moduleGraph)"
                    + "\\b.*$");
    private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^@(param|return|throws|exception|apiNote|"
            + "implSpec|deprecated)\\s*");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    /** One source file's comments as a document, and the first sentence of each of its comments. */
    public record Source(Document document, List<String> firstSentences) {
    }

    private Javadoc() {
    }

    /** The running JDK's sources, which the JDK's own installation puts beside its modules. */
    public static Path runningJdkSources() {
        Path zip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        if (!Files.isReadable(zip)) {
            throw new IllegalStateException("the JDK at " + System.getProperty("java.home") + " has no lib/src.zip;"
                    + " install a JDK with its sources (Temurin's packages have them), or give JAVA_HOME of one");
        }
        return zip;
    }

    /**
     * Every source file of the zip with at least one comment of {@link #MIN_WORDS} words not seen before, in an
     * order shuffled by {@code seed} (so that a prefix holds every module, not {@code java.base} alone).
     */
    public static List<Source> read(Path srcZip, long seed) {
        List<Source> sources = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (ZipFile zip = new ZipFile(srcZip.toFile())) {
            List<? extends ZipEntry> entries = zip.stream()
                    .filter(entry -> entry.getName().endsWith(".java") && !entry.getName().endsWith("-info.java"))
                    .toList();
            for (ZipEntry entry : entries) {
                String code = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                List<String> comments = new ArrayList<>();
                Matcher matcher = COMMENT.matcher(code);
                while (matcher.find()) {
                    String text = clean(matcher.group(1));
                    if (text.split(" ").length >= MIN_WORDS && seen.add(text)) {
                        comments.add(text);
                    }
                }
                if (!comments.isEmpty()) {
                    String title = className(entry.getName());
                    sources.add(new Source(new Document("javadoc-" + title, title, String.join("\n\n", comments),
                            Map.of("bench", "javadoc")), comments.stream().map(Javadoc::firstSentence).toList()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + srcZip, e);
        }
        Collections.shuffle(sources, new Random(seed));
        return sources;
    }

    /** A comment's text without its markup, on one line. */
    static String clean(String comment) {
        String text = LINE_START.matcher(comment).replaceAll("");
        text = DROPPED_BLOCK_TAG.matcher(text).replaceAll("");
        text = BLOCK_TAG.matcher(text).replaceAll("");
        text = CODE_TAG.matcher(text).replaceAll(match -> Matcher.quoteReplacement(match.group(1)));
        text = LINK_TAG.matcher(text).replaceAll(match -> Matcher.quoteReplacement(match.group(2) != null
                ? match.group(2) : match.group(1).replace('#', '.').replaceFirst("^\\.", "")));
        text = OTHER_INLINE_TAG.matcher(text).replaceAll("");
        text = HTML.matcher(text).replaceAll(" ");
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&nbsp;", " ")
                .replace("&#64;", "@").replace("&amp;", "&");
        return SPACE.matcher(text).replaceAll(" ").strip();
    }

    /** Javadoc's summary: up to the first period followed by a space. */
    static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }

    /** {@code java.base/java/util/HashMap.java} is {@code java.util.HashMap}. */
    static String className(String entry) {
        String path = entry.substring(entry.indexOf('/') + 1, entry.length() - ".java".length());
        return path.replace('/', '.');
    }
}
