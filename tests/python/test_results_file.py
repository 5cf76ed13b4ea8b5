"""The results file opens without staffsim installed (DESIGN.md 4).

These tests run the staffsim command (STAFFSIM_CLI, default build/staffsim)
and read what it writes with xarray (h5netcdf engine), h5py and ncdump only:
dimensions, labels, units and attributes, and values equal to the engine's
own CSV and summary.
"""

import csv
import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("STAFFSIM_CLI", ROOT / "build" / "staffsim"))
SCENARIO = ROOT / "scenarios" / "central_bedfordshire_2009" / "calibration.yaml"

DIMS = {
    "year": 2,
    "role": 5,
    "sector": 2,
    "age_band": 6,
    "age_band_nmds": 6,
    "tenure_band": 4,
    "origin": 7,
    "destination": 8,
    "client_group": 0,
    "source": 4,
    "programme": 0,
}
CELL = ("year", "role", "sector")
FLOWS = ("leavers", "starters", "turnover_rate", "wastage", "joiners", "pay_bill")


def run_cli(*args: str) -> str:
    """Run the staffsim command and return its standard output."""
    done = subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Central Bedfordshire run written as HDF5 and as CSV."""
    if not CLI.exists():
        pytest.fail(f"staffsim command not found at {CLI}: set STAFFSIM_CLI")
    folder = tmp_path_factory.mktemp("results")
    out = {"h5": folder / "cb.h5", "csv": folder / "cb.csv"}
    run_cli("run", str(SCENARIO), "-q", "-o", str(out["h5"]))
    run_cli("run", str(SCENARIO), "-q", "-o", str(out["csv"]))
    return out


@pytest.fixture(scope="module")
def ds(files: dict[str, Path]) -> xr.Dataset:
    """The whole file, loaded into memory through xarray's h5netcdf engine."""
    with xr.open_dataset(files["h5"], engine="h5netcdf") as opened:
        return opened.load()


def test_xarray_sees_every_dimension_with_its_labels(ds: xr.Dataset) -> None:
    assert dict(ds.sizes) == DIMS
    assert ds["year"].values.tolist() == [2008, 2009]
    assert ds["year"].dtype == np.int32
    assert ds["role"].values.tolist() == [
        "care_worker",
        "senior_care_worker",
        "manager",
        "registered_nurse",
        "ancillary",
    ]
    assert ds["sector"].values.tolist() == ["local_authority", "independent"]
    assert ds["age_band"].values.tolist() == [
        "16-24",
        "25-34",
        "35-44",
        "45-54",
        "55-64",
        "65+",
    ]
    assert ds["age_band_nmds"].values.tolist()[0] == "18-29"
    assert ds["tenure_band"].values.tolist() == ["0-0.5", "0.5-2", "2-5", "5+"]
    assert "retired" in ds["destination"].values.tolist()
    assert "promoted" in ds["destination"].values.tolist()
    assert ds["origin"].values.tolist()[0] == "hire"


def test_every_variable_has_units_and_long_name(ds: xr.Dataset) -> None:
    for name, var in ds.variables.items():
        assert var.attrs.get("units"), f"{name} has no units"
        assert var.attrs.get("long_name"), f"{name} has no long_name"
    assert ds["headcount"].attrs["units"] == "people"
    assert ds["fte"].attrs["units"] == "FTE"
    assert ds["pay_bill"].attrs["units"] == "GBP"
    assert ds["turnover_rate"].attrs["units"] == "1"


def test_variables_are_in_year_role_sector_order(ds: xr.Dataset) -> None:
    for name in ("headcount", "fte", "posts", "vacancies", "gap", "leavers"):
        assert ds[name].dims == CELL
    assert ds["age_profile"].dims == (*CELL, "age_band")
    assert ds["age_profile_nmds"].dims == (*CELL, "age_band_nmds")
    assert ds["leavers_by_destination"].dims == (*CELL, "destination")
    assert ds["starters_by_origin"].dims == (*CELL, "origin")
    assert ds["hires_by_source"].dims == (*CELL, "source")
    assert ds["trainees"].dims == ("year", "programme")


def test_root_attributes(ds: xr.Dataset) -> None:
    attrs = ds.attrs
    assert attrs["filetype"] == "staffsim.results"
    assert re.fullmatch(r"1\.\d+", attrs["format_version"])
    assert attrs["staffsim_version"]
    assert re.fullmatch(r"[0-9a-f]{40}|unknown", attrs["git_sha"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", attrs["created_utc"])
    assert attrs["scenario_name"] == "central_bedfordshire_2009_calibration"
    assert (attrs["seed"], attrs["draws"], attrs["stochastic"]) == (0, 1, 0)
    assert attrs["coverage"] == 1.0
    assert attrs["posts_by_construction"] in (0, 1)


def test_first_year_flows_are_fill_values(ds: xr.Dataset) -> None:
    for name in FLOWS:
        assert np.isnan(ds[name].sel(year=2008)).all(), name
        assert not np.isnan(ds[name].sel(year=2009)).any(), name
    assert math.isnan(ds["leavers"].encoding["_FillValue"])


def test_the_census_figures(ds: xr.Dataset) -> None:
    # Central Bedfordshire, November 2009: 2,158 staff, 445 leavers, 326 starters.
    last = ds.sel(year=2009)
    assert float(last["headcount"].sum()) == pytest.approx(2158, abs=0.5)
    assert float(last["leavers"].sum()) == pytest.approx(445, abs=0.5)
    assert float(last["starters"].sum()) == pytest.approx(326, abs=0.5)
    by_band = last["age_profile"].sum("age_band")
    np.testing.assert_allclose(by_band, last["headcount"], rtol=1e-12)


def test_provenance_group(files: dict[str, Path]) -> None:
    with xr.open_dataset(files["h5"], engine="h5netcdf", group="provenance") as prov:
        prov.load()
        yaml = str(prov["scenario_yaml"].values)
        assert yaml.startswith("staffsim_scenario: 1")
        digests = prov["sha256"].values.tolist()
        assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in digests)
        assert any(str(f).endswith("calibration.yaml") for f in prov["input"].values)


def test_h5py_sees_netcdf_dimension_scales(files: dict[str, Path]) -> None:
    with h5py.File(files["h5"], "r") as f:
        assert f.attrs["filetype"] == b"staffsim.results"
        for dim in DIMS:
            assert f[dim].is_scale, dim
            assert "_Netcdf4Dimid" in f[dim].attrs
        headcount = f["headcount"]
        assert [headcount.dims[i][0].name for i in range(3)] == [
            "/year",
            "/role",
            "/sector",
        ]
        assert np.isnan(headcount.attrs["_FillValue"])
        assert headcount.dtype == np.float64
        assert f["provenance/sha256"].dims[0][0].name == "/provenance/input"


def test_ncdump_prints_the_values(files: dict[str, Path]) -> None:
    ncdump = shutil.which("ncdump")
    assert ncdump, "ncdump not found: install Debian's netcdf-bin"
    text = subprocess.run(
        [ncdump, "-v", "headcount", str(files["h5"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "double headcount(year, role, sector) ;" in text
    assert ':filetype = "staffsim.results" ;' in text
    data = text.split("headcount =", 1)[1].split(";", 1)[0]
    printed = [float(v) for v in data.replace("\n", " ").split(",")]
    with h5py.File(files["h5"], "r") as f:
        np.testing.assert_allclose(printed, f["headcount"][...].ravel(), rtol=1e-6)


def test_values_equal_the_engine_csv(ds: xr.Dataset, files: dict[str, Path]) -> None:
    with open(files["csv"], newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == ds.sizes["year"] * ds.sizes["role"] * ds.sizes["sector"]
    columns = {
        "headcount": lambda c: c["headcount"],
        "fte": lambda c: c["fte"],
        "posts": lambda c: c["posts"],
        "posts_hc": lambda c: c["posts_hc"],
        "vacancies": lambda c: c["vacancies"],
        "retirement_outlook_5": lambda c: c["retirement_outlook_5"],
        "leavers_retired": lambda c: c["leavers_by_destination"].sel(
            destination="retired"
        ),
        "leavers_exit": lambda c: c["leavers_by_destination"].sel(destination="exit"),
        "starters_hire": lambda c: c["starters_by_origin"].sel(origin="hire"),
        "pay_bill": lambda c: c["pay_bill"],
    }
    for row in rows:
        cell = ds.sel(year=int(row["year"]), role=row["role"], sector=row["sector"])
        for column, pick in columns.items():
            want = float(row[column]) if row[column] != "" else math.nan
            got = float(pick(cell))
            if math.isnan(want):
                assert math.isnan(got), (row["year"], column)
            else:
                assert got == want, (row["year"], row["role"], row["sector"], column)


def test_values_equal_the_summary(ds: xr.Dataset, files: dict[str, Path]) -> None:
    summary = json.loads(
        run_cli("summary", str(files["h5"]), "--format", "json", "--by", "sector")
    )
    assert summary["by"] == "sector"
    for row in summary["rows"]:
        cell = ds.sel(year=row["year"], sector=row["group"])
        assert row["headcount"] == pytest.approx(
            float(cell["headcount"].sum()), rel=1e-12
        )
        assert row["fte"] == pytest.approx(float(cell["fte"].sum()), rel=1e-12)
        assert row["posts_fte"] == pytest.approx(float(cell["posts"].sum()), rel=1e-12)
        assert row["vacancies_fte"] == pytest.approx(
            float(cell["vacancies"].sum()), rel=1e-12, abs=1e-9
        )
        if row["year"] == 2008:
            assert row["leavers"] is None
        else:
            assert row["leavers"] == pytest.approx(
                float(cell["leavers"].sum()), rel=1e-12
            )
            assert row["wastage"] == pytest.approx(
                float(cell["wastage"].sum()), rel=1e-12
            )
