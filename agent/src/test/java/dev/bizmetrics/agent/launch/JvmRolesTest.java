package dev.bizmetrics.agent.launch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JvmRolesTest {

    @Test
    void buildToolsAndJdkToolsAreIdle() {
        assertThat(JvmRoles.idleReason("org.codehaus.plexus.classworlds.launcher.Launcher -B verify"))
                .isEqualTo("Maven (org.codehaus.plexus.classworlds.launcher.Launcher)");
        assertThat(JvmRoles.idleReason("org.gradle.launcher.daemon.bootstrap.GradleDaemon 8.10"))
                .isEqualTo("Gradle (org.gradle.launcher.daemon.bootstrap.GradleDaemon)");
        assertThat(JvmRoles.idleReason("worker.org.gradle.process.internal.worker.GradleWorkerMain 'Gradle Test'"))
                .startsWith("a Gradle worker");
        assertThat(JvmRoles.idleReason("jdk.jcmd/sun.tools.jcmd.JCmd -l")).isEqualTo(
                "a tool of the JDK (jdk.jcmd/sun.tools.jcmd.JCmd)");
        assertThat(JvmRoles.idleReason("com.sun.tools.javac.Main Foo.java")).startsWith("a tool of the JDK");
    }

    @Test
    void applicationsRun() {
        assertThat(JvmRoles.idleReason("com.shop.Main --port 8080")).isNull();
        assertThat(JvmRoles.idleReason("/opt/shop/shop.jar")).isNull();
        assertThat(JvmRoles.idleReason("org.apache.catalina.startup.Bootstrap start")).isNull();
        assertThat(JvmRoles.idleReason("")).isNull();
        assertThat(JvmRoles.idleReason(null)).isNull();
    }

    @Test
    void keycloakServesOnlyWithStartAndStartDev() {
        String kc = JvmRoles.QUARKUS_ENTRY_POINT;
        assertThat(JvmRoles.idleReason(kc + " build --db=postgres")).isEqualTo(
                "Keycloak's 'build' command (kc.sh build), which does not serve");
        assertThat(JvmRoles.idleReason(kc + " export --dir /tmp/x --realm shop")).contains("'export'");
        assertThat(JvmRoles.idleReason(kc + "  import   --file realm.json")).contains("'import'");
        assertThat(JvmRoles.idleReason(kc + " start --help")).contains("help");
        assertThat(JvmRoles.idleReason(kc + " start --optimized --db-password=s3cret")).isNull();
        assertThat(JvmRoles.idleReason(kc + " start-dev")).isNull();
        assertThat(JvmRoles.idleReason(kc)).isNull();
    }

    @Test
    void theVerbIsTheOnlyArgumentEverShown() {
        String reason = JvmRoles.idleReason(JvmRoles.QUARKUS_ENTRY_POINT
                + " --db-password=s3cret build --db-username=admin");
        assertThat(reason).contains("'build'").doesNotContain("s3cret").doesNotContain("admin");
        assertThat(JvmRoles.idleReason(JvmRoles.QUARKUS_ENTRY_POINT + " s3cret")).isNull();
    }

    @Test
    void quarkusRunnerByClassOrJar() {
        assertThat(JvmRoles.isQuarkusEntryPoint(JvmRoles.QUARKUS_ENTRY_POINT + " start")).isTrue();
        assertThat(JvmRoles.isQuarkusEntryPoint("/srv/app/quarkus-app/quarkus-run.jar")).isTrue();
        assertThat(JvmRoles.isQuarkusEntryPoint("com.shop.Main")).isFalse();
    }
}
