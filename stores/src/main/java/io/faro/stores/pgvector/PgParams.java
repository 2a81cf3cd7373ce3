package io.faro.stores.pgvector;

import io.r2dbc.spi.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of one statement being written: each value gets the next placeholder ({@code $1}, {@code $2},
 * ...) where the text needs it, so a statement built from optional parts (a filter, a keyword side) numbers its
 * parameters without gaps, and every value is bound, never formatted into the SQL.
 */
final class PgParams {

    private final List<Object> values = new ArrayList<>();

    /** The placeholder of a new parameter with this value. */
    String add(Object value) {
        values.add(value);
        return "$" + values.size();
    }

    /** Binds every value to the statement made from the text these placeholders went into. */
    Statement bindTo(Statement statement) {
        for (int i = 0; i < values.size(); i++) {
            statement.bind("$" + (i + 1), values.get(i));
        }
        return statement;
    }
}
