package dev.bizmetrics.agent;

/** The agent's version, from the jar's manifest. */
public final class Version {

    private Version() {
    }

    public static String get() {
        String version = Version.class.getPackage() == null ? null : Version.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
