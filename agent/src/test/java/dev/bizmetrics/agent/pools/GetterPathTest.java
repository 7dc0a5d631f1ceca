package dev.bizmetrics.agent.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Getter chains over the shapes pools keep their state in: fields, getters, and listeners in an array or a list. */
public class GetterPathTest {

    /** Like Quarkus's Agroal logging listener: the datasource's name in a private field of one listener of several. */
    static final class NamingListener {
        private final String datasourceName;

        NamingListener(String datasourceName) {
            this.datasourceName = datasourceName;
        }
    }

    static final class OtherListener {
        private final String datasourceName = "not this one";
    }

    public static final class Pool {
        private final Object[] listeners;
        private final List<Object> asList;

        Pool(Object... listeners) {
            this.listeners = listeners;
            this.asList = Arrays.asList(listeners);
        }

        public Object[] getListeners() {
            return listeners;
        }
    }

    @Test
    void anElementStepPicksTheFirstElementOfItsClassFromAnArrayOrAList() {
        Pool pool = new Pool(new OtherListener(), null, new NamingListener("<default>"), new NamingListener("second"));
        String naming = "[" + NamingListener.class.getName() + "]";
        assertThat(GetterPath.of("getListeners." + naming + ".field:datasourceName").read(pool)).isEqualTo("<default>");
        assertThat(GetterPath.of("field:asList." + naming + ".field:datasourceName").read(pool)).isEqualTo("<default>");
        assertThat(GetterPath.of("getListeners.[no.such.Listener].field:datasourceName").read(pool)).isNull();
        assertThat(GetterPath.of("field:datasourceName").read(new Pool())).isNull();
        assertThat(GetterPath.of("getListeners." + naming).read(new Pool(new OtherListener()))).isNull();
    }
}
