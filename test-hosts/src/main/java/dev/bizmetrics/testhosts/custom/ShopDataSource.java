package dev.bizmetrics.testhosts.custom;

import javax.sql.DataSource;

/** The application's own DataSource interface, extending {@code javax.sql.DataSource}. */
public interface ShopDataSource extends DataSource {
    String getPoolName();
}
