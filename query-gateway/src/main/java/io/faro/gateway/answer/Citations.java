package io.faro.gateway.answer;

import io.faro.core.model.SearchHit;
import io.faro.gateway.answer.Answerer.Citation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The citations of a generated answer: each {@code [n]} (or {@code [n, m]}) mapped to the chunk it points at.
 * A number that points at no source the model was given is removed from the text, so a reader never follows
 * a citation to nothing.
 */
record Citations(String text, List<Citation> citations) {

    private static final Pattern CITATION = Pattern.compile(" ?\\[(\\d{1,4}(?:\\s*,\\s*\\d{1,4})*)\\]");

    /** {@code sources}: how many of the hits the prompt held, so {@code [1]}..{@code [sources]} are valid. */
    static Citations of(String answer, List<SearchHit> hits, int sources) {
        Map<Integer, Citation> cited = new LinkedHashMap<>();
        Matcher matcher = CITATION.matcher(answer);
        StringBuilder text = new StringBuilder();
        while (matcher.find()) {
            List<String> valid = new ArrayList<>();
            for (String number : matcher.group(1).split(",")) {
                int ref = Integer.parseInt(number.strip());
                if (ref >= 1 && ref <= sources) {
                    valid.add(Integer.toString(ref));
                    cited.computeIfAbsent(ref, r -> Citation.of(r, hits.get(r - 1)));
                }
            }
            String kept = valid.isEmpty() ? ""
                    : (matcher.group().startsWith(" ") ? " " : "") + "[" + String.join(", ", valid) + "]";
            matcher.appendReplacement(text, Matcher.quoteReplacement(kept));
        }
        matcher.appendTail(text);
        return new Citations(text.toString(), List.copyOf(cited.values()));
    }
}
