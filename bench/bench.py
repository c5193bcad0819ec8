#!/usr/bin/env python3
"""bench.py — the measurements behind bench/run.sh (which builds, installs squawk and calls it).

Every case runs each tool as ONE process over its whole input, the two commands interleaved
A B A B for ROUNDS rounds; it prints per command the median wall time, the median CPU time (user +
system, from the child's rusage) and the peak RSS (max over rounds), and the median of the
per-round ratios B/A (wall) — above 1 means A is faster. Figures, not a test: nothing is
asserted, and the machine may be shared, so compare the columns of one run."""
import json
import os
import shutil
import statistics
import subprocess
import sys

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "300"))


RUNONE = None  # bench/runone.c, built by run.sh


def measure(cmd):
    """(wall s, cpu s, peak RSS KiB, exit status) of one run, or None when it was stopped."""
    out = subprocess.run([RUNONE, str(TIMEOUT)] + cmd, stdout=subprocess.PIPE, check=True,
                         text=True).stdout.split()
    wall, cpu, rss, code = float(out[0]), float(out[1]), int(out[2]), int(out[3])
    return None if code == -1 else (wall, cpu, rss, code)


def pair(title, a_name, a_cmd, b_name, b_cmd, rounds=ROUNDS, mb=None):
    """Runs A and B interleaved and prints one block. Returns, per command that finished, its
    median wall and CPU seconds and peak RSS (MiB), and under "ratio" the median of B/A."""
    res = {a_name: [], b_name: []}
    ratios = []
    timed_out = set()
    for _ in range(rounds):
        ra = rb = None
        if a_name not in timed_out:
            ra = measure(a_cmd)
            if ra is None:
                timed_out.add(a_name)
            else:
                res[a_name].append(ra)
        if b_name not in timed_out:
            rb = measure(b_cmd)
            if rb is None:
                timed_out.add(b_name)
            else:
                res[b_name].append(rb)
        if ra and rb:
            ratios.append(rb[0] / ra[0] if ra[0] else float("nan"))
        if len(timed_out) == 2:
            break
    print(f"{title}")
    medians = {}
    for name in (a_name, b_name):
        runs = res[name]
        if not runs:
            print(f"  {name:<28} over {TIMEOUT:.0f} s (stopped)")
            continue
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        rss = max(r[2] for r in runs) / 1024
        medians[name] = {"wall": wall, "cpu": cpu, "rss": rss}
        rate = f"  {mb / wall:7.1f} MB/s" if mb else ""
        codes = sorted({r[3] for r in runs})
        print(f"  {name:<28} wall {wall:8.3f} s  cpu {cpu:8.3f} s  peak {rss:7.1f} MiB"
              f"{rate}  (exit {','.join(map(str, codes))}, {len(runs)} runs)")
    if ratios:
        medians["ratio"] = statistics.median(ratios)
        print(f"  {b_name} / {a_name}: {statistics.median(ratios):.2f}x wall "
              f"(per-round ratios {min(ratios):.2f}-{max(ratios):.2f})")
    elif timed_out:
        print(f"  ratio: n/a ({', '.join(sorted(timed_out))} over {TIMEOUT:.0f} s)")
    print(flush=True)
    return medians


def sql_files(corpus):
    out = []
    for root, dirs, names in os.walk(corpus):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        out += [os.path.join(root, n) for n in names if n.lower().endswith(".sql")]
    return sorted(out)


def build_block(files, size):
    """About `size` bytes of corpus files, whole, each ended by a statement separator."""
    parts, written = [], 0
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read() + b"\n;\n"
        parts.append(data)
        written += len(data)
        if written >= size:
            break
    return b"".join(parts)


def build_big(block, size, path):
    """One file of `size` MB: the same block again and again, so every MB holds the same SQL
    and time per MB can only change with the file's length."""
    with open(path, "wb") as out:
        for _ in range(size):
            out.write(block)


def main():
    global RUNONE
    ddlguard, squawk, floor, RUNONE, corpus, tmp = sys.argv[1:7]
    files = sql_files(corpus)
    mb = sum(os.path.getsize(f) for f in files) / 1e6
    jobs = os.cpu_count()
    dg = [ddlguard, "--no-config", "--fail-on", "never"]
    print(f"corpus: {len(files)} .sql files, {mb:.1f} MB; {ROUNDS} rounds; "
          f"{len(os.sched_getaffinity(0))} cores\n")

    got = {}
    got["json"] = pair("corpus, JSON (ddlguard --format json, default --jobs; squawk --reporter "
                       "json)",
                       "ddlguard json", dg + ["--format", "json"] + files,
                       "squawk json", [squawk, "--reporter", "json"] + files, mb=mb)
    got["json1"] = pair("corpus, JSON on one thread (ddlguard --jobs 1; squawk as it runs)",
                        "ddlguard --jobs 1", dg + ["--jobs", "1", "--format", "json"] + files,
                        "squawk json", [squawk, "--reporter", "json"] + files, mb=mb)
    pair("corpus, text (ddlguard text; squawk --reporter tty)",
         "ddlguard text", dg + files,
         "squawk tty", [squawk, "--reporter", "tty"] + files, mb=mb)
    pair("corpus, gcc (both --format/--reporter gcc)",
         "ddlguard gcc", dg + ["--format", "gcc"] + files,
         "squawk gcc", [squawk, "--reporter", "gcc"] + files, mb=mb)
    pair("corpus, JSON: default --jobs vs --jobs 1",
         f"ddlguard --jobs default", dg + ["--format", "json"] + files,
         "ddlguard --jobs 1", dg + ["--jobs", "1", "--format", "json"] + files, mb=mb)

    # one file of 1, 4, 16, 50 MB: time per MB should stay flat. Built from the files that parse
    # on their own: one unterminated quote would turn the rest of the file into one syntax error
    report = json.loads(subprocess.run(dg + ["--format", "json"] + files, check=False,
                                       stdout=subprocess.PIPE).stdout)
    broken = {f["path"] for f in report["findings"]
              if f["rule"] in ("syntax-error", "unparsable-template")}
    clean = [f for f in files if f not in broken]
    block = build_block(clean, 1000000)
    print(f"single-file curve: N times the same {len(block) / 1e6:.2f} MB of corpus files that "
          f"parse on their own\n")
    curve_rounds = int(os.environ.get("BENCH_CURVE_ROUNDS", "3"))
    curve = {}
    for size_mb in (1, 4, 16, 50):
        d = os.path.join(tmp, f"big{size_mb}")
        os.makedirs(d, exist_ok=True)
        big = os.path.join(d, "big.sql")
        build_big(block, size_mb, big)
        real = os.path.getsize(big) / 1e6
        curve[real] = pair(f"one file of {real:.1f} MB, JSON",
                           "ddlguard", dg + ["--max-file-size", "64M", "--format", "json", big],
                           "squawk", [squawk, "--reporter", "json", big],
                           rounds=curve_rounds, mb=real)
        os.remove(big)

    # pre-commit: one small file; one file at the end of a 700-migration directory
    small = os.path.join(tmp, "small", "20240101000000_add_index.sql")
    os.makedirs(os.path.dirname(small), exist_ok=True)
    with open(small, "w") as fh:
        while fh.tell() < 1000:
            fh.write("ALTER TABLE accounts ADD COLUMN note text;\n"
                     "CREATE INDEX CONCURRENTLY accounts_note ON accounts (note);\n")
    got["small"] = pair("pre-commit: one 1 KB file",
                        "ddlguard", dg + [small], "squawk", [squawk, small],
                        rounds=max(ROUNDS, 20))
    many = os.path.join(tmp, "many")
    os.makedirs(many, exist_ok=True)
    source = [f for f in files if os.path.getsize(f) < 64 * 1024][:700]
    for k, f in enumerate(source):
        shutil.copyfile(f, os.path.join(many, f"{k + 1:05d}_m.sql"))
    last = os.path.join(many, f"{len(source):05d}_m.sql")
    got["many"] = pair(f"pre-commit: the last file of a {len(source)}-migration directory",
                       "ddlguard", dg + [last], "squawk", [squawk, last],
                       rounds=max(ROUNDS, 20))

    # format detection: one directory of N migrations, N = 500 and 2000: time per file stays
    # flat when nothing a file asks about its siblings rescans the directory
    per_file = {}
    for n in (500, 2000):
        d = os.path.join(tmp, f"dir{n}")
        os.makedirs(d, exist_ok=True)
        names = []
        for k in range(1, n + 1):
            names.append(os.path.join(d, f"{k:06d}_step.up.sql"))
            with open(names[-1], "w") as fh:
                fh.write(f"ALTER TABLE accounts ADD COLUMN c{k} integer;\n")
        # squawk reads no directory: it gets the files
        m = pair(f"format detection: a directory of {n} migrations",
                 "ddlguard", dg + ["--format", "json", d], "squawk",
                 [squawk, "--reporter", "json"] + names, rounds=max(ROUNDS, 3))
        per_file[n] = {k: v["wall"] / n * 1000 for k, v in m.items() if k != "ratio"}
        shutil.rmtree(d)
    for name in ("ddlguard", "squawk"):
        if name in per_file[500] and name in per_file[2000]:
            print(f"  {name}: {per_file[500][name]:.3f} ms per file at 500, "
                  f"{per_file[2000][name]:.3f} at 2000")
    print(flush=True)

    lst = os.path.join(tmp, "files.txt")
    with open(lst, "w") as fh:
        fh.write("\n".join(files) + "\n")
    sys.stdout.flush()
    floor_out = subprocess.run([floor, lst, str(min(ROUNDS, 3))], check=False,
                               stdout=subprocess.PIPE, text=True).stdout
    print(floor_out, end="", flush=True)
    floor_s = {}
    for line in floor_out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[2] == "s":
            try:
                floor_s[parts[0]] = float(parts[1])
            except ValueError:
                pass
    targets(got, curve, per_file, floor_s)


def curve_rounds_note():
    n = int(os.environ.get("BENCH_CURVE_ROUNDS", "3"))
    return f"{n} round{'s' if n != 1 else ''} per size"


def targets(got, curve, per_file, floor_s):
    """The issue's targets against this run's figures: met, or by how much short."""
    def line(what, value, goal, met, unit=""):
        verdict = "met" if met else "SHORT"
        print(f"  {what:<52} {value:>9}{unit}  target {goal:<10} {verdict}")

    print("\ntargets (this run)")
    r = got["json"].get("ratio")
    if r:
        line("corpus JSON, default --jobs: times squawk's speed", f"{r:.2f}", ">= 3.00",
             r >= 3, "x")
        dg, one, sq = (got["json"].get("ddlguard json"), got["json1"].get("ddlguard --jobs 1"),
                       got["json"].get("squawk json"))
        if dg and one and sq and dg["wall"] and sq["wall"]:
            print(f"    (on {len(os.sched_getaffinity(0))} cores: ddlguard's default --jobs runs "
                  f"{one['wall'] / dg['wall']:.2f}x its one thread; squawk's CPU is "
                  f"{sq['cpu'] / sq['wall']:.2f}x its wall)")
    r = got["json1"].get("ratio")
    if r:
        line("corpus JSON, --jobs 1: times squawk's speed", f"{r:.2f}", ">= 1.50", r >= 1.5,
             "x")
    dg, sq = got["json"].get("ddlguard json"), got["json"].get("squawk json")
    if dg and sq:
        share = dg["rss"] / sq["rss"]
        line("corpus peak memory: share of squawk's", f"{share:.2f}", "<= 0.50", share <= 0.5)
    rates = {size: c["ddlguard"]["wall"] / size for size, c in curve.items() if "ddlguard" in c}
    if len(rates) > 1:
        spread = max(rates.values()) / min(rates.values())
        line("one file: slowest s/MB over fastest, 1 to 50 MB", f"{spread:.2f}", "flat (~1)",
             spread <= 1.25, "x")
        mem = {size: c["ddlguard"]["rss"] / size for size, c in curve.items() if "ddlguard" in c}
        print("    (peak MiB per MB: " +
              ", ".join(f"{m:.0f} at {size:.0f} MB" for size, m in sorted(mem.items())) +
              f"; {curve_rounds_note()})")
        big = max(curve)
        c = curve[big]
        if "ratio" in c:
            line(f"one file of {big:.0f} MB: times squawk's speed", f"{c['ratio']:.2f}",
                 ">= 1.00", c["ratio"] >= 1, "x")
        if "ddlguard" in c:
            times = c["ddlguard"]["rss"] * 1.048576 / big
            line(f"one file of {big:.0f} MB: peak memory over file size", f"{times:.1f}",
                 "<= 30", times <= 30, "x")
    if "ddlguard" in got["small"]:
        ms = got["small"]["ddlguard"]["wall"] * 1000
        line("pre-commit, one 1 KB file", f"{ms:.1f}", "<= 3 ms", ms <= 3, " ms")
    if "ddlguard" in got["many"]:
        ms = got["many"]["ddlguard"]["wall"] * 1000
        line("pre-commit, last of a 700-migration directory", f"{ms:.1f}", "<= 50 ms",
             ms <= 50, " ms")
    if "ddlguard" in per_file.get(500, {}) and "ddlguard" in per_file.get(2000, {}):
        g = per_file[2000]["ddlguard"] / per_file[500]["ddlguard"]
        line("format detection: time per file, 2000 files over 500", f"{g:.2f}", "flat (~1)",
             g <= 1.25, "x")
    one = got["json1"].get("ddlguard --jobs 1")
    if one and "unpack" in floor_s and floor_s["unpack"] > 0:
        f = one["cpu"] / floor_s["unpack"]
        line("--jobs 1 CPU over the protobuf + arena floor", f"{f:.2f}", "<= 2.00", f <= 2,
             "x")


if __name__ == "__main__":
    main()
