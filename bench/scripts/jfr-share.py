#!/usr/bin/env python3
"""jfr-share.py RECORDING PREFIX... [--jfr PATH]

The share of a JFR recording's CPU samples (jdk.ExecutionSample: Java threads running Java code)
whose stack holds a frame of a class starting with one of the PREFIXes, e.g. what the metrics cost:
  jfr-share.py parley-chat.jfr io.micrometer. im.parley.server.metrics.
Prints the samples in all, those matching, and the share in percent. Needs the JDK's `jfr` tool
(found beside `java` on the PATH, or given with --jfr).
"""
import argparse
import os
import shutil
import subprocess
import sys


def jfr_tool(given):
    if given:
        return given
    java = shutil.which("java")
    if java:
        candidate = os.path.join(os.path.dirname(os.path.realpath(java)), "jfr")
        if os.path.exists(candidate):
            return candidate
    sys.exit("jfr-share.py: no jfr tool beside java; pass --jfr PATH")


def samples(tool, recording):
    """Yields each sample's frames (class.method strings)."""
    out = subprocess.run([tool, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "256", recording],
                         check=True, capture_output=True, text=True).stdout
    frames, inside = [], False
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("jdk.ExecutionSample"):
            frames, inside = [], False
        elif line.startswith("stackTrace = ["):
            inside = True
        elif inside and line == "]":
            inside = False
            yield frames
        elif inside and line and line != "...":
            frames.append(line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("recording")
    parser.add_argument("prefixes", nargs="+")
    parser.add_argument("--jfr")
    args = parser.parse_args()
    total = matching = 0
    for frames in samples(jfr_tool(args.jfr), args.recording):
        total += 1
        if any(frame.startswith(p) for frame in frames for p in args.prefixes):
            matching += 1
    share = 100.0 * matching / total if total else 0.0
    print(f"samples={total} matching={matching} share_pct={share:.2f} prefixes={' '.join(args.prefixes)}")


if __name__ == "__main__":
    main()
