"""The Python API over the engine (DESIGN.md 5): the step API and levers,
the GIL released during long runs, scenarios that pickle, and the engine's
errors as ValueError / OSError with the engine's messages."""

import os
import pickle
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import staffsim
import xarray as xr

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("STAFFSIM_CLI", ROOT / "build" / "staffsim"))
BEDS = ROOT / "scenarios" / "central_bedfordshire_2009"
ENGLAND = ROOT / "scenarios" / "england_2025" / "baseline.yaml"


def assert_same_numbers(a: xr.Dataset, b: xr.Dataset) -> None:
    """DESIGN.md 7: |a - b| <= 1e-9 max(|a|, |b|) + 1e-6, NaN where NaN."""
    assert set(a.data_vars) == set(b.data_vars)
    for name in a.data_vars:
        x, y = a[name].values, b[name].values
        assert x.shape == y.shape, name
        np.testing.assert_allclose(
            x, y, rtol=1e-9, atol=1e-6, equal_nan=True, err_msg=name
        )


# ---- Scenario ---------------------------------------------------------------


def test_scenario_exposes_its_dimensions_and_levers() -> None:
    sc = staffsim.Scenario.load(BEDS / "retention.yaml")
    assert sc.name == "central_bedfordshire_retention"
    assert sc.lever_names == ["retention_all"]
    assert sc.roles[0] == "care_worker" and "independent" in sc.sectors
    assert sc.years[0] == 2009 and sc.years[-1] == 2025
    assert sc.dims == {"role": sc.roles, "sector": sc.sectors, "year": sc.years}
    assert not sc.is_ensemble(1) and sc.is_ensemble(2)


def test_with_overrides_changes_the_scenario_like_set(tmp_path: Path) -> None:
    sc = staffsim.Scenario.load(BEDS / "retention.yaml")
    alt = sc.with_overrides({"levers.retention_all.path.to_value": 0.8})
    assert alt.overrides == [("levers.retention_all.path.to_value", "0.8")]
    assert alt != sc
    ds = staffsim.run(alt).to_xarray()
    out = tmp_path / "set.h5"
    done = subprocess.run(
        [str(CLI), "run", str(BEDS / "retention.yaml"), "-q", "-o", str(out)]
        + ["--set", "levers.retention_all.path.to_value=0.8"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert_same_numbers(ds, staffsim.open_results(out))


def test_scenario_pickles_to_an_equal_scenario(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(ROOT)
    sc = staffsim.Scenario.load("scenarios/central_bedfordshire_2009/retention.yaml")
    sc = sc.with_overrides(
        {
            "levers.retention_all.path": {
                "start_year": 2012,
                "to_value": 0.7,
                "from_value": 1.0,
                "shape": "step",
            }
        }
    )
    data = pickle.dumps(sc)
    # Unpickled elsewhere: the relative path is resolved against the folder it was given in.
    monkeypatch.chdir(tmp_path)
    back = pickle.loads(data)
    assert back == sc
    assert back.overrides == sc.overrides and back.name == sc.name
    a = staffsim.run(sc).to_xarray().drop_attrs()
    b = staffsim.run(back).to_xarray().drop_attrs()
    xr.testing.assert_identical(a, b)


# ---- Simulation: the step API -----------------------------------------------


def test_set_lever_equals_a_step_path_at_that_year() -> None:
    """Run to 2015, set the lever, run on == the scenario whose lever path is
    a step at 2015 (tests/cpp/test_set_lever.cpp, from Python)."""
    shipped = staffsim.Scenario.load(BEDS / "retention.yaml")
    constant = shipped.with_overrides({"levers.retention_all.path": 1.0})
    stepped = shipped.with_overrides(
        {
            "levers.retention_all.path": {
                "start_year": 2015,
                "from_value": 1.0,
                "to_value": 0.8,
                "shape": "step",
            }
        }
    )
    sim = staffsim.Simulation(constant)
    assert sim.lever_names == ["retention_all"]
    sim.step()
    assert sim.current_year == pytest.approx(2009 + 1 / constant.steps_per_year)
    sim.run_to(2015)
    assert sim.current_year == 2015 and not sim.finished
    so_far = sim.results()
    assert so_far.years == list(range(2009, 2016))
    # The state as NumPy: (roles, sectors, ages, tenure bands), summing to the census headcount.
    h = sim.headcount
    assert h.shape == (
        len(constant.roles),
        len(constant.sectors),
        len(constant.ages),
        len(constant.tenure_bands),
    )
    census = so_far.to_xarray()["headcount"].sel(year=2015)
    np.testing.assert_allclose(h.sum(axis=(2, 3)), census.values, rtol=1e-12)
    sim.set_lever("retention_all", 0.8)
    sim.run_to(2025)
    assert sim.finished
    got = sim.results().to_xarray()
    want = staffsim.run(stepped).to_xarray()
    assert_same_numbers(got, want)
    # The change is real.
    unchanged = staffsim.run(constant).to_xarray()
    moved = abs(
        got["headcount"].sel(year=2020) - unchanged["headcount"].sel(year=2020)
    ).sum()
    assert float(moved) > 1.0


def test_a_name_that_is_not_a_lever_is_refused_by_name() -> None:
    sim = staffsim.Simulation(staffsim.Scenario.load(BEDS / "retention.yaml"))
    with pytest.raises(ValueError, match="no_such_lever"):
        sim.set_lever("no_such_lever", 0.5)
    with pytest.raises(ValueError):
        sim.run_to(1990)  # before now


def test_simulation_of_a_draw_equals_that_draw_of_an_ensemble() -> None:
    sc = staffsim.Scenario.load(BEDS / "projection.yaml").with_overrides(
        {"stochastic": True}
    )
    ens = staffsim.run(sc, draws=3, seed=7).to_xarray()
    sim = staffsim.Simulation(sc, seed=7, draw=2)
    sim.run()
    one = sim.results().to_xarray()
    np.testing.assert_array_equal(
        ens["headcount"].sel(draw=2).values, one["headcount"].values.astype(np.float32)
    )


# ---- The GIL ------------------------------------------------------------------


def test_a_long_run_does_not_hold_the_gil() -> None:
    sc = staffsim.Scenario.load(ENGLAND)
    stamps: list[float] = []
    stop = threading.Event()

    def count() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            if n % 1000 == 0:
                stamps.append(time.perf_counter())

    worker = threading.Thread(target=count)
    worker.start()
    try:
        start = time.perf_counter()
        res = staffsim.run(sc, draws=200, seed=1)
        end = time.perf_counter()
    finally:
        stop.set()
        worker.join()
    assert res.draws == 200
    assert end - start > 0.2, "the run is too short to tell"
    # The other thread made progress all through the run, not only around it.
    lo, hi = start + 0.1 * (end - start), end - 0.1 * (end - start)
    during = sum(lo <= t <= hi for t in stamps)
    assert during > 100, (
        f"{during} thousand increments during a {end - start:.2f} s run"
    )


# ---- Errors ---------------------------------------------------------------------


def test_a_broken_scenario_is_a_value_error_with_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "staffsim_scenario: 1\n"
        f"extends: {BEDS / 'projection.yaml'}\n"
        "name: broken\n"
        "not_a_key: 3\n"
    )
    with pytest.raises(ValueError) as caught:
        staffsim.Scenario.load(broken)
    assert isinstance(caught.value, staffsim.ScenarioError)
    assert f"{broken}:4:1: not_a_key" in str(caught.value)
    # The same message as the CLI's.
    done = subprocess.run(
        [str(CLI), "validate", str(broken)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 3
    assert str(caught.value) in done.stderr
    with pytest.raises(ValueError, match="no_such"):
        staffsim.Scenario.load(BEDS / "projection.yaml").with_overrides(
            {"no_such.key": 1}
        )


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(OSError, match="missing.yaml"):
        staffsim.Scenario.load(missing)
    res = staffsim.run(staffsim.Scenario.load(BEDS / "projection.yaml"))
    with pytest.raises(OSError, match="no_folder"):
        res.save(tmp_path / "no_folder" / "r.h5")


def test_bad_arguments_are_value_errors() -> None:
    sc = staffsim.Scenario.load(BEDS / "projection.yaml")
    with pytest.raises(ValueError, match="draws"):
        staffsim.run(sc, draws=0)
    with pytest.raises(ValueError, match="threads"):
        staffsim.run(sc, draws=2, threads=-1)


def test_an_external_design_replaces_the_sampled_values() -> None:
    """run(samples=...) gives each draw the design's row (NaN: sample)."""
    import math

    sc = staffsim.Scenario.load(ROOT / "scenarios" / "england_2025" / "uncertain.yaml")
    names = sc.uncertain_parameters
    assert names == ["turnover_level", "care_use_85_plus", "personalisation_2025"]
    design = np.array([[0.8, math.nan, 0.2], [1.1, math.nan, 0.35], [0.9, 1.2, math.nan]])
    ds = staffsim.run(sc, draws=3, seed=5, samples=design).to_xarray()
    got = ds.parameter_value.values
    free = staffsim.run(sc, draws=3, seed=5).to_xarray().parameter_value.values
    given = ~np.isnan(design)
    np.testing.assert_array_equal(got[given], design[given])
    # Where the design is NaN the entry samples as it does without a design.
    np.testing.assert_array_equal(got[~given], free[~given])
    # Lower turnover, fewer leavers: draw 0 (x 0.8) below draw 1 (x 1.1).
    leavers = ds.leavers.sel(year=2025).astype(float).sum(["role", "sector"]).values
    assert leavers[0] < leavers[1]


def test_a_design_of_the_wrong_shape_or_kind_is_refused() -> None:
    sc = staffsim.Scenario.load(ROOT / "scenarios" / "england_2025" / "uncertain.yaml")
    with pytest.raises(ValueError, match=r"samples: expected an array of shape \(draws, "):
        staffsim.run(sc, draws=2, samples=np.zeros((2, 2)))
    bad = np.array([[0.9, 1.0, -0.5]])  # a share below the lever's domain
    with pytest.raises(ValueError, match="draw 0 of uncertainty"):
        staffsim.run(sc, draws=1, samples=bad)
