#!/usr/bin/env python3
"""Database load: executions of the same query by bizmetrics and by a standalone SQL exporter, both scraped by two
Prometheus servers every 5 s, counted on the PostgreSQL side.

Each side reads its own table (no index), so PostgreSQL's own counter of sequential scans on that table
(pg_stat_user_tables.seq_scan) counts its executions. bizmetrics runs its query once per interval whatever the number
of scrapers; prometheus-postgres-exporter runs it on every scrape.

    python3 bench/dbload.py [--seconds 120] [--interval 15s]

Needs: the built jars (mvn -B -DskipTests package), PostgreSQL on 127.0.0.1:5432 (user postgres, database test),
and the Debian packages prometheus and prometheus-postgres-exporter.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENT = os.path.join(ROOT, "agent", "target", "bizmetrics-agent.jar")
SHOP = os.path.join(ROOT, "sample-app", "target", "sample-app.jar")
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qtAX", "-c"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sql(statement):
    return subprocess.run(PSQL + [statement], check=True, capture_output=True, text=True).stdout.strip()


def scans(table):
    return int(sql("SELECT seq_scan FROM pg_stat_user_tables WHERE schemaname = 'bm_dbload' AND relname = '%s'"
                   % table) or 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--interval", default="15s", help="the bizmetrics query interval")
    args = parser.parse_args()
    for tool in ("prometheus", "prometheus-postgres-exporter", "psql"):
        if not shutil.which(tool):
            sys.exit("missing %s: apt-get install prometheus prometheus-postgres-exporter postgresql-client" % tool)
    sql("DROP SCHEMA IF EXISTS bm_dbload CASCADE; CREATE SCHEMA bm_dbload; "
        "CREATE TABLE bm_dbload.agent_side AS SELECT g AS id FROM generate_series(1, 1000) g; "
        "CREATE TABLE bm_dbload.exporter_side AS SELECT g AS id FROM generate_series(1, 1000) g;")
    processes = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            agent_port, exporter_port = free_port(), free_port()
            config = os.path.join(tmp, "bizmetrics.properties")
            with open(config, "w") as f:
                f.write("http.port=%d\nmetric.rows.sql=SELECT COUNT(*) AS n FROM bm_dbload.agent_side\n"
                        "metric.rows.interval=%s\n" % (agent_port, args.interval))
            queries = os.path.join(tmp, "queries.yaml")
            with open(queries, "w") as f:
                f.write("rows:\n  query: \"SELECT COUNT(*) AS n FROM bm_dbload.exporter_side\"\n"
                        "  metrics:\n    - n:\n        usage: GAUGE\n        description: rows\n")
            url = "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=bm_dbload"
            processes.append(subprocess.Popen(["java", "-javaagent:%s=%s" % (AGENT, config), "-jar", SHOP,
                                               "--jdbc-url", url, "--user", "postgres", "--rate", "0"],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            env = dict(os.environ, DATA_SOURCE_NAME="postgresql://postgres@127.0.0.1:5432/test?sslmode=disable")
            processes.append(subprocess.Popen(["prometheus-postgres-exporter", "--web.listen-address=127.0.0.1:%d"
                                               % exporter_port, "--extend.query-path=" + queries,
                                               "--disable-default-metrics"], env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            for i in range(2):
                data = os.path.join(tmp, "prometheus%d" % i)
                os.makedirs(data)
                yml = os.path.join(data, "prometheus.yml")
                with open(yml, "w") as f:
                    f.write("global:\n  scrape_interval: 5s\nscrape_configs:\n"
                            "  - job_name: bizmetrics\n    static_configs: [{targets: ['127.0.0.1:%d']}]\n"
                            "  - job_name: sql_exporter\n    static_configs: [{targets: ['127.0.0.1:%d']}]\n"
                            % (agent_port, exporter_port))
                processes.append(subprocess.Popen(["prometheus", "--config.file=" + yml, "--storage.tsdb.path=" + data,
                                                   "--web.listen-address=127.0.0.1:%d" % free_port()],
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            time.sleep(20)  # everything up and scraping
            start_agent, start_exporter = scans("agent_side"), scans("exporter_side")
            time.sleep(args.seconds)
            agent = scans("agent_side") - start_agent
            exporter = scans("exporter_side") - start_exporter
            minutes = args.seconds / 60.0
            print("Executions of one query per minute, 2 Prometheus servers scraping every 5 s, %d s measured:"
                  % args.seconds)
            print("  bizmetrics (interval %s)      %6.1f" % (args.interval, agent / minutes))
            print("  prometheus-postgres-exporter  %6.1f" % (exporter / minutes))
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait()
            sql("DROP SCHEMA IF EXISTS bm_dbload CASCADE")


if __name__ == "__main__":
    main()
