"""Sobol' and Morris through SALib (DESIGN.md 2.7): the sampling and analysis
path recovers the Ishigami function's analytic indices, and on a scenario
a parameter whose level cancels under base-year calibration (DESIGN.md 2.3)
gets no variance. staffsim must import: these tests fail, not skip,
without it."""

from pathlib import Path

import numpy as np
import pytest
import staffsim
from staffsim.sensitivity import morris, problem_from, sobol, total_gap

ROOT = Path(__file__).resolve().parents[2]
PROJECTION = ROOT / "scenarios" / "central_bedfordshire_2009" / "projection.yaml"
TURNOVER = "supply.turnover.base[*,*]"
# every prevalence cell set to one value: a pure level, which cancels
PREVALENCE_LEVEL = "demand.prevalence[*,*]"
SCENARIO_PARAMS = {TURNOVER: (0.15, 0.22), PREVALENCE_LEVEL: (0.02, 0.2)}

A, B = 7.0, 0.1
PI = np.pi
ISHIGAMI = {"x1": (-PI, PI), "x2": (-PI, PI), "x3": (-PI, PI)}


def ishigami(X: np.ndarray) -> np.ndarray:
    return np.sin(X[:, 0]) + A * np.sin(X[:, 1]) ** 2 + B * X[:, 2] ** 4 * np.sin(X[:, 0])


def ishigami_indices() -> tuple[np.ndarray, np.ndarray]:
    """Analytic first-order and total indices (Ishigami and Homma 1990)."""
    v1 = 0.5 * (1 + B * PI**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = 8 * B**2 * PI**8 / 225
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_sobol_recovers_the_ishigami_indices() -> None:
    s1, st = ishigami_indices()
    table = sobol(ishigami, ISHIGAMI, N=2**12, seed=1)
    assert list(table.columns) == ["parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert list(table.parameter) == ["x1", "x2", "x3"]
    assert table.attrs["evaluations"] == 2**12 * (3 + 2)
    slack = 0.02
    np.testing.assert_array_less(np.abs(table.S1 - s1), table.S1_conf + slack)
    np.testing.assert_array_less(np.abs(table.ST - st), table.ST_conf + slack)
    # and the intervals are informative, not just wide
    assert (table.S1_conf < 0.05).all() and (table.ST_conf < 0.06).all()


def test_sobol_second_order_finds_the_x1_x3_interaction() -> None:
    table = sobol(ishigami, ISHIGAMI, N=2**11, seed=2, calc_second_order=True)
    s2 = np.asarray(table.attrs["S2"])
    conf = np.asarray(table.attrs["S2_conf"])
    _, st = ishigami_indices()
    s13 = st[2]  # x3 acts only through its interaction with x1
    assert abs(s2[0, 2] - s13) < conf[0, 2] + 0.03
    assert abs(s2[0, 1]) < conf[0, 1] + 0.03


def test_a_salib_problem_dict_gives_the_same_table() -> None:
    problem = {"names": ["x1", "x2", "x3"], "bounds": [[-PI, PI]] * 3}
    a = sobol(ishigami, problem, N=2**8, seed=3)
    b = sobol(ishigami, ISHIGAMI, N=2**8, seed=3)
    assert a.equals(b)
    assert problem_from(problem)["num_vars"] == 3
    with pytest.raises(ValueError, match="below"):
        problem_from({"x": (1.0, 1.0)})


def test_on_a_scenario_turnover_carries_the_variance_and_a_prevalence_level_cancels() -> None:
    sc = staffsim.Scenario.load(PROJECTION)
    table = sobol(sc, SCENARIO_PARAMS, N=2**5, seed=1).set_index("parameter")
    assert table.attrs["evaluations"] == 2**5 * 4
    assert table.loc[TURNOVER, "ST"] > 0.9
    assert table.loc[PREVALENCE_LEVEL, "ST"] < 0.05
    assert abs(table.loc[PREVALENCE_LEVEL, "S1"]) < 0.05


def test_the_level_cancels_in_the_default_output() -> None:
    sc = staffsim.Scenario.load(PROJECTION)
    gaps = [
        total_gap(staffsim.run(sc.with_overrides({PREVALENCE_LEVEL: p})).to_xarray())
        for p in (0.02, 0.2)
    ]
    assert gaps[0] == pytest.approx(gaps[1], rel=1e-9, abs=1e-6)
    assert gaps[0] < 0  # this projection ends with a shortfall in 2025


def test_morris_returns_the_tidy_table() -> None:
    table = morris(ishigami, ISHIGAMI, N=40, seed=1)
    assert list(table.columns) == ["parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
    assert list(table.parameter) == ["x1", "x2", "x3"]
    assert (table.mu_star >= 0).all() and (table.sigma >= 0).all()
    assert table.attrs["evaluations"] == 40 * (3 + 1)
    # x3 acts only through x1: its effects vary (sigma) around a small mean
    assert table.sigma[2] > abs(table.mu[2])


def test_morris_on_a_scenario_screens_out_the_cancelling_level() -> None:
    sc = staffsim.Scenario.load(PROJECTION)
    output_year = 2020
    table = morris(
        sc,
        SCENARIO_PARAMS,
        N=6,
        seed=2,
        output=lambda ds: total_gap(ds, year=output_year),
    ).set_index("parameter")
    assert table.loc[TURNOVER, "mu_star"] > 1.0  # FTE of gap across the range
    assert table.loc[PREVALENCE_LEVEL, "mu_star"] < 1e-6 * table.loc[TURNOVER, "mu_star"]


def test_a_model_that_is_neither_scenario_nor_callable_is_refused() -> None:
    with pytest.raises(TypeError, match="Scenario or a callable"):
        sobol(42, ISHIGAMI, N=8)
    with pytest.raises(ValueError, match="outputs for"):
        sobol(lambda X: np.zeros(3), ISHIGAMI, N=8)
