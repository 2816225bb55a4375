#!/usr/bin/env python3
"""Builds the results table from the benchmark outputs and writes bench/results.md.

    python3 bench/report.py --dir build/bench --out bench/results.md

Reads, in --dir: c.txt (bench/bench.c), managed.txt (Managed.Bench --quick, JIT), aot.txt (Aot.Bench
--quick, NativeAOT), e2e.txt (bench/e2e.py), groups.txt (bench/groups_idle.py):
their "RESULT\tkey\tlabel\tvalue\tunit\tbaseline label\tbaseline value\ttarget" lines;
footprint.txt ("key value" lines from bench/footprint.c and run.sh); machine.txt ("key: value").
Prints the table and writes the Markdown file, and beside it results.json: one row per figure,
{"name", "ours", "baseline", "unit", "ratio", "ratio_of_medians", "ratio_iqr", "target", "met"}.
Exit status 1 if an expected figure is missing.
"""
import argparse
import json
import os
import statistics
import sys


def read_results(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            if not line.startswith("RESULT\t"):
                continue
            parts = line.rstrip("\n").split("\t")
            parts += [""] * (11 - len(parts))
            _, key, label, value, unit, base_label, base_value, target, ratio, q1, q3 = parts[:11]
            out[key] = {"label": label.strip(), "value": float(value), "unit": unit, "base_label": base_label,
                        "base": float(base_value) if base_value else None, "target": target,
                        "ratio": float(ratio) if ratio else None,
                        "q1": float(q1) if q1 else None, "q3": float(q3) if q3 else None}
    return out


def read_kv(path, sep=None):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            if sep:
                if sep in line:
                    k, v = line.split(sep, 1)
                    out[k.strip()] = v.strip()
            else:
                parts = line.split()
                if len(parts) == 2:
                    out.setdefault(parts[0], []).append(float(parts[1]))
    return out


def fmt(value, unit):
    if value is None:
        return "—"
    if unit == "ns":
        if value >= 1e6:
            return f"{value / 1e6:.2f} ms"
        if value >= 1e3:
            return f"{value / 1e3:.1f} µs"
        return f"{value:.0f} ns"
    if unit == "ms":
        return f"{value:.2f} ms"
    if unit == "msg/s":
        return f"{value:.0f} msg/s"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "req/min":
        return f"{value:.0f} req/min"
    return f"{value:g} {unit}"


def judge(target, value, ratio):
    """(met, text) for targets written as '<=1.2' or '>=0.9' (ratio), '<=100ns', '<=1ms' or '<=40MB'
    (value); met is None when there is no target. Ratio targets are judged on the ratio given."""
    if not target:
        return None, ""
    at_least = target.startswith(">=")
    limit = target[2:]
    if limit.endswith("ns") or limit.endswith("MB") or limit.endswith("ms"):
        bound = float(limit[:-2]) * (1e6 if limit.endswith("ms") else 1)   # "ms" targets apply to ns figures
        if value <= bound:
            return True, f"**met** ({value / bound:.0%} of {limit})"
        return False, f"**missed**: {value / bound:.1f}× the {limit} target"
    bound = float(limit)
    if ratio is None:
        return None, "no ratio"
    if at_least:
        if ratio >= bound:
            return True, f"**met** (≥ {bound:g}×)"
        return False, f"**missed**: {ratio:.2f}× vs ≥ {bound:g}× ({(1 - ratio / bound):.0%} short)"
    if ratio <= bound:
        return True, f"**met** (≤ {bound:g}×)"
    return False, f"**missed**: {ratio:.2f}× vs ≤ {bound:g}× ({(ratio / bound - 1):.0%} over)"


def verdict(target, value, ratio):
    return judge(target, value, ratio)[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="build/bench")
    ap.add_argument("--out", default="bench/results.md")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()

    c = read_results(os.path.join(args.dir, "c.txt"))
    m = read_results(os.path.join(args.dir, "managed.txt"))
    m.update(read_results(os.path.join(args.dir, "aot.txt")))
    m.update(read_results(os.path.join(args.dir, "onion-rtt.txt")))
    e = read_results(os.path.join(args.dir, "e2e.txt"))
    e.update(read_results(os.path.join(args.dir, "groups.txt")))
    fp = read_kv(os.path.join(args.dir, "footprint.txt"))
    machine = read_kv(os.path.join(args.dir, "machine.txt"), sep=":")
    res = {**c, **m, **e}

    def med(key):
        return statistics.median(fp[key]) if key in fp else None

    mb = 1 / 1024
    footprint = []
    footprint_json = []

    def footprint_row(name, value, unit, base, target):
        met, _ = judge(target, value, None)
        footprint_json.append({"name": name, "ours": round(value, 3), "baseline": round(base, 3) if base else None, "unit": unit,
                               "ratio": round(value / base, 4) if base else None, "ratio_of_medians": round(value / base, 4) if base else None,
                               "ratio_iqr": None, "target": target or None, "met": met})

    if "libsession_bytes" in fp:
        size, sodium = fp["libsession_bytes"][0] / 1e6, fp.get("libsodium_bytes", [0])[0] / 1e6
        footprint.append(("libsession.so size", f"{size:.1f} MB", f"libsodium.so {sodium:.2f} MB (shipped beside it)", "",
                          verdict("<=5MB", size, None)))
        footprint_row("libsession_size", size, "MB", sodium, "<=5MB")
    if med("load_first_call_ns") is not None:
        lf, sf = med("load_first_call_ns"), med("sodium_first_call_ns")
        footprint.append(("dlopen → first call returns (session_abi_major)", fmt(lf, "ns"),
                          f"dlopen(libsodium.so) + sodium_init: {fmt(sf, 'ns')}", f"{lf / sf:.1f}×" if sf else "",
                          verdict("<=5ms", lf, None)))
        footprint_row("load_first_call", lf, "ns", sf, "<=5ms")
        if med("load_first_call_cpu_ns") is not None:   # what a busy machine inflates least
            footprint.append(("dlopen → first call, CPU time of the process (all threads)", fmt(med("load_first_call_cpu_ns"), "ns"),
                              "", "", ""))
            footprint_row("load_first_call_cpu", med("load_first_call_cpu_ns"), "ns", None, "")
        footprint.append(("dlopen → first identity generated", fmt(med("load_first_identity_ns"), "ns"),
                          f"libsodium: dlopen + init + keypair {fmt(med('sodium_first_keypair_ns'), 'ns')}",
                          f"{med('load_first_identity_ns') / med('sodium_first_keypair_ns'):.1f}×", ""))
        footprint_row("load_first_identity", med("load_first_identity_ns"), "ns", med("sodium_first_keypair_ns"), "")
    for tag, what in (("idle", "1 idle client, started and connected"), ("new100", "100 clients (created, not started)"),
                      ("started100", "100 clients, started and connected")):
        one, n, loaded, before = (med(f"{tag}_rss_one_client_kb"), med(f"{tag}_rss_n_clients_kb"),
                                  med(f"{tag}_rss_loaded_kb"), med(f"{tag}_rss_before_load_kb"))
        if n is None:
            continue
        value = (one if tag == "idle" else n) * mb
        base = f"process before load {before * mb:.1f} MB, library loaded {loaded * mb:.1f} MB"
        extra = ""
        if tag != "idle" and one is not None:
            extra = f"; per extra client {(n - one) * mb / 99:.2f} MB"
        target = verdict("<=40MB", value, None) if tag == "idle" else ""
        footprint.append((f"RSS, {what}", f"{value:.1f} MB", base + extra, "", target))
        footprint_row(f"rss_{tag}", value, "MB", None, "<=40MB" if tag == "idle" else "")

    rows = []
    json_rows = []
    order = [
        ("Crypto through the C ABI vs raw libsodium (C, same process)", ["seal_100B", "seal_4KB", "open_100B", "open_4KB", "open_batch100_cached", "open_batch100_vs_rederived",
                                                                          "blind15_sign", "blind15_sign_vs_derived", "phrase_decode", "phrase_decode_only"]),
        ("Shipped NativeAOT code vs libsodium through P/Invoke (same process)", ["aot_encode_100B", "aot_encode_4KB", "aot_decoy_prosig", "aot_decode_100B", "aot_decode_4KB",
                                                                              "aot_group_encrypt_100B", "aot_group_encrypt_4KB", "aot_group_decrypt_100B", "aot_group_decrypt_4KB", "aot_onion_build", "onion_floor_c"]),
        ("Managed hot paths under the JIT vs libsodium through P/Invoke (same process)", ["managed_encode_100B", "managed_encode_4KB", "managed_decoy_prosig", "managed_decode_100B", "managed_decode_4KB",
                                                                              "managed_group_encrypt_100B", "managed_group_encrypt_4KB", "managed_group_decrypt_100B", "managed_group_decrypt_4KB", "onion_build_managed"]),
        ("Per-frame cost", ["poll_idle", "poll_idle_started", "poll_per_event", "poll_per_event_median", "poll_p50_draining", "poll_p90_draining", "poll_p99_draining", "poll_p999_draining", "poll_max_draining", "poll_cpu_max_draining", "poll_slow_blocked"]),
        ("End to end on LocalNet (onion requests vs direct storage RPC)", ["e2e_msgs_per_s_1", "e2e_msgs_per_s_4", "e2e_msgs_per_s_16", "e2e_msgs_per_s_2",
                                                                           "e2e_stored_p50", "e2e_stored_p99", "e2e_stored_p50_vs_one_store", "onion_store_rtt_p50",
                                                                           "onion_store_rtt_1relay_p50", "onion_store_rtt_2relay_p50", "onion_store_rtt_3relay_p50", "e2e_received_p50", "e2e_received_p99", "e2e_new_connections"]),
        ("Network cost of closed groups: one idle client in 50 groups (LocalNet's request counts vs the official apps' polling rules)",
         ["groups50_idle_requests_per_min", "groups50_idle_requests_per_min_quiet", "groups50_idle_subrequests_per_min", "groups50_idle_all_requests_per_min"]),
    ]
    optional = {"e2e_msgs_per_s_2"}
    optional_in_smoke = {"e2e_msgs_per_s_4", "e2e_msgs_per_s_16", "onion_build_managed", "aot_onion_build", "onion_store_rtt_p50",
                         "onion_store_rtt_1relay_p50", "onion_store_rtt_2relay_p50", "onion_store_rtt_3relay_p50"}
    missing = []
    for section, keys in order:
        rows.append((section, None))
        for k in keys:
            if k not in res:
                in_managed = k.startswith("managed_") or k.startswith("aot_")
                if not (k in optional or (args.smoke and (k in optional_in_smoke or in_managed))):
                    missing.append(k)
                continue
            r = res[k]
            of_medians = r["value"] / r["base"] if r["base"] else None
            # The ratio a target is judged on: the median of per-pair ratios where the harness ran the
            # two sides as back-to-back pairs, otherwise (end to end) the ratio of the two medians/percentiles.
            ratio = r["ratio"] if r["ratio"] is not None else of_medians
            if k in ("phrase_decode_only", "onion_floor_c"):
                ratio = of_medians = None
            if k == "onion_floor_c":   # the floor itself, from C in another process: context, no ratio
                base_text = r["base_label"] + " (C, bench.c)"
            elif r["base"] is not None and r["base_label"]:
                base_text = fmt(r["base"], r["unit"]) + " — " + r["base_label"]
            else:
                base_text = ""
            spread = f"{r['q1']:.2f}–{r['q3']:.2f}" if r["q1"] is not None and ratio is not None else ""
            met, text = judge(r["target"], r["value"], ratio)
            rows.append((section, (r["label"], fmt(r["value"], r["unit"]), base_text,
                                   f"{ratio:.2f}×" if ratio else "", spread,
                                   f"{of_medians:.2f}×" if of_medians else "", text)))
            json_rows.append({"name": k, "ours": round(r["value"], 3), "baseline": r["base"], "unit": r["unit"],
                              "ratio": round(ratio, 4) if ratio else None,
                              "ratio_of_medians": round(of_medians, 4) if of_medians else None,
                              "ratio_iqr": [r["q1"], r["q3"]] if spread else None,
                              "target": r["target"] or None, "met": met})

    lines = []
    lines.append("# Benchmark results" + (" (smoke run: tiny counts, figures meaningless)" if args.smoke else ""))
    lines.append("")
    lines.append("Written by `make bench` (`bench/run.sh`); see `docs/benchmarks.md` for what each figure measures.")
    lines.append("Every figure is a median over repeated runs; each ratio is ours ÷ its baseline, both measured in the same")
    lines.append("process or script run, alternating, under the same load (for the micro-benchmarks: the median of the")
    lines.append("per-repeat ratios of back-to-back pairs). Lower is better, except messages/s.")
    lines.append("")
    lines.append("**Ratio** is what each target is judged on: the median of the per-pair ratios where ours and the")
    lines.append("baseline ran as back-to-back pairs (micro-benchmarks, throughput repeats), else the ratio of the two")
    lines.append("medians or percentiles (latency). **IQR** is the 25th–75th percentile of the pair ratios (their")
    lines.append("spread); **Ratio of medians** is ours' median ÷ the baseline's median. The same rows, with stable")
    lines.append("names, are in `bench/results.json`.")
    lines.append("")
    for k in ("date", "machine", "cpu", "cores", "load average (1/5/15 min) at start", "load average at end", "library", "dotnet", "libsodium"):
        if k in machine:
            lines.append(f"- **{k}**: {machine[k]}")
    lines.append("")
    current = None
    for section, row in rows:
        if row is None:
            continue
        if section != current:
            if current is not None:
                lines.append("")
            current = section
            lines.append(f"## {section}")
            lines.append("")
            lines.append("| Operation | Ours | Baseline | Ratio | IQR of pair ratios | Ratio of medians | Target |")
            lines.append("|---|---:|---|---:|---:|---:|---|")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    if footprint:
        lines.append("## Footprint")
        lines.append("")
        lines.append("| What | Ours | Baseline / context | Ratio | Target |")
        lines.append("|---|---:|---|---:|---|")
        for row in footprint:
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    size_md = os.path.join(args.dir, "size.md")
    if os.path.exists(size_md):
        lines.append("## What libsession.so is made of")
        lines.append("")
        lines.append("`bench/size_report.py`: sections, then every symbol's bytes summed per assembly or native part.")
        lines.append("")
        with open(size_md) as f:
            lines.append(f.read().rstrip())
        lines.append("")
    attachments = os.path.join(args.dir, "attachments.txt")
    if os.path.exists(attachments):
        rows = [line.rstrip("\n").split("\t")[2:] for line in open(attachments) if line.startswith("RESULT\tattachments\t")]
        if rows:
            lines.append("## Attachments (bench/attachments.py)")
            lines.append("")
            lines.append("Upload: send with one attachment → REQUEST_DONE (encrypt, onion upload, message stored). "
                         "Download: download → REQUEST_DONE (onion fetch, digest/MAC, decrypt, rename). "
                         "Baseline: the blob's bytes over plain HTTP to LocalNet's file server (POST /file, GET /file/ID).")
            lines.append("")
            lines.append("| What | Size | Library | Plain HTTP | Plain is faster by |")
            lines.append("|---|---:|---:|---:|---:|")
            for what, size, lib_rate, plain_rate, ratio in rows:
                lines.append(f"| {what} | {int(size):,} B | {lib_rate} MB/s | {plain_rate} MB/s | {ratio}× |")
            lines.append("")
    notes_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results-notes.md")
    if os.path.exists(notes_path) and not args.smoke:
        with open(notes_path) as f:
            lines.append(f.read().rstrip())
        lines.append("")
    bdn = os.path.join(args.dir, "bdn.md")
    if os.path.exists(bdn):
        lines.append("## BenchmarkDotNet (BENCH_DOTNET=1)")
        lines.append("")
        with open(bdn) as f:
            lines.append(f.read().rstrip())
        lines.append("")
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    json_out = os.path.join(os.path.dirname(os.path.abspath(args.out)), "results.json")
    with open(json_out, "w") as f:
        json.dump(json_rows + footprint_json, f, indent=1)
        f.write("\n")
    print(text)
    if missing:
        print(f"report: missing figures: {', '.join(missing)}", file=sys.stderr)
    print(f"report{'-smoke' if args.smoke else ''}: {1 if not missing else 0} passed, {1 if missing else 0} failed")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
