package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.Common.PointId;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A point id as Qdrant keeps it: an unsigned 64-bit number or a UUID in canonical lower-case form, numbers
 * ordered before UUIDs (the order scroll pages follow).
 *
 * @param num the number when {@code uuid} is null
 * @param uuid the canonical UUID, or null for a numeric id
 */
record PointKey(long num, String uuid) implements Comparable<PointKey> {

    private static final Pattern HEX32 = Pattern.compile("[0-9a-fA-F]{32}");

    static PointKey of(PointId id) {
        return switch (id.getPointIdOptionsCase()) {
            case NUM -> new PointKey(id.getNum(), null);
            case UUID -> new PointKey(0, canonicalUuid(id.getUuid()));
            case POINTIDOPTIONS_NOT_SET -> throw Rpc.wrongInput("PointId is not set");
        };
    }

    /** Parses the text form used by the introspection API: digits for a number, otherwise a UUID. */
    static PointKey parse(String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            return new PointKey(Long.parseUnsignedLong(text), null);
        }
        return new PointKey(0, canonicalUuid(text));
    }

    /** Accepts the forms Qdrant accepts (hyphenated, simple, braced, urn) and returns the hyphenated one. */
    static String canonicalUuid(String text) {
        String s = text.strip();
        if (s.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            s = s.substring(9);
        } else if (s.startsWith("{") && s.endsWith("}")) {
            s = s.substring(1, s.length() - 1);
        }
        String hex;
        if (s.length() == 36 && s.charAt(8) == '-' && s.charAt(13) == '-' && s.charAt(18) == '-'
                && s.charAt(23) == '-') {
            hex = s.replace("-", "");
        } else {
            hex = s;
        }
        if (!HEX32.matcher(hex).matches()) {
            throw io.grpc.Status.INVALID_ARGUMENT.withDescription("Unable to parse UUID: " + text)
                    .asRuntimeException();
        }
        hex = hex.toLowerCase(Locale.ROOT);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    boolean isUuid() {
        return uuid != null;
    }

    PointId toProto() {
        return isUuid() ? PointId.newBuilder().setUuid(uuid).build() : PointId.newBuilder().setNum(num).build();
    }

    @Override
    public int compareTo(PointKey other) {
        if (isUuid() != other.isUuid()) {
            return isUuid() ? 1 : -1;
        }
        return isUuid() ? uuid.compareTo(other.uuid) : Long.compareUnsigned(num, other.num);
    }

    @Override
    public String toString() {
        return isUuid() ? uuid : Long.toUnsignedString(num);
    }
}
