"""Calibration (issue 9): fit a scenario's free parameters to its targets.

>>> sc = staffsim.Scenario.load("scenarios/central_bedfordshire_2009/calibration.yaml")
>>> fit = staffsim.calibrate(sc)                 # the engine's Levenberg-Marquardt
>>> fit.values()
{'turnover_base': 0.18698..., 'fill_rate': 0.54411...}
>>> print(fit.report()); fit.save("calibrated.yaml")

The engine does the fitting (``staffsim._core.calibrate``, the same code as
``staffsim calibrate``) with the GIL released; ``method="scipy"`` fits the
same weighted residuals with ``scipy.optimize.least_squares`` instead, as an
independent check. The report, the JSON and the files ``save()`` writes come
from the engine's writers, whichever method fitted.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from staffsim import _core
from staffsim._core import Scenario, UsageError

__all__ = ["CalibrationResult", "ParameterFit", "TargetFit", "calibrate", "crossval"]

_METHODS = ("least_squares", "abc", "scipy")


@dataclass(frozen=True)
class ParameterFit:
    """One free parameter's fit.

    ``value`` is the optimum (least squares) or the posterior mean (ABC).
    ``std_error`` is the least-squares standard error from the weighted
    Jacobian (infinite when not identified) or the posterior sd; ``q05`` and
    ``q95`` the ABC posterior's 5% and 95% quantiles (NaN otherwise).
    """

    name: str
    path: str
    value: float
    initial: float
    lower: float
    upper: float
    std_error: float
    q05: float
    q95: float
    at_bound: bool
    identified: bool


@dataclass(frozen=True)
class TargetFit:
    """One target: observed, the calibrated model's value, and z.

    ``fitted`` is False for a target predicted (not used in the fit);
    ``z = (model - observed) / sd`` (``sd`` is the tolerance when
    ``is_tolerance``); ``within``: inside the tolerance, or within 2 sd.
    """

    name: str
    query: str
    table: str
    fitted: bool
    observed: float
    sd: float
    is_tolerance: bool
    model: float
    z: float
    within: bool


@dataclass(frozen=True)
class CalibrationResult:
    """A fit, from :func:`calibrate` or :func:`crossval`.

    ``parameters`` and ``targets`` are tuples of frozen dataclasses, in the
    order of the scenario's ``calibration:`` block
    (``pandas.DataFrame(fit.parameters)`` makes a table of them).
    ``misfit`` is the sum of z^2 over the fitted targets; ``evaluations``
    counts model runs. ``posterior`` (ABC only, else None) holds the final
    population resampled to equal weights, shape (particles, free
    parameters); ``abc_epsilons`` the distance threshold of each generation
    (``abc_epsilon`` the last) and ``abc_stop`` why the sequence stopped.
    """

    method: str  # "least_squares", "abc" or "scipy"
    parameters: tuple[ParameterFit, ...]
    targets: tuple[TargetFit, ...]
    misfit: float
    evaluations: int
    converged: bool
    warnings: tuple[str, ...]
    posterior: np.ndarray | None = field(default=None, repr=False, compare=False)
    abc_epsilon: float | None = None
    abc_epsilons: tuple[float, ...] | None = None
    abc_stop: str | None = None
    scenario: Scenario | None = field(default=None, repr=False, compare=False)

    def values(self) -> dict[str, float]:
        """The fitted value of each free parameter, by name."""
        return {p.name: p.value for p in self.parameters}

    def report(self) -> str:
        """The fit's report as ``staffsim calibrate`` prints it."""
        text = _core.format_calibration_report(self)
        if self.method == "scipy":
            text = "fitted by scipy.optimize.least_squares (trf)\n" + text
        return text

    def to_json(self) -> str:
        """The report as JSON text, as ``staffsim calibrate --format json``."""
        text = _core.calibration_report_json(self)
        if self.method == "scipy":
            text = text.replace('"method": "least_squares"', '"method": "scipy"', 1)
        return text

    def save(
        self,
        path: str | os.PathLike[str],
        posterior: str | os.PathLike[str] | None = None,
    ) -> None:
        """Write the calibrated scenario to `path`, as ``staffsim calibrate -o``.

        The file ``extends:`` the fitted scenario and sets the fitted values
        by ``overrides:``. For an ABC fit the posterior sample is written
        too, to `posterior` (default: ``<path stem>_posterior.csv`` beside
        `path`), and the scenario's ``uncertainty:`` samples it (draw d takes
        row d).
        """
        if self.scenario is None:
            raise UsageError("save: the result does not know its scenario")
        out = Path(path)
        if out.resolve() == Path(self.scenario.path).resolve():
            raise UsageError(
                f"save {path}: the calibrated scenario extends the input, so it "
                "cannot replace it; write it to another file"
            )
        post: Path | str = ""
        if self.posterior is not None:
            post = (
                Path(posterior)
                if posterior is not None
                else out.with_name(out.stem + "_posterior.csv")
            )
            _core.write_posterior_csv(self.scenario, self, post)
        elif posterior is not None:
            raise UsageError("posterior: only the abc method has a posterior sample")
        _core.write_calibrated_scenario(self.scenario, self, out, post)

    def __repr__(self) -> str:
        values = ", ".join(f"{p.name}={p.value:.6g}" for p in self.parameters)
        fitted = [t for t in self.targets if t.fitted]
        within = sum(t.within for t in fitted)
        text = (
            f"<CalibrationResult {self.method}: {values}; misfit {self.misfit:.4g}, "
            f"{within}/{len(fitted)} fitted targets within"
        )
        if len(fitted) < len(self.targets):
            predicted = [t for t in self.targets if not t.fitted]
            text += f", {sum(t.within for t in predicted)}/{len(predicted)} predicted within"
        if self.warnings:
            text += f", {len(self.warnings)} warning(s)"
        return text + ">"


def calibrate(
    scenario: Scenario,
    method: str = "least_squares",
    fit_tables: str | Sequence[str] | None = None,
    draws: int = 20000,
    accept: int = 200,
    seed: int = 1,
    threads: int = 0,
    max_evaluations: int = 400,
) -> CalibrationResult:
    """Fit the free parameters of ``scenario``'s ``calibration:`` block.

    ``method``:

    - ``"least_squares"``: the engine's bounded Levenberg-Marquardt on the
      weighted residuals ``(model - observed) / sd`` of the fitted targets
      (at most ``max_evaluations`` model runs). A parameter the targets do
      not pin down is held at its starting value (``identified`` False) and
      named in ``warnings``.
    - ``"abc"``: ABC-SMC (population Monte Carlo) from the uniform prior over
      the bounds, with each target's stated observation error added to the
      simulated figures: ``draws`` model runs at most, a population of
      ``accept`` particles, under ``seed`` on ``threads`` threads (0: every
      core; the result does not depend on the thread count). The final
      population, resampled to equal weights, is ``posterior``
      (docs/calibration.md).
    - ``"scipy"``: ``scipy.optimize.least_squares`` (trf, the bounds,
      ``x_scale`` the bounds' widths, 3-point Jacobian) over the same
      residuals from :func:`staffsim._core.target_values`, as an independent
      check of the engine's optimiser. Standard errors come from its
      Jacobian at the optimum. It does not hold unidentified parameters at
      their starting values as the engine does: a rank-deficient Jacobian is
      reported in ``warnings`` (those parameters get ``identified`` False and
      an infinite standard error), but their values are wherever the
      optimiser stopped.

    ``fit_tables`` limits the fit to the targets of those tables (a list, or
    a comma-separated string); the others are predicted. Errors arrive as
    ``ValueError`` (``staffsim.ScenarioError``: no ``calibration:`` block;
    ``staffsim.UsageError``: an unknown table, bad options) with the
    engine's messages. The GIL is released while the engine fits.
    """
    tables = _tables(fit_tables)
    if method == "scipy":
        return _fit_scipy(scenario, tables, max_evaluations)
    _check_method(method)
    d = _core.calibrate(
        scenario, method, tables, max_evaluations, draws, accept, seed, threads
    )
    return _result(d, scenario)


def crossval(
    scenario: Scenario,
    fit: str | Sequence[str],
    method: str = "least_squares",
    draws: int = 20000,
    accept: int = 200,
    seed: int = 1,
    threads: int = 0,
    max_evaluations: int = 400,
) -> CalibrationResult:
    """Cross-validation: fit on the targets of the tables ``fit``, predict the rest.

    As :func:`calibrate` (the same methods and options), as
    ``staffsim crossval --fit``; the predicted targets have ``fitted``
    False. At least one table must be fitted and one left out.
    """
    tables = _tables(fit)
    if method != "scipy":
        _check_method(method)
        d = _core.cross_validate(
            scenario, tables, method, max_evaluations, draws, accept, seed, threads
        )
        return _result(d, scenario)
    if not tables:
        raise UsageError(
            "crossval: name the tables to fit (--fit TABLE); the others are predicted"
        )
    result = _fit_scipy(scenario, tables, max_evaluations)
    if all(t.fitted for t in result.targets):
        raise UsageError(
            "crossval: every target's table is fitted; leave at least one table "
            "out to predict it"
        )
    return result


# ---- helpers ------------------------------------------------------------------


def _tables(tables: str | Sequence[str] | None) -> list[str]:
    if tables is None:
        return []
    if isinstance(tables, str):
        tables = [tables]
    return [t for item in tables for t in item.split(",") if t]


def _check_method(method: str) -> None:
    if method not in _METHODS:
        raise UsageError(f"method = '{method}': one of {', '.join(_METHODS)}")


def _result(d: dict[str, Any], scenario: Scenario) -> CalibrationResult:
    return CalibrationResult(
        method=d["method"],
        parameters=tuple(ParameterFit(**p) for p in d["parameters"]),
        targets=tuple(TargetFit(**t) for t in d["targets"]),
        misfit=d["misfit"],
        evaluations=d["evaluations"],
        converged=d["converged"],
        warnings=tuple(d["warnings"]),
        posterior=d["posterior"],
        abc_epsilon=d["abc_epsilon"],
        abc_epsilons=None if d["abc_epsilons"] is None else tuple(d["abc_epsilons"]),
        abc_stop=d["abc_stop"],
        scenario=scenario,
    )


def _describe(p: dict[str, Any]) -> str:
    return p["name"] if p["name"] == p["path"] else f"{p['name']} ({p['path']})"


_RANK_TOL = 1e-6  # singular value / largest: a direction the targets do not constrain
_BOUND_TOL = 1e-6  # distance to a bound, as a fraction of the range
_CORR_WARN = 0.95  # correlation above which a pair is named


def _fit_scipy(
    scenario: Scenario, tables: list[str], max_evaluations: int
) -> CalibrationResult:
    from scipy.optimize import least_squares

    if max_evaluations < 1:
        raise UsageError(f"max_evaluations = {max_evaluations}: must be >= 1")
    spec = _core.calibration_spec(scenario, tables)
    free, targets = spec["free"], spec["targets"]
    fitted = np.array([t["fitted"] for t in targets], dtype=bool)
    if not fitted.any():
        raise UsageError("calibrate: no target to fit")
    observed = np.array([t["observed"] for t in targets])
    sd = np.array([t["sd"] for t in targets])
    lo = np.array([p["lower"] for p in free])
    hi = np.array([p["upper"] for p in free])
    span = hi - lo
    x0 = np.clip(np.array([p["initial"] for p in free]), lo, hi)
    runs = 0

    def residuals(theta: np.ndarray) -> np.ndarray:
        nonlocal runs
        runs += 1
        v = _core.target_values(scenario, theta)
        return (v[fitted] - observed[fitted]) / sd[fitted]

    sol = least_squares(
        residuals,
        x0,
        jac="3-point",
        bounds=(lo, hi),
        x_scale=span,
        method="trf",
        ftol=1e-12,
        xtol=1e-12,
        gtol=1e-12,
        max_nfev=max_evaluations,
    )
    theta = sol.x
    values = _core.target_values(scenario, theta)
    runs += 1
    z = (values - observed) / sd
    misfit = float(np.sum(z[fitted] ** 2))

    warnings: list[str] = []
    # Identifiability from the Jacobian in coordinates scaled to [0, 1].
    J = np.asarray(sol.jac) * span
    _, s, vt = np.linalg.svd(J, full_matrices=True)
    smax = s[0] if s.size else 0.0
    null = [vt[k] for k in range(len(free)) if k >= s.size or s[k] <= _RANK_TOL * smax]
    unidentified = np.zeros(len(free), dtype=bool)
    for v in null:
        involved = [j for j in range(len(free)) if abs(v[j]) > 1e-3]
        unidentified[involved] = True
        names = ", ".join(_describe(free[j]) for j in involved)
        warnings.append(
            f"the Jacobian is rank-deficient: the fitted targets do not pin down {names} "
            "(scipy does not hold any of them fixed: their values are where the "
            "optimiser stopped)"
        )
    cov = np.linalg.pinv(J.T @ J)
    x = (theta - lo) / span
    parameters = []
    for j, p in enumerate(free):
        identified = not unidentified[j]
        at_bound = identified and (x[j] < _BOUND_TOL or x[j] > 1.0 - _BOUND_TOL)
        se = span[j] * np.sqrt(max(0.0, cov[j, j])) if identified else np.inf
        if at_bound:
            side = "lower" if x[j] < 0.5 else "upper"
            warnings.append(
                f"{_describe(p)} stopped at its {side} bound "
                f"{p['lower'] if x[j] < 0.5 else p['upper']:.6g}: the targets pull "
                "it further; widen the bounds or check the targets"
            )
        parameters.append(
            ParameterFit(
                name=p["name"],
                path=p["path"],
                value=float(theta[j]),
                initial=p["initial"],
                lower=p["lower"],
                upper=p["upper"],
                std_error=float(se),
                q05=float("nan"),
                q95=float("nan"),
                at_bound=bool(at_bound),
                identified=bool(identified),
            )
        )
    ident = np.flatnonzero(~unidentified)
    for ia, a in enumerate(ident):
        for b in ident[:ia]:
            denom = np.sqrt(cov[a, a] * cov[b, b])
            if denom <= 0.0 or abs(cov[a, b] / denom) < _CORR_WARN:
                continue
            warnings.append(
                f"{_describe(free[a])} and {_describe(free[b])} are poorly separated "
                f"by the targets (correlation {cov[a, b] / denom:.6g} in the fit): "
                "their standard errors are large together"
            )

    fits = []
    for i, t in enumerate(targets):
        model = float(values[i])
        error = abs(model - t["observed"])
        if not np.isfinite(model):
            within = False
        elif t["is_tolerance"]:
            within = bool(error <= t["sd"])
        else:
            within = bool(abs(z[i]) <= 2.0)
        fits.append(
            TargetFit(
                name=t["name"],
                query=t["query"],
                table=t["table"],
                fitted=t["fitted"],
                observed=t["observed"],
                sd=t["sd"],
                is_tolerance=t["is_tolerance"],
                model=model,
                z=float(z[i]),
                within=within,
            )
        )
        if t["fitted"] and not within:
            kind = "tolerance" if t["is_tolerance"] else "sd"
            warnings.append(
                f"target {t['name']} is not reproduced: model {model:.6g}, observed "
                f"{t['observed']:.6g} ({kind} {t['sd']:.6g})"
            )
    converged = sol.status > 0
    if not converged:
        warnings.append(
            f"the fit stopped after {runs} model runs without converging "
            "(raise max_evaluations)"
        )
    return CalibrationResult(
        method="scipy",
        parameters=tuple(parameters),
        targets=tuple(fits),
        misfit=misfit,
        evaluations=runs,
        converged=converged,
        warnings=tuple(warnings),
        posterior=None,
        abc_epsilon=None,
        scenario=scenario,
    )
