"""Sweeps: variants of a scenario x draws, locally or on Dask (DESIGN.md 2.7).

>>> sc = staffsim.Scenario.load("scenarios/central_bedfordshire_2009/prevention.yaml")
>>> sw = staffsim.sweep(sc, grid={"levers.prevention_older.path.to_value": [1.0, 0.9, 0.8]},
...                     draws=100, seed=1)                  # or client=dask.distributed.Client()
>>> sw.vacancies_q.sel(quantile=0.5, year=2025).sum(["role", "sector"])
>>> save_sweep(sw, "prevention_sweep.h5")

Each variant is ``scenario.with_overrides({path: value, ...})``: a grid is the
Cartesian product of the values given per path (the first path varies
slowest), ``samples`` an external design (e.g. ``latin_hypercube``) with one
row per variant. The result is one ``xarray.Dataset`` with a ``scenario``
dimension; each path's values are a coordinate along it, named by a safe
version of the path (``levers_prevention_older_path_to_value``) with the path
itself in ``attrs["path"]``.

Common random numbers: every variant runs the same draws ``0 .. draws - 1``
under the same seed, so differences between variants come from the lever, not
from the noise; ``independent_variants=True`` runs variant ``i`` under
``seed + i`` instead.

The work is split into blocks of draws of one variant (``run_block``); each
returns the per-draw core set (headcount, fte, posts, posts_hc, vacancies,
starters, leavers, wastage, joiners over (draw, year, role, sector), as
float32) and ``parameter_value``. Locally the blocks run one after the other;
with a ``dask.distributed.Client`` each is a task (the engine releases the
GIL). The blocks carry their global draw numbers, and both paths assemble
them the same way (concatenate along ``draw``, derive the summaries in
Python), so a sweep on Dask equals the local sweep exactly.

Summaries, per variant, over the draws: ``X_q`` (quantiles 0.05, 0.25, 0.5,
0.75, 0.95, type 7 = NumPy's default 'linear'), ``X_mean`` and ``X_mean_se``
for each core variable and the derived ``gap`` (fte - posts), and the
shortfall probabilities ``p_vacancy_rate_above``, ``p_gap_below`` (per cell)
and ``p_vacancy_rate_above_total``, ``p_gap_below_total`` (the whole
workforce) as defined in docs/results-format.md ("Ensembles").
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

import staffsim
from staffsim._overrides import yaml_text

if TYPE_CHECKING:
    import xarray

    from staffsim._core import Scenario

__all__ = [
    "CORE_VARIABLES",
    "QUANTILES",
    "latin_hypercube",
    "open_sweep",
    "run_block",
    "save_sweep",
    "sweep",
    "sweep_variants",
]

#: The per-draw core set of an ensemble (docs/results-format.md, "Ensembles").
CORE_VARIABLES = (
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
#: Quantile levels of the summaries (the engine's defaults).
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
FILETYPE = "staffsim.sweep"
FORMAT_VERSION = "1.0"
_CELL = ("year", "role", "sector")
_PER_DRAW = " (per draw)"


# ---- variants ---------------------------------------------------------------


def safe_name(path: str) -> str:
    """A variable name for an override path: ``a.b[x,y]`` -> ``a_b_x_y``."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", path).strip("_")
    if not name:
        name = "value"
    if name[0].isdigit():
        name = "p_" + name
    return name


def sweep_variants(
    grid: Mapping[str, Sequence[Any]] | None = None,
    samples: Any = None,
    paths: Sequence[str] | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """The variants of a sweep as (paths, rows): row ``i`` holds variant ``i``'s
    value for each path. ``grid`` is the Cartesian product of its values (the
    first path slowest); ``samples`` a mapping {path: values} of equal lengths,
    a pandas DataFrame (columns are paths) or a 2-D array (n, k) with
    ``paths`` naming its k columns. Neither: one variant, the scenario itself.
    """
    if grid is not None and samples is not None:
        raise ValueError("sweep: give either grid or samples, not both")
    if grid is not None:
        if not isinstance(grid, Mapping):
            raise TypeError("sweep: grid must be a mapping {path: [values]}")
        names = [str(p) for p in grid]
        axes = []
        for path, values in grid.items():
            if isinstance(values, (list, tuple)):
                values = list(values)
            else:
                values = list(np.asarray(values, dtype=object).reshape(-1))
            if not values:
                raise ValueError(f"sweep: grid[{path!r}] has no values")
            axes.append(values)
        return names, [list(row) for row in itertools.product(*axes)]
    if samples is None:
        return [], [[]]
    if hasattr(samples, "columns") and hasattr(samples, "to_numpy"):  # pandas
        samples = {str(c): samples[c].to_numpy() for c in samples.columns}
    if isinstance(samples, Mapping):
        if paths is not None:
            raise ValueError("sweep: paths is for a 2-D samples array, not a mapping")
        names = [str(p) for p in samples]
        columns = [list(np.asarray(v, dtype=object).reshape(-1)) for v in samples.values()]
        lengths = {len(c) for c in columns}
        if len(lengths) > 1:
            raise ValueError(
                "sweep: samples must have equal lengths, got "
                + ", ".join(f"{p}: {len(c)}" for p, c in zip(names, columns))
            )
        n = lengths.pop() if lengths else 0
    else:
        array = np.asarray(samples, dtype=object)
        if array.ndim != 2:
            raise ValueError(f"sweep: samples must be 2-D (n, k), got shape {array.shape}")
        if paths is None or len(paths) != array.shape[1]:
            raise ValueError(
                f"sweep: a samples array of {array.shape[1]} columns needs paths= "
                "naming each column"
            )
        names = [str(p) for p in paths]
        columns = [list(array[:, j]) for j in range(array.shape[1])]
        n = array.shape[0]
    if n == 0:
        raise ValueError("sweep: samples has no rows")
    return names, [[c[i] for c in columns] for i in range(n)]


def latin_hypercube(
    bounds: Mapping[str, tuple[float, float]], n: int, seed: int = 0
) -> dict[str, np.ndarray]:
    """A Latin hypercube of ``n`` rows over {path: (low, high)}, as ``samples``
    for ``sweep``: each path's range is cut into n equal strata, each stratum
    used once, at a uniform point within it, in an independent random order."""
    if n < 1:
        raise ValueError("latin_hypercube: n must be at least 1")
    rng = np.random.default_rng(seed)
    out = {}
    for path, (low, high) in bounds.items():
        u = (rng.permutation(n) + rng.random(n)) / n
        out[str(path)] = float(low) + u * (float(high) - float(low))
    return out


def _coordinate_values(values: list[Any]) -> np.ndarray:
    """Variant values as a coordinate: numbers and booleans as such, anything
    else (strings, lists, mixtures) as the YAML text of the override."""
    def plain(v: Any) -> Any:
        return v.item() if isinstance(v, np.generic) else v

    items = [plain(v) for v in values]
    if all(isinstance(v, bool) for v in items):
        return np.asarray(items, dtype=bool)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in items):
        if all(isinstance(v, int) for v in items):
            return np.asarray(items, dtype=np.int64)
        return np.asarray(items, dtype=np.float64)
    out = np.empty(len(items), dtype=object)
    out[:] = [yaml_text(v) for v in items]
    return out


def _blocks(draws: int, block: int) -> list[tuple[int, int]]:
    return [(f, min(block, draws - f)) for f in range(0, draws, block)]


# ---- one block of draws -------------------------------------------------------


def run_block(
    scenario: Scenario, seed: int, first_draw: int, draws: int, threads: int = 0
) -> dict[str, Any]:
    """Run draws ``first_draw .. first_draw + draws - 1`` of `scenario` under
    `seed` and return the per-draw core set as plain arrays (a Dask task of a
    sweep; picklable). A single deterministic run counts as one draw."""
    res = staffsim.run(scenario, draws=draws, seed=seed, threads=threads,
                       first_draw=first_draw)
    ds = res.to_xarray()
    core = {}
    attrs = {}
    for name in CORE_VARIABLES:
        var = ds[name]
        values = var.transpose(*(("draw",) if "draw" in var.dims else ()), *_CELL).values
        if "draw" not in var.dims:
            values = values[np.newaxis]
        core[name] = np.ascontiguousarray(values, dtype=np.float32)
        long_name = str(var.attrs.get("long_name", name))
        long_name = long_name.removesuffix(_PER_DRAW)
        attrs[name] = {"units": str(var.attrs.get("units", "")), "long_name": long_name}
    if core["headcount"].shape[0] != draws:
        raise RuntimeError(
            f"sweep: asked for {draws} draws from {first_draw}, the engine gave "
            f"{core['headcount'].shape[0]}"
        )
    if "parameter" in ds.dims and "parameter_value" in ds:
        parameters = [str(p) for p in ds["parameter"].values]
        pv = ds["parameter_value"].transpose("draw", "parameter").values
        parameter_value = np.ascontiguousarray(pv, dtype=np.float64)
    else:
        parameters, parameter_value = [], np.zeros((draws, 0))
    return {
        "seed": int(seed),
        "first_draw": int(first_draw),
        "draws": int(draws),
        "year": np.asarray(ds["year"].values),
        "role": [str(v) for v in ds["role"].values],
        "sector": [str(v) for v in ds["sector"].values],
        "core": core,
        "attrs": attrs,
        "parameter": parameters,
        "parameter_value": parameter_value,
        "shortfall_threshold": float(ds.attrs.get("shortfall_threshold", 0.10)),
        "stochastic": int(ds.attrs.get("stochastic", 0)),
        "scenario_name": str(ds.attrs.get("scenario_name", "")),
        "scenario_description": str(ds.attrs.get("scenario_description", "")),
    }


# ---- the sweep ------------------------------------------------------------------


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[Any]] | None = None,
    samples: Any = None,
    draws: int = 100,
    seed: int = 0,
    threads: int = 0,
    client: Any = None,
    block: int | None = None,
    *,
    paths: Sequence[str] | None = None,
    independent_variants: bool = False,
    threshold: float | None = None,
) -> xarray.Dataset:
    """Run every variant of `scenario` for `draws` draws; one Dataset with a
    ``scenario`` dimension.

    grid: {path: [v1, v2, ...]}, the Cartesian product of the values.
    samples: {path: values} of equal lengths, a DataFrame, or a 2-D array
        (n, k) with ``paths=[...]`` naming its columns; one variant per row.
    draws, seed: the draws ``0 .. draws - 1`` under `seed` in every variant
        (common random numbers); ``independent_variants=True``: variant ``i``
        under ``seed + i``.
    threads: engine threads per run (0: every core); on Dask, 0 means one
        thread per task (the workers' threads run the tasks in parallel).
    client: a ``dask.distributed.Client``; each task runs `block` draws of one
        variant (default: enough tasks for about two per worker thread).
    block: draws per block (default locally: all of a variant's draws).
    threshold: shortfall threshold of the probabilities (default: each
        variant's ``outputs.shortfall_threshold``, 0.10 unless set).

    Variables: the core set per draw (scenario, draw, year, role, sector);
    ``X_q`` (scenario, quantile, year, role, sector), ``X_mean``,
    ``X_mean_se``; ``p_vacancy_rate_above``, ``p_gap_below`` (per cell) and
    ``p_*_total`` (scenario, year); ``parameter_value`` (scenario, draw,
    parameter) when the scenario has uncertain parameters.
    """
    if int(draws) < 1:
        raise ValueError(f"sweep: draws must be at least 1, got {draws}")
    draws = int(draws)
    seed = int(seed)
    names, rows = sweep_variants(grid, samples, paths)
    variants = [
        scenario.with_overrides(dict(zip(names, row))) if names else scenario
        for row in rows
    ]
    seeds = [seed + i if independent_variants else seed for i in range(len(variants))]

    if client is None:
        size = draws if block is None else max(1, int(block))
        ranges = _blocks(draws, size)
        blocks = [
            [run_block(v, s, f, n, threads) for f, n in ranges]
            for v, s in zip(variants, seeds)
        ]
    else:
        if block is None:
            try:
                total_threads = sum(client.nthreads().values())
            except (AttributeError, TypeError):  # a client-like object without nthreads()
                total_threads = 1
            per_variant = max(1, math.ceil(2 * max(1, total_threads) / len(variants)))
            size = min(500, max(1, math.ceil(draws / per_variant)))
        else:
            size = max(1, int(block))
        ranges = _blocks(draws, size)
        task_threads = threads if threads > 0 else 1
        futures = [
            [
                client.submit(run_block, v, s, f, n, task_threads, pure=False)
                for f, n in ranges
            ]
            for v, s in zip(variants, seeds)
        ]
        blocks = client.gather(futures)

    return assemble(
        blocks,
        names,
        rows,
        scenario=scenario,
        seed=seed,
        draws=draws,
        independent_variants=independent_variants,
        threshold=threshold,
    )


def assemble(
    blocks: Sequence[Sequence[dict[str, Any]]],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    scenario: Scenario,
    seed: int,
    draws: int,
    independent_variants: bool = False,
    threshold: float | None = None,
) -> xarray.Dataset:
    """The sweep's Dataset from each variant's blocks (``run_block``'s
    output): blocks sorted by draw and concatenated, summaries derived. The
    local and the Dask sweep both end here."""
    import xarray

    n_variants = len(blocks)
    first = blocks[0][0]
    years, roles, sectors = first["year"], first["role"], first["sector"]
    core: dict[str, list[np.ndarray]] = {name: [] for name in CORE_VARIABLES}
    parameters: list[str] = []
    per_variant_params = []
    thresholds = []
    stochastic = 0
    draw_numbers = None
    for i, variant_blocks in enumerate(blocks):
        ordered = sorted(variant_blocks, key=lambda b: b["first_draw"])
        numbers = np.concatenate(
            [np.arange(b["first_draw"], b["first_draw"] + b["draws"]) for b in ordered]
        )
        if draw_numbers is None:
            draw_numbers = numbers
        elif not np.array_equal(numbers, draw_numbers):
            raise RuntimeError(f"sweep: variant {i} has draws {numbers}, not {draw_numbers}")
        for b in ordered:
            if not (
                np.array_equal(b["year"], years)
                and b["role"] == roles
                and b["sector"] == sectors
            ):
                raise ValueError(
                    f"sweep: variant {i} has other years, roles or sectors than "
                    "variant 0; a sweep needs the same dimensions in every variant"
                )
        for name in CORE_VARIABLES:
            core[name].append(np.concatenate([b["core"][name] for b in ordered], axis=0))
        variant_params = ordered[0]["parameter"]
        pv = np.concatenate([b["parameter_value"] for b in ordered], axis=0)
        per_variant_params.append((variant_params, pv))
        for p in variant_params:
            if p not in parameters:
                parameters.append(p)
        thresholds.append(
            float(threshold) if threshold is not None else ordered[0]["shortfall_threshold"]
        )
        stochastic = max(stochastic, ordered[0]["stochastic"])
    assert draw_numbers is not None

    per_draw = {name: np.stack(core[name], axis=0) for name in CORE_VARIABLES}
    dims5 = ("scenario", "draw", *_CELL)
    dims4 = ("scenario", *_CELL)
    dimsq = ("scenario", "quantile", *_CELL)
    data_vars: dict[str, Any] = {}
    for name in CORE_VARIABLES:
        a = first["attrs"][name]
        data_vars[name] = xarray.Variable(
            dims5, per_draw[name],
            {"units": a["units"], "long_name": a["long_name"] + _PER_DRAW},
        )
    x64 = {name: per_draw[name].astype(np.float64) for name in CORE_VARIABLES}
    summarised = dict(x64)
    summarised["gap"] = x64["fte"] - x64["posts"]
    var_attrs = {name: dict(first["attrs"][name]) for name in CORE_VARIABLES}
    var_attrs["gap"] = {
        "units": var_attrs["fte"]["units"] or "FTE",
        "long_name": "gap between supply and posts (fte - posts; negative: a shortfall)",
    }
    q = np.asarray(QUANTILES, dtype=np.float64)
    for name, x in summarised.items():
        a = var_attrs[name]
        quant = np.moveaxis(np.quantile(x, q, axis=1), 0, 1)
        mean, se = _mean_and_se(x)
        data_vars[f"{name}_q"] = xarray.Variable(
            dimsq, quant,
            {"units": a["units"],
             "long_name": f"{a['long_name']}: quantiles over the draws (type 7)"},
        )
        data_vars[f"{name}_mean"] = xarray.Variable(
            dims4, mean,
            {"units": a["units"], "long_name": f"{a['long_name']}: mean over the draws"},
        )
        data_vars[f"{name}_mean_se"] = xarray.Variable(
            dims4, se,
            {"units": a["units"],
             "long_name": f"{a['long_name']}: Monte Carlo standard error of the mean"},
        )

    thr = np.asarray(thresholds, dtype=np.float64)
    probabilities = _shortfall_probabilities(x64, thr)
    unique_thr = len(set(thresholds)) == 1
    for name, (dims, values, long_name) in probabilities.items():
        attrs = {"units": "1", "long_name": long_name}
        if unique_thr:
            attrs["threshold"] = thresholds[0]
        data_vars[name] = xarray.Variable(dims, values, attrs)
    if not unique_thr:
        data_vars["shortfall_threshold"] = xarray.Variable(
            ("scenario",), thr,
            {"units": "1", "long_name": "shortfall threshold of the probabilities"},
        )

    coords: dict[str, Any] = {
        "scenario": xarray.Variable(
            ("scenario",), np.arange(n_variants, dtype=np.int64),
            {"units": "1", "long_name": "variant number"},
        ),
        "draw": xarray.Variable(
            ("draw",), draw_numbers.astype(np.int32),
            {"units": "1", "long_name": "draw number; its random numbers are keyed by (seed, draw)"},
        ),
        "quantile": xarray.Variable(
            ("quantile",), q, {"units": "1", "long_name": "quantile level"}
        ),
        "year": xarray.Variable(("year",), np.asarray(years), {"units": "year"}),
        "role": xarray.Variable(("role",), _labels(roles), {"units": "1"}),
        "sector": xarray.Variable(("sector",), _labels(sectors), {"units": "1"}),
    }
    overrides_text = _labels(
        ["; ".join(f"{p}={yaml_text(v)}" for p, v in zip(names, row)) for row in rows]
    )
    used = set(data_vars) | set(coords)
    for j, path in enumerate(names):
        name = safe_name(path)
        while name in used:
            name += "_"
        used.add(name)
        coords[name] = xarray.Variable(
            ("scenario",), _coordinate_values([row[j] for row in rows]),
            {"path": path, "long_name": f"value of {path}"},
        )
    coords["overrides"] = xarray.Variable(
        ("scenario",), overrides_text,
        {"long_name": "the variant's overrides (path=value; ...)"},
    )
    if independent_variants:
        coords["seed"] = xarray.Variable(
            ("scenario",), np.asarray([seed + i for i in range(n_variants)], dtype=np.int64),
            {"long_name": "seed of the variant's draws"},
        )

    if parameters:
        pv = np.full((n_variants, len(draw_numbers), len(parameters)), np.nan)
        for i, (variant_params, values) in enumerate(per_variant_params):
            for k, p in enumerate(variant_params):
                pv[i, :, parameters.index(p)] = values[:, k]
        coords["parameter"] = xarray.Variable(("parameter",), _labels(parameters), {"units": "1"})
        data_vars["parameter_value"] = xarray.Variable(
            ("scenario", "draw", "parameter"), pv,
            {"units": "1", "long_name": "each draw's sampled value of an uncertainty entry"},
        )

    attrs = {
        "filetype": FILETYPE,
        "format_version": FORMAT_VERSION,
        "staffsim_version": str(getattr(staffsim, "__version__", "")),
        "scenario_name": first["scenario_name"],
        "scenario_description": first["scenario_description"],
        "scenario_path": str(scenario.path),
        "base_overrides": "; ".join(f"{p}={v}" for p, v in scenario.overrides),
        "seed": int(seed),
        "draws": int(draws),
        "variants": int(n_variants),
        "common_random_numbers": int(not independent_variants),
        "independent_variants": int(bool(independent_variants)),
        "stochastic": int(stochastic),
        "shortfall_threshold": thresholds[0] if unique_thr else float("nan"),
        "sweep_paths": "; ".join(names),
    }
    return xarray.Dataset(data_vars, coords=coords, attrs=attrs)


def _labels(values: Sequence[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = [str(v) for v in values]
    return out


def _mean_and_se(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean over axis 1 (draw), accumulated in draw order, and its Monte Carlo
    standard error sd / sqrt(n) with the n - 1 sd (NaN for one draw)."""
    n = x.shape[1]
    total = np.zeros(x.shape[:1] + x.shape[2:])
    for d in range(n):
        total += x[:, d]
    mean = total / n
    if n < 2:
        return mean, np.full_like(mean, np.nan)
    ss = np.zeros_like(mean)
    for d in range(n):
        dev = x[:, d] - mean
        ss += dev * dev
    return mean, np.sqrt(ss / (n - 1)) / math.sqrt(n)


def _shortfall_probabilities(
    x: Mapping[str, np.ndarray], thr: np.ndarray
) -> dict[str, tuple[tuple[str, ...], np.ndarray, str]]:
    """docs/results-format.md ("Ensembles"): shares of draws whose headcount
    vacancy rate exceeds the threshold, and whose gap is below -threshold x
    posts, per cell and for the whole workforce (sums per draw)."""
    fte, posts, posts_hc, vac = x["fte"], x["posts"], x["posts_hc"], x["vacancies"]
    with np.errstate(invalid="ignore", divide="ignore"):
        vac_hc = np.where(posts > 0, vac * posts_hc / np.where(posts > 0, posts, 1.0), 0.0)
        t5 = thr[:, None, None, None, None]
        t2 = thr[:, None, None]
        rate = np.where(posts_hc > 0, vac_hc / np.where(posts_hc > 0, posts_hc, 1.0), 0.0)
        above = rate > t5
        below = (fte - posts) < -t5 * posts
        total_fte = fte.sum(axis=(3, 4))
        total_posts = posts.sum(axis=(3, 4))
        total_posts_hc = posts_hc.sum(axis=(3, 4))
        total_vac_hc = vac_hc.sum(axis=(3, 4))
        total_rate = np.where(
            total_posts_hc > 0,
            total_vac_hc / np.where(total_posts_hc > 0, total_posts_hc, 1.0),
            0.0,
        )
        above_total = total_rate > t2
        below_total = (total_fte - total_posts) < -t2 * total_posts
    cell = ("scenario", *_CELL)
    return {
        "p_vacancy_rate_above": (
            cell, above.mean(axis=1),
            (
                "probability that the headcount vacancy rate (vacancies_hc / posts_hc) "
                "exceeds the shortfall threshold"
            ),
        ),
        "p_gap_below": (
            cell, below.mean(axis=1),
            "probability that the gap (fte - posts) is below -shortfall_threshold x posts",
        ),
        "p_vacancy_rate_above_total": (
            ("scenario", "year"), above_total.mean(axis=1),
            (
                "probability that the whole workforce's headcount vacancy rate exceeds "
                "the shortfall threshold"
            ),
        ),
        "p_gap_below_total": (
            ("scenario", "year"), below_total.mean(axis=1),
            (
                "probability that the whole workforce's gap (fte - posts) is below "
                "-shortfall_threshold x posts"
            ),
        ),
    }


# ---- files ------------------------------------------------------------------------


def save_sweep(ds: xarray.Dataset, path: str | os.PathLike[str]) -> None:
    """Write a sweep's Dataset to one HDF5/netCDF-4 file (h5netcdf), through a
    temporary file in the same folder renamed over `path`: a failed write
    leaves no partial file and does not change an existing one."""
    target = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(target))
    tmp = os.path.join(folder, f".{name}.tmp-{os.getpid()}")
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def open_sweep(path: str | os.PathLike[str]) -> xarray.Dataset:
    """A sweep file (``save_sweep``) as a loaded Dataset."""
    import xarray

    with xarray.open_dataset(path, engine="h5netcdf") as ds:
        if ds.attrs.get("filetype") != FILETYPE:
            raise OSError(
                f"{os.fspath(path)}: not a staffsim sweep file "
                f"(filetype {ds.attrs.get('filetype')!r})"
            )
        return ds.load()
