"""Plots of results, ensembles, sweeps and sensitivity tables (matplotlib).

Every function draws on the Axes it is given, or on a new figure's, and
returns the Axes; nothing here selects a backend, so it works under Agg.

>>> ds = staffsim.run(sc, draws=200, seed=1).to_xarray()
>>> fan_chart(ds, "vacancies", by="role")
>>> supply_vs_posts(ds)
>>> age_pyramid(ds, 2025)
>>> tornado(staffsim.sensitivity.sobol(sc, params, N=64))

``ds`` is a results Dataset (``Results.to_xarray()``, ``open_results``) of a
single run or an ensemble, or a sweep (``staffsim.sweep``); ``sel={dim:
label}`` picks e.g. one role, sector or variant (``sel={"scenario": 2}``
picks by the ``scenario`` number) before anything is summed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import xarray
    from matplotlib.axes import Axes

__all__ = ["age_pyramid", "fan_chart", "supply_vs_posts", "tornado"]

BANDS = ((0.05, 0.95, 0.18, "90% interval (5-95%)"), (0.25, 0.75, 0.35, "50% interval (25-75%)"))


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(7, 4.5))
    return ax


def _colours() -> list[str]:
    import matplotlib

    return list(matplotlib.rcParams["axes.prop_cycle"].by_key().get("color", ["C0"]))


def _select(ds: xarray.Dataset, sel: Mapping[str, Any] | None) -> xarray.Dataset:
    if not sel:
        return ds
    return ds.sel({k: v for k, v in sel.items()})


def _unit(da: xarray.DataArray) -> str:
    units = str(da.attrs.get("units", "")).strip()
    return "" if units in ("", "1") else units


def _label(var: str, units: str) -> str:
    name = var.replace("_", " ")
    return f"{name} ({units})" if units else name


def _group_labels(ds: xarray.Dataset, by: str) -> list[str]:
    """Labels of the groups along `by`; a sweep's variants by their values."""
    if by != "scenario":
        return [str(v) for v in ds[by].values]
    value_coords = [
        name for name, c in ds.coords.items()
        if c.dims == ("scenario",) and "path" in c.attrs
    ]
    labels = []
    for i in range(ds.sizes["scenario"]):
        parts = [f"{ds[c].attrs['path']}={ds[c].values[i]}" for c in value_coords]
        labels.append(", ".join(parts) if parts else f"scenario {ds['scenario'].values[i]}")
    return labels


def _resolve_by(ds: xarray.Dataset, by: str | None, dims: Sequence[str]) -> str | None:
    """`by`, or "scenario" for a sweep of several variants when `by` is None."""
    if "scenario" in dims and ds.sizes.get("scenario", 1) > 1:
        if by is None:
            return "scenario"
        if by != "scenario":
            raise ValueError(
                f"a sweep of {ds.sizes['scenario']} variants: pick one with "
                "sel={'scenario': i} to plot by " + repr(by)
            )
    if by is not None and by not in dims:
        raise ValueError(f"cannot plot by {by!r}: the variable has dimensions {tuple(dims)}")
    return by


def fan_chart(
    ds: xarray.Dataset,
    var: str = "headcount",
    by: str | None = None,
    ax: Axes | None = None,
    *,
    sel: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> Axes:
    """`var` over the years: the median and the 25-75% and 5-95% bands over
    the draws of an ensemble (one line for a single run), for the whole
    workforce or one series per label of `by` ("role", "sector"; a sweep of
    several variants: one series per variant).

    Totals come from the per-draw values (the core set) summed per draw; a
    variable kept only as quantiles (``X_q``) can be drawn for one cell (pick
    it with ``sel``) or by one dimension with the others of length 1.
    """
    ax = _axes(ax)
    ds = _select(ds, sel)
    groups: list[tuple[str, xarray.DataArray]] = []
    if var in ds and "draw" in ds[var].dims:
        da = ds[var].astype(np.float64)
        by = _resolve_by(ds, by, da.dims)
        keep = {"year", "draw"} | ({by} if by else set())
        da = da.sum([d for d in da.dims if d not in keep], skipna=False)
        q = da.quantile([0.05, 0.25, 0.5, 0.75, 0.95], dim="draw", skipna=False)
        units = _unit(ds[var])
    elif f"{var}_q" in ds:
        q = ds[f"{var}_q"]
        by = _resolve_by(ds, by, q.dims)
        keep = {"year", "quantile"} | ({by} if by else set())
        extra = [d for d in q.dims if d not in keep]
        too_long = [d for d in extra if q.sizes[d] > 1]
        if too_long:
            raise ValueError(
                f"{var} is kept as quantiles only, and quantiles of a total cannot be "
                f"summed: pick one label of {too_long} with sel=, or plot by one of them"
            )
        q = q.isel({d: 0 for d in extra})
        units = _unit(ds[f"{var}_q"])
    elif var in ds:
        da = ds[var].astype(np.float64)
        by = _resolve_by(ds, by, da.dims)
        keep = {"year"} | ({by} if by else set())
        da = da.sum([d for d in da.dims if d not in keep], skipna=False)
        q = da.expand_dims(quantile=[0.5])
        units = _unit(ds[var])
    else:
        raise KeyError(f"{var!r} is not in the Dataset (nor {var}_q)")

    if by:
        for label, i in zip(_group_labels(ds, by), range(q.sizes[by])):
            groups.append((label, q.isel({by: i})))
    else:
        groups.append(("median" if q.sizes["quantile"] > 1 else var, q))

    years = np.asarray(q["year"].values)
    colours = _colours()
    levels = [float(v) for v in q["quantile"].values]
    banded = False
    for k, (label, g) in enumerate(groups):
        colour = colours[k % len(colours)]
        for low, high, alpha, band_label in BANDS:
            if low in levels and high in levels:
                banded = True
                ax.fill_between(
                    years,
                    g.sel(quantile=low).values,
                    g.sel(quantile=high).values,
                    color=colour,
                    alpha=alpha,
                    linewidth=0,
                    label=band_label if len(groups) == 1 else None,
                )
        mid = g.sel(quantile=0.5) if 0.5 in levels else g.isel(quantile=len(levels) // 2)
        ax.plot(years, mid.values, color=colour, linewidth=2, label=label)
    if banded and len(groups) > 1:
        from matplotlib.patches import Patch

        handles, labels = ax.get_legend_handles_labels()
        for _, _, alpha, band_label in BANDS:
            handles.append(Patch(color="grey", alpha=alpha + 0.1, linewidth=0))
            labels.append(band_label)
        ax.legend(handles, labels, title=by, fontsize="small")
    elif len(groups) > 1 or banded:
        ax.legend(title=by if by else None, fontsize="small")
    ax.set_xlabel("year (census)")
    ax.set_ylabel(_label(var, units))
    ax.set_title(title if title is not None else f"{var.replace('_', ' ')} by year"
                 + (" (median and intervals over draws)" if banded else ""))
    ax.grid(True, alpha=0.3)
    return ax


def _total(ds: xarray.Dataset, var: str, stat: str) -> tuple[np.ndarray, str]:
    """`var` summed over everything but year: per draw then `stat` over the
    draws, or the sum of its means (means add), or a single run's values."""
    if var in ds and "draw" in ds[var].dims:
        da = ds[var].astype(np.float64)
        da = da.sum([d for d in da.dims if d not in ("year", "draw")], skipna=False)
        out = da.median("draw") if stat == "median" else da.mean("draw")
        return np.asarray(out.values), stat
    if f"{var}_mean" in ds:
        da = ds[f"{var}_mean"]
        return np.asarray(da.sum([d for d in da.dims if d != "year"]).values), "mean"
    if var in ds:
        da = ds[var].astype(np.float64)
        return np.asarray(da.sum([d for d in da.dims if d != "year"]).values), ""
    raise KeyError(f"{var!r} is not in the Dataset (nor {var}_mean)")


def supply_vs_posts(
    ds: xarray.Dataset,
    ax: Axes | None = None,
    *,
    sel: Mapping[str, Any] | None = None,
    measure: str = "fte",
    stat: str = "median",
    title: str | None = None,
) -> Axes:
    """Supply (staff in post) against posts over the years, for the whole
    workforce (or the cells picked by ``sel``), the gap shaded: red where
    supply falls short of posts, green where it exceeds them.

    measure: "fte" (fte vs posts, FTE) or "headcount" (headcount vs
    posts_hc, people). stat: for an ensemble, the "median" or "mean" over the
    draws of the per-draw totals.
    """
    if measure not in ("fte", "headcount"):
        raise ValueError(f"measure must be 'fte' or 'headcount', not {measure!r}")
    if stat not in ("median", "mean"):
        raise ValueError(f"stat must be 'median' or 'mean', not {stat!r}")
    ds = _select(ds, sel)
    if "scenario" in ds.dims and ds.sizes["scenario"] > 1:
        raise ValueError(
            f"a sweep of {ds.sizes['scenario']} variants: pick one with sel={{'scenario': i}}"
        )
    ax = _axes(ax)
    supply_var, posts_var = ("fte", "posts") if measure == "fte" else ("headcount", "posts_hc")
    units = "FTE" if measure == "fte" else "people"
    supply, how = _total(ds, supply_var, stat)
    posts, _ = _total(ds, posts_var, stat)
    supply, posts = supply.reshape(-1), posts.reshape(-1)
    years = np.asarray(ds["year"].values)
    suffix = f" ({how} over draws)" if how else ""
    ax.plot(years, supply, color="C0", linewidth=2, label=f"supply: {supply_var}{suffix}")
    ax.plot(years, posts, color="black", linewidth=2, linestyle="--",
            label=f"posts{'' if measure == 'fte' else ' (headcount-equivalent)'}{suffix}")
    ax.fill_between(years, supply, posts, where=supply < posts, interpolate=True,
                    color="C3", alpha=0.3, linewidth=0, label="shortfall (supply < posts)")
    ax.fill_between(years, supply, posts, where=supply >= posts, interpolate=True,
                    color="C2", alpha=0.3, linewidth=0, label="surplus (supply > posts)")
    ax.set_xlabel("year (census)")
    ax.set_ylabel(f"{'staff in post and posts'} ({units})")
    ax.set_title(title if title is not None else "supply vs posts")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return ax


def age_pyramid(
    ds: xarray.Dataset,
    year: int,
    ax: Axes | None = None,
    *,
    by: str | None = "sector",
    sel: Mapping[str, Any] | None = None,
    stat: str = "mean",
    title: str | None = None,
) -> Axes:
    """Staff in post by age band in `year`, summed over roles (or the cells
    picked by ``sel``): by sector (two sectors back to back, as a pyramid;
    more sectors stacked) or in total (``by=None``).

    From ``age_profile`` (a single run), or for an ensemble
    ``age_profile_mean`` (``stat="mean"``; means add up over roles) or the
    median of ``age_profile_q`` (``stat="median"``, summed over roles: a sum
    of medians, not the median of the sum).
    """
    ds = _select(ds, sel)
    if "age_profile" in ds:
        da, how = ds["age_profile"], ""
    elif stat == "mean" and "age_profile_mean" in ds:
        da, how = ds["age_profile_mean"], "mean over draws"
    elif "age_profile_q" in ds:
        da, how = ds["age_profile_q"].sel(quantile=0.5), "median over draws, summed"
    elif "age_profile_mean" in ds:
        da, how = ds["age_profile_mean"], "mean over draws"
    else:
        raise KeyError(
            "no age_profile, age_profile_mean or age_profile_q: age pyramids need a "
            "results Dataset (a sweep keeps only the core set)"
        )
    if "scenario" in da.dims and da.sizes["scenario"] > 1:
        raise ValueError("a sweep of several variants: pick one with sel={'scenario': i}")
    da = da.sel(year=year).astype(np.float64)
    if by is not None and by not in da.dims:
        raise ValueError(f"cannot split by {by!r}: age_profile has dimensions {da.dims}")
    keep = {"age_band"} | ({by} if by else set())
    da = da.sum([d for d in da.dims if d not in keep])
    ax = _axes(ax)
    bands = [str(b) for b in da["age_band"].values]
    y = np.arange(len(bands))
    if by is None:
        ax.barh(y, da.values, color="C0", label="all staff")
    elif da.sizes[by] == 2:
        left, right = (da.isel({by: i}) for i in range(2))
        ax.barh(y, -left.values, color="C0", label=str(da[by].values[0]))
        ax.barh(y, right.values, color="C1", label=str(da[by].values[1]))
        ax.axvline(0, color="black", linewidth=0.8)
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):g}"))
    else:
        base = np.zeros(len(bands))
        for i, label in enumerate(da[by].values):
            values = da.isel({by: i}).values
            ax.barh(y, values, left=base, color=f"C{i % 10}", label=str(label))
            base = base + values
    ax.set_yticks(y)
    ax.set_yticklabels(bands)
    ax.set_ylabel("age band (years)")
    ax.set_xlabel("staff in post (people)" + (f", {how}" if how else ""))
    ax.set_title(title if title is not None else f"age profile, {year}")
    if by is not None:
        ax.legend(title=by, fontsize="small")
    ax.grid(True, axis="x", alpha=0.3)
    return ax


def _columns(table: Any) -> dict[str, np.ndarray]:
    if hasattr(table, "columns") and hasattr(table, "to_numpy"):  # pandas
        return {str(c): table[c].to_numpy() for c in table.columns}
    if isinstance(table, Mapping):
        return {str(k): np.asarray(v) for k, v in table.items()}
    raise TypeError("tornado: table must be a DataFrame or a mapping of columns")


def tornado(
    table: Any,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    max_parameters: int | None = None,
) -> Axes:
    """Sensitivity indices as horizontal bars, the most influential parameter
    on top: Sobol' (ST and S1 with their confidence intervals) or Morris
    (mu* with its interval, and sigma), from ``staffsim.sensitivity``'s
    tables (a DataFrame or a mapping of columns)."""
    cols = _columns(table)
    if "parameter" not in cols:
        raise KeyError("tornado: the table has no 'parameter' column")
    if "ST" in cols:
        key, series = "ST", [("ST", "ST_conf", "total (ST)"), ("S1", "S1_conf", "first order (S1)")]
        xlabel = "Sobol' index (share of output variance)"
    elif "mu_star" in cols:
        key, series = "mu_star", [("mu_star", "mu_star_conf", "mu* (mean |elementary effect|)"),
                                  ("sigma", None, "sigma (interactions, nonlinearity)")]
        xlabel = "elementary effect (units of the output)"
    else:
        raise KeyError("tornado: the table has neither ST (Sobol') nor mu_star (Morris)")
    order = np.argsort(-np.nan_to_num(np.asarray(cols[key], dtype=np.float64), nan=-np.inf),
                       kind="stable")
    if max_parameters is not None:
        order = order[:max_parameters]
    names = [str(cols["parameter"][i]) for i in order]
    ax = _axes(ax)
    y = np.arange(len(names))[::-1]  # the first (largest) on top
    height = 0.8 / len(series)
    for k, (col, conf, label) in enumerate(series):
        if col not in cols:
            continue
        values = np.asarray(cols[col], dtype=np.float64)[order]
        err = np.asarray(cols[conf], dtype=np.float64)[order] if conf and conf in cols else None
        ax.barh(y + (0.4 - height / 2) - k * height, values, height=height,
                xerr=err, color=f"C{k}", label=label, capsize=3 if err is not None else 0)
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("parameter")
    ax.set_title(title if title is not None else "sensitivity (sorted)")
    ax.legend(fontsize="small")
    ax.grid(True, axis="x", alpha=0.3)
    return ax
