"""An ensemble's results file (docs/results-format.md, "Ensembles") read with
xarray and h5py only: the draw and quantile dimensions, the per-draw core
set as float32, and summaries that agree with NumPy on the per-draw values.
"""

import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("STAFFSIM_CLI", ROOT / "build" / "staffsim"))
SCENARIO = ROOT / "scenarios" / "central_bedfordshire_2009" / "projection.yaml"
CORE = (
    "headcount",
    "fte",
    "posts",
    "posts_hc",
    "vacancies",
    "starters",
    "leavers",
    "wastage",
    "joiners",
)


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve draws of the Central Bedfordshire projection."""
    if not CLI.exists():
        pytest.fail(f"staffsim command not found at {CLI}: set STAFFSIM_CLI")
    out = tmp_path_factory.mktemp("ensemble") / "e.h5"
    done = subprocess.run(
        [str(CLI), "run", str(SCENARIO), "-q", "--draws", "12", "--seed", "4"]
        + ["-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_xarray_loads_the_whole_ensemble(ensemble: Path) -> None:
    with xr.open_dataset(ensemble, engine="h5netcdf") as ds:
        ds.load()
        assert ds.sizes["draw"] == 12
        assert list(ds["quantile"].values) == [0.05, 0.25, 0.5, 0.75, 0.95]
        assert ds.attrs["draws"] == 12
        assert ds.attrs["seed"] == 4
        for name in CORE:
            var = ds[name]
            assert var.dims == ("draw", "year", "role", "sector"), name
            assert var.dtype == np.float32, name
            assert ds[name + "_q"].dims == ("quantile", "year", "role", "sector")
            assert ds[name + "_mean"].dims == ("year", "role", "sector")
            assert "units" in ds[name + "_mean_se"].attrs
        # Variables that are not in the core set exist as summaries only.
        assert "age_profile" not in ds
        assert ds["age_profile_q"].dims[0] == "quantile"
        assert ds["p_gap_below_total"].attrs["threshold"] == pytest.approx(0.1)


def test_summaries_agree_with_numpy_on_the_draws(ensemble: Path) -> None:
    with xr.open_dataset(ensemble, engine="h5netcdf") as ds:
        for name in ("headcount", "vacancies"):
            draws = ds[name].values.astype(np.float64)
            expected_q = np.quantile(draws, ds["quantile"].values, axis=0)
            # The file's quantiles come from the same float32 values.
            np.testing.assert_allclose(ds[name + "_q"].values, expected_q, rtol=1e-12)
            # Means come from the double values, so agree to float32 rounding.
            np.testing.assert_allclose(
                ds[name + "_mean"].values, draws.mean(axis=0), rtol=1e-6
            )
        rate = (ds.vacancies / ds.posts).values
        share = (rate > 0.1).mean(axis=0)
        np.testing.assert_allclose(ds["p_vacancy_rate_above"].values, share)


def test_h5py_sees_chunked_per_draw_values(ensemble: Path) -> None:
    with h5py.File(ensemble, "r") as f:
        assert f["headcount"].chunks[0] == 12  # min(64, draws)
        assert f["headcount"].compression is None
        assert f.attrs["format_version"].decode() == "1.1"
