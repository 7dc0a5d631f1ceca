#!/usr/bin/env python3
"""The agent's package graph, from the source: which package uses which, and whether the graph has a cycle.

    python3 docs/package-graph.py            # the table of edges, then "acyclic" or the cycles; exit 1 on a cycle
    python3 docs/package-graph.py --dot      # the same graph for Graphviz

A package uses another when one of its files imports a class of it or names one fully qualified in code (comments
and string literals are left out first, so a class name in a message or a javadoc link is not an edge). Only the
agent's own packages under agent/src/main/java count; the JDK and the shaded libraries are left out.
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "agent", "src", "main", "java")
OWN = "dev.bizmetrics."
# A class of ours named in code: lower-case package segments, then an upper-case class name.
QUALIFIED = re.compile(r"\b(dev\.bizmetrics(?:\.[a-z_][a-z0-9_]*)+)\.[A-Z]\w*")
PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.M)


def strip_comments_and_strings(text):
    """Java source with comments, string and char literals blanked (text blocks do not occur: Java 8)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            out.append(c + c)
        else:
            out.append(c)
            i += 1
    return "".join(out)


def graph(root=ROOT):
    edges = {}
    for directory, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".java"):
                continue
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                source = f.read()
            declared = PACKAGE.search(source)
            if not declared:
                continue
            package = declared.group(1)
            uses = edges.setdefault(package, set())
            for used in QUALIFIED.findall(strip_comments_and_strings(source)):
                if used.startswith(OWN) and used != package:
                    uses.add(used)
    return edges


def cycles(edges):
    """Strongly connected components of more than one package (Tarjan), each a cycle or several."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def short(package):
    return package[len("dev.bizmetrics.agent."):] if package.startswith("dev.bizmetrics.agent.") else package


def main(argv):
    edges = graph()
    if "--dot" in argv:
        print("digraph packages {")
        for package in sorted(edges):
            for used in sorted(edges[package]):
                print('  "%s" -> "%s";' % (short(package), short(used)))
        print("}")
        return 0
    width = max(len(short(p)) for p in edges)
    for package in sorted(edges):
        print("%-*s -> %s" % (width, short(package), ", ".join(short(u) for u in sorted(edges[package])) or "-"))
    found = cycles(edges)
    if found:
        for component in found:
            print("cycle among: " + ", ".join(short(p) for p in component))
        return 1
    print("acyclic: %d packages, %d edges" % (len(edges), sum(len(u) for u in edges.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
