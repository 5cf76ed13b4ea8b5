"""Plotting helpers (staffsim.plotting) on the Agg backend: each draws on an
Axes without error, labels its axes with units, shows a legend where there are
several series, and renders. staffsim must import: these tests fail, not
skip, without it."""

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import staffsim
import xarray as xr
from staffsim.plotting import age_pyramid, fan_chart, supply_vs_posts, tornado
from staffsim.sensitivity import morris, sobol
from staffsim.sweep import sweep

ROOT = Path(__file__).resolve().parents[2]
PREVENTION = ROOT / "scenarios" / "central_bedfordshire_2009" / "prevention.yaml"
LEVER = "levers.prevention_older.path.to_value"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def scenario() -> staffsim.Scenario:
    return staffsim.Scenario.load(PREVENTION)


@pytest.fixture(scope="module")
def ensemble(scenario: staffsim.Scenario) -> xr.Dataset:
    noisy = scenario.with_overrides({"stochastic": True})
    return staffsim.run(noisy, draws=20, seed=1).to_xarray()


@pytest.fixture(scope="module")
def single(scenario: staffsim.Scenario) -> xr.Dataset:
    return staffsim.run(scenario).to_xarray()


@pytest.fixture(scope="module")
def swept(scenario: staffsim.Scenario) -> xr.Dataset:
    noisy = scenario.with_overrides({"stochastic": True})
    return sweep(noisy, grid={LEVER: [1.0, 0.8]}, draws=10, seed=1)


def ishigami(X: np.ndarray) -> np.ndarray:
    return np.sin(X[:, 0]) + 7 * np.sin(X[:, 1]) ** 2 + 0.1 * X[:, 2] ** 4 * np.sin(X[:, 0])


BOUNDS = {"x1": (-np.pi, np.pi), "x2": (-np.pi, np.pi), "x3": (-np.pi, np.pi)}


def assert_labelled(ax, legend: bool) -> None:
    assert ax.get_xlabel() and ax.get_ylabel()
    if legend:
        assert ax.get_legend() is not None
        assert len(ax.get_legend().get_texts()) >= 2
    ax.figure.savefig(io.BytesIO(), format="png")  # renders under Agg


def test_fan_chart_of_an_ensemble_total(ensemble: xr.Dataset) -> None:
    ax = fan_chart(ensemble, "headcount")
    assert_labelled(ax, legend=True)
    assert "people" in ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "median" in labels and any("90%" in t for t in labels)
    median = ax.get_lines()[0].get_ydata()
    expected = ensemble.headcount.sum(["role", "sector"]).median("draw").values
    np.testing.assert_allclose(median, expected)


def test_fan_chart_by_role_draws_on_a_given_axes(ensemble: xr.Dataset) -> None:
    _, ax = plt.subplots()
    out = fan_chart(ensemble, "vacancies", by="role", ax=ax)
    assert out is ax
    assert_labelled(ax, legend=True)
    assert "FTE" in ax.get_ylabel()
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert set(ensemble.role.values) <= set(texts)


def test_fan_chart_of_a_sweep_has_one_series_per_variant(swept: xr.Dataset) -> None:
    ax = fan_chart(swept, "posts")
    assert_labelled(ax, legend=True)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"{LEVER}=1.0" in texts and f"{LEVER}=0.8" in texts
    ax = fan_chart(swept, "headcount", by="sector", sel={"scenario": 1})
    assert_labelled(ax, legend=True)
    with pytest.raises(ValueError, match="sel="):
        fan_chart(swept, "headcount", by="role")


def test_fan_chart_of_a_variable_kept_as_quantiles(ensemble: xr.Dataset) -> None:
    ax = fan_chart(ensemble, "turnover_rate", sel={"role": "care_worker"}, by="sector")
    assert_labelled(ax, legend=True)
    with pytest.raises(ValueError, match="quantiles"):
        fan_chart(ensemble, "turnover_rate")  # a total needs per-draw values


def test_fan_chart_of_a_single_run(single: xr.Dataset) -> None:
    ax = fan_chart(single, "headcount", by="sector")
    assert_labelled(ax, legend=True)
    ax = fan_chart(single, "headcount")
    assert_labelled(ax, legend=False)


def test_supply_vs_posts_shades_the_gap(ensemble: xr.Dataset, single: xr.Dataset) -> None:
    ax = supply_vs_posts(ensemble)
    assert_labelled(ax, legend=True)
    assert "FTE" in ax.get_ylabel()
    assert len(ax.collections) == 2  # shortfall and surplus
    ax = supply_vs_posts(single, measure="headcount")
    assert_labelled(ax, legend=True)
    assert "people" in ax.get_ylabel()


def test_supply_vs_posts_of_one_variant_of_a_sweep(swept: xr.Dataset) -> None:
    ax = supply_vs_posts(swept, sel={"scenario": 0}, stat="mean")
    assert_labelled(ax, legend=True)
    with pytest.raises(ValueError, match="scenario"):
        supply_vs_posts(swept)


def test_age_pyramid_by_sector_and_in_total(ensemble: xr.Dataset, single: xr.Dataset) -> None:
    ax = age_pyramid(ensemble, 2025)
    assert_labelled(ax, legend=True)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(ensemble.age_band.values)
    ax = age_pyramid(ensemble, 2025, stat="median", by=None)
    assert_labelled(ax, legend=False)
    ax = age_pyramid(single, 2009, sel={"role": "care_worker"})
    assert_labelled(ax, legend=True)
    widths = sum(abs(p.get_width()) for p in ax.patches)
    expected = float(single.age_profile.sel(year=2009, role="care_worker").sum())
    assert widths == pytest.approx(expected)


def test_age_pyramid_needs_an_age_profile(swept: xr.Dataset) -> None:
    with pytest.raises(KeyError, match="age_profile"):
        age_pyramid(swept, 2025)


def top_to_bottom(ax) -> list[str]:
    ticks = zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()])
    return [name for _, name in sorted(ticks, reverse=True)]


def test_tornado_of_sobol_and_morris_tables_sorted() -> None:
    table = sobol(ishigami, BOUNDS, N=2**8, seed=1)
    ax = tornado(table)
    assert_labelled(ax, legend=True)
    # top to bottom by ST: x1 (0.56), x2 (0.44), x3 (0.24)
    assert top_to_bottom(ax) == ["x1", "x2", "x3"]
    table = morris(ishigami, BOUNDS, N=20, seed=1)
    ax = tornado(table)
    assert_labelled(ax, legend=True)
    assert top_to_bottom(ax) == list(table.sort_values("mu_star", ascending=False).parameter)
    ax = tornado({"parameter": ["a", "b"], "ST": [0.1, 0.9], "S1": [0.1, 0.8]})
    assert_labelled(ax, legend=True)
