"""staffsim: workforce supply-and-demand simulation (a C++ engine, bound here).

>>> sc = staffsim.Scenario.load("scenarios/england_2025/baseline.yaml")
>>> res = staffsim.run(sc, draws=100, seed=1)      # the GIL is released while it runs
>>> ds = res.to_xarray()                            # the results file's Dataset
>>> res.save("baseline.h5"); ds = staffsim.open_results("baseline.h5")
>>> sim = staffsim.Simulation(sc); sim.run_to(2015); sim.set_lever("retention_all", 0.8)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from staffsim import _core
from staffsim._core import (
    IoError,
    Results,
    Scenario,
    ScenarioError,
    Simulation,
    UsageError,
)

if TYPE_CHECKING:
    import xarray
    from numpy.typing import ArrayLike

__version__: str = _core.__version__

__all__ = [
    "CalibrationResult",
    "GoalResult",
    "IoError",
    "Results",
    "Scenario",
    "ScenarioError",
    "Simulation",
    "UsageError",
    "__version__",
    "calibrate",
    "crossval",
    "goal",
    "open_results",
    "open_sweep",
    "run",
    "save_sweep",
    "sweep",
]

ProgressCallback = Callable[[int, int], None]


def run(
    scenario: Scenario,
    draws: int = 1,
    seed: int = 0,
    threads: int = 0,
    first_draw: int = 0,
    progress: bool | ProgressCallback = False,
    samples: ArrayLike | None = None,
) -> Results:
    """Run `scenario`: one deterministic run, or an ensemble of `draws` draws.

    A run is an ensemble when ``draws > 1`` or the scenario has uncertain
    parameters or process noise (``scenario.is_ensemble(draws)``); its draws
    are ``first_draw .. first_draw + draws - 1`` under ``seed``, run on
    ``threads`` threads (0: every core) with the same numbers whatever the
    thread count. The GIL is released while the engine runs. ``progress=True``
    shows a tqdm bar for an ensemble when tqdm is installed; a callable gets
    ``(draws done, draws)`` after each block of draws.

    ``samples`` is an external design for the scenario's uncertainty entries
    (e.g. a Latin hypercube or a calibration posterior): an array of shape
    ``(draws, len(scenario.uncertain_parameters))``, row ``d`` for draw
    ``first_draw + d``, each value what the entry would have drawn (the value,
    the factor in ``mode: scale``, or a discrete choice's index), NaN where
    the entry samples as usual. The values appear in ``parameter_value``.
    """
    callback: ProgressCallback | None = None
    bar = None
    if callable(progress):
        callback = progress
    elif progress and scenario.is_ensemble(draws):
        try:
            from tqdm.auto import tqdm
        except ImportError:  # progress is optional
            tqdm = None
        if tqdm is not None:
            bar = tqdm(total=draws, unit="draw", desc=scenario.name)
            shown = [0]

            def callback(done: int, total: int) -> None:
                bar.update(done - shown[0])
                shown[0] = done

    try:
        return _core.run(scenario, draws, seed, threads, first_draw, callback, samples)
    finally:
        if bar is not None:
            bar.close()


def open_results(path: str | os.PathLike[str]) -> xarray.Dataset:
    """A results file (docs/results-format.md) as an xarray Dataset, loaded."""
    import xarray

    with xarray.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


# Sweeps are part of the core API (DESIGN.md 5): `staffsim.sweep` is the
# function. staffsim.sensitivity and staffsim.plotting stay submodules, so
# that `import staffsim` needs neither SALib nor matplotlib.
from staffsim.calibration import CalibrationResult, calibrate, crossval
from staffsim.goal import GoalResult, goal
from staffsim.sweep import open_sweep, save_sweep, sweep
