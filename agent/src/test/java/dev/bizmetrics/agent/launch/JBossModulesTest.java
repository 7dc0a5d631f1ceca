package dev.bizmetrics.agent.launch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JBossModulesTest {

    @Test
    void wildFlysCommandLineRunsJBossModules() {
        assertThat(JBossModules.runsJBossModules("/opt/wildfly/jboss-modules.jar -mp /opt/wildfly/modules "
                + "org.jboss.as.standalone -Djboss.home.dir=/opt/wildfly")).isTrue();
        assertThat(JBossModules.runsJBossModules("org.jboss.modules.Main -mp modules org.jboss.as.standalone"))
                .isTrue();
        assertThat(JBossModules.runsJBossModules("org.apache.catalina.startup.Bootstrap start")).isFalse();
        assertThat(JBossModules.runsJBossModules(null)).isFalse();
    }

    @Test
    void theRegistrysPackageIsAddedToWhatTheServerListsAlready() {
        assertThat(JBossModules.withPackage("org.jboss.byteman")).isEqualTo("org.jboss.byteman,dev.bizmetrics.bootstrap");
        assertThat(JBossModules.withPackage("org.jboss.byteman,")).isEqualTo("org.jboss.byteman,dev.bizmetrics.bootstrap");
        assertThat(JBossModules.withPackage(null)).isEqualTo("dev.bizmetrics.bootstrap");
        assertThat(JBossModules.withPackage(" ")).isEqualTo("dev.bizmetrics.bootstrap");
    }

    @Test
    void aListThatNamesThePackageOrOneAboveItIsLeftAlone() {
        assertThat(JBossModules.lists("org.jboss.byteman, dev.bizmetrics.bootstrap", JBossModules.PACKAGE)).isTrue();
        assertThat(JBossModules.lists("dev.bizmetrics", JBossModules.PACKAGE)).isTrue();
        assertThat(JBossModules.lists("dev.bizmetrics.boot", JBossModules.PACKAGE)).isFalse();
        assertThat(JBossModules.lists("org.jboss.byteman", JBossModules.PACKAGE)).isFalse();
        assertThat(JBossModules.lists(null, JBossModules.PACKAGE)).isFalse();
    }
}
