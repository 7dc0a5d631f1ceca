package dev.bizmetrics.testhosts.custom;

/**
 * A DataSource only through its superclass {@link TinyPool}. Created before any TinyPool, it loads first, when
 * its superclass is not known yet to be a DataSource: its instances are then reported by TinyPool's constructors.
 */
public class NightlyPool extends TinyPool {

    public NightlyPool(String name, String url) {
        super(name, url);
    }
}
