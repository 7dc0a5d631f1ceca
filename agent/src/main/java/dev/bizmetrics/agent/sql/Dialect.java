package dev.bizmetrics.agent.sql;

/** Placeholder until the dialect-aware check lands. */
public enum Dialect {
    POSTGRESQL("PostgreSQL"), MYSQL("MySQL/MariaDB"), ORACLE("Oracle"), H2("H2");

    private final String displayName;

    Dialect(String displayName) {
        this.displayName = displayName;
    }

    public static Dialect fromProductName(String productName) {
        if (productName == null) {
            return null;
        }
        String name = productName.toLowerCase(java.util.Locale.ROOT);
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mysql") || name.contains("mariadb")) {
            return MYSQL;
        }
        if (name.contains("oracle")) {
            return ORACLE;
        }
        return name.equals("h2") ? H2 : null;
    }

    public String displayName() {
        return displayName;
    }
}
