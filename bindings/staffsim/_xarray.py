"""staffsim.Results as an xarray Dataset: the names, dimensions, coordinates
and attributes of the results file (docs/results-format.md), so that
``run(...).to_xarray()`` equals ``open_results(path)`` of the saved file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import xarray

    from staffsim._core import Results


def _labels(values: object) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values
    out = np.empty(len(values), dtype=object)  # type: ignore[arg-type]
    out[:] = list(values)  # type: ignore[call-overload]
    return out


def to_xarray(results: Results) -> xarray.Dataset:
    import xarray

    parts = results._dataset_parts()
    coords = {
        name: xarray.Variable((name,), _labels(values), attrs)
        for name, values, attrs in parts["coords"]
    }
    data_vars = {
        name: xarray.Variable(dims, values, attrs)
        for name, dims, values, attrs in parts["data_vars"]
    }
    return xarray.Dataset(data_vars, coords=coords, attrs=parts["attrs"])
