package im.parley.server.modules.sm;

/**
 * XEP-0198 §4: sequence numbers are unsigned 32-bit integers that wrap around to zero after
 * 2^32 - 1 ("MUST be reset to zero ... when it reaches 2^32"). Kept in a {@code long}.
 */
final class SequenceNumbers {

    static final long MODULUS = 1L << 32;

    private SequenceNumbers() {
    }

    static long next(long value) {
        return (value + 1) % MODULUS;
    }

    /** How far {@code later} is ahead of {@code earlier}, across a wrap. */
    static long distance(long earlier, long later) {
        return Math.floorMod(later - earlier, MODULUS);
    }

    /** Parses an {@code h} attribute: an unsigned 32-bit integer, or -1 if absent or invalid. */
    static long parse(String value) {
        if (value == null) {
            return -1;
        }
        try {
            long h = Long.parseLong(value.trim());
            return h >= 0 && h < MODULUS ? h : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
