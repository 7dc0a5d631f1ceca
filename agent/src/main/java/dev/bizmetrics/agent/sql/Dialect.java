package dev.bizmetrics.agent.sql;

import java.util.Locale;

/** A database whose lexical rules and dangerous functions the statement check knows. */
public enum Dialect {
    POSTGRESQL("PostgreSQL"),
    /** MySQL and MariaDB: one set of rules, with the differences between them read both ways. */
    MYSQL("MySQL/MariaDB"),
    ORACLE("Oracle"),
    H2("H2");

    private final String displayName;

    Dialect(String displayName) {
        this.displayName = displayName;
    }

    /**
     * From {@code DatabaseMetaData.getDatabaseProductName()} ("PostgreSQL", "MySQL", "MariaDB", "Oracle", "H2");
     * null when not one of these, and then the check runs under every dialect.
     */
    public static Dialect fromProductName(String productName) {
        if (productName == null) {
            return null;
        }
        String name = productName.trim().toLowerCase(Locale.ROOT);
        if (name.equals("postgresql")) {
            return POSTGRESQL;
        }
        if (name.equals("mysql") || name.equals("mariadb")) {
            return MYSQL;
        }
        if (name.equals("oracle")) {
            return ORACLE;
        }
        if (name.equals("h2")) {
            return H2;
        }
        return null;
    }

    /** "PostgreSQL", "MySQL/MariaDB", "Oracle", "H2". */
    public String displayName() {
        return displayName;
    }
}
