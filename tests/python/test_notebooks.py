"""The notebooks run top to bottom in a fresh kernel, in quick mode, and the
numbers their conclusions state are the results' (issue: notebooks).

Each notebook ends by printing `FINDINGS {json}`: the figures its text
quotes. The checks below recompute each figure from the results with
code of their own and compare.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def execute(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    os.environ["STAFFSIM_QUICK"] = "1"
    os.environ["STAFFSIM_ROOT"] = str(ROOT)
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError when a cell fails
    return nb


def findings(nb: nbformat.NotebookNode) -> dict:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for line in out.get("text", "").splitlines():
                if line.startswith("FINDINGS "):
                    return json.loads(line[len("FINDINGS ") :])
    raise AssertionError("the notebook printed no FINDINGS line")


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "no notebooks under notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_outputs_are_stripped_in_the_repository(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, (
                f"{path.name}: outputs not stripped"
            )


def check_growth_cases(found: dict) -> None:
    import staffsim

    files = {
        "low growth": "low_growth.yaml",
        "baseline": "baseline.yaml",
        "personalisation": "personalisation.yaml",
        "high growth": "high_growth.yaml",
    }
    rows = {r["case"]: r for r in found["rows"]}
    assert set(rows) == set(files)
    for case, file in files.items():
        ds = staffsim.run(
            staffsim.Scenario.load(ROOT / "scenarios" / "england_2025" / file)
        ).to_xarray()
        y25 = ds.sel(year=2025)
        staff = float(y25.headcount.sum()) / 1e6
        posts = ds.posts_hc.sum(["role", "sector"])
        pa = float(
            y25.posts_hc.sel(role="personal_assistant").sum() / y25.posts_hc.sum()
        )
        vac = float(y25.vacancies_hc.sum() / y25.posts_hc.sum())
        old = float(
            y25.age_profile.sel(age_band=["55-64", "65+"]).sum() / y25.headcount.sum()
        )
        row = rows[case]
        assert row["staff 2025 (m)"] == pytest.approx(staff, abs=5e-4), case
        assert row["posts 2025 / 2010"] == pytest.approx(
            float(posts.sel(year=2025) / posts.sel(year=2010)), abs=5e-5
        )
        assert row["PA share of posts 2025"] == pytest.approx(pa, abs=5e-5), case
        assert row["vacancy rate 2025"] == pytest.approx(vac, abs=5e-5), case
        assert row["aged 55+ in 2025"] == pytest.approx(old, abs=5e-5), case
    # The sources' figures the cases are built to reproduce (004:71, 003:370).
    assert rows["low growth"]["staff 2025 (m)"] == pytest.approx(1.8, abs=0.02)
    assert rows["high growth"]["staff 2025 (m)"] == pytest.approx(2.6, abs=0.02)
    assert rows["personalisation"]["PA share of posts 2025"] == pytest.approx(
        0.29, abs=0.001
    )


def check_monte_carlo_sweeps(found: dict) -> None:
    import numpy as np
    import staffsim
    from staffsim.sensitivity import sobol

    assert found["draws"] == 100, "quick mode"
    sc = staffsim.Scenario.load(ROOT / "scenarios" / "england_2025" / "uncertain.yaml")
    ds = staffsim.run(sc, draws=found["draws"], seed=found["seed"]).to_xarray()
    hc = ds.headcount.sel(year=2025).astype(np.float64).sum(["role", "sector"]).values
    np.testing.assert_allclose(
        found["hc2025_q"], np.quantile(hc, [0.05, 0.5, 0.95]), rtol=1e-9
    )
    total = (
        ds[["vacancies", "posts"]]
        .sel(year=2025)
        .astype(np.float64)
        .sum(["role", "sector"])
    )
    rate = (total.vacancies / total.posts).values
    np.testing.assert_allclose(
        found["rate2025_q"], np.quantile(rate, [0.05, 0.5, 0.95]), rtol=1e-6
    )
    assert found["p_rate_above_10_2025"] == float(np.mean(rate > 0.10))
    # 2.19-2.31 million sits inside the sources' 1.8-2.6 million (004:71).
    assert 1.8e6 < found["hc2025_q"][0] < found["hc2025_q"][2] < 2.6e6
    deterministic = sc.with_overrides(
        {
            "uncertainty": None,
            "levers.turnover_level": {
                "type": "retention",
                "path": {
                    "start_year": 2010,
                    "end_year": 2011,
                    "from_value": 1.0,
                    "to_value": 1.0,
                    "shape": "step",
                },
            },
        }
    )
    table = sobol(
        deterministic,
        {
            "levers.turnover_level.path.to_value": (0.78, 1.14),
            "demand.prevalence[older_people,85+]": (0.195, 0.455),
            "levers.personalisation_older.path.to_value": (0.15, 0.40),
        },
        N=found["sobol_N"],
        seed=found["seed"],
    )
    top = table.sort_values("ST", ascending=False).iloc[0]
    assert found["top_parameter"] == top["parameter"]
    assert found["top_ST"] == float(top["ST"])
    assert found["dask_identical"] is True


def check_commissioner_2025_demand(found: dict) -> None:
    import staffsim

    files = {
        "baseline": "need_2025.yaml",
        "prevention": "prevention_2025.yaml",
        "personalisation": "personalisation_2025.yaml",
        "retention": "retention_2025.yaml",
    }
    rows = {r["scenario"]: r for r in found["rows"]}
    assert set(rows) == set(files)
    for case, file in files.items():
        path = ROOT / "scenarios" / "stoke_on_trent_2011" / file
        ds = staffsim.run(staffsim.Scenario.load(path)).to_xarray()
        y = ds.sel(year=2025)
        gap = (y.fte - y.posts).to_series()
        money = ds.sel(year=slice(2012, 2025))
        row = rows[case]
        assert row["staff 2025"] == round(float(y.headcount.sum())), case
        assert row["posts 2025"] == round(float(y.posts_hc.sum())), case
        vac = float(y.vacancies_hc.sum() / y.posts_hc.sum())
        assert row["vacancy rate 2025"] == pytest.approx(vac, abs=5e-5), case
        assert row["gap 2025 (FTE)"] == pytest.approx(float(gap.sum()), abs=0.05), case
        role, sector = gap.idxmin()
        assert row["largest shortfall"] == f"{role} / {sector}", case
        assert row["largest shortfall (FTE)"] == pytest.approx(gap.min(), abs=0.05)
        recruit = float(money.recruitment_cost.sum()) / 1e6
        cover = float(money.vacancy_cover_cost.sum()) / 1e6
        assert row["recruitment 2012-2025 (GBP m)"] == pytest.approx(recruit, abs=0.005)
        assert row["vacancy cover 2012-2025 (GBP m)"] == pytest.approx(cover, abs=0.005)
        outlook = round(float(y.retirement_outlook_5.sum()))
        assert row["to retire within 5 years of 2025"] == outlook, case
        if case == "baseline":
            observed = round(row["staff 2025"] * float(ds.attrs["coverage"]))
            assert found["observed_2025"] == observed
    # The strategy's range in NMDS-SC terms (004:73) holds the baseline.
    assert 6226 <= found["observed_2025"] <= 8993
    # What would it take: the goal is the engine's answer, and independent
    # runs confirm it (met at the value, missed a little nearer the
    # scenario's 0.71).
    goal = found["goal"]
    scenario = staffsim.Scenario.load(ROOT / "scenarios" / "stoke_on_trent_2011" / files["retention"])
    again = staffsim.goal(scenario, goal["lever"], goal["target"])
    assert goal["met"] is True and again.met
    assert goal["value"] == pytest.approx(again.value, rel=1e-12)

    def vacancy_rate(value: float) -> float:
        alt = scenario.with_overrides({"levers.retention_all.path.to_value": value})
        y = staffsim.run(alt).to_xarray().sel(year=2025)
        return float(y.vacancies_hc.sum() / y.posts_hc.sum())

    assert vacancy_rate(goal["value"]) <= 0.02 + 1e-9
    assert vacancy_rate(goal["value"] + 0.01) > 0.02
    assert goal["vacancy rate 2025"] == pytest.approx(vacancy_rate(goal["value"]), rel=1e-9)


CHECKS = {
    "commissioner_2025_demand": check_commissioner_2025_demand,
    "growth_cases": check_growth_cases,
    "monte_carlo_sweeps": check_monte_carlo_sweeps,
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_its_numbers_are_the_results(path: Path) -> None:
    nb = execute(path)
    assert path.stem in CHECKS, f"{path.name} has no check of its numbers"
    CHECKS[path.stem](findings(nb))
