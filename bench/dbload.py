#!/usr/bin/env python3
"""Database load of bizmetrics against standalone SQL exporters, counted on the PostgreSQL side.

Each side reads its own table (no index), so PostgreSQL's own counter of sequential scans on that table
(pg_stat_user_tables.seq_scan) counts its executions.

Default mode: bizmetrics and prometheus-postgres-exporter, both scraped by two Prometheus servers every 5 s.
bizmetrics runs its query once per interval whatever the number of scrapers; prometheus-postgres-exporter runs it on
every scrape.

    python3 bench/dbload.py [--seconds 120] [--interval 15s]

--fleet: N replicas of the sample shop (started one after the other), each with the agent and one query, once with
fleet.mode=off and once with fleet.mode=lock (fleet.check-interval=2s), against the same replicas without the agent
and against standalone exporters (prometheus-postgres-exporter scraped by one Prometheus every 5 s,
prometheus-sql-exporter running the query every interval on its own). For each: runs of the query per interval
(1.00 = once per interval), the database sessions the setup holds (pg_stat_activity, the agent's against the same
replicas without it) and granted advisory locks (pg_locks).

    python3 bench/dbload.py --fleet [--replicas 1,4,8] [--seconds 60] [--interval 5s]

Needs: the built jars (mvn -B -DskipTests package), PostgreSQL on 127.0.0.1:5432 (user postgres, database test),
psql, and the Debian packages prometheus and prometheus-postgres-exporter (--fleet: also prometheus-sql-exporter).
"""
import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENT = os.path.join(ROOT, "agent", "target", "bizmetrics-agent.jar")
SHOP = os.path.join(ROOT, "sample-app", "target", "sample-app.jar")
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qtAX", "-c"]
PG_URL = "postgresql://postgres@127.0.0.1:5432/test?sslmode=disable"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sql(statement):
    done = subprocess.run(PSQL + [statement], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("psql failed (%s): %s" % (statement[:80], done.stderr.strip()))
    return done.stdout.strip()


def scans(schema, table):
    return int(sql("SELECT seq_scan FROM pg_stat_user_tables WHERE schemaname = '%s' AND relname = '%s'"
                   % (schema, table)) or 0)


def require(tools, files=()):
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        sys.exit("dbload.py: missing %s on PATH. Install: apt-get install -y prometheus prometheus-postgres-exporter "
                 "prometheus-sql-exporter postgresql-client default-jre-headless" % ", ".join(missing))
    for path in files:
        if not os.path.isfile(path):
            sys.exit("dbload.py: missing %s: build first with mvn -B -DskipTests package" % path)
    try:
        sql("SELECT 1")
    except RuntimeError as e:
        sys.exit("dbload.py: PostgreSQL on 127.0.0.1:5432 (user postgres, database test) is not reachable: %s" % e)


def seconds_of(duration):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|h)", duration)
    if not m:
        sys.exit("dbload.py: bad duration %r (e.g. 500ms, 5s, 1m)" % duration)
    return float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[m.group(2)]


class Processes:
    """Every process the benchmark starts, with its output in files, so that each can be stopped and its log shown."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.running = []
        self.count = 0

    def start(self, name, command, env=None):
        self.count += 1
        base = os.path.join(self.tmp, "%02d-%s" % (self.count, name))
        out, err = open(base + ".out", "w"), open(base + ".err", "w")
        try:
            process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        finally:
            out.close()
            err.close()
        process.name, process.out, process.err = name, base + ".out", base + ".err"
        self.running.append(process)
        return process

    def stop(self, processes=None):
        processes = list(self.running if processes is None else processes)
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            self.running.remove(process)


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def fail(process, what):
    raise RuntimeError("%s %s; its stdout:\n%s\nits stderr:\n%s" % (
        process.name, what, read(process.out)[-2000:], read(process.err)[-3000:]))


def await_output(process, path, pattern, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = re.search(pattern, read(path))
        if m:
            return m
        if process.poll() is not None:
            fail(process, "exited with %s before printing %r" % (process.returncode, pattern))
        time.sleep(0.1)
    fail(process, "did not print %r within %d s" % (pattern, timeout))


def scrape(port):
    """The series of one /metrics response: {'name{labels}': value}."""
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5) as response:
        text = response.read().decode()
    series = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            series[key] = float(value)
    return series


def family(series, name):
    return {k: v for k, v in series.items() if k == name or k.startswith(name + "{")}


# --- default mode ---------------------------------------------------------------------------------------------------

def classic(args):
    require(["prometheus", "prometheus-postgres-exporter", "psql", "java"], [AGENT, SHOP])
    seconds = args.seconds or 120
    interval = args.interval or "15s"
    sql("DROP SCHEMA IF EXISTS bm_dbload CASCADE; CREATE SCHEMA bm_dbload; "
        "CREATE TABLE bm_dbload.agent_side AS SELECT g AS id FROM generate_series(1, 1000) g; "
        "CREATE TABLE bm_dbload.exporter_side AS SELECT g AS id FROM generate_series(1, 1000) g;")
    with tempfile.TemporaryDirectory() as tmp:
        processes = Processes(tmp)
        try:
            agent_port, exporter_port = free_port(), free_port()
            config = os.path.join(tmp, "bizmetrics.properties")
            with open(config, "w") as f:
                f.write("http.port=%d\nmetric.rows.sql=SELECT COUNT(*) AS n FROM bm_dbload.agent_side\n"
                        "metric.rows.interval=%s\n" % (agent_port, interval))
            queries = os.path.join(tmp, "queries.yaml")
            with open(queries, "w") as f:
                f.write("rows:\n  query: \"SELECT COUNT(*) AS n FROM bm_dbload.exporter_side\"\n"
                        "  metrics:\n    - n:\n        usage: GAUGE\n        description: rows\n")
            url = "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=bm_dbload"
            processes.start("shop", ["java", "-javaagent:%s=%s" % (AGENT, config), "-jar", SHOP,
                                     "--jdbc-url", url, "--user", "postgres", "--rate", "0"])
            processes.start("postgres-exporter", [
                "prometheus-postgres-exporter", "--web.listen-address=127.0.0.1:%d" % exporter_port,
                "--extend.query-path=" + queries, "--disable-default-metrics"],
                env=dict(os.environ, DATA_SOURCE_NAME=PG_URL))
            for i in range(2):
                data = os.path.join(tmp, "prometheus%d" % i)
                os.makedirs(data)
                yml = os.path.join(data, "prometheus.yml")
                with open(yml, "w") as f:
                    f.write("global:\n  scrape_interval: 5s\nscrape_configs:\n"
                            "  - job_name: bizmetrics\n    static_configs: [{targets: ['127.0.0.1:%d']}]\n"
                            "  - job_name: sql_exporter\n    static_configs: [{targets: ['127.0.0.1:%d']}]\n"
                            % (agent_port, exporter_port))
                processes.start("prometheus%d" % i, ["prometheus", "--config.file=" + yml,
                                                     "--storage.tsdb.path=" + data,
                                                     "--web.listen-address=127.0.0.1:%d" % free_port()])
            time.sleep(20)  # everything up and scraping
            start_agent, start_exporter = scans("bm_dbload", "agent_side"), scans("bm_dbload", "exporter_side")
            time.sleep(seconds)
            agent = scans("bm_dbload", "agent_side") - start_agent
            exporter = scans("bm_dbload", "exporter_side") - start_exporter
            minutes = seconds / 60.0
            print("Executions of one query per minute, 2 Prometheus servers scraping every 5 s, %d s measured:"
                  % seconds)
            print("  bizmetrics (interval %s)      %6.1f" % (interval, agent / minutes))
            print("  prometheus-postgres-exporter  %6.1f" % (exporter / minutes))
        finally:
            processes.stop()
            sql("DROP SCHEMA IF EXISTS bm_dbload CASCADE")


# --- fleet mode -----------------------------------------------------------------------------------------------------

class Fleet:
    def __init__(self, args, tmp, processes):
        self.interval = args.interval or "5s"
        self.interval_s = seconds_of(self.interval)
        self.seconds = args.seconds or 60
        self.tmp = tmp
        self.processes = processes
        # one schema (and application_name) per run, so that parallel runs and other sessions of the database
        # (tests of other builds) are not counted
        self.schema = "bm_fleet_%d" % os.getpid()
        self.url = "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=%s&ApplicationName=%s" % (
            self.schema, self.schema)
        self.rows = []

    def sessions_and_locks(self, application):
        """(sessions, granted advisory locks, the sessions' backend pids) of one application_name."""
        out = sql("SELECT (SELECT count(*) FROM pg_stat_activity WHERE application_name = '{0}'), "
                  "(SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                  "WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = '{0}'), "
                  "(SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE application_name = '{0}')"
                  .format(application))
        sessions, locks, pids = out.split("|")
        return int(sessions), int(locks), set(pids.split(",")) if pids else set()

    def await_no_sessions(self, application):
        deadline = time.time() + 20
        while self.sessions_and_locks(application)[0] > 0:
            if time.time() > deadline:
                raise RuntimeError("sessions of %s still open 20 s after its processes ended" % application)
            time.sleep(0.2)

    def config(self, mode):
        path = os.path.join(self.tmp, "fleet-%s.properties" % mode)
        with open(path, "w") as f:
            f.write("metric.rows.sql=SELECT COUNT(*) AS n FROM %s.agent_side\n"
                    "metric.rows.interval=%s\nfleet.mode=%s\nfleet.check-interval=2s\n"
                    % (self.schema, self.interval, mode))
        return path

    def start_replicas(self, n, mode):
        """Starts n shops one after the other, each once it printed "shop: started"; returns (processes, ports)."""
        started = []
        for i in range(n):
            command = ["java"]
            if mode:
                command.append("-javaagent:%s=config=%s,http.port=0" % (AGENT, self.config(mode)))
            command += ["-jar", SHOP, "--jdbc-url", self.url, "--user", "postgres", "--rate", "0"]
            process = self.processes.start("shop-%s-%d" % (mode or "noagent", i), command)
            started.append(process)
            await_output(process, process.out, r"shop: started", 90)
        ports = []
        if mode:
            for process in started:
                m = await_output(process, process.err, r"\[bizmetrics\] .*serving http://[^ ]*:(\d+)/metrics", 60)
                ports.append(int(m.group(1)))
        return started, ports

    def leaders(self, ports):
        """How many replicas report bizmetrics_fleet_leader 1, and how many report the series at all."""
        leading = reporting = 0
        for port in ports:
            series = family(scrape(port), "bizmetrics_fleet_leader")
            if series:
                reporting += 1
                leading += sum(1 for v in series.values() if v == 1.0)
        return leading, reporting

    def ran_once(self, ports):
        for port in ports:
            runs = family(scrape(port), "bizmetrics_query_runs_total")
            if not any('query="rows"' in k and 'result="success"' in k and v >= 1 for k, v in runs.items()):
                return False
        return True

    def await_ready(self, mode, ports, started):
        deadline = time.time() + 90
        while time.time() < deadline:
            for process in started:
                if process.poll() is not None:
                    fail(process, "exited with %s" % process.returncode)
            if mode == "lock":
                leading, reporting = self.leaders(ports)
                if leading == 1 and reporting == len(ports):
                    return
            elif self.ran_once(ports):
                return
            time.sleep(0.5)
        raise RuntimeError("%d replicas, fleet.mode=%s: not ready within 90 s (lock: exactly one leader; off: each "
                           "ran its query)" % (len(ports), mode))

    def window(self, targets, ports=(), started=()):
        """Counts the scans of each (table, application_name) of targets over one window, sampling their sessions
        and advisory locks every second and the replicas' leaders every 5 s. Returns, per target, (runs per
        interval, max sessions, (min, max) advisory locks, sessions seen), and the leader counts."""
        samples, leader_counts = [[] for _ in targets], []
        before, t0 = [scans(self.schema, table) for table, _ in targets], time.time()
        end, next_scrape = t0 + self.seconds, t0
        while True:
            now = time.time()
            if now >= end:
                break
            for i, (_, application) in enumerate(targets):
                samples[i].append(self.sessions_and_locks(application))
            if ports and now >= next_scrape:
                leader_counts.append(self.leaders(ports)[0])
                next_scrape += 5
            for process in started:
                if process.poll() is not None:
                    fail(process, "exited with %s during the window" % process.returncode)
            time.sleep(max(0.0, min(1.0, end - time.time())))
        after, t1 = [scans(self.schema, table) for table, _ in targets], time.time()
        results = []
        for i, (_, application) in enumerate(targets):
            samples[i].append(self.sessions_and_locks(application))
            locks = [s[1] for s in samples[i]]
            results.append(((after[i] - before[i]) / ((t1 - t0) / self.interval_s),
                            max(s[0] for s in samples[i]), (min(locks), max(locks)),
                            len(set().union(*(s[2] for s in samples[i])))))
        return results, leader_counts

    def settle(self):
        """PostgreSQL publishes a session's table counters at most once a second, else within 10 s
        (PGSTAT_MIN_INTERVAL, PGSTAT_IDLE_INTERVAL): let the scans from before the window be published first."""
        time.sleep(max(2 * self.interval_s, 11))

    def baseline(self, n):
        started, _ = self.start_replicas(n, None)
        try:
            time.sleep(3)  # the pool fills its idle connections in the background
            samples = []
            for _ in range(10):
                samples.append(self.sessions_and_locks(self.schema))
                time.sleep(1)
            sessions = max(s[0] for s in samples)
            locks = max(s[1] for s in samples)
        finally:
            self.processes.stop(started)
        self.await_no_sessions(self.schema)
        self.rows.append(("shop, no agent", str(n), "-", str(sessions), str(locks)))
        print("  %d replicas, no agent: %d sessions" % (n, sessions), flush=True)
        return sessions

    def agent(self, n, mode, base_sessions):
        started, ports = self.start_replicas(n, mode)
        try:
            self.await_ready(mode, ports, started)
            self.settle()
            [(runs, sessions, (lmin, lmax), seen)], leader_counts = self.window([("agent_side", self.schema)], ports,
                                                                                started)
        finally:
            self.processes.stop(started)
        self.await_no_sessions(self.schema)
        locks = str(lmax) if lmin == lmax else "%d-%d" % (lmin, lmax)
        self.rows.append(("bizmetrics, fleet.mode=%s" % mode, str(n), "%.2f" % runs,
                          "%d (%+d)" % (sessions, sessions - base_sessions), locks))
        note = ""
        if mode == "lock":
            note = ", leaders at each 5 s scrape: %s" % (
                "always 1" if set(leader_counts) == {1} else " ".join(map(str, leader_counts)))
        print("  %d replicas, fleet.mode=%s: %.2f runs per interval, %d sessions (%d seen), advisory locks %s%s"
              % (n, mode, runs, sessions, seen, locks, note), flush=True)

    def exporters(self):
        pge_port, sqlx_port = free_port(), free_port()
        queries = os.path.join(self.tmp, "queries.yaml")
        with open(queries, "w") as f:
            f.write("rows:\n  query: \"SELECT COUNT(*) AS n FROM %s.pge_side\"\n"
                    "  metrics:\n    - n:\n        usage: GAUGE\n        description: rows\n" % self.schema)
        sqlx = os.path.join(self.tmp, "sql-exporter.yml")
        with open(sqlx, "w") as f:
            f.write("jobs:\n- name: rows\n  interval: '%s'\n  connections:\n  - '%s&application_name=%s_sqlx'\n"
                    "  queries:\n  - name: rows\n    help: rows\n    values: [n]\n"
                    "    query: 'SELECT COUNT(*)::float AS n FROM %s.sqlx_side'\n"
                    % (self.interval, PG_URL.replace("postgresql://", "postgres://"), self.schema, self.schema))
        data = os.path.join(self.tmp, "prometheus")
        os.makedirs(data)
        yml = os.path.join(data, "prometheus.yml")
        with open(yml, "w") as f:
            f.write("global:\n  scrape_interval: 5s\nscrape_configs:\n"
                    "  - job_name: postgres_exporter\n    static_configs: [{targets: ['127.0.0.1:%d']}]\n"
                    "  - job_name: sql_exporter\n    static_configs: [{targets: ['127.0.0.1:%d']}]\n"
                    % (pge_port, sqlx_port))
        started = [
            self.processes.start("postgres-exporter", [
                "prometheus-postgres-exporter", "--web.listen-address=127.0.0.1:%d" % pge_port,
                "--extend.query-path=" + queries, "--disable-default-metrics"],
                env=dict(os.environ, DATA_SOURCE_NAME="%s&application_name=%s_pge" % (PG_URL, self.schema))),
            self.processes.start("sql-exporter", [
                "prometheus-sql-exporter", "-config.file=" + sqlx, "-web.listen-address=127.0.0.1:%d" % sqlx_port],
                env=dict(os.environ, LOGLEVEL="warn")),
            self.processes.start("prometheus", [
                "prometheus", "--config.file=" + yml, "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:%d" % free_port()])]
        try:
            deadline = time.time() + 30
            while scans(self.schema, "pge_side") < 2 or scans(self.schema, "sqlx_side") < 2:
                for process in started:
                    if process.poll() is not None:
                        fail(process, "exited with %s" % process.returncode)
                if time.time() > deadline:
                    raise RuntimeError("the exporters did not run their queries within 30 s (scans: %d, %d); their "
                                       "logs:\n%s" % (scans(self.schema, "pge_side"), scans(self.schema, "sqlx_side"),
                                                      "\n".join("%s:\n%s%s" % (p.name, read(p.out)[-1500:],
                                                                               read(p.err)[-1500:])
                                                                for p in started)))
                time.sleep(0.5)
            self.settle()
            # both windows at once: each exporter reads its own table and holds its own sessions
            (pge, sqlx), _ = self.window([("pge_side", self.schema + "_pge"), ("sqlx_side", self.schema + "_sqlx")],
                                         started=started)
        finally:
            self.processes.stop(started)
        for name, (runs, sessions, (_, lmax), seen) in (
                ("prometheus-postgres-exporter, 1 Prometheus scraping every 5 s", pge),
                ("prometheus-sql-exporter, its interval %s" % self.interval, sqlx)):
            self.rows.append((name, "-", "%.2f" % runs, "%d (+%d)" % (sessions, sessions), str(lmax)))
            print("  %s: %.2f runs per interval, %d sessions (%d seen)" % (name, runs, sessions, seen), flush=True)

    def run(self, replicas):
        sql("DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}; "
            "CREATE TABLE {0}.agent_side AS SELECT g AS id FROM generate_series(1, 1000) g; "
            "CREATE TABLE {0}.pge_side AS SELECT g AS id FROM generate_series(1, 1000) g; "
            "CREATE TABLE {0}.sqlx_side AS SELECT g AS id FROM generate_series(1, 1000) g;".format(self.schema))
        print("fleet: one query every %s, %d s windows, schema %s" % (self.interval, self.seconds, self.schema),
              flush=True)
        self.exporters()
        for n in replicas:
            base = self.baseline(n)
            for mode in ("off", "lock"):
                self.agent(n, mode, base)
        print()
        print("Runs of one query per interval (%s; 1.00 = once per interval) over %d s, counted by "
              "pg_stat_user_tables.seq_scan; sessions: max of pg_stat_activity rows (against the same replicas "
              "without the agent); advisory locks: granted ones in pg_locks" % (self.interval, self.seconds))
        print()
        print("| setup | replicas | runs per interval | sessions held | advisory locks |")
        print("|---|---|---|---|---|")
        for row in self.rows:
            print("| %s |" % " | ".join(row))


def fleet(args):
    require(["prometheus", "prometheus-postgres-exporter", "prometheus-sql-exporter", "psql", "java"], [AGENT, SHOP])
    try:
        replicas = [int(n) for n in args.replicas.split(",")]
    except ValueError:
        sys.exit("dbload.py: --replicas takes numbers separated by commas, e.g. 1,4,8")
    with tempfile.TemporaryDirectory() as tmp:
        processes = Processes(tmp)
        bench = Fleet(args, tmp, processes)
        if (bench.seconds / bench.interval_s) % 1 or bench.seconds % 10:
            print("note: --seconds is not a multiple of the interval and of 10 s: PostgreSQL publishes some scans up to "
                  "10 s late, so a window's count then depends on where it starts")
        try:
            bench.run(replicas)
        finally:
            processes.stop()
            sql("DROP SCHEMA IF EXISTS %s CASCADE" % bench.schema)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, help="the measured window (default 120, --fleet 60)")
    parser.add_argument("--interval", help="the query interval (default 15s, --fleet 5s)")
    parser.add_argument("--fleet", action="store_true", help="measure N replicas with fleet.mode=off and lock")
    parser.add_argument("--replicas", default="1,4,8", help="with --fleet: replica counts (default 1,4,8)")
    args = parser.parse_args()
    # a SIGTERM runs the same clean-up as Ctrl-C
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("dbload.py: terminated"))
    (fleet if args.fleet else classic)(args)


if __name__ == "__main__":
    main()
