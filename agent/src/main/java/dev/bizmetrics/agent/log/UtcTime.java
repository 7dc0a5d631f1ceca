package dev.bizmetrics.agent.log;

/**
 * A moment in UTC, split into its calendar fields by hand: {@code java.time}, {@code Calendar} and
 * {@code SimpleDateFormat} load the time-zone database (and set {@code user.timezone}) in the host, milliseconds of
 * its start-up when the agent does it early.
 */
public final class UtcTime {

    private static final String[] DAYS = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private final long year;
    private final int month;
    private final int day;
    private final int weekday;
    private final long millisOfDay;

    private UtcTime(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        millisOfDay = epochMillis - days * 86_400_000L;
        weekday = (int) Math.floorMod(days, 7L);
        // Howard Hinnant's days-to-civil algorithm.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        month = (int) (mp < 10 ? mp + 3 : mp - 9);
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    }

    /** ISO 8601 to the millisecond: {@code 2026-12-01T19:46:40.123Z}. */
    public static String iso(long epochMillis) {
        UtcTime t = new UtcTime(epochMillis);
        StringBuilder text = new StringBuilder(24).append(t.year).append('-');
        two(text, t.month).append('-');
        two(text, t.day).append('T');
        t.clock(text).append('.');
        long millis = t.millisOfDay % 1000;
        text.append(millis < 100 ? millis < 10 ? "00" : "0" : "").append(millis);
        return text.append('Z').toString();
    }

    /** As HTTP's {@code Date} header writes it (RFC 9110 IMF-fixdate): {@code Tue, 01 Dec 2026 19:46:40 GMT}. */
    public static String http(long epochMillis) {
        UtcTime t = new UtcTime(epochMillis);
        StringBuilder text = new StringBuilder(29).append(DAYS[t.weekday]).append(", ");
        two(text, t.day).append(' ').append(MONTHS[t.month - 1]).append(' ').append(t.year).append(' ');
        return t.clock(text).append(" GMT").toString();
    }

    private StringBuilder clock(StringBuilder text) {
        two(text, millisOfDay / 3_600_000).append(':');
        two(text, millisOfDay / 60_000 % 60).append(':');
        return two(text, millisOfDay / 1000 % 60);
    }

    private static StringBuilder two(StringBuilder text, long value) {
        return text.append(value < 10 ? "0" : "").append(value);
    }
}
