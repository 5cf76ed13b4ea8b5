"""Every shipped scenario's results file loads in xarray (DESIGN.md 4, 8).

Each scenario under scenarios/ is run once by the staffsim command
(STAFFSIM_CLI, default build/staffsim); the runs are shared with
test_regression.py through tests/regression/run_regression.py.
"""

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "regression"))
rr = importlib.import_module("run_regression")

SCENARIOS = rr.shipped_scenarios()


@pytest.mark.parametrize(
    "scenario", SCENARIOS, ids=[rr.case_name(s) for s in SCENARIOS]
)
def test_results_file_loads_in_xarray(scenario: str) -> None:
    if not rr.cli().exists():
        pytest.fail(f"staffsim command not found at {rr.cli()}: set STAFFSIM_CLI")
    path = rr.run(scenario).results
    with xr.open_dataset(path, engine="h5netcdf") as opened:
        ds = opened.load()
    assert ds.sizes["year"] >= 2
    assert {"role", "sector", "age_band", "tenure_band"} <= set(ds.sizes)
    # An ensemble (a scenario with uncertainty) keeps headcount per draw.
    headcount = ds["headcount"]
    if "draw" in headcount.dims:
        assert headcount.dims[0] == "draw"
        headcount = headcount.isel(draw=0)
    headcount = headcount.values
    assert headcount.shape[0] == ds.sizes["year"]
    assert np.isfinite(headcount).all()
    assert (headcount >= 0).all()
