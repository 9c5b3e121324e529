#!/usr/bin/env python3
"""render-soak.py RESULT.json [BUCKET_MINUTES]

Turns the JSON of a soak run (BenchMain soak) into the Markdown tables of docs/benchmarks.md,
"Soak": the load, the figures over time (medians per bucket, 5 minutes by default), the
flatness verdict, the churn's answers and the classes that grew.
"""
import json
import statistics
import sys


def fmt(value):
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def median(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def timeline(result, bucket_minutes):
    rows = result["timeline"]
    warmup = result["warmup_s"]
    out = ["| minutes | phase | heap after GC (MB) | heap committed (MB) | RSS (MB) | RSS outside the heap (MB) "
           "| server CPU (%) | threads | open fds | online | stanzas/s | churn/s | errors so far |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    width = bucket_minutes * 60
    start = 0.0
    end = max(r["seconds"] for r in rows)
    while start < end:
        bucket = [r for r in rows if start <= r["seconds"] < start + width]
        if bucket:
            phase = "warm-up" if start + width <= warmup else "measured"
            stanzas = [r["sentPerS"] + r["receivedPerS"] for r in bucket]
            out.append("| " + " | ".join([
                f"{start / 60:.0f}–{(start + width) / 60:.0f}", phase,
                fmt(median(bucket, "heapAfterGcMb")), fmt(median(bucket, "heapCommittedMb")),
                fmt(median(bucket, "rssMb")), fmt(median(bucket, "rssOutsideHeapMb")), fmt(median(bucket, "cpuPct")), fmt(median(bucket, "threads")),
                fmt(median(bucket, "fds")), fmt(median(bucket, "online")), fmt(statistics.median(stanzas)),
                fmt(median(bucket, "churnPerS")), fmt(bucket[-1]["errors"])]) + " |")
        start += width
    return "\n".join(out)


def slope_per_hour(rows, key):
    """Least-squares slope of rows[key] against time, per hour (as Trend.java computes it)."""
    if len(rows) < 3:
        return None
    mean_t = statistics.mean(r["seconds"] for r in rows)
    mean_v = statistics.mean(r[key] for r in rows)
    sxx = sum((r["seconds"] - mean_t) ** 2 for r in rows)
    sxy = sum((r["seconds"] - mean_t) * (r[key] - mean_v) for r in rows)
    return sxy / sxx * 3600 if sxx else None


def verdict(result):
    # The slope of each half of the measured part tells growth that settles (a pool or arena
    # reaching its working size) from growth that goes on (a leak).
    measured = [r for r in result["timeline"] if r["seconds"] >= result["warmup_s"]]
    middle = result["warmup_s"] + result["measured_s"] / 2
    halves = ([r for r in measured if r["seconds"] < middle], [r for r in measured if r["seconds"] >= middle])
    out = ["| series | first third (median, MB) | last third (median, MB) | growth | slope (MB/h) "
           "| slope, first half / second half (MB/h) | limits | verdict |", "|---|---|---|---|---|---|---|---|"]
    series = [("heap", "heap after GC", "heapAfterGcMb"), ("rss", "RSS", "rssMb")]
    if "native_verdict" in result:
        series.append(("native", "RSS outside the heap", "rssOutsideHeapMb"))
    for name, label, key in series:
        out.append(f"| {label} | {fmt(result[name + '_first_third_mb'])} | {fmt(result[name + '_last_third_mb'])} "
                   f"| {fmt(result[name + '_growth_pct'])} % "
                   f"| {fmt(result[name + '_slope_mb_per_h'])} ± {fmt(result[name + '_slope_stderr_mb_per_h'])} "
                   f"| {' / '.join(fmt(slope_per_hour(half, key)) for half in halves)} "
                   f"| {result[name + '_limits']} | **{result[name + '_verdict']}** |")
    return "\n".join(out)


def load(result):
    minutes = (result["warmup_s"] + result["measured_s"]) / 60
    keys = ["logins", "logouts", "drops", "resumptions", "messages_sent", "messages_received",
            "presences_sent", "presences_received", "iqs_sent", "iqs_answered", "churn_connections",
            "churn_unexpected", "errors"]
    out = [f"{minutes:.0f} minutes ({result['warmup_s'] / 60:.0f} of warm-up), "
           f"{result['samples']} samples in the measured part, one every {fmt(result['sample_s'])} s.", "",
           "| total | count |", "|---|---|"]
    out += [f"| {k} | {result[k]} |" for k in keys]
    return "\n".join(out)


def churn(result):
    out = ["| kind | started | expected answer | unexpected |", "|---|---|---|---|"]
    for kind, tally in result["churn"].items():
        out.append(f"| {kind} | {tally['started']} | {tally['expected']} | {tally['unexpected']} |")
    return "\n".join(out)


def histogram(result):
    rows = result.get("histogram_growth") or []
    out = ["| class | instances (change) | bytes (change) |", "|---|---|---|"]
    for row in rows[:10]:
        out.append(f"| `{row['class']}` | {row['instances']} ({row['instances_delta']:+d}) "
                   f"| {row['bytes']} ({row['bytes_delta']:+d}) |")
    return "\n".join(out)


def main():
    with open(sys.argv[1]) as f:
        result = json.load(f)
    bucket = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(load(result), "", timeline(result, bucket), "", verdict(result), "", churn(result), "",
          "Classes whose live bytes grew most between the end of the warm-up and the end of the run:", "",
          histogram(result), sep="\n")


if __name__ == "__main__":
    main()
