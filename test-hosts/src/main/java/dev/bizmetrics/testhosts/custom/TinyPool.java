package dev.bizmetrics.testhosts.custom;

import javax.sql.DataSource;

/**
 * An in-house DataSource no library ships, so no catalog knows it: found only with {@code discovery.generic=true}.
 * It implements {@code javax.sql.DataSource} directly.
 */
public class TinyPool extends DriverConnections implements DataSource {

    public TinyPool(String name, String url) {
        super(name, url);
    }
}
