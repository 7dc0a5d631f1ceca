#!/usr/bin/env python3
"""The scrape with 10 more pools in the host against none more: ScrapeBenchmark's pools=0 and pools=10, side by side.

Runs JMH's own main on bench/target/benchmarks.jar --runs times, each run one fork of every combination (text,
gzip off, the --series given, pools 0 and 10: HikariCP pools on H2, started and used once, unbound), with the
agent attached as BenchMain attaches it (-jvmArgsAppend -javaagent:...) and BenchMain's 5 x 1 s warm-up and
measurement. The order of the two pool counts alternates between runs (0,10 then 10,0 ...), so that a fork with
10 pools and one without always run next to each other: on a shared machine the time of a scrape drifts more
between forks than the pools change it. Prints, per series, each run's p50 and p99 (JMH's) with the ratio
pools=10 / pools=0, the median of those per-run ratios, and p50 and p99 of all runs' samples together.

    python3 bench/scrape_pools.py [--runs 3] [--series 100,10000] [--agent agent/target/bizmetrics-agent.jar]

Needs the built jars: mvn -B -DskipTests package
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench", "target", "benchmarks.jar")
AGENT = os.path.join(ROOT, "agent", "target", "bizmetrics-agent.jar")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(histogram, q):
    """Nearest rank over a {value: count} histogram."""
    rank = q * sum(histogram.values())
    seen = 0
    for value, count in sorted(histogram.items()):
        seen += count
        if seen >= rank:
            return value
    return max(histogram)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--series", default="100,10000")
    parser.add_argument("--agent", default=AGENT)
    args = parser.parse_args()
    for jar in (BENCH, args.agent):
        if not os.path.isfile(jar):
            sys.exit("no %s; build first: mvn -B -DskipTests package" % jar)
    work = tempfile.mkdtemp(prefix="bizmetrics-scrape-pools-")
    port = free_port()
    config = os.path.join(work, "scrape.properties")
    with open(config, "w") as out:
        subprocess.run(["java", "-cp", BENCH, "dev.bizmetrics.bench.BenchMain", "--scrape-config", str(port)],
                       stdout=out, check=True)
    runs = []
    for run in range(1, args.runs + 1):
        order = "0,10" if run % 2 else "10,0"
        result = os.path.join(work, "run%d.json" % run)
        command = ["java", "-cp", BENCH, "org.openjdk.jmh.Main", r"\.ScrapeBenchmark\.", "-p", "format=text",
                   "-p", "gzip=false", "-p", "series=" + args.series, "-p", "pools=" + order,
                   "-f", "1", "-wi", "5", "-w", "1s", "-i", "5", "-r", "1s", "-rf", "json", "-rff", result,
                   "-jvmArgsAppend", "-javaagent:%s=%s -Dbench.port=%d" % (args.agent, config, port)]
        print("run %d: %s" % (run, " ".join(command)), flush=True)
        with open(os.path.join(work, "run%d.log" % run), "w") as log:
            subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=True)
        with open(result) as f:
            runs.append(json.load(f))

    pooled = defaultdict(lambda: defaultdict(int))
    per_run = []
    for results in runs:
        figures = {}
        for result in results:
            key = (int(result["params"]["series"]), int(result["params"]["pools"]))
            metric = result["primaryMetric"]
            figures[key] = (metric["scorePercentiles"]["50.0"], metric["scorePercentiles"]["99.0"])
            for fork in metric["rawDataHistogram"]:
                for iteration in fork:
                    for value, count in iteration:
                        pooled[key][value] += count
        per_run.append(figures)

    print("\nGET /metrics?name[]=sN, text, microseconds; ratio = with 10 more pools / with none more")
    for series in sorted({key[0] for key in pooled}):
        print("\n%d series" % series)
        print("  run  pools=0 p50      p99   pools=10 p50      p99    ratio p50   p99")
        ratios50, ratios99 = [], []
        for run, figures in enumerate(per_run, 1):
            (a50, a99), (b50, b99) = figures[(series, 0)], figures[(series, 10)]
            ratios50.append(b50 / a50)
            ratios99.append(b99 / a99)
            print("  %3d  %11.1f %8.1f  %12.1f %8.1f    %9.3f %5.3f" % (run, a50, a99, b50, b99, b50 / a50, b99 / a99))
        print("  median of the runs' ratios                         %9.3f %5.3f"
              % (statistics.median(ratios50), statistics.median(ratios99)))
        a, b = pooled[(series, 0)], pooled[(series, 10)]
        a50, a99, b50, b99 = percentile(a, .5), percentile(a, .99), percentile(b, .5), percentile(b, .99)
        print("  all  %11.1f %8.1f  %12.1f %8.1f    %9.3f %5.3f   (%d and %d samples)"
              % (a50, a99, b50, b99, b50 / a50, b99 / a99, sum(a.values()), sum(b.values())))
    print("\nJMH's logs and JSON results: " + work)


if __name__ == "__main__":
    main()
