#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Synthetic nightly history for testing `steplab dashboard`.

    tools/make-history.py [--example REPORT] [--nights N] OUTDIR

Writes OUTDIR/<board>-<kernel>-<YYYYMMDD>.json: copies of one real report
(default results/examples/qemu-virt-debian-6.1.json) relabelled as runs of
four kernels on N consecutive nights (default 5, at least 4):

  6.1.0-56-arm64              the example as it is            every night
  6.12.95+deb12-arm64         host cost 480 lower             every night
  7.3.4+deb13-arm64           host cost 650 lower             every night;
                              from night 4 on, sysreg costs 300 more
  6.12.95-steplab-early-exit  early-exit design: emulated     the last 3 nights
                              classes enter the guest once, and
                              cost 1900 fewer host instructions

Night i runs the mix with seed 7, 11, 13, 17, 19, ... and its own
steplab build.  The seed only reorders the rare slow steps: the counts
of each distribution's rare values (under 1% of the steps each) are
permuted among those values, with a
fixed generator per kernel and night, so the medians stay put and the
only change between consecutive nights of one kernel that a 95% interval
can resolve is the sysreg regression on night 4 of 7.3.4+deb13-arm64.
Every summary statistic (min, p10, median, p90, p99, max, mode, MAD,
mean) is recomputed from the changed histogram as steplab computes it,
so every report stays valid.  The same input gives the same files.
"""

import argparse
import copy
import datetime
import hashlib
import json
import os
import random
import sys

SEEDS = [7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]
FIRST_NIGHT = datetime.datetime(2026, 11, 21, 1, 0, 0)
REGRESSION = {"kernel": "7.3.4+deb13-arm64", "night": 4, "class": "sysreg",
              "metric": "host_instructions", "shift": 300}
KERNELS = [
    # release, version, host-cost offset, early-exit, first night (1-based)
    ("6.1.0-56-arm64", "#1 SMP Debian 6.1.192-2 (2026-11-16)", 0, False, 1),
    ("6.12.95+deb12-arm64", "#1 SMP PREEMPT_DYNAMIC Debian 6.12.95-1~deb12u1 (2026-11-10)",
     -480, False, 1),
    ("7.3.4+deb13-arm64", "#1 SMP PREEMPT_DYNAMIC Debian 7.3.4-1 (2026-11-18)", -650, False, 1),
    ("6.12.95-steplab-early-exit", "#1 SMP PREEMPT minimal config, early-exit patch",
     -900, True, None),
]
EARLY_EXIT_SAVING = 1900	# host instructions of the second world switch
COST_METRICS = ("host_instructions", "cycles")


def rank_of(n, num, den):
    r = n // den * num + ((n % den) * num + den - 1) // den
    return r or 1


def sorted_index(counts, r):
    cum = 0
    for i, c in enumerate(counts[:-1]):
        cum += c
        if cum >= r:
            return i
    return len(counts) - 1


def sorted_mad(vals, counts, med, r):
    m, cum, lo, hi, k = vals[med], 0, med, med, len(vals)
    while True:
        left = lo > 0 and (hi == k or m - vals[lo - 1] <= vals[hi] - m)
        if left:
            lo -= 1
            dev = m - vals[lo]
            cum += counts[lo]
        else:
            dev = vals[hi] - m
            cum += counts[hi]
            hi += 1
        if cum >= r or (lo == 0 and hi == k):
            return dev


def summarize(dist):
    """Recomputes a distribution's statistics from its histogram (stats.c)."""
    pairs = dist["histogram"]["pairs"]
    vals = [v for v, _ in pairs]
    counts = [c for _, c in pairs]
    n = sum(counts)
    med = sorted_index(counts, rank_of(n, 50, 100))
    mode = max(range(len(vals)), key=lambda i: (counts[i], -i))
    out = {
        "n": n, "distinct": len(vals), "min": vals[0], "max": vals[-1],
        "mean": sum(v * c for v, c in pairs) / n, "median": vals[med],
        "p10": vals[sorted_index(counts, rank_of(n, 10, 100))],
        "p90": vals[sorted_index(counts, rank_of(n, 90, 100))],
        "p99": vals[sorted_index(counts, rank_of(n, 99, 100))],
        "mode": vals[mode], "mode_count": counts[mode], "mode_fraction": counts[mode] / n,
        "mad": sorted_mad(vals, counts, med, rank_of(n, 50, 100)),
    }
    for key in out:
        if key in dist:
            dist[key] = out[key]


def check_summaries(doc):
    """The recomputation must reproduce the example before it changes anything."""
    for cls in doc["classes"]:
        for scope in ("metrics", "completion_run"):
            for name, dist in cls.get(scope, {}).items():
                if "histogram" not in dist or dist["histogram"].get("truncated"):
                    continue
                again = copy.deepcopy(dist)
                summarize(again)
                for key in ("n", "min", "max", "median", "p10", "p90", "p99", "mode",
                            "mode_count", "mad"):
                    if key in dist and again[key] != dist[key]:
                        sys.exit(f"make-history: {cls['class']} {scope}.{name}.{key}: "
                                 f"recomputed {again[key]}, report has {dist[key]}")


def shift(dist, d):
    """Moves a whole distribution by d (its 'quiet' subset too)."""
    if not d:
        return
    pairs = dist["histogram"]["pairs"]
    if pairs[0][0] + d < 0:
        sys.exit(f"make-history: shift {d} would make a count negative")
    for p in pairs:
        p[0] += d
    quiet = dist.get("quiet", {})
    for key in ("median", "mode"):
        if key in quiet:
            quiet[key] += d
    summarize(dist)


def reorder_tail(dist, rng):
    """Another seed: the same values, the rare slow steps counted differently.

    Only values held by under 1% of the steps trade counts, so that p10,
    the median and p90 stay where they are."""
    pairs = dist["histogram"]["pairs"]
    n = sum(c for _, c in pairs)
    tail = [i for i in range(len(pairs)) if pairs[i][1] * 100 < n]
    counts = [pairs[i][1] for i in tail]
    rng.shuffle(counts)
    for i, c in zip(tail, counts):
        pairs[i][1] = c
    summarize(dist)


def dists(cls):
    for scope in ("metrics", "completion_run"):
        for name, dist in cls.get(scope, {}).items():
            if "histogram" in dist and not dist["histogram"].get("truncated"):
                yield scope, name, dist


def make_early_exit(doc):
    """One guest entry per emulated step: the step exits right after emulation."""
    per_class = doc["design"]["per_class"]
    for cls in doc["classes"]:
        if cls["class"] not in per_class:
            continue
        for scope, name, dist in dists(cls):
            if name in ("entries", "kvm_exits"):
                shift(dist, -1)
            elif name in COST_METRICS:
                shift(dist, -EARLY_EXIT_SAVING)
            elif name == "guest_instructions" and scope == "metrics" and dist["median"] == 2:
                shift(dist, -1)
        entries = cls["metrics"]["entries"]
        cls["design"] = {
            "verdict": "early-exit",
            "evidence": f"guest entries per step: mode {entries['mode']} "
                        f"({entries['mode_count']} of {entries['n']} steps)",
        }
        per_class[cls["class"]] = "early-exit"
    doc["design"]["verdict"] = "early-exit"


def relabel_medians(doc):
    """emulated_minus_untrapped from the changed medians."""
    emu = doc.get("emulated_minus_untrapped")
    if not emu:
        return
    by_name = {c["class"]: c for c in doc["classes"]}
    base = by_name.get(emu["against"])
    for name, row in emu["classes"].items():
        for metric in row:
            row[metric] = (by_name[name]["metrics"][metric]["median"] -
                           base["metrics"][metric]["median"])


def set_seed(doc, seed):
    for prog in doc["programs"]:
        if "seed" in prog:
            prog["seed"] = seed
    cmd = doc["context"].get("command_line", [])
    for i, arg in enumerate(cmd[:-1]):
        if arg == "--seed":
            cmd[i + 1] = str(seed)


def make_run(example, kernel, k, night):
    release, version, offset, early, _ = kernel
    doc = copy.deepcopy(example)
    ctx = doc["context"]
    when = FIRST_NIGHT + datetime.timedelta(days=night - 1, minutes=25 * k)
    ctx["kernel_release"] = release
    ctx["kernel_version"] = version
    ctx["date"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    ctx["steplab_git"] = hashlib.sha1(f"nightly {night}".encode()).hexdigest()[:12]
    set_seed(doc, SEEDS[(night - 1) % len(SEEDS)])
    rng = random.Random(f"{release}/{night}")
    for cls in doc["classes"]:
        for _, name, dist in dists(cls):
            if name in COST_METRICS:
                shift(dist, offset)
            if len(dist["histogram"]["pairs"]) > 2:
                reorder_tail(dist, rng)
    if early:
        make_early_exit(doc)
    if release == REGRESSION["kernel"] and night >= REGRESSION["night"]:
        cls = next(c for c in doc["classes"] if c["class"] == REGRESSION["class"])
        for metric in COST_METRICS:
            shift(cls["metrics"][metric], REGRESSION["shift"])
    relabel_medians(doc)
    name = f"{ctx['board']}-{release}-{when:%Y%m%d}.json"
    return name, doc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--example", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "results", "examples",
        "qemu-virt-debian-6.1.json"))
    ap.add_argument("--nights", type=int, default=5)
    ap.add_argument("outdir")
    args = ap.parse_args()
    if args.nights < REGRESSION["night"]:
        ap.error(f"--nights must be at least {REGRESSION['night']}")

    with open(args.example) as f:
        example = json.load(f)
    check_summaries(example)
    os.makedirs(args.outdir, exist_ok=True)
    written = 0
    for k, kernel in enumerate(KERNELS):
        first = kernel[4] or max(1, args.nights - 2)
        for night in range(first, args.nights + 1):
            name, doc = make_run(example, kernel, k, night)
            with open(os.path.join(args.outdir, name), "w") as f:
                json.dump(doc, f, indent=1, sort_keys=True)
                f.write("\n")
            written += 1
    print(f"make-history: {written} reports in {args.outdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
