"""Python values as the YAML text of a ``--set path=value`` override."""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping


def yaml_text(value: object) -> str:
    """YAML text for `value`.

    A string passes through as YAML text (as on the command line, so
    ``"[0.1, 0.2]"`` is a list); numbers, booleans and None become YAML
    scalars; mappings and sequences become flow collections.
    """
    if isinstance(value, str):
        return value
    return _flow(value)


def _flow(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # a NumPy scalar
        if isinstance(value, bool):
            return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        x = float(value)
        if math.isnan(x):
            return ".nan"
        if math.isinf(x):
            return ".inf" if x > 0 else "-.inf"
        return repr(x)
    if isinstance(value, str):
        return json.dumps(value)  # a double-quoted YAML string
    if isinstance(value, Mapping):
        items = (f"{_key(k)}: {_flow(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if hasattr(value, "tolist"):
        value = value.tolist()  # a NumPy array
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    raise TypeError(
        f"cannot write {type(value).__name__} {value!r} as a YAML override value"
    )


def _key(key: object) -> str:
    if isinstance(key, str):
        return json.dumps(key)
    return _flow(key)
