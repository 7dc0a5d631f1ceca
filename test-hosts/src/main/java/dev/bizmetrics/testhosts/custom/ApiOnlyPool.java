package dev.bizmetrics.testhosts.custom;

/**
 * A DataSource only through the application's own {@link ShopDataSource} interface, which extends
 * {@code javax.sql.DataSource} and is not loaded yet when this class loads.
 */
public class ApiOnlyPool extends DriverConnections implements ShopDataSource {

    public ApiOnlyPool(String name, String url) {
        super(name, url);
    }
}
