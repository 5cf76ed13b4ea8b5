"""The Python package (DESIGN.md 5): `pip install .` into a fresh virtual
environment gives `import staffsim` and the `staffsim` command with one
version; `run(...).to_xarray()` equals `open_results()` of the saved file and
the CLI's file for the same seed.

Needs staffsim installed in the interpreter that runs pytest (scripts/test.sh
installs it into .venv) and STAFFSIM_CLI, the CLI of the CMake build.
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import staffsim
import xarray as xr

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("STAFFSIM_CLI", ROOT / "build" / "staffsim"))
PROJECTION = ROOT / "scenarios" / "central_bedfordshire_2009" / "projection.yaml"
# The same clock for every writer, so whole Datasets compare, attributes included.
EPOCH = "1700000000"


def cli_file(cli: Path, tmp: Path, name: str, *args: str) -> Path:
    out = tmp / name
    done = subprocess.run(
        [str(cli), "run", str(PROJECTION), "-q", *args, "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )
    assert done.returncode == 0, done.stderr
    return out


def clis() -> list[Path]:
    """The CMake build's CLI and the one the wheel installed next to Python."""
    if not CLI.exists():
        pytest.fail(f"staffsim command not found at {CLI}: set STAFFSIM_CLI")
    wheel_cli = Path(sys.prefix) / "bin" / "staffsim"
    return [CLI] + ([wheel_cli] if wheel_cli.exists() else [])


@pytest.mark.parametrize(
    ("draws", "seed"), [(1, 0), (5, 3)], ids=["single_run", "ensemble_5_draws"]
)
def test_to_xarray_equals_the_saved_file_and_the_cli_file(
    draws: int, seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    sc = staffsim.Scenario.load(PROJECTION)
    res = staffsim.run(sc, draws=draws, seed=seed)
    assert res.is_ensemble == (draws > 1)
    ds = res.to_xarray()
    assert ds.attrs["created_utc"] == "2023-11-14T22:13:20Z"
    res.save(tmp_path / "py.h5")
    saved = staffsim.open_results(tmp_path / "py.h5")
    xr.testing.assert_identical(ds, saved)
    for i, cli in enumerate(clis()):
        args = ["--draws", str(draws), "--seed", str(seed)]
        with xr.open_dataset(
            cli_file(cli, tmp_path, f"cli{i}.h5", *args), engine="h5netcdf"
        ) as f:
            # git_sha: the commit each binary was configured at (the same in CI).
            cli_ds = f.load()
            cli_ds.attrs["git_sha"] = ds.attrs["git_sha"]
            xr.testing.assert_identical(ds, cli_ds)
    # Attributes of every variable, which assert_identical also checked.
    for name, var in ds.variables.items():
        assert var.attrs["units"], name
        assert var.attrs["long_name"], name
    if draws > 1:
        assert ds.sizes["draw"] == draws
        assert ds["headcount"].dtype == "float32"
        assert {"headcount_q", "headcount_mean", "headcount_mean_se"} <= set(
            ds.data_vars
        )


def test_ensemble_is_the_same_on_one_and_two_threads() -> None:
    sc = staffsim.Scenario.load(PROJECTION)
    one = staffsim.run(sc, draws=5, seed=3, threads=1).to_xarray()
    two = staffsim.run(sc, draws=5, seed=3, threads=2).to_xarray()
    xr.testing.assert_identical(one.drop_attrs(), two.drop_attrs())


def test_a_block_of_draws_equals_those_draws_of_the_whole() -> None:
    sc = staffsim.Scenario.load(PROJECTION)
    whole = staffsim.run(sc, draws=6, seed=3).to_xarray()
    block = staffsim.run(sc, draws=3, seed=3, first_draw=3).to_xarray()
    assert list(block["draw"].values) == [3, 4, 5]
    xr.testing.assert_identical(
        whole["headcount"].sel(draw=[3, 4, 5]), block["headcount"]
    )


def test_progress_callback_counts_the_draws() -> None:
    seen: list[tuple[int, int]] = []
    sc = staffsim.Scenario.load(PROJECTION)
    staffsim.run(
        sc, draws=4, seed=1, progress=lambda done, total: seen.append((done, total))
    )
    assert seen and seen[-1] == (4, 4)


@pytest.mark.skipif(
    os.environ.get("STAFFSIM_SKIP_PIP_VENV") == "1", reason="STAFFSIM_SKIP_PIP_VENV=1"
)
def test_pip_install_into_a_fresh_venv(tmp_path: Path) -> None:
    """What a user does: `pip install .` (build isolation, deps from PyPI or
    pip's cache) into a new environment. The build reuses the project's
    build tree (pyproject.toml's build-dir, or STAFFSIM_PIP_BUILD_DIR: the
    Release tree scripts/test.sh built), so the engine is not compiled again;
    the module is, against the isolated build's pybind11."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if "STAFFSIM_PIP_BUILD_DIR" in os.environ:  # scripts/test.sh: its Release tree
        pip += ["-C", f"build-dir={os.environ['STAFFSIM_PIP_BUILD_DIR']}"]
        # ... configured as that tree is, so nothing but the module rebuilds.
        pip += ["-C", "cmake.define.STAFFSIM_BUILD_TESTS=ON"]
        pip += ["-C", "cmake.define.STAFFSIM_BUILD_BENCHMARKS=ON"]
    done = subprocess.run(
        [*pip, str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Imported from the new environment, not from the source tree.
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import staffsim; print(staffsim.__version__, staffsim.__file__)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    version, where = probe.stdout.split()
    assert Path(where).is_relative_to(env_dir), where
    assert version == staffsim.__version__
    cli = env_dir / "bin" / "staffsim"
    assert cli.exists(), "pip install did not put the staffsim command on PATH"
    shown = subprocess.run(
        [str(cli), "--version"], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == f"staffsim {version}"
    # The installed command and module run a scenario.
    out = tmp_path / "r.h5"
    subprocess.run([str(cli), "run", str(PROJECTION), "-q", "-o", str(out)], check=True)
    check = subprocess.run(
        [
            str(python),
            "-c",
            (
                "import sys, staffsim; "
                "ds = staffsim.open_results(sys.argv[1]); "
                "r = staffsim.run(staffsim.Scenario.load(sys.argv[2])).to_xarray(); "
                "assert (ds.headcount == r.headcount).all(); print(ds.sizes['year'])"
            ),
            str(out),
            str(PROJECTION),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert check.returncode == 0, check.stderr
    assert int(check.stdout) == 17
