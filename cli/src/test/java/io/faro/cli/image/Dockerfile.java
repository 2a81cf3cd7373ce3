package io.faro.cli.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read the way the builder reads it, as far as the offline checks need: continuation lines
 * joined, comments dropped, instructions grouped by build stage.
 */
record Dockerfile(List<Dockerfile.Stage> stages) {

    /** One instruction: its keyword in upper case and the rest of its line. */
    record Instruction(String keyword, String arguments) {
    }

    /** A build stage: its base image, its name if it has one, and its instructions after {@code FROM}. */
    record Stage(String image, Optional<String> name, List<Instruction> instructions) {

        List<String> arguments(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        Optional<String> last(String keyword) {
            List<String> all = arguments(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
        }

        /** The variables every {@code ENV} of the stage sets ({@code KEY=VALUE} form). */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : arguments("ENV")) {
                for (String pair : line.trim().split("\\s+")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        env.put(pair.substring(0, eq), unquote(pair.substring(eq + 1)));
                    }
                }
            }
            return env;
        }
    }

    static Dockerfile read(Path file) throws IOException {
        List<Stage> stages = new ArrayList<>();
        for (String line : logicalLines(Files.readAllLines(file))) {
            String[] parts = line.trim().split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String arguments = parts.length > 1 ? parts[1].trim() : "";
            if (keyword.equals("FROM")) {
                List<String> words = new ArrayList<>(List.of(arguments.split("\\s+")));
                words.removeIf(word -> word.startsWith("--"));
                Optional<String> name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")
                        ? Optional.of(words.get(2)) : Optional.empty();
                stages.add(new Stage(words.getFirst(), name, new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.getLast().instructions().add(new Instruction(keyword, arguments));
            }
        }
        return new Dockerfile(stages);
    }

    Stage last() {
        return stages.getLast();
    }

    Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(Optional.of(name))).findFirst();
    }

    private static List<String> logicalLines(List<String> physical) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : physical) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue; // comments may sit inside a continued instruction too
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            lines.add(current.toString());
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
