"""The engine against the independent NumPy reference (benchmarks/reference_numpy.py).

For every shipped scenario (scenarios/**/*.yaml) and a set of feature
scenarios written here (training pipelines, capped sources and the
international lever, fixed hires, pay / retention / retirement_shift /
demand_scale levers, costs, outsourcing, index mode, a posts table, tenure
and role x age margins with not_recorded rows and age weights, coverage, 1,
2 and 12 steps a year), run the engine CLI (`staffsim run SCEN -o x.csv`)
and the reference, and compare every numeric column with
|a - b| <= 1e-9 * max(|a|, |b|) + 1e-6 (DESIGN.md 7).  The reference's own
ledger must balance to relative 1e-12.

The engine CLI comes from $STAFFSIM_CLI (default: build/staffsim).
"""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("STAFFSIM_CLI", ROOT / "build" / "staffsim"))
SCENARIOS = sorted((ROOT / "scenarios").glob("**/*.yaml"))
KEYS = ("year", "role", "sector")
REL, ABS = 1e-9, 1e-6


def _load_reference():
    spec = importlib.util.spec_from_file_location("reference_numpy", ROOT / "benchmarks" / "reference_numpy.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


ref = _load_reference()


@pytest.fixture(scope="module")
def cli():
    if not CLI.is_file():
        pytest.fail(f"engine CLI not found at {CLI}: build it or set STAFFSIM_CLI")
    return CLI


def _read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows


def compare(cli, scenario, tmp_path):
    """Run both and return (report lines, failures)."""
    engine_csv = tmp_path / "engine.csv"
    ref_csv = tmp_path / "reference.csv"
    # Deterministic mode: the parameters as written, without an uncertainty
    # block (the reference reads them as written and ignores the block).
    proc = subprocess.run(
        [str(cli), "run", str(scenario), "-o", str(engine_csv), "--quiet", "--set", "uncertainty=null"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    model, sim = ref.run_scenario(str(scenario))
    ref.write_csv(ref_csv, model, sim)
    assert sim.ledger_error <= 1e-12, f"reference ledger out of balance: {sim.ledger_error:.3e}"

    eng, rf = _read(engine_csv), _read(ref_csv)
    eng_cols = [c for c in eng[0] if c not in KEYS]
    missing = [c for c in eng_cols if c not in rf[0]]
    assert not missing, f"columns the reference does not produce: {missing}"
    assert [tuple(r[k] for k in KEYS) for r in eng] == [tuple(r[k] for k in KEYS) for r in rf]

    failures, report = [], []
    for col in eng_cols:
        worst = (0.0, None)
        for e, r in zip(eng, rf):
            a, b = e[col], r[col]
            where = "/".join(e[k] for k in KEYS)
            if a == "" or b == "":
                if a != b:
                    failures.append(f"{col} at {where}: engine {a!r}, reference {b!r}")
                continue
            a, b = float(a), float(b)
            d = abs(a - b)
            if not (math.isfinite(a) and math.isfinite(b)) or d > REL * max(abs(a), abs(b)) + ABS:
                failures.append(f"{col} at {where}: engine {a!r}, reference {b!r} (diff {d:.3e})")
            if d >= worst[0]:
                worst = (d, where)
        report.append(f"{col:28s} max |diff| {worst[0]:.3e} at {worst[1]}")
    return report, failures


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[str(p.relative_to(ROOT / "scenarios")) for p in SCENARIOS])
def test_shipped_scenario_agrees(cli, scenario, tmp_path):
    report, failures = compare(cli, scenario, tmp_path)
    print(f"\n{scenario.relative_to(ROOT)}:\n  " + "\n  ".join(report))
    assert not failures, "\n".join(failures[:30]) + f"\n({len(failures)} differences)"


# ---------------------------------------------------------------------------
# Feature scenarios: each extends a shipped one and turns on what the shipped
# scenarios do not use.
# ---------------------------------------------------------------------------

FEATURES = {
    "training": """
staffsim_scenario: 1
extends: calibration.yaml
name: f_training
time: {start_year: 2008, end_year: 2014}
supply:
  training:
    - name: nvq
      role: care_worker
      duration: 1
      intake: {2008: 100, 2012: 160}
      intake_age: {"18-24": 2, "25-40": 1}
      attrition: 0.1
      retained: 0.8
      sectors: {local_authority: 0.3, independent: 0.7}
    - name: nursing
      role: registered_nurse
      duration: 3
      intake: 30
      intake_age: {"20-30": 1}
      attrition: 0.05
      in_training: [30, 25, 20]
      sectors: {independent: 1}
levers:
  more_nvq:
    type: training_intake
    programme: nvq
    path: {start_year: 2010, end_year: 2014, from_value: 100, to_value: 200, shape: logistic}
""",
    "recruitment": """
staffsim_scenario: 1
extends: calibration.yaml
name: f_recruit
time: {start_year: 2008, end_year: 2014}
supply:
  recruitment:
    sources:
      - name: school_leavers
        cap: 40
      - name: international
        ages: {"22-44": 1}
        cap: 30
    by_role:
      manager: {mode: fixed, rate: 0.12, sources: {career_changers: 0.5, returners: 0.5}}
      ancillary: {mode: none}
    by_cell:
      registered_nurse:
        independent: {mode: fixed, number: 14, sources: {international: 0.6, returners: 0.4}}
levers:
  intl_share:
    type: international_recruitment
    recruitment_source: international
    acts_on: share
    path: {2008: 0.0, 2013: 0.3}
  intl_cap:
    type: international_recruitment
    recruitment_source: international
    acts_on: cap
    path: {start_year: 2011, from_value: 30, to_value: 10, shape: step}
""",
    "supply_levers_costs_12_steps": """
staffsim_scenario: 1
extends: calibration.yaml
name: f_levers
time: {start_year: 2008, end_year: 2016, steps_per_year: 12}
supply:
  turnover:
    unit: probability
    base: {default: 0.17, by_sector: {local_authority: 0.12}, by_cell: {manager: {independent: 0.2}}}
    base_is: reference
    age_factor:
      by_role:
        manager: {bands: {"18-39": 1.3, "40-74": 1.0}, reference: "40-74"}
    tenure_factor:
      by_role:
        ancillary: {values: {"0-0.5": 2.0, "0.5-2": 1.3, "2+": 1.0}}
  retirement:
    unit: hazard
    by_age: {"60-64": 0.05, "65-69": 0.2, "70-74": 0.3}
    by_role:
      manager: {by_age: {"58-62": 0.03, "63-74": 0.25}}
  destinations:
    by_role:
      care_worker:
        exit: 0.4
        same_sector: 0.4
        to_sector: {independent: 0.05}
        to_role: {ancillary: 0.1}
        to_role_sector: [{role: ancillary, sector: independent, share: 0.05}]
    by_cell:
      care_worker:
        independent:
          exit: 0.4
          same_sector: 0.45
          to_sector: null
          to_role: {ancillary: 0.1}
          to_role_sector: [{role: senior_care_worker, sector: local_authority, share: 0.05}]
  promotion:
    - name: care_to_manager
      from: care_worker
      to: manager
      max_rate: 0.02
      min_tenure: 2
      sectors: [independent]
levers:
  keep:
    type: retention
    select: {roles: [care_worker], sectors: [independent]}
    path: {start_year: 2010, end_year: 2014, from_value: 1.0, to_value: 0.7, shape: logistic, k: 6}
  payrise:
    type: pay
    elasticity: -1.5
    select: {roles: [care_worker, senior_care_worker]}
    path: {2008: 0.0, 2012: 0.1, 2016: 0.15}
  later:
    type: retirement_shift
    select: {roles: [manager, care_worker]}
    path: {start_year: 2009, end_year: 2017, from_value: 0, to_value: 2.5}
  cap:
    type: demand_scale
    select: {sectors: [local_authority]}
    path: {start_year: 2009, end_year: 2012, from_value: 1.0, to_value: 0.9}
costs:
  price_base_year: 2008
  pay: {default: 13000, by_role: {manager: 26000}}
  agency_share: {default: 0.5, by_sector: {independent: 0.7}}
  agency_premium: 1.3
  cost_per_hire: {default: 3600, by_role: {manager: 5000}}
""",
    "need_outsourcing_coverage": """
staffsim_scenario: 1
extends: projection.yaml
name: f_outsource
time: {end_year: 2016}
demand:
  coverage: 0.8
  opening_vacancies:
    total: null
    rate: {default: 0.07, by_sector: {independent: 0.09}}
  ratio:
    day_care: {registered_nurse: 0.02}
    home_care: {ancillary: 0.01}
  provider:
    nursing: {independent: 0.9, local_authority: 0.1}
levers:
  out:
    type: outsourcing
    select: {services: [home_care, day_care]}
    from_sector: local_authority
    to_sectors: [independent]
    path: {start_year: 2010, end_year: 2014, from_value: 0, to_value: 0.5}
  pers:
    type: personalisation
    select: {client_groups: [younger_adults]}
    to_service: reablement
    from_services: [day_care, home_care]
    path: {2009: 0.0, 2015: 0.9}
  prod:
    type: productivity
    select: {services: [home_care], roles: [care_worker]}
    path: {start_year: 2009, end_year: 2014, from_value: 1, to_value: 1.2}
  ds:
    type: demand_scale
    select: {roles: [manager]}
    path: {start_year: 2011, end_year: 2013, from_value: 1, to_value: 0.8}
""",
    "index_2_steps": """
staffsim_scenario: 1
extends: projection.yaml
name: f_index
time: {end_year: 2015, steps_per_year: 2}
demand:
  mode: index
  client_groups: null
  age_groups: null
  services: null
  prevalence: null
  mix: null
  ratio: null
  provider: null
  index:
    default: {2009: 1.0, 2015: 1.2}
    by_sector: {local_authority: {2009: 1.0, 2012: 0.95, 2015: 1.0}}
    by_cell: {manager: {independent: 1.0}}
levers:
  ds:
    type: demand_scale
    select: {roles: [care_worker]}
    path: {start_year: 2010, end_year: 2014, from_value: 1, to_value: 1.1, shape: step}
""",
    "stock_margins_posts_table": """
staffsim_scenario: 1
extends: calibration.yaml
name: f_stock
time: {end_year: 2013}
workforce:
  margins:
    - axes: [role, age]
      table: roleage.csv
      age_weights: {"50+": [5,5,5,5,5,4,4,4,4,4,3,3,3,3,3,2,2,2,2,2,1,1,1,1,1]}
    - axes: [sector, tenure]
      table: rstenure.csv
posts:
  unit: fte
  total: null
  table: poststab.csv
""",
    "routes_1_step": """
staffsim_scenario: 1
extends: calibration.yaml
name: f_routes
time: {end_year: 2016, steps_per_year: 1}
dimensions: {tenure_bands: [0, 1, 3]}
supply:
  turnover:
    tenure_factor: {reference: "1-3", values: [1.5, 1.0, 0.8]}
  promotion:
    - name: care_to_senior
      min_tenure: 1
      max_rate: 0.3
    - name: senior_to_manager
      min_tenure: 1
      max_rate: 0.5
    - name: care_to_manager_a
      from: care_worker
      to: manager
      max_rate: 0.9
      min_tenure: 1
    - name: care_to_manager_b
      from: care_worker
      to: manager
      max_rate: 0.9
      min_tenure: 3
    - name: anc_to_nurse
      from: ancillary
      to: registered_nurse
      max_rate: 0.5
      sectors: [independent]
  training:
    - name: two_year
      role: manager
      duration: 2
      intake: 20
      intake_age: {"70-74": 1}
      in_training: [10, 8]
      sectors: {local_authority: 1}
levers:
  ds:
    type: demand_scale
    select: {roles: [manager, registered_nurse]}
    path: {start_year: 2009, end_year: 2011, from_value: 1, to_value: 1.6}
""",
}

TABLES = {
    "roleage.csv": """role,age,value
care_worker,18-29,400
care_worker,30-49,500
care_worker,50+,300
care_worker,not_recorded,100
senior_care_worker,18-39,80
senior_care_worker,40+,100
manager,25-49,100
manager,50+,70
registered_nurse,22-59,113
ancillary,18-74,139
not_recorded,30-49,60
""",
    "rstenure.csv": """sector,tenure,value
local_authority,0-1,80
local_authority,1-3,100
local_authority,3-10,200
local_authority,10+,137
independent,0-0.5,300
independent,0.5-2,400
independent,2-5,500
independent,5+,441
""",
    "poststab.csv": """role,sector,year,value
care_worker,local_authority,2008,300
care_worker,local_authority,2011,320
care_worker,independent,2008,950
care_worker,independent,2010,1000
care_worker,independent,2013,1050
senior_care_worker,local_authority,2008,45
senior_care_worker,independent,2008,140
manager,local_authority,2008,42
manager,independent,2008,130
registered_nurse,local_authority,2008,27
registered_nurse,independent,2008,85
ancillary,local_authority,2008,30
ancillary,independent,2008,100
""",
}


@pytest.mark.parametrize("feature", sorted(FEATURES))
def test_feature_scenario_agrees(cli, feature, tmp_path):
    src = ROOT / "scenarios" / "central_bedfordshire_2009"
    work = tmp_path / "scen"
    work.mkdir()
    for f in src.iterdir():
        shutil.copy(f, work / f.name)
    for name, text in TABLES.items():
        (work / name).write_text(text)
    scen = work / f"{feature}.yaml"
    scen.write_text(FEATURES[feature].lstrip())
    out = tmp_path / "out"
    out.mkdir()
    report, failures = compare(cli, scen, out)
    print(f"\nfeature {feature}:\n  " + "\n  ".join(report))
    assert not failures, "\n".join(failures[:30]) + f"\n({len(failures)} differences)"


def test_draw_axis_is_vectorised_and_identical():
    """Every draw of the deterministic model holds the same numbers."""
    scen = ROOT / "scenarios" / "central_bedfordshire_2009" / "projection.yaml"
    model = ref.Model(str(scen))
    sim = ref.Simulation(model, draws=3)
    res = sim.run()
    assert sim.H.shape == (3, model.R, model.S, model.A, model.K)
    for col in ("headcount", "starters_hire", "leavers_promoted"):
        a = res[col][1:]
        assert np.array_equal(a[:, 0], a[:, 1]) and np.array_equal(a[:, 0], a[:, 2])
    assert sim.ledger_error <= 1e-12
    # The benchmark path (no ledger check) gives the same numbers.
    fast = ref.Simulation(model, draws=2).run(check_ledger=False)
    for col in ref.COLUMNS:
        np.testing.assert_array_equal(fast[col][:, 0], res[col][:, 0])
