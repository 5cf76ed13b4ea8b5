"""Sweeps (DESIGN.md 2.7, 5): variants of a scenario x draws as one Dataset
with a `scenario` dimension, common random numbers across variants, the
per-draw core set and its summaries as in an ensemble's results file
(docs/results-format.md, "Ensembles"), and a sweep on Dask equal to the local
one. staffsim must import: these tests fail, not skip, without it."""

import importlib
from pathlib import Path

import numpy as np
import pytest
import staffsim
import xarray as xr
from staffsim.sweep import (
    CORE_VARIABLES,
    QUANTILES,
    latin_hypercube,
    open_sweep,
    save_sweep,
    sweep,
)

ROOT = Path(__file__).resolve().parents[2]
PREVENTION = ROOT / "scenarios" / "central_bedfordshire_2009" / "prevention.yaml"
UNCERTAIN = ROOT / "scenarios" / "england_2025" / "uncertain.yaml"
LEVER = "levers.prevention_older.path.to_value"
LEVER_NAME = "levers_prevention_older_path_to_value"
GRID = {LEVER: [1.0, 0.9, 0.8]}
DRAWS = 20
SEED = 7


@pytest.fixture(scope="module")
def noisy() -> staffsim.Scenario:
    return staffsim.Scenario.load(PREVENTION).with_overrides({"stochastic": True})


@pytest.fixture(scope="module")
def local(noisy: staffsim.Scenario) -> xr.Dataset:
    return sweep(noisy, grid=GRID, draws=DRAWS, seed=SEED)


def test_a_grid_sweep_has_a_scenario_dimension_with_the_values(
    local: xr.Dataset, noisy: staffsim.Scenario
) -> None:
    for name in CORE_VARIABLES:
        assert local[name].dims == ("scenario", "draw", "year", "role", "sector")
        assert local[name].dtype == np.float32
        assert f"{name}_q" in local and f"{name}_mean" in local
    assert local.sizes["scenario"] == 3 and local.sizes["draw"] == DRAWS
    assert list(local["year"].values) == noisy.years
    assert list(local["role"].values) == noisy.roles
    assert list(local["sector"].values) == noisy.sectors
    assert list(local["quantile"].values) == list(QUANTILES)
    assert list(local[LEVER_NAME].values) == [1.0, 0.9, 0.8]
    assert local[LEVER_NAME].dims == ("scenario",)
    assert local[LEVER_NAME].attrs["path"] == LEVER
    assert local.attrs["filetype"] == "staffsim.sweep"
    assert local.attrs["seed"] == SEED and local.attrs["draws"] == DRAWS
    assert local.attrs["common_random_numbers"] == 1
    assert local.vacancies_q.dims == ("scenario", "quantile", "year", "role", "sector")
    assert local.p_gap_below_total.dims == ("scenario", "year")
    assert local.p_vacancy_rate_above_total.attrs["threshold"] == 0.1
    # process noise is on: the draws differ, and the lever changes posts
    total = local.headcount.sum(["role", "sector"]).sel(year=2025)
    assert float(total.std("draw").min()) > 0
    posts = local.posts.sum(["role", "sector"]).sel(year=2025).mean("draw").values
    assert posts[0] > posts[1] > posts[2]


def test_each_variant_equals_the_engines_ensemble_of_that_variant(
    local: xr.Dataset, noisy: staffsim.Scenario
) -> None:
    variant = noisy.with_overrides({LEVER: 0.9})
    ens = staffsim.run(variant, draws=DRAWS, seed=SEED).to_xarray()
    one = local.isel(scenario=1)
    for name in CORE_VARIABLES:
        np.testing.assert_array_equal(
            one[name].values, ens[name].transpose("draw", "year", "role", "sector").values
        )
        np.testing.assert_allclose(  # quantiles of the same float32 values
            one[f"{name}_q"].values, ens[f"{name}_q"].values, rtol=1e-9, atol=1e-6
        )
        np.testing.assert_allclose(  # the engine averages the double values
            one[f"{name}_mean"].values, ens[f"{name}_mean"].values, rtol=1e-6, atol=1e-3
        )
    for name in (
        "p_vacancy_rate_above",
        "p_gap_below",
        "p_vacancy_rate_above_total",
        "p_gap_below_total",
    ):
        np.testing.assert_array_equal(one[name].values, ens[name].values, err_msg=name)
    gap = (one.fte.astype(float) - one.posts.astype(float)).quantile(
        QUANTILES, dim="draw"
    )
    np.testing.assert_array_equal(one.gap_q.values, gap.values)


def test_common_random_numbers_give_identical_draws_at_the_same_lever_value(
    noisy: staffsim.Scenario,
) -> None:
    sw = sweep(noisy, grid={LEVER: [0.9, 0.8, 0.9]}, draws=5, seed=SEED)
    for name in CORE_VARIABLES:
        xr.testing.assert_identical(
            sw[name].isel(scenario=0, drop=True), sw[name].isel(scenario=2, drop=True)
        )
    xr.testing.assert_identical(
        sw.p_gap_below_total.isel(scenario=0, drop=True),
        sw.p_gap_below_total.isel(scenario=2, drop=True),
    )
    # opting out: variant i runs under seed + i, so the same value differs
    ind = sweep(noisy, grid={LEVER: [0.9, 0.8, 0.9]}, draws=5, seed=SEED,
                independent_variants=True)
    assert ind.attrs["common_random_numbers"] == 0
    assert list(ind["seed"].values) == [SEED, SEED + 1, SEED + 2]
    assert not np.array_equal(ind.headcount[0].values, ind.headcount[2].values)
    np.testing.assert_array_equal(ind.headcount[0].values, sw.headcount[0].values)


def test_blocks_of_draws_assemble_to_the_same_sweep(
    local: xr.Dataset, noisy: staffsim.Scenario
) -> None:
    blocked = sweep(noisy, grid=GRID, draws=DRAWS, seed=SEED, block=7)
    xr.testing.assert_identical(local, blocked)


def test_a_sweep_on_dask_equals_the_local_sweep(
    local: xr.Dataset, noisy: staffsim.Scenario
) -> None:
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    )
    with cluster, Client(cluster) as client:
        on_dask = sweep(noisy, grid=GRID, draws=DRAWS, seed=SEED, client=client)
        small_blocks = sweep(noisy, grid=GRID, draws=DRAWS, seed=SEED, client=client,
                             block=3)
    xr.testing.assert_identical(local, on_dask)
    xr.testing.assert_identical(local, small_blocks)


def test_samples_as_a_mapping_or_an_array_give_the_same_variants() -> None:
    sc = staffsim.Scenario.load(PREVENTION)
    paths = [LEVER, "levers.prevention_younger_old.path.to_value"]
    design = np.array([[0.85, 0.9], [0.7, 1.0], [1.0, 0.8]])
    by_map = sweep(sc, samples={p: design[:, j] for j, p in enumerate(paths)}, draws=1)
    by_array = sweep(sc, samples=design, paths=paths, draws=1)
    xr.testing.assert_identical(by_map, by_array)
    assert by_map.sizes["draw"] == 1 and by_map.sizes["scenario"] == 3
    np.testing.assert_array_equal(
        by_map["levers_prevention_younger_old_path_to_value"].values, design[:, 1]
    )
    single = staffsim.run(sc.with_overrides({paths[0]: 0.7, paths[1]: 1.0})).to_xarray()
    np.testing.assert_array_equal(
        by_map.posts.isel(scenario=1, draw=0).values, single.posts.values.astype(np.float32)
    )
    # one draw: no Monte Carlo error, quantiles are the value itself
    assert np.isnan(by_map.headcount_mean_se.values).all()
    np.testing.assert_array_equal(
        by_map.headcount_q.sel(quantile=0.05).values, by_map.headcount_mean.values
    )


def test_a_grid_is_the_cartesian_product_first_path_slowest() -> None:
    sc = staffsim.Scenario.load(PREVENTION)
    sw = sweep(sc, grid={LEVER: [1.0, 0.8], "levers.prevention_younger_old.path.to_value":
                         [1.0, 0.9, 0.7]}, draws=1)
    assert sw.sizes["scenario"] == 6
    assert list(sw[LEVER_NAME].values) == [1.0, 1.0, 1.0, 0.8, 0.8, 0.8]
    assert list(sw["levers_prevention_younger_old_path_to_value"].values) == [
        1.0, 0.9, 0.7, 1.0, 0.9, 0.7
    ]
    assert sw["overrides"].values[3] == (
        f"{LEVER}=0.8; levers.prevention_younger_old.path.to_value=1.0"
    )


def test_uncertain_parameters_are_kept_per_draw_and_common_to_variants() -> None:
    sc = staffsim.Scenario.load(UNCERTAIN)
    lever = "levers.personalisation_younger.path.to_value"
    sw = sweep(sc, grid={lever: [0.2, 0.3]}, draws=4, seed=3)
    ens = staffsim.run(sc.with_overrides({lever: 0.3}), draws=4, seed=3).to_xarray()
    assert sw.parameter_value.dims == ("scenario", "draw", "parameter")
    assert list(sw["parameter"].values) == sc.uncertain_parameters
    np.testing.assert_array_equal(sw.parameter_value[0].values, sw.parameter_value[1].values)
    np.testing.assert_array_equal(sw.parameter_value[1].values, ens.parameter_value.values)
    # an explicit threshold replaces the scenario's
    strict = sweep(sc, grid={lever: [0.2]}, draws=4, seed=3, threshold=0.0)
    assert strict.p_gap_below_total.attrs["threshold"] == 0.0
    assert strict.attrs["shortfall_threshold"] == 0.0


def test_save_sweep_writes_one_file_that_reads_back_identical(
    local: xr.Dataset, tmp_path: Path
) -> None:
    path = tmp_path / "sweep.h5"
    save_sweep(local, path)
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.h5"]  # no temporary left
    back = open_sweep(path)
    xr.testing.assert_identical(local, back)
    with xr.open_dataset(path, engine="h5netcdf") as raw:
        assert raw.attrs["filetype"] == "staffsim.sweep"
        assert raw[LEVER_NAME].attrs["path"] == LEVER
    # a results file is not a sweep file
    res = tmp_path / "results.h5"
    staffsim.run(staffsim.Scenario.load(PREVENTION)).save(res)
    with pytest.raises(OSError, match="not a staffsim sweep file"):
        open_sweep(res)


def test_a_failed_save_leaves_nothing_behind(local: xr.Dataset, tmp_path: Path) -> None:
    bad = local.assign_attrs(unwritable={"a": 1})  # netCDF attributes cannot be dicts
    with pytest.raises((TypeError, ValueError)):
        save_sweep(bad, tmp_path / "bad.h5")
    assert list(tmp_path.iterdir()) == []


def test_bad_sweep_arguments_are_refused() -> None:
    sc = staffsim.Scenario.load(PREVENTION)
    with pytest.raises(ValueError, match="either grid or samples"):
        sweep(sc, grid={LEVER: [1.0]}, samples={LEVER: [1.0]}, draws=1)
    with pytest.raises(ValueError, match="equal lengths"):
        sweep(sc, samples={LEVER: [1.0, 0.9], "stochastic": [True]}, draws=1)
    with pytest.raises(ValueError, match="paths="):
        sweep(sc, samples=np.ones((2, 2)), draws=1)
    with pytest.raises(ValueError, match="draws"):
        sweep(sc, grid={LEVER: [1.0]}, draws=0)
    with pytest.raises(ValueError, match="unknown"):  # the engine's message
        sweep(sc, grid={"levers.no_such_lever.path.to_value": [1.0]}, draws=1)


def test_latin_hypercube_puts_one_point_in_each_stratum() -> None:
    design = latin_hypercube({"a": (0.0, 1.0), "b": (10.0, 20.0)}, 8, seed=1)
    assert sorted(np.floor(design["a"] * 8).astype(int)) == list(range(8))
    assert sorted(np.floor((design["b"] - 10.0) / 10.0 * 8).astype(int)) == list(range(8))
    again = latin_hypercube({"a": (0.0, 1.0), "b": (10.0, 20.0)}, 8, seed=1)
    np.testing.assert_array_equal(design["a"], again["a"])


def test_the_package_exports_the_sweep_api() -> None:
    """What bindings/staffsim/__init__.py re-exports (DESIGN.md 5)."""
    assert callable(staffsim.sweep)
    assert staffsim.save_sweep is save_sweep
    assert staffsim.open_sweep is open_sweep
    assert callable(importlib.import_module("staffsim.sensitivity").sobol)
    assert callable(importlib.import_module("staffsim.plotting").fan_chart)
