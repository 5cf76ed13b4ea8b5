"""Calibration from Python (issue 9): staffsim.calibrate and staffsim.crossval
give the CLI's fit, scipy's least_squares agrees with the engine's optimiser,
and the files save() writes load and run."""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import staffsim
from staffsim import _core

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("STAFFSIM_CLI", ROOT / "build" / "staffsim"))
BEDS = ROOT / "scenarios" / "central_bedfordshire_2009"
CALIBRATION = BEDS / "calibration.yaml"
CROSSVAL = BEDS / "crossval.yaml"

# The exact solution quoted in calibration.yaml's comments.
TURNOVER_BASE = 0.18698
FILL_RATE = 0.54411


@pytest.fixture(scope="module")
def scenario() -> staffsim.Scenario:
    return staffsim.Scenario.load(CALIBRATION)


@pytest.fixture(scope="module")
def lm(scenario: staffsim.Scenario) -> staffsim.CalibrationResult:
    return staffsim.calibrate(scenario)


@pytest.fixture(scope="module")
def abc(scenario: staffsim.Scenario) -> staffsim.CalibrationResult:
    return staffsim.calibrate(scenario, method="abc", draws=600, accept=30, threads=2)


def totals_2009(ds) -> dict[str, float]:
    at = ds.sel(year=2009)
    return {
        name: float(at[var].sum(dim=("role", "sector")))
        for name, var in [
            ("leavers_2009", "leavers"),
            ("starters_2009", "starters"),
            ("staff_2009", "headcount"),
            ("vacancies_2009", "vacancies_hc"),
        ]
    }


def test_least_squares_reproduces_the_targets(lm: staffsim.CalibrationResult) -> None:
    assert lm.method == "least_squares" and lm.converged
    assert [p.name for p in lm.parameters] == ["turnover_base", "fill_rate"]
    values = lm.values()
    assert values["turnover_base"] == pytest.approx(TURNOVER_BASE, abs=1e-5)
    assert values["fill_rate"] == pytest.approx(FILL_RATE, abs=1e-5)
    assert all(p.identified and not p.at_bound for p in lm.parameters)
    assert [t.name for t in lm.targets] == [
        "leavers_2009",
        "starters_2009",
        "staff_2009",
        "vacancies_2009",
    ]
    for t in lm.targets:
        assert t.fitted and t.within, t
        assert abs(t.model - t.observed) <= 0.5
    assert lm.posterior is None and lm.abc_epsilon is None
    assert "turnover_base=0.186978" in repr(lm)
    assert "least squares" in lm.report() and "leavers_2009" in lm.report()


def test_least_squares_agrees_with_the_cli(lm: staffsim.CalibrationResult) -> None:
    done = subprocess.run(
        [str(CLI), "calibrate", str(CALIBRATION), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(lm.to_json()) == json.loads(done.stdout)


def test_scipy_agrees_with_the_engine(
    scenario: staffsim.Scenario, lm: staffsim.CalibrationResult
) -> None:
    sp = staffsim.calibrate(scenario, method="scipy")
    assert sp.method == "scipy" and sp.converged, sp.warnings
    assert sp.warnings == ()
    for a, b in zip(sp.parameters, lm.parameters):
        assert a.name == b.name
        assert a.value == pytest.approx(b.value, rel=1e-4)
        assert a.std_error == pytest.approx(b.std_error, rel=1e-2)
    assert all(t.within for t in sp.targets)
    assert json.loads(sp.to_json())["method"] == "scipy"
    # The weighted residuals it minimised, from target_values directly.
    theta = np.array([p.value for p in sp.parameters])
    observed = np.array([t.observed for t in sp.targets])
    sd = np.array([t.sd for t in sp.targets])
    z = (_core.target_values(scenario, theta) - observed) / sd
    assert np.sum(z**2) == pytest.approx(sp.misfit, rel=1e-9, abs=1e-12)


def test_saved_scenario_loads_and_reproduces_the_targets(
    lm: staffsim.CalibrationResult, tmp_path: Path
) -> None:
    out = tmp_path / "calibrated.yaml"
    lm.save(out)
    assert not list(tmp_path.glob("*_posterior.csv"))
    saved = staffsim.Scenario.load(out)
    assert saved.name == "central_bedfordshire_2009_calibration_calibrated"
    got = totals_2009(staffsim.run(saved).to_xarray())
    for t in lm.targets:
        assert abs(got[t.name] - t.observed) <= 0.5, (t.name, got[t.name])
        assert got[t.name] == pytest.approx(t.model, rel=1e-9)


def test_abc_posterior_covers_the_optimum_and_saves_a_sample(
    scenario: staffsim.Scenario,
    lm: staffsim.CalibrationResult,
    abc: staffsim.CalibrationResult,
    tmp_path: Path,
) -> None:
    # A budget of 600 runs (proposals run in batches: a batch may overrun it).
    assert abc.method == "abc" and 150 <= abc.evaluations <= 600 + 30
    assert abc.posterior is not None and abc.posterior.shape == (30, 2)
    assert abc.abc_epsilon is not None and abc.abc_epsilon > 0
    assert abc.abc_epsilons is not None and abc.abc_epsilons[-1] == abc.abc_epsilon
    assert list(abc.abc_epsilons) == sorted(abc.abc_epsilons, reverse=True)
    assert abc.abc_stop
    for j, (p, best) in enumerate(zip(abc.parameters, lm.parameters)):
        assert p.q05 <= best.value <= p.q95, (p, best.value)
        # value is the weighted population's mean; the rows are that
        # population resampled to equal weights.
        assert p.value == pytest.approx(abc.posterior[:, j].mean(), abs=p.std_error)
    out = tmp_path / "abc.yaml"
    abc.save(out)
    csv = tmp_path / "abc_posterior.csv"
    rows = np.loadtxt(csv, delimiter=",", skiprows=1)
    np.testing.assert_allclose(rows[:, 1:], abc.posterior, rtol=1e-12)
    saved = staffsim.Scenario.load(out)
    assert saved.uncertain_parameters == ["calibration_posterior"]
    ds = staffsim.run(saved, draws=5).to_xarray()
    leavers = ds["leavers"].sel(year=2009).sum(dim=("role", "sector")).values
    # Draw d runs the parameters of row d.
    for d in range(5):
        expected = _core.target_values(scenario, rows[d, 1:])[0]
        assert leavers[d] == pytest.approx(expected, rel=1e-6)  # float32 in the file


def test_crossval_predicts_the_other_tables() -> None:
    sc = staffsim.Scenario.load(CROSSVAL)
    cv = staffsim.crossval(sc, fit=["flows_12_months"])
    fitted = {t.table for t in cv.targets if t.fitted}
    assert fitted == {"flows_12_months"}
    pan = next(t for t in cv.targets if t.name == "pan_bedfordshire_turnover")
    assert not pan.fitted and abs(pan.model - 0.21) <= 0.02
    years = [t for t in cv.targets if t.table == "years_in_job"]
    assert len(years) == 7
    assert all(not t.fitted and np.isfinite(t.model) for t in years)
    assert "predicted" in cv.report()


def test_errors_carry_the_engine_message(scenario: staffsim.Scenario) -> None:
    for method in ("least_squares", "scipy"):
        with pytest.raises(ValueError, match="fit table 'nope': no target has table"):
            staffsim.calibrate(scenario, method=method, fit_tables=["nope"])
    with pytest.raises(ValueError, match="method = 'newton'"):
        staffsim.calibrate(scenario, method="newton")
    plain = ROOT / "scenarios" / "stoke_on_trent_2011" / "base.yaml"
    done = subprocess.run(
        [str(CLI), "calibrate", str(plain)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    with pytest.raises(staffsim.ScenarioError, match="no calibration: block") as err:
        staffsim.calibrate(staffsim.Scenario.load(plain))
    assert str(err.value) in done.stderr
    with pytest.raises(ValueError, match="leave at least one table out"):
        staffsim.crossval(scenario, fit="flows_12_months,census_2009")
