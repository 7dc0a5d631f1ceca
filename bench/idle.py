#!/usr/bin/env python3
"""Idle cost of the agent: the CPU time an agent with nothing to do takes from its host, per minute.

Runs the sample shop idle (--rate 0, H2 in memory) twice side by side, once without the agent and once with it,
started together (which one first alternates from pair to pair), and, once both are ready and have warmed up,
reads each process's CPU time (utime + stime of /proc/<pid>/stat, which also counts threads that end) at the start
and at the end of the same window. The agent's configuration has its queries on a 10 minute interval: they run once
during the warm-up and are not due again in the window, so what is measured is the agent at rest (its control
thread's tick, its timers, its port open with nobody scraping).

Prints, per pair and as the median and range over the pairs, the CPU per minute without and with the agent and the
paired difference, two ways: the process's utime + stime (/proc/<pid>/stat; counts threads that end, but in clock
ticks of 10 ms) and the sum over its threads of /proc/<pid>/task/<tid>/schedstat (nanoseconds; a thread that ends
in the window drops out). Then the CPU per minute of each of the agent's own threads (bizmetrics-*) and, with
--threads, of every thread of both hosts side by side, which tells where a difference comes from. The kernel cuts
thread names to 15 characters, so the full names are read with `jcmd <pid> Thread.print` after the window (its cost
falls outside it; without jcmd the cut names are shown).

    python3 bench/idle.py [--runs 5] [--seconds 60] [--warmup 30] [--jar agent/target/bizmetrics-agent.jar]
                          [--java java] [--threads] [--export]

Needs the built jars: mvn -B -DskipTests package
"""
import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENT = os.path.join(ROOT, "agent", "target", "bizmetrics-agent.jar")
SHOP = os.path.join(ROOT, "sample-app", "target", "sample-app.jar")
READY = "shop: started"
TICK = os.sysconf("SC_CLK_TCK")
# Queries of config/bizmetrics.properties, due every 10 minutes: each runs once during the warm-up, none in the window.
CONFIG = """\
http.host=127.0.0.1
http.port=0
defaults.interval=10m
defaults.timeout=5s
query.orders.sql=SELECT status, region, COUNT(*) AS orders, SUM(amount) AS amount FROM orders GROUP BY status, region
metric.shop_orders.query=orders
metric.shop_orders.value=orders
metric.shop_orders_value.query=orders
metric.shop_orders_value.value=amount
metric.shop_payments.sql=SELECT status, method, COUNT(*) AS payments FROM payments GROUP BY status, method
metric.shop_customers.sql=SELECT plan, COUNT(*) AS customers FROM customers GROUP BY plan
metric.shop_app_info.sql=SELECT app_version, schema_version FROM shop_meta
metric.shop_app_info.type=info
"""


class Host:
    """One sample shop JVM, its output in files."""

    def __init__(self, java, jvm_args, workdir, name):
        self.name = name
        self.out_path = os.path.join(workdir, name + ".out")
        self.err_path = os.path.join(workdir, name + ".err")
        with open(self.out_path, "w") as out, open(self.err_path, "w") as err:
            self.process = subprocess.Popen([java] + jvm_args + ["-jar", SHOP, "--rate", "0"], stdout=out,
                                            stderr=err, stdin=subprocess.DEVNULL)
        self.pid = self.process.pid

    def is_ready(self):
        with open(self.out_path) as out:
            return READY in out.read()

    def stderr(self):
        with open(self.err_path) as err:
            return err.read()

    def process_ticks(self):
        """utime + stime of the whole process, in clock ticks: threads that ended are in it too."""
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def threads(self):
        """{tid: (cut name, nanoseconds on a CPU)} of the threads alive now."""
        found = {}
        for task in glob.glob("/proc/%d/task/*" % self.pid):
            try:
                with open(task + "/comm") as f:
                    name = f.read().strip()
                with open(task + "/schedstat") as f:
                    nanos = int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                continue  # it ended meanwhile
            found[int(os.path.basename(task))] = (name, nanos)
        return found

    def full_names(self):
        """{tid: full Java thread name}, from jcmd; empty when jcmd is not there or fails."""
        jcmd = shutil.which("jcmd")
        if jcmd is None:
            return {}
        try:
            dump = subprocess.run([jcmd, str(self.pid), "Thread.print"], capture_output=True, text=True,
                                  timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            return {}
        return {int(nid, 16): name for name, nid in re.findall(r'^"(.*?)".*? nid=0x([0-9a-f]+)', dump, re.M)}

    def stop(self):
        self.process.kill()
        self.process.wait()


def await_ready(hosts, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for host in hosts:
            if host.process.poll() is not None:
                sys.exit("%s exited with %d:\n%s" % (host.name, host.process.returncode, host.stderr()))
        if all(host.is_ready() for host in hosts):
            return
        time.sleep(0.2)
    sys.exit("the shop did not start within %d s" % timeout)


def thread_cpu(start, end, names):
    """{thread name with its number folded to N: ms of CPU per minute} between two readings of threads()."""
    (threads0, t0), (threads1, t1) = start, end
    minutes = (t1 - t0) / 60.0
    cpu = {}
    for tid, (cut, nanos) in threads1.items():
        name = re.sub(r"\d+$", "N", names.get(tid, cut))
        before = threads0[tid][1] if tid in threads0 else 0  # a thread started in the window counts from 0
        cpu[name] = cpu.get(name, 0.0) + (nanos - before) / 1e6 / minutes
    return cpu


def measure_pair(java, agent_args, workdir, agent_first, seconds, warmup, pair):
    """One pair side by side: {"without"|"with": (process ms/min from ticks, {thread: ms/min}, threads ended)}."""
    order = [("with", ["-javaagent:" + agent_args]), ("without", [])]
    if not agent_first:
        order.reverse()
    hosts = {}
    try:
        for name, jvm_args in order:
            hosts[name] = Host(java, jvm_args, workdir, "%s-%d" % (name, pair))
        await_ready(list(hosts.values()))
        time.sleep(warmup)
        log = hosts["with"].stderr()
        if "serving http" not in log or " ran: " not in log:
            sys.exit("the agent did not serve or run its queries during the warm-up; its log:\n" + log)
        start = {name: (host.process_ticks(), host.threads(), time.monotonic()) for name, host in hosts.items()}
        time.sleep(seconds)
        end = {name: (host.process_ticks(), host.threads(), time.monotonic()) for name, host in hosts.items()}
        names = {name: host.full_names() for name, host in hosts.items()}  # after the window: not measured
        if " ran: " in hosts["with"].stderr()[len(log):]:
            sys.exit("a query ran during the window; the interval is meant to keep them from being due")
    finally:
        for host in hosts.values():
            host.stop()
    result = {}
    for name in hosts:
        ticks0, threads0, t0 = start[name]
        ticks1, threads1, t1 = end[name]
        process = (ticks1 - ticks0) * 1000.0 / TICK * 60.0 / (t1 - t0)
        ended = len(set(threads0) - set(threads1))
        result[name] = (process, thread_cpu((threads0, t0), (threads1, t1), names[name]), ended)
    return result


def spread(values):
    return "%7.1f (%7.1f .. %7.1f)" % (statistics.median(values), min(values), max(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="pairs of runs (default 5)")
    parser.add_argument("--seconds", type=float, default=60, help="the measured window (default 60)")
    parser.add_argument("--warmup", type=float, default=30, help="seconds after ready before the window (default 30)")
    parser.add_argument("--jar", default=AGENT, help="the agent jar (default agent/target/bizmetrics-agent.jar)")
    parser.add_argument("--java", default="java")
    parser.add_argument("--threads", action="store_true", help="also compare every thread of the two hosts")
    parser.add_argument("--export", action="store_true",
                        help="with export.host-registry=auto (the bizmetrics-export thread runs; the shop has no "
                             "registry of its own)")
    args = parser.parse_args()
    for jar in (args.jar, SHOP):
        if not os.path.exists(jar):
            sys.exit("missing %s; build first: mvn -B -DskipTests package" % jar)

    pairs = []
    with tempfile.TemporaryDirectory(prefix="bizmetrics-idle-") as workdir:
        config = os.path.join(workdir, "idle.properties")
        with open(config, "w") as f:
            f.write(CONFIG + ("export.host-registry=auto\n" if args.export else ""))
        agent_args = "%s=%s" % (os.path.abspath(args.jar), config)
        print("sample shop idle (--rate 0, H2), %d pairs side by side, %.0f s warm-up, %.0f s window, java=%s, "
              "%d cores" % (args.runs, args.warmup, args.seconds, args.java, os.cpu_count()), flush=True)
        print("CPU ms per minute:    process (utime+stime, 10 ms ticks)      sum of threads (schedstat, ns)")
        print("%-5s %-9s %9s %9s %9s   %9s %9s %9s" % ("pair", "first", "without", "with", "added", "without",
                                                       "with", "added"))
        for pair in range(args.runs):
            agent_first = pair % 2 == 1
            result = measure_pair(args.java, agent_args, workdir, agent_first, args.seconds, args.warmup, pair)
            pairs.append(result)
            (p0, t0, _), (p1, t1, _) = result["without"], result["with"]
            s0, s1 = sum(t0.values()), sum(t1.values())
            print("%-5d %-9s %9.0f %9.0f %+9.0f   %9.1f %9.1f %+9.1f" % (
                pair + 1, "agent" if agent_first else "no agent", p0, p1, p1 - p0, s0, s1, s1 - s0), flush=True)

    def column(host, f):
        return [f(p[host]) for p in pairs]

    print()
    print("CPU ms per minute, median (min .. max) over %d pairs:" % len(pairs))
    print("                     process (ticks)                 sum of threads (ns)")
    process = lambda r: r[0]
    threads = lambda r: sum(r[1].values())
    print("  without the agent  %s   %s" % (spread(column("without", process)), spread(column("without", threads))))
    print("  with the agent     %s   %s" % (spread(column("with", process)), spread(column("with", threads))))
    print("  added (paired)     %s   %s" % (
        spread([p["with"][0] - p["without"][0] for p in pairs]),
        spread([sum(p["with"][1].values()) - sum(p["without"][1].values()) for p in pairs])))
    ended = [p["with"][2] for p in pairs] + [p["without"][2] for p in pairs]
    if any(ended):
        print("  (threads that ended in the window are in the process figure only: %d at most in a run)" % max(ended))
    print()
    print("the agent's own threads, CPU ms per minute (schedstat), median (min .. max):")
    own = sorted(set(n for p in pairs for n in p["with"][1] if n.startswith("bizmetrics")))
    for name in own:
        print("  %-30s %s" % (name, spread([p["with"][1].get(name, 0.0) for p in pairs])))
    print("  %-30s %s" % ("all bizmetrics-* threads",
                          spread([sum(v for n, v in p["with"][1].items() if n.startswith("bizmetrics"))
                                  for p in pairs])))
    if args.threads:
        print()
        print("every thread, CPU ms per minute, median over the pairs, and the median of the paired differences:")
        print("  %-30s %9s %9s %9s" % ("thread", "without", "with", "added"))
        every = set(n for p in pairs for host in ("without", "with") for n in p[host][1])
        rows = []
        for name in every:
            w0 = [p["without"][1].get(name, 0.0) for p in pairs]
            w1 = [p["with"][1].get(name, 0.0) for p in pairs]
            rows.append((name, statistics.median(w0), statistics.median(w1),
                         statistics.median([b - a for a, b in zip(w0, w1)])))
        for name, w0, w1, d in sorted(rows, key=lambda r: -max(r[1], r[2])):
            if max(w0, w1) >= 0.05:
                print("  %-30s %9.1f %9.1f %+9.1f" % (name, w0, w1, d))


if __name__ == "__main__":
    main()
