#!/usr/bin/env python3
"""render-benchmarks.py RESULTS_DIR [--update docs/benchmarks.md]

Turns the JSON results of run-comparison.sh (<server>-<scenario>.json) into Markdown: one
table per scenario with each figure per server and Parley's ratio to each peer, then the
targets of issue 7. With --update, replaces the text between the figures markers of the file.
"""
import argparse
import json
import os
import re

SERVERS = ["parley", "prosody", "ejabberd"]
PEERS = ["prosody", "ejabberd"]
FIGURES = {
    "login_plain": ("Login storm, no TLS", ["warmup_users", "users", "offered_rate", "mechanism", "logins_ok", "errors", "logins_per_s",
                    "login_p50_ms", "login_p99_ms", "server_cpu_avg_pct", "server_cpu_peak5s_pct",
                    "server_rss_start_mb", "server_rss_peak_mb", "bench_cpu_avg_pct"]),
    "login_starttls": ("Login storm with STARTTLS", ["warmup_users", "users", "offered_rate", "mechanism", "logins_ok", "errors",
                       "logins_per_s", "login_p50_ms", "login_p99_ms", "server_cpu_avg_pct",
                       "server_cpu_peak5s_pct", "server_rss_peak_mb", "bench_cpu_avg_pct"]),
    "idle_tls": ("Idle TLS sessions", ["warmup_users", "hold_s", "users", "sessions", "errors", "rss_before_mb", "rss_after_mb",
                 "rss_per_session_kb", "server_cpu_avg_pct", "bench_cpu_avg_pct"]),
    "chat": ("Chat", ["online", "rate", "sent", "delivered", "delivered_ratio", "latency_p50_ms", "latency_p99_ms",
             "latency_p999_ms", "latency_max_ms", "server_cpu_avg_pct", "server_cpu_peak5s_pct",
             "bench_cpu_avg_pct", "highest_clean_rate", "errors"]),
    "presence": ("Presence, rosters of 20", ["online", "status_rate", "status_changes_sent", "presence_expected",
                 "presence_delivered", "delivered_ratio", "presence_delivered_per_s", "login_presence_per_s",
                 "latency_p50_ms", "latency_p99_ms", "server_cpu_avg_pct", "bench_cpu_avg_pct", "errors"]),
    "muc50": ("Group chat, rooms of 50", ["rooms", "online", "joins_per_s", "join_latency_p99_ms", "delivery_rate",
              "deliveries_expected", "delivered_ratio", "latency_p50_ms", "latency_p99_ms", "server_cpu_avg_pct",
              "bench_cpu_avg_pct", "highest_clean_delivery_rate", "errors"]),
    "muc500": ("Group chat, rooms of 500", ["rooms", "online", "joins_per_s", "join_latency_p99_ms", "delivery_rate",
               "deliveries_expected", "delivered_ratio", "latency_p50_ms", "latency_p99_ms", "server_cpu_avg_pct",
               "bench_cpu_avg_pct", "highest_clean_delivery_rate", "errors"]),
}
BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"


def load(results):
    data = {}
    for name in os.listdir(results):
        m = re.match(r"(parley|prosody|ejabberd)-(\w+)\.json$", name)
        if m:
            with open(os.path.join(results, name)) as f:
                data[(m.group(1), m.group(2))] = json.load(f)
    return data


def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 10 else f"{v:.0f}"
    return str(v)


def ratio(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and b:
        return f"{a / b:.2f}×"
    return "–"


def tables(data):
    out = []
    for scenario, (title, keys) in FIGURES.items():
        if not any((s, scenario) in data for s in SERVERS):
            continue
        out.append(f"### {title} (`{scenario}`)\n")
        out.append("| figure | " + " | ".join(SERVERS) + " | Parley/Prosody | Parley/ejabberd |")
        out.append("|---" * (len(SERVERS) + 3) + "|")
        for key in keys:
            vals = [data.get((s, scenario), {}).get(key) for s in SERVERS]
            if all(v is None for v in vals):
                continue
            p = vals[0]
            out.append(f"| {key} | " + " | ".join(fmt(v) for v in vals) + " | "
                       + " | ".join(ratio(p, data.get((peer, scenario), {}).get(key)) for peer in PEERS) + " |")
        out.append("")
    out.append(targets(data))
    return "\n".join(out)


def targets(data):
    def get(server, scenario, key):
        return data.get((server, scenario), {}).get(key)

    rows = []
    p, e = get("parley", "login_plain", "logins_per_s"), get("ejabberd", "login_plain", "logins_per_s")
    rows.append(("logins/s ≥ 2× ejabberd", f"{fmt(p)} vs {fmt(e)} ({ratio(p, e)})",
                 isinstance(p, (int, float)) and isinstance(e, (int, float)) and e > 0 and p >= 2 * e))
    r = get("parley", "idle_tls", "rss_per_session_kb")
    rows.append(("RSS per TLS session ≤ 20 KB", f"{fmt(r)} KB", isinstance(r, (int, float)) and r <= 20))
    d, p99 = get("parley", "chat", "delivered_ratio"), get("parley", "chat", "latency_p99_ms")
    rate = get("parley", "chat", "rate")
    rows.append((f"100% delivery, p99 < 10 ms at {fmt(rate)} msg/s", f"{fmt(d)} delivered, p99 {fmt(p99)} ms",
                 d == 1 and isinstance(p99, (int, float)) and p99 < 10))
    h, hp = get("parley", "chat", "highest_clean_rate"), get("prosody", "chat", "highest_clean_rate")
    rows.append(("highest clean chat rate ≥ 5× Prosody", f"{fmt(h)} vs {fmt(hp)} msg/s ({ratio(h, hp)})",
                 isinstance(h, (int, float)) and isinstance(hp, (int, float)) and hp > 0 and h >= 5 * hp))
    out = ["### Targets (issue 7)\n", "| target | Parley in this run | met |", "|---|---|---|"]
    out += [f"| {t} | {v} | {'yes' if ok else '**no**'} |" for t, v, ok in rows]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--update")
    args = ap.parse_args()
    text = tables(load(args.results))
    if not args.update:
        print(text)
        return
    with open(args.update) as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"{args.update} lacks the {BEGIN} / {END} markers")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(args.update, "w") as f:
        f.write(head + BEGIN + "\n" + text + "\n" + END + tail)


if __name__ == "__main__":
    main()
