"""Regression cases: every shipped scenario against its reference summary.

DESIGN.md 8: tests/regression/<case>/ holds a scenario and the expected
summary; an explicit --update rewrites the references.

    tests/regression/<case>/case.yaml     names the scenario (path relative to
                                          the repository root)
    tests/regression/<case>/expected.csv the reference: the staffsim command's
                                          `summary RESULTS.h5 --format csv
                                          --by sector` of `run SCENARIO -o
                                          RESULTS.h5`

The references come from the command-line tool (not the library), so a case
checks the whole path a user takes: load, run, HDF5 file, summary. Cells are
compared as numbers with |a - b| <= 1e-9 * max(|a|, |b|) + 1e-6 (DESIGN.md 7);
empty cells (the first year's flows, costs a scenario does not price) must be
empty in both.

Every YAML file under scenarios/ must have a case: a new scenario without one
fails the tests (tests/python/test_regression.py) until a case is added. A
file that only exists to be extended may instead be acknowledged with a
case.yaml holding `skip: <reason>` and no expected.csv.

Usage (STAFFSIM_CLI names the command; default build/staffsim):

    python tests/regression/run_regression.py             check every case
    python tests/regression/run_regression.py CASE ...    check these cases
    python tests/regression/run_regression.py --update [CASE ...]
        rewrite the references (all, or these cases) and print what changed;
        an explicit act, to be reviewed like any change of results
    python tests/regression/run_regression.py --add SCENARIO ...
        create a case for each scenario (path relative to the repository)
"""

from __future__ import annotations

import argparse
import atexit
import csv
import functools
import io
import math
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "tests" / "regression"
SCENARIOS_DIR = ROOT / "scenarios"
SUMMARY_ARGS = ("--format", "csv", "--by", "sector")
REL_TOL = 1e-9
ABS_TOL = 1e-6
KEY_COLUMNS = ("year", "group")


def cli() -> Path:
    """The staffsim command under test."""
    return Path(os.environ.get("STAFFSIM_CLI", ROOT / "build" / "staffsim")).absolute()


@dataclass(frozen=True)
class Case:
    """One regression case: a folder naming a scenario."""

    name: str
    folder: Path
    scenario: str  # relative to ROOT, with forward slashes
    skip: str | None = None  # reason, for a scenario that only exists to be extended

    @property
    def expected(self) -> Path:
        return self.folder / "expected.csv"


def shipped_scenarios() -> list[str]:
    """Every YAML file under scenarios/, relative to the repository."""
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in SCENARIOS_DIR.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file()
    )


def case_name(scenario: str) -> str:
    """scenarios/<folder>/<file>.yaml -> <folder>_<file>."""
    path = Path(scenario)
    parts = path.relative_to("scenarios").with_suffix("").parts
    return "_".join(parts)


def read_case(folder: Path) -> Case:
    """Parse case.yaml: `key: value` lines (scenario, skip), # comments."""
    fields: dict[str, str] = {}
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split(" #", 1)[0].strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = stripped.partition(":")
        if not sep or key.strip() not in ("scenario", "skip"):
            raise ValueError(
                f"{folder / 'case.yaml'}:{number}: expected 'scenario: PATH' "
                f"or 'skip: REASON', got {line!r}"
            )
        fields[key.strip()] = value.strip().strip("\"'")
    if "scenario" not in fields:
        raise ValueError(f"{folder / 'case.yaml'}: no 'scenario:' line")
    return Case(folder.name, folder, fields["scenario"], fields.get("skip"))


def cases() -> list[Case]:
    """Every case folder (one holding case.yaml), by name."""
    return [
        read_case(d)
        for d in sorted(CASES_DIR.iterdir())
        if d.is_dir() and (d / "case.yaml").is_file()
    ]


def scenarios_without_case() -> list[str]:
    named = {c.scenario for c in cases()}
    return [s for s in shipped_scenarios() if s not in named]


def cases_without_scenario() -> list[Case]:
    return [c for c in cases() if not (ROOT / c.scenario).is_file()]


_WORK = Path(tempfile.mkdtemp(prefix="staffsim-regression-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)


def _run_cli(*args: str) -> str:
    command = cli()
    if not command.exists():
        raise RuntimeError(f"staffsim command not found at {command}: set STAFFSIM_CLI")
    done = subprocess.run(
        [str(command), *args], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"staffsim {' '.join(args)} exited with {done.returncode}:\n{done.stderr}"
        )
    return done.stdout


@dataclass(frozen=True)
class Run:
    results: Path  # the HDF5 results file
    summary: str  # summary --format csv --by sector


@functools.cache
def run(scenario: str) -> Run:
    """Run a scenario once per process (the tests share the runs)."""
    results = _WORK / (case_name(scenario) + ".h5")
    _run_cli("run", scenario, "--quiet", "-o", str(results))
    return Run(results, _run_cli("summary", str(results), *SUMMARY_ARGS))


# ---- comparison ----------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    where: str  # e.g. "year 2009, group independent, column leavers"
    expected: str
    actual: str
    relative: float  # |a - b| / max(|a|, |b|); inf for a non-numeric difference

    def __str__(self) -> str:
        return f"{self.where}: expected {self.expected or '(empty)'}, got {self.actual or '(empty)'}"


def _table(text: str) -> tuple[list[str], dict[tuple[str, ...], dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    for cells in reader:
        if not cells:
            continue
        row = dict(zip(header, cells, strict=False))
        rows[tuple(row.get(k, "") for k in KEY_COLUMNS)] = row
    return header, rows


def _cell_differs(expected: str, actual: str) -> float | None:
    """None when equal within tolerance, else the relative difference."""
    if expected == actual:
        return None
    try:
        a, b = float(expected), float(actual)
    except ValueError:
        return math.inf
    if math.isnan(a) and math.isnan(b):
        return None
    if math.isnan(a) or math.isnan(b):
        return math.inf
    if abs(a - b) <= REL_TOL * max(abs(a), abs(b)) + ABS_TOL:
        return None
    return abs(a - b) / max(abs(a), abs(b))


def differences(expected_text: str, actual_text: str) -> list[Difference]:
    """Every cell that differs, in the reference's order (rows, then columns)."""
    exp_header, exp_rows = _table(expected_text)
    act_header, act_rows = _table(actual_text)
    out: list[Difference] = []
    for column in exp_header:
        if column not in act_header:
            out.append(Difference(f"column {column}", "present", "missing", math.inf))
    for column in act_header:
        if column not in exp_header:
            out.append(Difference(f"column {column}", "absent", "new", math.inf))
    for key, exp_row in exp_rows.items():
        where = ", ".join(f"{k} {v}" for k, v in zip(KEY_COLUMNS, key, strict=True))
        act_row = act_rows.get(key)
        if act_row is None:
            out.append(Difference(where, "a row", "no row", math.inf))
            continue
        for column in exp_header:
            if column in KEY_COLUMNS or column not in act_row:
                continue
            rel = _cell_differs(exp_row.get(column, ""), act_row[column])
            if rel is not None:
                out.append(
                    Difference(
                        f"{where}, column {column}",
                        exp_row.get(column, ""),
                        act_row[column],
                        rel,
                    )
                )
    for key in act_rows:
        if key not in exp_rows:
            where = ", ".join(f"{k} {v}" for k, v in zip(KEY_COLUMNS, key, strict=True))
            out.append(Difference(where, "no row", "a row", math.inf))
    return out


def check(case: Case) -> str | None:
    """None when the case matches its reference; else what differs, first cell first."""
    if not case.expected.is_file():
        return (
            f"case {case.name} has no expected.csv; "
            f"run python tests/regression/run_regression.py --update {case.name}"
        )
    diffs = differences(
        case.expected.read_text(encoding="utf-8"), run(case.scenario).summary
    )
    if not diffs:
        return None
    return (
        f"{case.name} ({case.scenario}): {len(diffs)} cell(s) differ from "
        f"{case.expected.relative_to(ROOT)}; first: {diffs[0]}"
    )


# ---- updating and adding -------------------------------------------------


def describe_change(old: str | None, new: str) -> str:
    if old is None:
        rows = max(0, len(new.strip().splitlines()) - 1)
        return f"new reference ({rows} rows)"
    diffs = differences(old, new)
    if not diffs:
        return "unchanged" if old == new else "unchanged within tolerance (rewritten)"
    lines = [f"{len(diffs)} cell(s) changed"]
    lines += [f"    {d.where}: {d.expected} -> {d.actual}" for d in diffs[:10]]
    if len(diffs) > 10:
        lines.append(f"    ... and {len(diffs) - 10} more")
    finite = [d for d in diffs if math.isfinite(d.relative)]
    if finite:
        worst = max(finite, key=lambda d: d.relative)
        lines.append(
            f"    largest relative change {worst.relative:.3g} at {worst.where}"
        )
    return "\n".join(lines)


def update(case: Case) -> str:
    """Rewrite the case's reference from a run; describe the change."""
    if case.skip is not None:
        return f"{case.name}: skipped ({case.skip})"
    new = run(case.scenario).summary
    old = case.expected.read_text(encoding="utf-8") if case.expected.is_file() else None
    case.expected.write_text(new, encoding="utf-8")
    return f"{case.name}: {describe_change(old, new)}"


def add(scenario: str) -> str:
    """Create tests/regression/<case>/ for a scenario and its reference."""
    path = Path(scenario)
    if path.is_absolute():
        path = path.resolve().relative_to(ROOT)
    rel = path.as_posix()
    if not (ROOT / rel).is_file():
        raise ValueError(f"no scenario file {rel}")
    if not rel.startswith("scenarios/"):
        raise ValueError(f"{rel} is not under scenarios/")
    existing = [c for c in cases() if c.scenario == rel]
    if existing:
        raise ValueError(f"{rel} already has case {existing[0].name}; use --update")
    folder = CASES_DIR / case_name(rel)
    if folder.exists():
        raise ValueError(f"{folder.relative_to(ROOT)} exists")
    summary = run(rel).summary  # run first: a scenario that fails adds nothing
    folder.mkdir()
    (folder / "case.yaml").write_text(
        "# Regression case (tests/regression/run_regression.py): the scenario\n"
        "# whose `staffsim summary --format csv --by sector` is expected.csv.\n"
        f"scenario: {rel}\n",
        encoding="utf-8",
    )
    (folder / "expected.csv").write_text(summary, encoding="utf-8")
    return f"{folder.name}: added for {rel}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check (default), --update or --add regression cases."
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--update",
        action="store_true",
        help="rewrite the references and print what changed",
    )
    mode.add_argument(
        "--add", nargs="+", metavar="SCENARIO", help="create a case for each scenario"
    )
    parser.add_argument("cases", nargs="*", help="case names (default: every case)")
    args = parser.parse_args(argv)

    if args.add:
        status = 0
        for scenario in args.add:
            try:
                print(add(scenario))
            except (ValueError, RuntimeError) as err:
                print(f"{scenario}: not added: {err}", file=sys.stderr)
                status = 1
        return status

    chosen = cases()
    if args.cases:
        by_name = {c.name: c for c in chosen}
        unknown = [n for n in args.cases if n not in by_name]
        if unknown:
            parser.error(
                f"no such case: {', '.join(unknown)} (cases: {', '.join(by_name)})"
            )
        chosen = [by_name[n] for n in args.cases]

    failed = 0
    for case in chosen:
        try:
            if args.update:
                print(update(case))
                continue
            if case.skip is not None:
                print(f"{case.name}: skipped ({case.skip})")
                continue
            problem = check(case)
        except RuntimeError as err:
            problem = f"{case.name}: {err}"
        if problem is None:
            print(f"{case.name}: ok")
        else:
            print(f"{case.name}: FAILED: {problem}")
            failed += 1
    if args.cases:
        return 1 if failed else 0
    # A scenario without a case, or a case without its scenario, fails a
    # check; --update reports them without failing.
    for scenario in scenarios_without_case():
        print(
            f"{scenario}: no regression case; run python tests/regression/"
            f"run_regression.py --add {scenario}"
        )
        failed += not args.update
    for case in cases_without_scenario():
        print(f"{case.name}: names {case.scenario}, which does not exist")
        failed += not args.update
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
