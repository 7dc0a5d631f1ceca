#!/usr/bin/env python3
"""Start-up cost of the agent: the sample shop's time to ready and memory, with and without the agent.

Runs the two side by side, alternating (baseline, agent, baseline, agent, ...), and prints the medians and the
ratio. "Ready" is the moment the shop prints "shop: started" (its pool is up, its schema created, 50 orders in);
memory is the process's peak resident set (VmHWM) at that moment.

    python3 bench/startup.py [--runs 15] [--java /path/to/bin/java]

Needs the built jars: mvn -B -DskipTests package
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENT = os.path.join(ROOT, "agent", "target", "bizmetrics-agent.jar")
SHOP = os.path.join(ROOT, "sample-app", "target", "sample-app.jar")
CONFIG = os.path.join(ROOT, "config", "bizmetrics.properties")


def run_once(java, jvm_args):
    command = [java] + jvm_args + ["-jar", SHOP, "--rate", "0"]
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in process.stdout:
            if line.startswith("shop: started"):
                elapsed = time.monotonic() - start
                with open("/proc/%d/status" % process.pid) as status:
                    hwm = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
                return elapsed, hwm / 1024.0
        raise RuntimeError("the shop never became ready: " + " ".join(command))
    finally:
        process.kill()
        process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--java", default="java")
    args = parser.parse_args()
    for jar in (AGENT, SHOP):
        if not os.path.exists(jar):
            sys.exit("missing %s; build first: mvn -B -DskipTests package" % jar)

    with tempfile.TemporaryDirectory() as tmp:
        variants = {
            "baseline": [],
            "agent": ["-javaagent:%s=config=%s,http.port=0" % (AGENT, CONFIG)],
        }
        results = {name: [] for name in variants}
        run_once(args.java, [])  # warm the OS file cache before measuring
        for i in range(args.runs):
            for name, jvm_args in variants.items():
                results[name].append(run_once(args.java, jvm_args))
        base_time = statistics.median(t for t, _ in results["baseline"])
        base_mem = statistics.median(m for _, m in results["baseline"])
        print("%d alternated runs each, java=%s" % (args.runs, args.java))
        print("%-10s %14s %12s %16s %12s" % ("variant", "ready median", "vs base", "peak RSS median", "vs base"))
        for name, samples in results.items():
            t = statistics.median(s for s, _ in samples)
            m = statistics.median(s for _, s in samples)
            print("%-10s %11.0f ms %+9.0f ms %12.1f MiB %+9.1f MiB   (time ratio %.3f)"
                  % (name, t * 1000, (t - base_time) * 1000, m, m - base_mem, t / base_time))


if __name__ == "__main__":
    main()
