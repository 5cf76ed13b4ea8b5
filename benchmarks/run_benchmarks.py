"""Run the DESIGN.md section 6 benchmarks side by side and print a Markdown table.

Rows (medians of repeated runs):
  (a) one deterministic England-shaped draw: bench_step BM_OneDraw/4, one core;
  (b) 10,000 deterministic draws of scenarios/england_2025/baseline.yaml with the
      results file, 1 and 2 threads: wall time, peak memory (/usr/bin/time -v),
      file size, draws/s;
  (c) the NumPy reference (reference_numpy.py --bench) at batches 10, 50, 200 and
      1,000 on the same scenario, its best, and engine / reference ratios;
  (d) stochastic Central Bedfordshire draws (--set stochastic=true), 2 threads;
  (e) bench_ensemble BM_EnsembleCompute on 1 and 2 threads and the 2/1 scaling.

Usage:
    python benchmarks/run_benchmarks.py [--build build-rel] [--quick] [--out FILE.md]

Build first (every target, so the CLI and the benchmarks see the same headers):
    cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build-rel

Standard library and NumPy only. The numbers are wall-clock times on a shared
machine: run it on an idle machine for figures worth quoting.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ENGLAND = ROOT / "scenarios" / "england_2025" / "baseline.yaml"
BEDS = ROOT / "scenarios" / "central_bedfordshire_2009" / "projection.yaml"
REFERENCE = ROOT / "benchmarks" / "reference_numpy.py"
GNU_TIME = Path("/usr/bin/time")
BATCHES = (10, 50, 200, 1000)

# DESIGN.md section 6.
TARGET_ONE_DRAW_MS = 5.0
AIM_ONE_DRAW_MS = 2.0
TARGET_SWEEP_WALL_S = 30.0
TARGET_SWEEP_RSS_MB = 1024.0
TARGET_VS_REFERENCE = 5.0
TARGET_SCALING = 1.8


class BenchError(Exception):
    pass


def log(msg):
    print(f"[run_benchmarks] {msg}", file=sys.stderr, flush=True)


def median(values):
    return float(np.median(np.asarray(values, dtype=float)))


# ---------------------------------------------------------------------------
# Machine description
# ---------------------------------------------------------------------------


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def cmake_cache(build):
    values = {}
    try:
        text = (build / "CMakeCache.txt").read_text()
    except OSError:
        return values
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z_0-9]+):[A-Z]+=(.*)$", line)
        if m:
            values[m.group(1)] = m.group(2)
    return values


def compiler_description(build):
    cache = cmake_cache(build)
    cxx = cache.get("CMAKE_CXX_COMPILER", "")
    if not cxx:
        return "unknown (no CMakeCache.txt)"
    version = ""
    try:
        out = subprocess.run(
            [cxx, "--version"], capture_output=True, text=True, check=False
        )
        version = out.stdout.splitlines()[0] if out.stdout else ""
    except OSError:
        pass
    build_type = cache.get("CMAKE_BUILD_TYPE", "")
    flags = " ".join(
        f
        for f in (
            cache.get("CMAKE_CXX_FLAGS", ""),
            cache.get(f"CMAKE_CXX_FLAGS_{build_type.upper()}", "")
            if build_type
            else "",
        )
        if f.strip()
    )
    # staffsim_options adds -ffp-contract=off -fno-fast-math to every target.
    return (
        f"{cxx} ({version or 'version unknown'}), CMAKE_BUILD_TYPE={build_type or 'unset'}, "
        f"flags `{flags} -ffp-contract=off -fno-fast-math`"
    )


def machine_header(build):
    load = os.getloadavg()
    return [
        f"- date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {os.cpu_count()} CPUs (nproc {nproc()}), {cpu_model()}",
        f"- compiler: {compiler_description(build)}",
        f"- build: `{build}`",
        (
            f"- load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
            f"two spinning processes run {cpu_check():.2f}x one (2x: two free cores)"
        ),
        f"- command: `{' '.join(shlex.quote(a) for a in [sys.executable, *sys.argv])}`",
    ]


def _spin(n):
    t0 = time.perf_counter()
    s = 0
    for i in range(n):
        s += i
    return time.perf_counter() - t0


def cpu_check(n=5_000_000):
    """Two CPU-bound processes against one: about 2x when two cores are free."""
    import multiprocessing

    one = _spin(n)
    with multiprocessing.Pool(2) as pool:
        t0 = time.perf_counter()
        pool.map(_spin, [n, n])
        two = time.perf_counter() - t0
    return 2.0 * one / two


def nproc():
    exe = shutil.which("nproc")
    if exe:
        out = subprocess.run([exe], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            return out.stdout.strip()
    return str(len(os.sched_getaffinity(0)))


# ---------------------------------------------------------------------------
# Running things
# ---------------------------------------------------------------------------


def google_benchmark(exe, flt, repetitions):
    """Runs a Google Benchmark binary; returns {run_name: [iteration entries]}."""
    cmd = [
        str(exe),
        f"--benchmark_filter={flt}",
        f"--benchmark_repetitions={repetitions}",
        "--benchmark_format=json",
    ]
    log(" ".join(cmd))
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise BenchError(
            f"{exe.name} exited with {out.returncode}: {out.stderr.strip()[-500:]}"
        )
    runs = {}
    for b in json.loads(out.stdout)["benchmarks"]:
        if b.get("run_type", "iteration") == "iteration":
            runs.setdefault(b["run_name"], []).append(b)
    if not runs:
        raise BenchError(f"{exe.name}: no benchmark matched {flt!r}")
    return runs


def to_ms(entry, key="real_time"):
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[entry.get("time_unit", "ns")]
    return entry[key] * scale


def timed_run(cmd, output):
    """Runs cmd once: (wall s, peak RSS MB or None, file bytes or None, rss_source)."""
    tmp_time = None
    full = list(cmd)
    if GNU_TIME.exists():
        fd, tmp_time = tempfile.mkstemp(prefix="time-", suffix=".txt")
        os.close(fd)
        full = [str(GNU_TIME), "-v", "-o", tmp_time, *full]
    t0 = time.perf_counter()
    out = subprocess.run(full, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    rss_mb = None
    source = "time -v"
    try:
        if tmp_time:
            m = re.search(
                r"Maximum resident set size \(kbytes\):\s*(\d+)",
                Path(tmp_time).read_text(),
            )
            if m:
                rss_mb = int(m.group(1)) / 1024.0
        else:
            # ru_maxrss of the largest child so far (kB on Linux): an upper bound.
            rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
            source = "getrusage (max over children)"
    finally:
        if tmp_time:
            os.unlink(tmp_time)
    if out.returncode != 0:
        msg = (
            out.stderr.strip() or out.stdout.strip() or f"exit status {out.returncode}"
        )
        raise BenchError(msg.splitlines()[0] if msg else msg)
    size = output.stat().st_size if output.exists() else None
    if output.exists():
        output.unlink()
    return wall, rss_mb, size, source


def sweep(exe, scenario, draws, threads, repeats, tmpdir, extra=()):
    output = Path(tmpdir) / f"sweep_{threads}.h5"
    cmd = [
        str(exe),
        "run",
        str(scenario),
        "-o",
        str(output),
        "--draws",
        str(draws),
        "--seed",
        "1",
        "--threads",
        str(threads),
        "--quiet",
        *extra,
    ]
    log(" ".join(shlex.quote(c) for c in cmd) + f"  (x{repeats})")
    walls, rss, sizes, source = [], [], [], ""
    for _ in range(repeats):
        wall, r, size, source = timed_run(cmd, output)
        walls.append(wall)
        if r is not None:
            rss.append(r)
        if size is not None:
            sizes.append(size)
    wall = median(walls)
    return {
        "draws": draws,
        "threads": threads,
        "wall_s": wall,
        "walls": walls,
        "draws_per_s": draws / wall,
        "rss_mb": median(rss) if rss else None,
        "rss_source": source,
        "file_mb": median(sizes) / 2**20 if sizes else None,
    }


def reference(scenario, batches, repeats):
    cmd = [
        sys.executable,
        str(REFERENCE),
        str(scenario),
        "--bench",
        "--batches",
        ",".join(str(b) for b in batches),
        "--repeats",
        str(repeats),
    ]
    log(" ".join(shlex.quote(c) for c in cmd))
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise BenchError(f"reference_numpy.py: {out.stderr.strip()[-500:]}")
    rates = {}
    for m in re.finditer(
        r"draws\s+(\d+): median\s+([\d.]+) s over \d+ runs,\s+([\d.]+) draws/s",
        out.stdout,
    ):
        rates[int(m.group(1))] = (float(m.group(2)), float(m.group(3)))
    if not rates:
        raise BenchError(f"reference_numpy.py: no timings in its output:\n{out.stdout}")
    return rates


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


def fmt(x, spec=".1f", unit=""):
    return "–" if x is None else f"{x:{spec}}{unit}"


def verdict(ok):
    if ok is None:
        return ""
    return "met" if ok else "**not met**"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--build", default="build-rel", help="build folder (default build-rel)"
    )
    ap.add_argument(
        "--quick", action="store_true", help="a fast smoke run: fewer draws and repeats"
    )
    ap.add_argument("--out", help="also write the Markdown report to this file")
    args = ap.parse_args(argv)

    build = Path(args.build)
    if not build.is_absolute():
        build = (Path.cwd() / build) if (Path.cwd() / build).exists() else ROOT / build
    staffsim = build / "staffsim"
    bench_step = build / "benchmarks" / "bench_step"
    bench_ensemble = build / "benchmarks" / "bench_ensemble"
    missing = [p for p in (staffsim, bench_step, bench_ensemble) if not p.exists()]
    if missing:
        ap.error(
            "not built: "
            + ", ".join(str(p) for p in missing)
            + f"\n  build with: cmake -S {ROOT} -B {build} -G Ninja -DCMAKE_BUILD_TYPE=Release"
            + f" && ninja -C {build}"
        )

    quick = args.quick
    sweep_draws = 500 if quick else 10_000
    beds_draws = 200 if quick else 2000
    repeats = 1 if quick else 3
    gb_reps = 2 if quick else 5
    ref_repeats = 1 if quick else 3
    ens_reps = 1 if quick else 3

    header = machine_header(build)
    print("\n".join(header) + "\n", flush=True)

    rows = []
    notes = []

    def add(
        key, what, threads="", when="", rate="", mem="", size="", target="", ok=None
    ):
        rows.append(
            (key, what, str(threads), when, rate, mem, size, target, verdict(ok))
        )

    # (a) one deterministic draw, one core
    try:
        runs = google_benchmark(bench_step, "^BM_OneDraw/4$", gb_reps)
        ms = median([to_ms(e) for e in runs["BM_OneDraw/4"]])
        add(
            "a",
            "one deterministic England-shaped draw (bench_step `BM_OneDraw/4`)",
            1,
            fmt(ms, ".2f", " ms"),
            fmt(1000.0 / ms, ".0f"),
            target=f"≤ {TARGET_ONE_DRAW_MS:g} ms (aim ≤ {AIM_ONE_DRAW_MS:g})",
            ok=ms <= TARGET_ONE_DRAW_MS,
        )
    except (BenchError, KeyError) as e:
        add("a", "bench_step `BM_OneDraw/4`", 1, f"not available: {e}")

    sweeps = {}
    with tempfile.TemporaryDirectory(prefix="staffsim-bench-") as tmpdir:
        # (b) deterministic England draws with the results file, 1 and 2 threads
        what = f"{sweep_draws:,} draws, England baseline, with results file"
        for threads in (1, 2):
            try:
                s = sweep(staffsim, ENGLAND, sweep_draws, threads, repeats, tmpdir)
            except BenchError as e:
                add("b", what, threads, f"not available: {e}")
                continue
            sweeps[threads] = s
            target, ok = "", None
            if threads == 2:
                wall_target = TARGET_SWEEP_WALL_S * sweep_draws / 10_000
                target = f"≤ {wall_target:g} s, ≤ 1 GB" + (
                    " (pro rata)" if quick else ""
                )
                ok = s["wall_s"] <= wall_target and (
                    s["rss_mb"] is None or s["rss_mb"] <= TARGET_SWEEP_RSS_MB
                )
            add(
                "b",
                what,
                threads,
                fmt(s["wall_s"], ".2f", " s"),
                fmt(s["draws_per_s"], ".0f"),
                fmt(s["rss_mb"], ".0f", " MB"),
                fmt(s["file_mb"], ".1f", " MB"),
                target,
                ok,
            )
            if s["rss_source"] != "time -v":
                notes.append(
                    f"(b) peak memory from {s['rss_source']}: no /usr/bin/time."
                )

        # (d) stochastic Central Bedfordshire, 2 threads
        what = f"{beds_draws:,} stochastic draws, Central Bedfordshire projection"
        try:
            s = sweep(
                staffsim,
                BEDS,
                beds_draws,
                2,
                repeats,
                tmpdir,
                extra=("--set", "stochastic=true"),
            )
            add(
                "d",
                what,
                2,
                fmt(s["wall_s"], ".2f", " s"),
                fmt(s["draws_per_s"], ".0f"),
                fmt(s["rss_mb"], ".0f", " MB"),
                fmt(s["file_mb"], ".1f", " MB"),
            )
        except BenchError as e:
            add("d", what, 2, f"not available: {e}")

    # (e) bench_ensemble: the compute alone, 1 -> 2 threads
    ens = {}
    try:
        runs = google_benchmark(bench_ensemble, "^BM_EnsembleCompute/", ens_reps)
        for name, entries in runs.items():
            m = re.search(r"threads:(\d+)", name)
            if m:
                ens[int(m.group(1))] = (
                    median([to_ms(e) for e in entries]),
                    median([e["draws_per_s"] for e in entries]),
                )
        for threads, (ms, rate) in sorted(ens.items()):
            add(
                "e",
                "bench_ensemble `BM_EnsembleCompute` (256 draws, no file)",
                threads,
                fmt(ms, ".0f", " ms"),
                fmt(rate, ".0f"),
            )
        if 1 in ens and 2 in ens:
            scaling = ens[2][1] / ens[1][1]
            add(
                "e",
                "1 → 2 threads on the compute",
                rate=f"{scaling:.2f}×",
                target=f"≥ {TARGET_SCALING:g}×",
                ok=scaling >= TARGET_SCALING,
            )
    except (BenchError, KeyError) as e:
        add("e", "bench_ensemble `BM_EnsembleCompute`", when=f"not available: {e}")

    # (c) the NumPy reference on the same scenario, and engine / reference
    try:
        ref = reference(ENGLAND, BATCHES, ref_repeats)
    except BenchError as e:
        add("c", "NumPy reference", 1, f"not available: {e}")
        ref = {}
    for batch, (secs, rate) in sorted(ref.items()):
        add(
            "c",
            f"NumPy reference, batch {batch:,}",
            1,
            fmt(secs, ".2f", " s"),
            fmt(rate, ".0f"),
        )
    if ref:
        best_batch = max(ref, key=lambda b: ref[b][1])
        best = ref[best_batch][1]
        add(
            "c",
            f"NumPy reference, best (batch {best_batch:,})",
            1,
            rate=fmt(best, ".0f"),
        )
        engine = [
            ("(b), with file", t, s["draws_per_s"]) for t, s in sorted(sweeps.items())
        ]
        engine += [("(e), compute", t, v[1]) for t, v in sorted(ens.items())]
        for label, threads, rate in engine:
            ratio = rate / best
            add(
                "c",
                f"engine {label} / reference best",
                threads,
                rate=f"{ratio:.1f}×",
                target=f"≥ {TARGET_VS_REFERENCE:g}×",
                ok=ratio >= TARGET_VS_REFERENCE,
            )

    order = {k: i for i, k in enumerate("abcde")}
    rows.sort(key=lambda r: order[r[0]])
    table = [
        "| row | measurement | threads | median time | draws/s | peak memory | file | target | |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    table += ["| " + " | ".join(r) + " |" for r in rows]
    load = os.getloadavg()
    footer = [
        "",
        f"Medians of {repeats} run(s) for (b) and (d), {gb_reps} repetition(s) for (a), "
        f"{ens_reps} for (e), {ref_repeats} per batch for (c)"
        + (
            " (--quick: targets pro rata where they depend on the draw count)."
            if quick
            else "."
        ),
        (
            f"Load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
            f"on {os.cpu_count()} CPUs; two spinning processes run {cpu_check():.2f}x one. "
            "Wall-clock figures are noisy on a busy machine."
        ),
        *notes,
    ]
    print("\n".join(table + footer))
    if args.out:
        Path(args.out).write_text("\n".join(header + [""] + table + footer) + "\n")
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
