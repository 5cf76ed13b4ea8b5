"""Goal seeking (docs/goal-seeking.md): the lever value that meets a target.

>>> sc = staffsim.Scenario.load("scenarios/stoke_on_trent_2011/retention_2025.yaml")
>>> res = staffsim.goal(sc, "retention_all", "vacancy_rate[2025] <= 0.02")
>>> res.met, res.value
(True, 0.348...)

The engine does the search (``staffsim._core.seek_goal``, the same code as
``staffsim goal``), with the GIL released; this module gives its answer a
typed, immutable form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from staffsim import _core
from staffsim._core import Scenario

__all__ = ["GoalResult", "GoalScanPoint", "goal"]


@dataclass(frozen=True)
class GoalScanPoint:
    """One run of the scan: a lever value and the target's indicator there."""

    lever_value: float
    indicator_value: float  # NaN when the selection has no staff
    meets: bool


@dataclass(frozen=True)
class GoalResult:
    """What :func:`goal` found; ``str(result)`` is the CLI's text report.

    ``value`` is the lever value nearest ``current_value`` at which the target
    holds (for ``<=`` and ``>=`` the edge of that region, on its side, to the
    tolerance), or, when ``met`` is False, the value that came closest.
    ``lower_basis`` and ``upper_basis`` say where each end of the searched
    range came from: ``"domain"`` (the lever type's domain), ``"practical"``
    (a default where the domain is open-ended) or ``"user"``.
    """

    scenario: str
    target: str  # canonical, e.g. "vacancy_rate[2025] <= 0.05"
    indicator: str
    op: str  # "<=", ">=" or "=="
    target_value: float
    lever: str
    lever_type: str
    lever_value_is: str  # e.g. "to_value of its linear path (...)"
    met: bool
    no_change_needed: bool
    value: float
    indicator_value: float
    current_value: float
    current_indicator_value: float
    lower: float
    upper: float
    lower_basis: str
    upper_basis: str
    range_text: str
    tolerance: float  # absolute, on the lever
    evaluations: int
    message: str
    notes: tuple[str, ...]
    scan: tuple[GoalScanPoint, ...]
    report: str = field(repr=False)

    def __str__(self) -> str:
        return self.report


def goal(
    scenario: Scenario,
    lever: str,
    target: str,
    lower: float | None = None,
    upper: float | None = None,
    tolerance: float = 1e-6,
    max_evaluations: int = 100,
) -> GoalResult:
    """The value of lever instance `lever` at which `target` holds.

    `target` is ``"indicator[year, role=..., sector=...] <= value"`` (or
    ``>=``, ``==``), e.g. ``"vacancy_rate[2025] <= 0.05"``. The lever value is
    the ``to_value`` of the lever's path (its years, shape and from_value
    kept) or its constant value. The search covers ``[lower, upper]``,
    by default the lever type's domain, or a stated practical range where the
    domain is open-ended; `tolerance` is on the lever, as a fraction of that
    range. A stochastic or uncertain scenario is searched in its deterministic
    central case. Raises ``staffsim.UsageError`` (a ``ValueError``) naming the
    parameter, value and rule for a request that does not fit the scenario.
    A target that cannot be met is not an error: ``met`` is False and
    ``message`` says so.
    """
    d = _core.seek_goal(
        scenario, lever, target, lower, upper, tolerance, max_evaluations
    )
    d["notes"] = tuple(d["notes"])
    d["scan"] = tuple(GoalScanPoint(*p) for p in d["scan"])
    return GoalResult(**d)
