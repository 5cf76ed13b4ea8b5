"""Global sensitivity analysis of a scenario (or any model) with SALib.

>>> sc = staffsim.Scenario.load("scenarios/central_bedfordshire_2009/projection.yaml")
>>> table = sobol(sc, {"supply.turnover.base[*,*]": (0.15, 0.22),
...                    "demand.prevalence[*,*]": (0.02, 0.2)}, N=64)
>>> table                      # parameter, S1, S1_conf, ST, ST_conf
>>> staffsim.plotting.tornado(table)

SALib draws the design (Saltelli's extension of Sobol' sequences for
``sobol``, Morris trajectories for ``morris``); each row becomes a variant of
the scenario, ``scenario.with_overrides({path: value, ...})``, run through
``staffsim.sweep`` (locally or on a Dask client, with common random numbers
across rows), and ``output`` reduces each variant's results to one number.
A plain callable ``f(X) -> y`` on an (n, k) array goes through the same
sampling and analysis, so the method can be checked on functions whose
indices are known (e.g. Ishigami's).

Levels cancel under base-year calibration (DESIGN.md 2.3). Demand's
``scale[r,s] = posts0 / raw0`` is fitted per role and sector so that the
opening vacancy rate holds exactly, and it is refitted in every variant. So
multiplying prevalence, staff-per-user ratios or population by a constant
multiplies ``raw`` in every year and ``scale`` by its inverse, and posts do
not change: such a parameter gets indices of zero, which says that the
results do not depend on its level, not that it is unimportant in general.
Only shapes matter (the age gradient of prevalence, how ratios differ across
services, the population's growth), and those are what to vary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

import staffsim

if TYPE_CHECKING:
    import xarray

__all__ = ["morris", "problem_from", "sobol", "total_gap"]

Output = Callable[["xarray.Dataset"], float]


def total_gap(ds: xarray.Dataset, year: int | None = 2025) -> float:
    """The whole workforce's gap (fte - posts, FTE; negative: a shortfall) in
    `year` (2025, or the last year when the run ends before it), averaged over
    the draws of one variant."""
    years = [int(y) for y in ds["year"].values]
    y = year if year is not None and year in years else years[-1]
    gap = (ds["fte"].astype(np.float64) - ds["posts"].astype(np.float64)).sel(year=y)
    per_draw = gap.sum([d for d in gap.dims if d != "draw"])
    return float(per_draw.mean()) if "draw" in per_draw.dims else float(per_draw)


def problem_from(params: Mapping[str, Any] | Sequence[Any]) -> dict[str, Any]:
    """A SALib problem dict from {name: (low, high)} or from a SALib problem
    ({"names": [...], "bounds": [[low, high], ...]}, ``num_vars`` optional)."""
    if isinstance(params, Mapping) and "names" in params and "bounds" in params:
        problem = dict(params)
        problem["names"] = [str(n) for n in params["names"]]
        problem["bounds"] = [[float(lo), float(hi)] for lo, hi in params["bounds"]]
    elif isinstance(params, Mapping):
        problem = {
            "names": [str(n) for n in params],
            "bounds": [[float(lo), float(hi)] for lo, hi in params.values()],
        }
    else:
        raise TypeError(
            "params must be {name: (low, high)} or a SALib problem dict with names and bounds"
        )
    if len(problem["names"]) != len(problem["bounds"]):
        raise ValueError("params: as many bounds as names are needed")
    if not problem["names"]:
        raise ValueError("params: no parameters")
    for name, (lo, hi) in zip(problem["names"], problem["bounds"]):
        if not lo < hi:
            raise ValueError(f"params[{name!r}]: low {lo} must be below high {hi}")
    problem["num_vars"] = len(problem["names"])
    return problem


def _evaluate(
    model: Any,
    problem: dict[str, Any],
    X: np.ndarray,
    output: Output | None,
    draws: int,
    seed: int,
    threads: int,
    client: Any,
) -> np.ndarray:
    """y for every row of X: a scenario's variants through ``sweep``, or a
    callable model f(X) -> y (in chunks on `client` when one is given)."""
    if isinstance(model, staffsim.Scenario):
        from staffsim.sweep import sweep

        out = output if output is not None else total_gap
        ds = sweep(
            model,
            samples={name: X[:, j] for j, name in enumerate(problem["names"])},
            draws=draws,
            seed=seed,
            threads=threads,
            client=client,
        )
        y = np.array(
            [out(ds.isel(scenario=i)) for i in range(ds.sizes["scenario"])],
            dtype=np.float64,
        )
    elif callable(model):
        if output is not None:
            raise ValueError("output is for a scenario; a callable model returns y itself")
        if client is None:
            y = np.asarray(model(X), dtype=np.float64)
        else:
            chunks = np.array_split(X, max(1, min(len(X), 64)))
            futures = client.map(model, chunks, pure=False)
            y = np.concatenate(
                [np.asarray(r, dtype=np.float64).reshape(-1) for r in client.gather(futures)]
            )
        y = y.reshape(-1)
    else:
        raise TypeError(
            f"model must be a staffsim.Scenario or a callable f(X) -> y, "
            f"not {type(model).__name__}"
        )
    if y.shape != (len(X),):
        raise ValueError(f"the model gave {y.shape[0]} outputs for {len(X)} samples")
    if not np.all(np.isfinite(y)):
        raise ValueError("the model gave non-finite outputs; check output= and the bounds")
    return y


def _table(columns: dict[str, Any], attrs: dict[str, Any]) -> Any:
    try:
        import pandas
    except ImportError:  # pandas comes with xarray; fall back to plain columns
        return columns
    table = pandas.DataFrame(columns)
    table.attrs.update(attrs)
    return table


def sobol(
    model_or_scenario: Any,
    params: Mapping[str, Any],
    N: int = 1024,
    output: Output | None = None,
    seed: int = 0,
    calc_second_order: bool = False,
    client: Any = None,
    *,
    draws: int = 1,
    threads: int = 0,
    num_resamples: int = 100,
    conf_level: float = 0.95,
) -> Any:
    """Sobol' indices: first-order (S1) and total (ST) with bootstrap
    confidence intervals, as a table (pandas DataFrame: parameter, S1,
    S1_conf, ST, ST_conf; with ``calc_second_order`` the S2 matrix and its
    intervals are in ``table.attrs``).

    model_or_scenario: a ``staffsim.Scenario`` (each sample row becomes
        overrides {path: value}; params = {path: (low, high)}), or a callable
        f(X) -> y on an (n, k) array (params = {name: (low, high)} or a SALib
        problem dict).
    N: base sample size, a power of 2 (SALib's Sobol' sequence); the model
        runs N (k + 2) times, or N (2k + 2) with second order.
    output: for a scenario, a function of one variant's results Dataset (its
        core set per draw, summaries, ...) giving a number; default
        ``total_gap``, the whole workforce's gap in 2025 averaged over draws.
    seed: scrambling of the design, the bootstrap, and the engine's draws
        (the same in every row: common random numbers).
    draws: draws per row (1: deterministic, unless the scenario is
        stochastic or uncertain); client: a dask.distributed.Client.

    Under base-year calibration (DESIGN.md 2.3) demand's ``scale`` is fitted
    so that the opening vacancy rate holds, so a parameter that multiplies
    prevalence, ratios or population by a constant changes nothing and gets
    indices of zero: only shapes matter. Vary shapes, not levels.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = problem_from(params)
    X = sobol_sample.sample(problem, int(N), calc_second_order=calc_second_order, seed=seed)
    y = _evaluate(model_or_scenario, problem, X, output, draws, seed, threads, client)
    result = sobol_analyze.analyze(
        problem,
        y,
        calc_second_order=calc_second_order,
        num_resamples=num_resamples,
        conf_level=conf_level,
        seed=seed,
    )
    attrs: dict[str, Any] = {"method": "sobol", "N": int(N), "evaluations": len(y)}
    if calc_second_order:
        attrs["S2"] = np.asarray(result["S2"]).tolist()
        attrs["S2_conf"] = np.asarray(result["S2_conf"]).tolist()
    return _table(
        {
            "parameter": list(problem["names"]),
            "S1": np.asarray(result["S1"], dtype=np.float64),
            "S1_conf": np.asarray(result["S1_conf"], dtype=np.float64),
            "ST": np.asarray(result["ST"], dtype=np.float64),
            "ST_conf": np.asarray(result["ST_conf"], dtype=np.float64),
        },
        attrs,
    )


def morris(
    model_or_scenario: Any,
    params: Mapping[str, Any],
    N: int = 20,
    output: Output | None = None,
    seed: int = 0,
    client: Any = None,
    *,
    num_levels: int = 4,
    draws: int = 1,
    threads: int = 0,
    num_resamples: int = 100,
    conf_level: float = 0.95,
) -> Any:
    """Morris elementary effects (screening) as a table (pandas DataFrame:
    parameter, mu, mu_star, mu_star_conf, sigma), from N trajectories of
    k + 1 runs each on a `num_levels` grid. Arguments as for ``sobol``.

    As there, levels of prevalence, ratios or population cancel under
    base-year calibration (DESIGN.md 2.3: demand's ``scale`` keeps the
    opening vacancy rate), so their effects are zero: only shapes matter.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    problem = problem_from(params)
    X = morris_sample.sample(problem, int(N), num_levels=num_levels, seed=seed)
    y = _evaluate(model_or_scenario, problem, X, output, draws, seed, threads, client)
    result = morris_analyze.analyze(
        problem,
        X,
        y,
        num_resamples=num_resamples,
        conf_level=conf_level,
        num_levels=num_levels,
        seed=seed,
    )
    return _table(
        {
            "parameter": list(problem["names"]),
            "mu": np.asarray(result["mu"], dtype=np.float64),
            "mu_star": np.asarray(result["mu_star"], dtype=np.float64),
            "mu_star_conf": np.asarray(result["mu_star_conf"], dtype=np.float64),
            "sigma": np.asarray(result["sigma"], dtype=np.float64),
        },
        {"method": "morris", "N": int(N), "evaluations": len(y)},
    )
