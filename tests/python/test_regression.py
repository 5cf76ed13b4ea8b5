"""Regression cases (DESIGN.md 8): every shipped scenario's summary equals its reference.

The cases live in tests/regression/<case>/ (case.yaml names the scenario,
expected.csv is the reference); tests/regression/run_regression.py runs the
staffsim command (STAFFSIM_CLI, default build/staffsim) and compares, and its
--update and --add rewrite and create references.
"""

import importlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "regression"))
rr = importlib.import_module("run_regression")

CASES = rr.cases()


def test_every_shipped_scenario_has_a_case() -> None:
    missing = rr.scenarios_without_case()
    assert not missing, "\n".join(
        f"scenario {s} has no regression case; run "
        f"python tests/regression/run_regression.py --add {s}"
        for s in missing
    )


def test_every_case_names_a_shipped_scenario() -> None:
    stale = rr.cases_without_scenario()
    assert not stale, "\n".join(
        f"case {c.name} names {c.scenario}, which does not exist" for c in stale
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_summary_matches_reference(case) -> None:
    if case.skip is not None:
        pytest.skip(case.skip)
    if not rr.cli().exists():
        pytest.fail(f"staffsim command not found at {rr.cli()}: set STAFFSIM_CLI")
    problem = rr.check(case)
    assert problem is None, (
        f"{problem}\nIf the change is intended, review it and run "
        f"python tests/regression/run_regression.py --update {case.name}"
    )


# The comparison itself, on hand-made tables.
REFERENCE = (
    "year,group,headcount,leavers\n"
    "2008,local_authority,545.5,\n"
    "2009,local_authority,523.0,107.5\n"
)


def test_equal_within_tolerance() -> None:
    # 1e-9 relative plus 1e-6 absolute: 523.0 may move by 5.24e-7 + 1e-6.
    near = REFERENCE.replace("523.0,", "523.0000015,")
    assert rr.differences(REFERENCE, near) == []


def test_first_difference_names_year_group_and_column() -> None:
    far = REFERENCE.replace("107.5", "107.6")
    diffs = rr.differences(REFERENCE, far)
    assert len(diffs) == 1
    assert str(diffs[0]) == (
        "year 2009, group local_authority, column leavers: expected 107.5, got 107.6"
    )


def test_empty_cells_must_stay_empty() -> None:
    filled = REFERENCE.replace("545.5,\n", "545.5,0\n")
    diffs = rr.differences(REFERENCE, filled)
    assert [d.where for d in diffs] == [
        "year 2008, group local_authority, column leavers"
    ]


def test_missing_rows_and_columns_are_differences() -> None:
    fewer = "year,group,headcount\n2008,local_authority,545.5\n"
    wheres = [d.where for d in rr.differences(REFERENCE, fewer)]
    assert wheres == ["column leavers", "year 2009, group local_authority"]
