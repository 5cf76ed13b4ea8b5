"""staffsim.goal (docs/goal-seeking.md): the same answer as `staffsim goal`,
a known answer from a closed form, an answer checked by independent runs, a
target no value meets, and bad requests as ValueError naming the problem."""

import dataclasses
import json
import math
import os
import subprocess
from pathlib import Path

import pytest
import staffsim

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("STAFFSIM_CLI", ROOT / "build" / "staffsim"))
STOKE = ROOT / "scenarios" / "stoke_on_trent_2011"
RETENTION = STOKE / "retention_2025.yaml"
TARGET = "vacancy_rate[2025] <= 0.02"


def close(a: float, b: float) -> bool:
    """DESIGN.md 7: |a - b| <= 1e-9 max(|a|, |b|) + 1e-6 (tighter here)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def cli_goal(*args: str) -> dict:
    if not CLI.exists():
        pytest.fail(f"staffsim command not found at {CLI}: set STAFFSIM_CLI")
    done = subprocess.run(
        [str(CLI), "goal", *args, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def vacancy_rate(scenario: staffsim.Scenario, year: int) -> float:
    """The summary's vacancy rate: vacancies over posts, headcount-equivalent."""
    ds = staffsim.run(scenario).to_xarray().sel(year=year)
    return float(ds["vacancies_hc"].sum() / ds["posts_hc"].sum())


def test_goal_agrees_with_the_cli_json() -> None:
    sc = staffsim.Scenario.load(RETENTION)
    res = staffsim.goal(sc, "retention_all", TARGET)
    cli = cli_goal(str(RETENTION), "--lever", "retention_all", "--target", TARGET)
    assert res.met is cli["met"] is True
    assert res.no_change_needed is cli["no_change_needed"] is False
    assert res.target == cli["target"]["text"] == TARGET
    assert (
        res.lever == cli["lever"] and res.lever_type == cli["lever_type"] == "retention"
    )
    for name in (
        "value",
        "indicator_value",
        "current_value",
        "current_indicator_value",
    ):
        assert close(getattr(res, name), cli[name]), name
    assert (res.lower, res.upper) == (cli["range"]["lower"], cli["range"]["upper"])
    assert (res.lower_basis, res.upper_basis) == ("practical", "practical")
    assert res.evaluations == cli["evaluations"]
    assert res.message == cli["message"]
    assert list(res.notes) == cli["notes"]
    assert len(res.scan) == len(cli["scan"])
    for mine, theirs in zip(res.scan, cli["scan"]):
        assert close(mine.lever_value, theirs["value"])
        assert close(mine.indicator_value, theirs["indicator_value"])
        assert mine.meets is theirs["meets"]
    assert str(res) == res.report and "is met with retention_all" in str(res)


def test_the_value_found_meets_the_target_and_a_smaller_change_does_not() -> None:
    sc = staffsim.Scenario.load(RETENTION)
    res = staffsim.goal(sc, "retention_all", TARGET)
    assert res.value < res.current_value  # 0.71 gives more than 2%
    path = "levers.retention_all.path.to_value"
    assert vacancy_rate(sc.with_overrides({path: res.value}), 2025) <= 0.02
    nearer = res.value + 2 * res.tolerance
    assert vacancy_rate(sc.with_overrides({path: nearer}), 2025) > 0.02


def test_known_answer_posts_scale_with_demand_scale() -> None:
    """posts = raw * scale * demand_scale (DESIGN.md 2.3) and nothing else in
    posts depends on the lever, so posts[2025] == 1.1 x its value at 1 is met
    at exactly 1.1."""
    sc = staffsim.Scenario.load(STOKE / "need_2025.yaml").with_overrides(
        {"levers.funding": {"type": "demand_scale", "path": 1.0}}
    )
    ds = staffsim.run(sc).to_xarray()
    posts = float(ds["posts_hc"].sel(year=2025).sum())
    res = staffsim.goal(sc, "funding", f"posts[2025] == {1.1 * posts!r}")
    assert res.met
    assert res.value == pytest.approx(1.1, abs=res.tolerance)
    assert res.indicator_value == pytest.approx(1.1 * posts, rel=1e-6)
    assert res.current_indicator_value == pytest.approx(posts, rel=1e-12)
    assert (res.lower, res.lower_basis) == (0.0, "domain")
    assert (res.upper, res.upper_basis) == (10.0, "practical")


def test_a_target_out_of_reach_is_not_an_error() -> None:
    sc = staffsim.Scenario.load(RETENTION)
    res = staffsim.goal(sc, "retention_all", "vacancy_rate[2025] <= 0.001", 0.2, 2.0)
    assert not res.met
    assert (
        "cannot be met by retention_all within [0.2, 2], the bounds given"
        in res.message
    )
    assert res.value == 0.2  # the closest: the lowest turnover allowed
    assert (res.lower_basis, res.upper_basis) == ("user", "user")
    cli = cli_goal(
        str(RETENTION),
        "--lever",
        "retention_all",
        "--target",
        "vacancy_rate[2025] <= 0.001",
        "--lower",
        "0.2",
        "--upper",
        "2",
    )
    assert cli["met"] is False and cli["message"] == res.message


def test_result_is_frozen() -> None:
    res = staffsim.goal(staffsim.Scenario.load(RETENTION), "retention_all", TARGET)
    assert isinstance(res, staffsim.GoalResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.value = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("lever", "target", "kwargs", "fragments"),
    [
        (
            "retntion_all",
            TARGET,
            {},
            ["'retntion_all' is not a lever", "retention_all"],
        ),
        ("retention_all", "vacancy_rte[2025] <= 0.02", {}, ["unknown indicator"]),
        ("retention_all", "vacancy_rate[2030] <= 0.02", {}, ["outside the run"]),
        ("retention_all", "vacancy_rate[2025] < 0.02", {}, ["must be <=, >= or =="]),
        ("retention_all", TARGET, {"lower": 0.0}, ["lower = 0", "must be > 0"]),
        (
            "retention_all",
            TARGET,
            {"lower": 2.0, "upper": 1.0},
            ["lower must be < upper"],
        ),
    ],
)
def test_bad_requests_name_the_problem(
    lever: str, target: str, kwargs: dict, fragments: list[str]
) -> None:
    sc = staffsim.Scenario.load(RETENTION)
    with pytest.raises(ValueError) as caught:
        staffsim.goal(sc, lever, target, **kwargs)
    assert isinstance(caught.value, staffsim.UsageError)
    for fragment in fragments:
        assert fragment in str(caught.value)
