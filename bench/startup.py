#!/usr/bin/env python3
"""Start-up cost of the agent: a host's time to ready and peak memory, with no agent, with bizmetrics and with the
Prometheus jmx_exporter agent (1.0.1, the agent users know), run side by side.

Runs the variants alternating (none, bizmetrics, jmx_exporter, none, ...), at least 10 runs each, and prints the
medians (with min and max) and the differences and ratios against "no agent" measured in the same run. As the time
to ready of one and the same host spreads by a few hundred milliseconds on a small machine, it also prints the
median of the paired differences: each run of an agent minus the "no agent" run of the same round, so that a slow
stretch of the machine weighs on both sides of a difference. "Ready" is
the moment the host prints its ready line; memory is the process's peak resident set (VmHWM) at that moment.

    python3 bench/startup.py [--runs 15] [--java /path/to/bin/java] [--host shop|boot] [--before DIR]

--before DIR adds a variant "before": the agent jar and shipped configuration of another checkout, built (e.g.
`git worktree add --detach DIR REV && (cd DIR && mvn -B -q -DskipTests package)`), to compare two builds side by side.

Hosts: "shop", the sample shop on H2 (ready line "shop: started"); "boot", the Spring Boot 3.5 test host of
test-boot-app/ on PostgreSQL at 127.0.0.1:5432 (schema bm_startup, created here; ready line "boot: started").
Needs the built jars: mvn -B -DskipTests package
"""
import argparse
import glob
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENT = os.path.join(ROOT, "agent", "target", "bizmetrics-agent.jar")
JMX_EXPORTER = os.path.join(ROOT, "bench", "target", "jmx_prometheus_javaagent.jar")
CONFIG = os.path.join(ROOT, "config", "bizmetrics.properties")
HOSTS = {
    "shop": (os.path.join(ROOT, "sample-app", "target", "sample-app.jar"), ["--rate", "0"], "shop: started"),
    "boot": (os.path.join(ROOT, "test-boot-app", "target", "test-boot-app.jar"),
             ["--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=bm_startup",
              "--spring.datasource.username=postgres"], "boot: started"),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_once(java, jvm_args, host):
    jar, args, ready = HOSTS[host]
    command = [java] + jvm_args + ["-jar", jar] + args
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in process.stdout:
            if ready in line:
                elapsed = time.monotonic() - start
                with open("/proc/%d/status" % process.pid) as status:
                    hwm = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
                return elapsed, hwm / 1024.0
        raise RuntimeError("the host never became ready: " + " ".join(command))
    finally:
        process.kill()
        process.wait()


def describe(samples):
    return statistics.median(samples), min(samples), max(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--java", default="java")
    parser.add_argument("--host", choices=sorted(HOSTS), default="shop")
    parser.add_argument("--before", metavar="DIR", help="another checkout whose agent runs as the variant 'before'")
    args = parser.parse_args()
    before = None
    if args.before:
        before = (os.path.join(args.before, "agent", "target", "bizmetrics-agent.jar"),
                  os.path.join(args.before, "config", "bizmetrics.properties"))
        if not os.path.exists(before[0]):
            sys.exit("missing %s; build that checkout first: mvn -B -DskipTests package" % before[0])
    for jar in (AGENT, JMX_EXPORTER, HOSTS[args.host][0]):
        if not os.path.exists(jar):
            sys.exit("missing %s; build first: mvn -B -DskipTests package" % jar)

    if args.host == "boot":
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                        "CREATE SCHEMA IF NOT EXISTS bm_startup; CREATE TABLE IF NOT EXISTS bm_startup.orders "
                        "(id INT, status VARCHAR(20), region VARCHAR(20), amount DECIMAL(12,2), created_at TIMESTAMP)"],
                       check=True)
    with tempfile.TemporaryDirectory() as tmp:
        jmx_config = os.path.join(tmp, "jmx.yaml")
        with open(jmx_config, "w") as f:
            f.write("rules:\n  - pattern: \".*\"\n")
        variants = {
            "no agent": lambda: [],
            "bizmetrics": lambda: ["-javaagent:%s=config=%s,http.port=0" % (AGENT, CONFIG)],
            "jmx_exporter": lambda: ["-javaagent:%s=127.0.0.1:%d:%s" % (JMX_EXPORTER, free_port(), jmx_config)],
        }
        if before:
            variants["before"] = lambda: ["-javaagent:%s=config=%s,http.port=0" % before]
        results = {name: [] for name in variants}
        run_once(args.java, [], args.host)  # warm the OS file cache before measuring
        for _ in range(args.runs):
            for name, jvm_args in variants.items():
                results[name].append(run_once(args.java, jvm_args(), args.host))
    base_time = statistics.median(t for t, _ in results["no agent"])
    base_mem = statistics.median(m for _, m in results["no agent"])
    print("host %s, %d alternated runs each, java=%s, %d cores" % (args.host, args.runs, args.java, os.cpu_count()))
    print("%-13s %26s %10s %7s %14s %26s %10s" % ("variant", "ready ms median (min-max)", "added", "ratio",
                                                  "paired added", "peak RSS MiB median (min-max)", "added"))
    for name, samples in results.items():
        t, t_min, t_max = describe([s * 1000 for s, _ in samples])
        m, m_min, m_max = describe([s for _, s in samples])
        paired = statistics.median((s - b) * 1000 for (s, _), (b, _) in zip(samples, results["no agent"]))
        print("%-13s %10.0f (%5.0f-%5.0f) %+9.0f ms %6.3f %+11.0f ms %14.1f (%5.1f-%5.1f) %+8.1f MiB"
              % (name, t, t_min, t_max, t - base_time * 1000, t / (base_time * 1000), paired, m, m_min, m_max,
                 m - base_mem))


if __name__ == "__main__":
    main()
