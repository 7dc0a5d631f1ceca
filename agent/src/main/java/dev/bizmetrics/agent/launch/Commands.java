package dev.bizmetrics.agent.launch;

import dev.bizmetrics.agent.Version;
import dev.bizmetrics.agent.config.ConfigLoader;
import dev.bizmetrics.agent.config.ConfigSource;
import dev.bizmetrics.agent.config.Durations;
import dev.bizmetrics.agent.config.LoadedConfig;
import dev.bizmetrics.agent.config.MetricSpec;
import dev.bizmetrics.agent.config.MetricType;
import dev.bizmetrics.agent.config.Problem;
import dev.bizmetrics.agent.config.QuerySpec;

import java.io.PrintStream;

/** {@code java -jar bizmetrics-agent.jar version | check PATH | list | attach PID [ARGS]}. */
final class Commands {

    static final int OK = 0;
    static final int INVALID = 1;
    static final int UNREADABLE = 2;

    private Commands() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("version")) {
            out.println("bizmetrics " + Version.get());
            return OK;
        }
        if (args.length == 2 && args[0].equals("check")) {
            return check(args[1], out, err);
        }
        if (args.length == 1 && args[0].equals("list")) {
            return Attacher.list(out, err);
        }
        if ((args.length == 2 || args.length == 3) && args[0].equals("attach")) {
            return Attacher.attach(args[1], args.length == 3 ? args[2] : null, out, err);
        }
        err.println("usage: java -jar bizmetrics-agent.jar version\n"
                + "       java -jar bizmetrics-agent.jar check PATH    validate a configuration file\n"
                + "       java -jar bizmetrics-agent.jar list          list the running JVMs (pid and main class)\n"
                + "       java -jar bizmetrics-agent.jar attach PID [PATH | config=PATH,key=value,...]\n"
                + "                                                    start the agent in a running JVM\n"
                + "As an agent: java -javaagent:bizmetrics-agent.jar=PATH -jar your-app.jar");
        return INVALID;
    }

    private static int check(String path, PrintStream out, PrintStream err) {
        LoadedConfig loaded;
        try {
            loaded = ConfigLoader.load(new ConfigSource(path, java.util.Collections.<String, String>emptyMap(),
                    System.getenv(), System.getProperties()));
        } catch (Throwable t) {
            err.println(path + ": cannot be checked (" + t + ")");
            return UNREADABLE;
        }
        if (!loaded.isValid()) {
            for (Problem problem : loaded.problems()) {
                err.println(problem);
            }
            err.println(loaded.problems().size() + " problem(s) in " + path);
            return loaded.isReadable() ? INVALID : UNREADABLE;
        }
        for (QuerySpec query : loaded.config().queries()) {
            out.println("query " + query.id() + ": every " + Durations.format(query.intervalMillis()) + ", timeout "
                    + Durations.format(query.timeoutMillis()) + ", datasource " + query.dataSource());
            for (MetricSpec metric : query.metrics()) {
                boolean info = metric.type() == MetricType.INFO;
                out.println("  metric " + metric.baseName() + metric.type().suffix() + " (" + metric.type().configName()
                        + "): labels " + (metric.labels() != null ? metric.labels()
                        : info ? "(every column)" : "(every column but the value)")
                        + constLabels(metric) + ", value "
                        + (info ? "1" : metric.valueColumn() == null ? "(the numeric column)" : metric.valueColumn()));
            }
        }
        out.println(path + " is valid: " + loaded.config().queries().size() + " queries");
        return OK;
    }

    /** As written: a value may come from a placeholder, and placeholders may hold secrets. */
    private static String constLabels(MetricSpec metric) {
        return metric.constLabels().isEmpty() ? "" : " + {" + metric.shownConstLabels() + "}";
    }
}
