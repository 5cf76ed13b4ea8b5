"""Independent NumPy reference implementation of the staffsim model.

Written from docs/model.md, DESIGN.md section 2 and docs/scenario-reference.md
only (not from the engine's C++ source), as a check on the engine.

The state has a leading draw axis: H has shape (D, R, S, A, K) and every
operation is vectorised over draws and cells; Python loops run only over
steps and small dimensions (sectors, routes, sources, programmes).  The
model is deterministic, so every draw holds the same numbers: the draw axis
exists to measure throughput (``--bench``) and to mirror the engine's layout.

Usage:
    python benchmarks/reference_numpy.py SCENARIO.yaml --draws N --out results.csv
    python benchmarks/reference_numpy.py SCENARIO.yaml --bench [--batches 10,50,200,1000] [--repeats 3]

Choices made where the documents are ambiguous are marked ``AMBIGUITY:``.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import time

import numpy as np
import yaml

PROVENANCE = ("source", "assumed")
CATEGORIES_OUT = (
    "retired",
    "aged_out",
    "exit",
    "same_sector",
    "to_sector",
    "to_role",
    "to_role_sector",
    "promoted",
)
CATEGORIES_IN = (
    "hire",
    "same_sector",
    "from_sector",
    "from_role",
    "from_role_sector",
    "promotion",
    "training",
)
FLOW_COLUMNS = ["leavers_" + c for c in CATEGORIES_OUT] + [
    "starters_" + c for c in CATEGORIES_IN
]
STOCK_COLUMNS = ["headcount", "fte", "posts", "posts_hc", "vacancies"]
OUTLOOK_COLUMNS = ["retirement_outlook_5", "retirement_outlook_10"]
MONEY_COLUMNS = ["pay_bill", "recruitment_cost", "vacancy_cover_cost"]
COLUMNS = STOCK_COLUMNS + FLOW_COLUMNS + OUTLOOK_COLUMNS + MONEY_COLUMNS


class ScenarioError(Exception):
    pass


# ---------------------------------------------------------------------------
# YAML loading and merging (`extends:`)
# ---------------------------------------------------------------------------


def _absolutise_tables(node, base_dir):
    """Make every `table:` path absolute (paths are relative to the file naming them)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "table" and isinstance(value, str):
                node[key] = os.path.normpath(os.path.join(base_dir, value))
            else:
                _absolutise_tables(value, base_dir)
    elif isinstance(node, list):
        for item in node:
            _absolutise_tables(item, base_dir)


def _named_list(value):
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(i, dict) and "name" in i for i in value)
    )


def _merge(parent, child):
    """Deep-merge child into parent (DESIGN.md 3): maps deep-merge, named lists
    merge by name, other lists are replaced, `key: null` deletes."""
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        for key, value in child.items():
            if value is None:
                out.pop(key, None)
            elif key in out:
                out[key] = _merge(out[key], value)
            else:
                out[key] = _strip_nulls(value)
        return out
    if _named_list(parent) and _named_list(child):
        out = [dict(i) for i in parent]
        for item in child:
            names = [i["name"] for i in out]
            if item.get("remove") is True:
                out = [i for i in out if i["name"] != item["name"]]
            elif item["name"] in names:
                idx = names.index(item["name"])
                out[idx] = _merge(out[idx], item)
            else:
                out.append(_strip_nulls(item))
        return out
    if _kind(parent) != _kind(child):
        raise ScenarioError(f"changing a value's type in a merge: {parent!r} -> {child!r}")
    return _strip_nulls(child)


def _kind(value):
    return "map" if isinstance(value, dict) else "list" if isinstance(value, list) else "scalar"


def _strip_nulls(node):
    if isinstance(node, dict):
        return {k: _strip_nulls(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_strip_nulls(i) for i in node]
    return node


def load_yaml(path, chain=()):
    path = os.path.abspath(path)
    if path in chain:
        raise ScenarioError("extends cycle: " + " -> ".join(chain + (path,)))
    with open(path) as f:
        doc = yaml.safe_load(f) or {}
    _absolutise_tables(doc, os.path.dirname(path))
    parents = doc.pop("extends", None)
    if parents is None:
        parents = []
    elif isinstance(parents, str):
        parents = [parents]
    merged = {}
    for p in parents:
        merged = _merge(merged, load_yaml(os.path.join(os.path.dirname(path), p), chain + (path,)))
    merged = _merge(merged, doc)
    if "overrides" in merged:
        # Not used by any shipped scenario; the path grammar is not implemented.
        raise NotImplementedError("overrides: blocks are not implemented in the reference")
    merged.setdefault("name", os.path.splitext(os.path.basename(path))[0])
    return merged


def read_csv_rows(path):
    with open(path, newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


# ---------------------------------------------------------------------------
# Labels, ranges, paths
# ---------------------------------------------------------------------------


def parse_age_range(text, lo_limit, hi_limit):
    """'18-29' -> (18, 29); '70+' -> (70, hi_limit); '45' -> (45, 45)."""
    text = str(text).strip()
    if text.endswith("+"):
        return int(text[:-1]), hi_limit
    if "-" in text:
        a, b = text.split("-")
        return int(a), int(b)
    return int(text), int(text)


def parse_tenure_range(text):
    """'1-3' -> (1, 3) meaning [1, 3); '20+' -> (20, inf)."""
    text = str(text).strip()
    if text.endswith("+"):
        return float(text[:-1]), math.inf
    a, b = text.split("-")
    return float(a), float(b)


def interp_years(table, year):
    """{year: value}: linear between census years, held beyond."""
    if not isinstance(table, dict):
        return float(table)
    items = sorted((float(k), float(v)) for k, v in table.items() if k not in PROVENANCE)
    xs = np.array([i[0] for i in items])
    ys = np.array([i[1] for i in items])
    return float(np.interp(year, xs, ys))


class Path:
    """A lever path (model.md "Levers")."""

    def __init__(self, spec, scale=1.0):
        self.scale = scale
        if isinstance(spec, (int, float)):
            self.kind, self.value = "const", float(spec)
        elif isinstance(spec, dict) and "start_year" in spec:
            self.kind = spec.get("shape", "linear")
            self.start = float(spec["start_year"])
            self.end = float(spec.get("end_year", spec["start_year"]))
            self.a = float(spec["from_value"])
            self.b = float(spec["to_value"])
            self.k = float(spec.get("k", 10.0))
        elif isinstance(spec, dict):
            self.kind, self.table = "table", {k: v for k, v in spec.items() if k not in PROVENANCE}
        else:
            raise ScenarioError(f"bad lever path {spec!r}")

    def __call__(self, year):
        return self.scale * self._raw(year)

    def _raw(self, year):
        if self.kind == "const":
            return self.value
        if self.kind == "table":
            return interp_years(self.table, year)
        if self.kind == "step":
            return self.a if year <= self.start else self.b
        x = min(1.0, max(0.0, (year - self.start) / (self.end - self.start)))
        if self.kind == "linear":
            return self.a + (self.b - self.a) * x
        if self.kind == "logistic":
            def sig(z):
                return 1.0 / (1.0 + math.exp(-z))

            k = self.k
            f = (sig(k * (x - 0.5)) - sig(-k / 2)) / (sig(k / 2) - sig(-k / 2))
            return self.a + (self.b - self.a) * f
        raise ScenarioError(f"unknown path shape {self.kind}")


# ---------------------------------------------------------------------------
# The resolved model
# ---------------------------------------------------------------------------


class Model:
    """Resolved parameters of one scenario (per draw identical)."""

    def __init__(self, path, tenure_structural_zeros=False):
        self.path = path
        self.tenure_structural_zeros = tenure_structural_zeros
        doc = load_yaml(path)
        self.doc = doc
        self.name = doc.get("name")
        t = doc["time"]
        self.start_year = int(t["start_year"])
        self.end_year = int(t["end_year"])
        self.spy = int(t.get("steps_per_year", 4))
        self.dt = 1.0 / self.spy
        d = doc["dimensions"]
        self.roles = list(d["roles"])
        self.sectors = list(d["sectors"])
        self.min_age = int(d.get("min_age", 16))
        self.max_age = int(d.get("max_age", 74))
        self.edges = [float(e) for e in d.get("tenure_bands", [0, 0.5, 2, 5])]
        self.R, self.S = len(self.roles), len(self.sectors)
        self.A = self.max_age - self.min_age + 1
        self.K = len(self.edges)
        self.ridx = {r: i for i, r in enumerate(self.roles)}
        self.sidx = {s: i for i, s in enumerate(self.sectors)}
        widths = np.diff(self.edges + [math.inf])
        self.p = np.where(np.isfinite(widths), self.dt / widths, 0.0)
        self.band_names = self._band_names()

        dem = doc.get("demand") or {}
        self.mode = dem.get("mode", "posts")
        self.coverage = float(dem.get("coverage", 1.0))

        self.phi = self.cell_table(doc.get("fte_factor"), default=1.0)
        self._load_turnover()
        self._load_retirement()
        self._load_destinations()
        self._load_promotion()
        self._load_recruitment()
        self._load_training()
        self._load_levers()
        self._load_costs()
        self._load_opening_stock()
        self._load_posts()

    # -- helpers ------------------------------------------------------------

    def _band_names(self):
        def fmt(x):
            return f"{x:g}"

        names = []
        for k, e in enumerate(self.edges):
            if k + 1 < self.K:
                names.append(f"{fmt(e)}-{fmt(self.edges[k + 1])}")
            else:
                names.append(f"{fmt(e)}+")
        return names

    def age_span(self, text):
        lo, hi = parse_age_range(text, self.min_age, self.max_age)
        return lo - self.min_age, hi - self.min_age  # inclusive indices

    def age_dist(self, spec):
        """{age range: weight}: a range's weight spread evenly over its ages, normalised."""
        w = np.zeros(self.A)
        for key, val in spec.items():
            if key in PROVENANCE:
                continue
            lo, hi = self.age_span(key)
            lo_c, hi_c = max(lo, 0), min(hi, self.A - 1)
            # AMBIGUITY: a range partly outside [min_age, max_age]: its weight is
            # spread over all of its ages and the part outside is dropped.
            w[lo_c : hi_c + 1] += float(val) / (hi - lo + 1)
        return w / w.sum()

    def tenure_weights(self, text):
        lo, hi = parse_tenure_range(text)
        w = np.zeros(self.K)
        if math.isinf(hi):
            # An open range starts at or above the last edge (validation).
            w[-1] = 1.0
            return w
        for k in range(self.K):
            a = self.edges[k]
            b = self.edges[k + 1] if k + 1 < self.K else math.inf
            w[k] = max(0.0, min(hi, b) - max(lo, a))
        return w / (hi - lo)

    def snap(self, x):
        """The band edge a written value names: equal, or within 5e-6 relatively
        (docs/scenario-reference.md: edges may be written as the results file
        labels them, to six significant digits)."""
        for e in self.edges:
            if e == x or abs(e - x) <= 5e-6 * max(1.0, abs(e)):
                return e
        return x

    def band_index(self, text):
        text = str(text).strip()
        if text in self.band_names:
            return self.band_names.index(text)
        lo, _ = parse_tenure_range(text)
        return self.edges.index(self.snap(lo))

    def cell_table(self, spec, default=None):
        out = np.full((self.R, self.S), np.nan if default is None else float(default))
        if spec is None:
            return out
        if isinstance(spec, (int, float)):
            out[:] = float(spec)
            return out
        if "default" in spec:
            out[:] = float(spec["default"])
        for s, v in (spec.get("by_sector") or {}).items():
            if s not in PROVENANCE:
                out[:, self.sidx[s]] = float(v)
        for r, v in (spec.get("by_role") or {}).items():
            if r not in PROVENANCE:
                out[self.ridx[r], :] = float(v)
        for r, row in (spec.get("by_cell") or {}).items():
            if r in PROVENANCE:
                continue
            for s, v in row.items():
                if s not in PROVENANCE:
                    out[self.ridx[r], self.sidx[s]] = float(v)
        if "table" in spec:
            for row in read_csv_rows(spec["table"]):
                out[self.ridx[row["role"]], self.sidx[row["sector"]]] = float(row["value"])
        if np.isnan(out).any():
            raise ScenarioError("cell table does not cover every cell")
        return out

    def label_table(self, spec, rows, cols, row_axis, col_axis):
        out = np.zeros((len(rows), len(cols)))
        if not spec:
            return out
        for rk, row in spec.items():
            if rk in PROVENANCE or rk == "table":
                continue
            for ck, v in row.items():
                if ck not in PROVENANCE:
                    out[rows.index(str(rk)), cols.index(str(ck))] = float(v)
        if "table" in spec:
            for row in read_csv_rows(spec["table"]):
                out[rows.index(row[row_axis]), cols.index(row[col_axis])] = float(row["value"])
        return out

    def select_mask(self, sel, key, labels):
        """A lever's `select` list for one key as a boolean mask (absent: all)."""
        if not sel or key not in sel or sel[key] is None:
            return np.ones(len(labels), bool)
        m = np.zeros(len(labels), bool)
        for lab in sel[key]:
            m[labels.index(str(lab))] = True
        return m

    # -- supply parameters ---------------------------------------------------

    def _factor_table(self, spec, kind):
        """age_factor / tenure_factor -> array (R, A) or (R, K)."""
        n = self.A if kind == "age" else self.K
        out = np.ones((self.R, n))
        if not spec:
            return out

        def one(bands, values, reference):
            f = np.full(n, np.nan)
            if kind == "age":
                ref_val = None
                for key, v in bands.items():
                    if key in PROVENANCE:
                        continue
                    lo, hi = self.age_span(key)
                    f[max(lo, 0) : min(hi, self.A - 1) + 1] = float(v)
                    if reference is not None and str(key) == str(reference):
                        ref_val = float(v)
            else:
                if isinstance(values, list):
                    f[:] = [float(v) for v in values]
                else:
                    for key, v in values.items():
                        if key in PROVENANCE:
                            continue
                        lo, hi = parse_tenure_range(key)
                        lo, hi = self.snap(lo), self.snap(hi)
                        e = np.asarray(self.edges)
                        f[(e >= lo) & (e < hi)] = float(v)
                ref_val = f[self.band_index(reference)] if reference is not None else None
            if np.isnan(f).any():
                raise ScenarioError(f"{kind}_factor does not cover every {kind}")
            # With base_is: stock_average a reference is optional; dividing by
            # it then changes nothing, since the normalisation is scale-free.
            return f / ref_val if ref_val is not None else f

        shared_key = "bands" if kind == "age" else "values"
        ref = spec.get("reference")
        if spec.get(shared_key) is not None:
            out[:] = one(spec.get("bands"), spec.get("values"), ref)
        for role, sub in (spec.get("by_role") or {}).items():
            if role in PROVENANCE:
                continue
            out[self.ridx[role]] = one(
                sub.get("bands"), sub.get("values"), sub.get("reference", ref)
            )
        return out

    def _load_turnover(self):
        tv = self.doc["supply"]["turnover"]
        base = self.cell_table(tv["base"])
        if tv.get("unit", "hazard") == "probability":
            base = -np.log1p(-base)
        self.base_given = base
        self.base_is = tv.get("base_is", "reference")
        self.age_factor = self._factor_table(tv.get("age_factor"), "age")
        self.tenure_factor = self._factor_table(tv.get("tenure_factor"), "tenure")

    def _load_retirement(self):
        self.q_ret = np.zeros((self.R, self.A))
        ret = self.doc["supply"].get("retirement")
        if not ret:
            return
        unit = ret.get("unit", "probability")

        def table(by_age):
            q = np.zeros(self.A)
            for key, v in by_age.items():
                if key in PROVENANCE:
                    continue
                lo, hi = self.age_span(key)
                v = float(v)
                q[max(lo, 0) : min(hi, self.A - 1) + 1] = v if unit == "probability" else -math.expm1(-v)
            return q

        if ret.get("by_age") is not None:
            self.q_ret[:] = table(ret["by_age"])
        for role, sub in (ret.get("by_role") or {}).items():
            if role not in PROVENANCE:
                self.q_ret[self.ridx[role]] = table(sub["by_age"])

    def h_ret(self, shift):
        """h_ret[r, a] = -ln(1 - q(r, a - shift_r)), q interpolated at a real index, held at ends.

        shift: array (R,)."""
        x = np.arange(self.A)[None, :] - np.asarray(shift, float)[:, None]
        q = np.empty((self.R, self.A))
        for r in range(self.R):
            q[r] = np.interp(x[r], np.arange(self.A), self.q_ret[r])
        return -np.log1p(-q)

    def _load_destinations(self):
        dst = self.doc["supply"].get("destinations") or {}
        R, S = self.R, self.S
        self.exit_share = np.ones((R, S))
        self.move = {c: np.zeros((R, S, R, S)) for c in ("same_sector", "to_sector", "to_role", "to_role_sector")}

        def apply(r, s, split):
            vals = {"exit": float(split.get("exit", 0.0))}
            mv = {c: np.zeros((R, S)) for c in self.move}
            mv["same_sector"][r, s] = float(split.get("same_sector", 0.0))
            for s2, v in (split.get("to_sector") or {}).items():
                if s2 not in PROVENANCE:
                    mv["to_sector"][r, self.sidx[s2]] += float(v)
            for r2, v in (split.get("to_role") or {}).items():
                if r2 not in PROVENANCE:
                    mv["to_role"][self.ridx[r2], s] += float(v)
            for item in split.get("to_role_sector") or []:
                mv["to_role_sector"][self.ridx[item["role"]], self.sidx[item["sector"]]] += float(item["share"])
            # Shares within 1e-9 of 1 are divided by their sum (model.md, departures).
            total = vals["exit"] + sum(m.sum() for m in mv.values())
            self.exit_share[r, s] = vals["exit"] / total
            for c in self.move:
                self.move[c][r, s] = mv[c] / total

        for r in range(R):
            for s in range(S):
                split = dst.get("default")
                role = self.roles[r]
                if role in (dst.get("by_role") or {}):
                    split = dst["by_role"][role]
                cell = (dst.get("by_cell") or {}).get(role) or {}
                if self.sectors[s] in cell:
                    split = cell[self.sectors[s]]
                if split is not None:
                    apply(r, s, split)
        self.move_all = sum(self.move.values()).reshape(R * S, R * S)
        self.move_flat = {c: m.reshape(R * S, R * S) for c, m in self.move.items()}

    def _load_promotion(self):
        self.routes = []
        for rt in self.doc["supply"].get("promotion") or []:
            sectors = rt.get("sectors")
            mask = np.ones(self.S, bool) if sectors is None else self.select_mask({"s": sectors}, "s", self.sectors)
            self.routes.append(
                {
                    "name": rt["name"],
                    "from": self.ridx[rt["from"]],
                    "to": self.ridx[rt["to"]],
                    "rate": 1.0 - (1.0 - float(rt["max_rate"])) ** self.dt,
                    "kmin": self.edges.index(self.snap(float(rt.get("min_tenure", 0)))),
                    "sectors": mask,
                }
            )
        # Per sector: destination roles in topological order, highest first
        # (a role is handled before any role promoted into it).
        # AMBIGUITY: the order among roles the routes do not rank is not
        # stated; ties are broken by the order of `dimensions.roles`.
        self.promo_order = []
        for s in range(self.S):
            rts = [r for r in self.routes if r["sectors"][s]]
            dests = sorted({r["to"] for r in rts})
            # edge origin -> destination; handle X before any origin of X.
            order, remaining = [], list(dests)
            while remaining:
                ready = [
                    d for d in remaining
                    if not any(rt["from"] == d and rt["to"] in remaining for rt in rts)
                ]
                if not ready:
                    raise ScenarioError("promotion cycle")
                order.append(ready[0])
                remaining.remove(ready[0])
            self.promo_order.append([(d, [i for i, rt in enumerate(self.routes) if rt["sectors"][s] and rt["to"] == d]) for d in order])

    def _load_recruitment(self):
        rec = self.doc["supply"].get("recruitment") or {}
        srcs = rec.get("sources") or []
        self.source_names = [s["name"] for s in srcs]
        Q = len(srcs)
        self.Q = Q
        self.source_ages = np.zeros((Q, self.A))
        self.source_cap = np.full(Q, np.inf)
        for i, s in enumerate(srcs):
            self.source_ages[i] = self.age_dist(s["ages"])
            if s.get("cap") is not None:
                self.source_cap[i] = float(s["cap"]) / self.coverage
        R, S = self.R, self.S
        self.rec_mode = np.zeros((R, S), int)  # 0 none, 1 fill, 2 fixed rate, 3 fixed number
        self.rec_param = np.zeros((R, S))
        self.rec_shares = np.zeros((R, S, max(Q, 1)))
        for r in range(R):
            for s in range(S):
                rule = rec.get("default")
                role = self.roles[r]
                if role in (rec.get("by_role") or {}):
                    rule = rec["by_role"][role]
                cell = (rec.get("by_cell") or {}).get(role) or {}
                if self.sectors[s] in cell:
                    rule = cell[self.sectors[s]]
                if rule is None or rule.get("mode", "none") == "none":
                    continue
                if rule["mode"] == "fill_vacancies":
                    lam = -math.log1p(-float(rule["fill_rate"]))
                    self.rec_mode[r, s] = 1
                    self.rec_param[r, s] = -math.expm1(-lam * self.dt)
                elif "rate" in rule:
                    self.rec_mode[r, s] = 2
                    self.rec_param[r, s] = float(rule["rate"])
                else:
                    self.rec_mode[r, s] = 3
                    self.rec_param[r, s] = float(rule["number"]) / self.coverage
                shares = rule.get("sources")
                if shares is None:
                    shares = {self.source_names[0]: 1.0}
                for name, v in shares.items():
                    if name not in PROVENANCE:
                        self.rec_shares[r, s, self.source_names.index(name)] = float(v)
                self.rec_shares[r, s] /= self.rec_shares[r, s].sum()

    def _load_training(self):
        self.programmes = []
        for pr in self.doc["supply"].get("training") or []:
            n_stages = round(float(pr["duration"]) * self.spy)
            sect = np.zeros(self.S)
            for s, v in pr["sectors"].items():
                if s not in PROVENANCE:
                    sect[self.sidx[s]] = float(v)
            sect /= sect.sum()
            intake = pr["intake"]
            self.programmes.append(
                {
                    "name": pr["name"],
                    "role": self.ridx[pr["role"]],
                    "stages": n_stages,
                    "intake": Path(intake, 1.0 / self.coverage),
                    "ages": self.age_dist(pr["intake_age"]),
                    "sigma": (1.0 - float(pr.get("attrition", 0.0))) ** self.dt,
                    "retained": float(pr.get("retained", 1.0)),
                    "sectors": sect,
                    "in_training": None
                    if pr.get("in_training") is None
                    else [float(x) / self.coverage for x in pr["in_training"]],
                }
            )

    def _load_levers(self):
        self.levers = []
        for name, lv in (self.doc.get("levers") or {}).items():
            sel = lv.get("select") or {}
            typ = lv["type"]
            scale = 1.0
            if typ == "training_intake" or (typ == "international_recruitment" and lv.get("acts_on", "share") == "cap"):
                scale = 1.0 / self.coverage
            item = {"name": name, "type": typ, "path": Path(lv["path"], scale)}
            item["roles"] = self.select_mask(sel, "roles", self.roles)
            item["sectors"] = self.select_mask(sel, "sectors", self.sectors)
            if typ == "pay":
                item["elasticity"] = float(lv["elasticity"])
            if typ == "training_intake":
                item["programme"] = [p["name"] for p in self.programmes].index(lv["programme"])
            if typ == "international_recruitment":
                item["source"] = self.source_names.index(lv["recruitment_source"])
                item["acts_on"] = lv.get("acts_on", "share")
            item["sel"] = sel
            item["raw"] = lv
            self.levers.append(item)
        for p_i, pr in enumerate(self.programmes):
            for lv in self.levers:
                if lv["type"] == "training_intake" and lv["programme"] == p_i:
                    pr["intake"] = lv["path"]

    def _load_costs(self):
        c = self.doc.get("costs")
        self.has_costs = c is not None
        if not self.has_costs:
            return
        self.pay = self.cell_table(c["pay"])
        self.cost_per_hire = self.cell_table(c.get("cost_per_hire"), 3600.0)
        self.agency_share = self.cell_table(c.get("agency_share"), 0.0)
        self.agency_premium = self.cell_table(c.get("agency_premium"), 1.0)

    # -- lever values at a year ----------------------------------------------

    def levers_of(self, typ):
        return [lv for lv in self.levers if lv["type"] == typ]

    def turnover_multiplier(self, year):
        M = np.ones((self.R, self.S))
        for lv in self.levers:
            cell = np.outer(lv["roles"], lv["sectors"])
            if lv["type"] == "retention":
                M = np.where(cell, M * lv["path"](year), M)
            elif lv["type"] == "pay":
                M = np.where(cell, M * (1.0 + lv["path"](year)) ** lv["elasticity"], M)
        return M

    def pay_multiplier(self, year):
        M = np.ones((self.R, self.S))
        for lv in self.levers_of("pay"):
            M = np.where(np.outer(lv["roles"], lv["sectors"]), M * (1.0 + lv["path"](year)), M)
        return M

    def shift(self, year):
        sh = np.zeros(self.R)
        for lv in self.levers_of("retirement_shift"):
            sh = sh + np.where(lv["roles"], lv["path"](year), 0.0)
        return sh

    def demand_scale(self, year):
        M = np.ones((self.R, self.S))
        for lv in self.levers_of("demand_scale"):
            M = np.where(np.outer(lv["roles"], lv["sectors"]), M * lv["path"](year), M)
        return M

    def source_state(self, year):
        """Recruitment shares (R, S, Q) and caps (Q) with the international levers at `year`."""
        shares = self.rec_shares.copy()
        cap = self.source_cap.copy()
        for lv in self.levers_of("international_recruitment"):
            q = lv["source"]
            v = lv["path"](year)
            if lv["acts_on"] == "cap":
                cap[q] = v
                continue
            # AMBIGUITY: the lever sets the share in every rule that recruits
            # (mode other than none), including rules that did not list the
            # source; the other sources are rescaled to sum to 1 - v.  A rule
            # whose only source is this one keeps it at 1.
            others = shares[..., :].sum(-1) - shares[..., q]
            active = self.rec_mode > 0
            fac = np.where(others > 0, (1.0 - v) / np.where(others > 0, others, 1.0), 0.0)
            new = shares * fac[..., None]
            new[..., q] = np.where(others > 0, v, shares[..., q])
            shares = np.where(active[..., None], new, shares)
        return shares, cap

    # -- opening stock -------------------------------------------------------

    def _margin_array(self, margin, axes_all, feas):
        """A margin as an array over the joint axes (other axes summed out: size 1)."""
        axes = list(margin["axes"])
        sizes = {"role": self.R, "sector": self.S, "age": self.A, "tenure": self.K}
        age_weights = margin.get("age_weights") or {}

        def weights(axis, label):
            label = str(label)
            w = np.zeros(sizes[axis])
            if axis == "role":
                w[self.ridx[label]] = 1.0
            elif axis == "sector":
                w[self.sidx[label]] = 1.0
            elif axis == "age":
                lo, hi = self.age_span(label)
                if label in age_weights:
                    ww = np.asarray(age_weights[label], float)
                    w[lo : hi + 1] = ww / ww.sum()
                else:
                    w[lo : hi + 1] = 1.0 / (hi - lo + 1)
            else:
                w = self.tenure_weights(label)
            return w

        if "values" in margin:
            rows = [({axes[0]: k}, float(v)) for k, v in margin["values"].items() if k not in PROVENANCE]
        else:
            rows = [({a: row[a] for a in axes}, float(row["value"])) for row in read_csv_rows(margin["table"])]
        shape = tuple(sizes[a] for a in axes)
        rec = np.zeros(shape)
        nr_rows = []
        for labels, value in rows:
            if any(str(labels[a]) == "not_recorded" for a in axes):
                nr_rows.append((labels, value))
                continue
            arr = np.ones(())
            for a in axes:
                arr = np.multiply.outer(arr, weights(a, labels[a]))
            rec += value * arr
        total = rec.copy()
        for labels, value in nr_rows:
            # Spread over the cells sharing the row's recorded labels, in
            # proportion to the recorded counts there (scenario-reference).
            # AMBIGUITY: "cells that share its labels" for a range label is
            # read as the cells the range covers (a 0/1 mask), not weighted.
            mask = np.ones(())
            for a in axes:
                if str(labels[a]) == "not_recorded":
                    m = np.ones(sizes[a])
                else:
                    m = (weights(a, labels[a]) > 0).astype(float)
                mask = np.multiply.outer(mask, m)
            part = rec * mask
            if part.sum() <= 0:
                raise ScenarioError(f"not_recorded row {labels} has no recorded cells")
            total += value * part / part.sum()
        total *= self.total / total.sum()
        # Reshape into the joint axes' order, with size-1 axes elsewhere.
        perm = [axes.index(a) for a in axes_all if a in axes]
        total = np.transpose(total, perm)
        full_shape = [sizes[a] if a in axes else 1 for a in axes_all]
        return total.reshape(full_shape), [i for i, a in enumerate(axes_all) if a in axes]

    def _ipf(self, margins, axes_all, feas):
        sizes = {"role": self.R, "sector": self.S, "age": self.A, "tenure": self.K}
        X = np.ones([sizes[a] for a in axes_all])
        if "tenure" in axes_all and self.tenure_structural_zeros:
            # Alternative reading (off by default): infeasible (age, band)
            # cells as structural zeros of the fit, so the tenure margin is met.
            X = X * feas[None, None, :, :]
        targets = [self._margin_array(m, axes_all, feas) for m in margins]
        for _ in range(1000):
            worst = 0.0
            for target, keep in targets:
                other = tuple(i for i in range(len(axes_all)) if i not in keep)
                cur = X.sum(axis=other, keepdims=True)
                ratio = np.divide(target, cur, out=np.zeros_like(cur), where=cur > 0)
                X = X * ratio
            for target, keep in targets:
                other = tuple(i for i in range(len(axes_all)) if i not in keep)
                cur = X.sum(axis=other, keepdims=True)
                worst = max(worst, float(np.max(np.abs(cur - target)) / self.total))
            if worst < 1e-15:
                break
        return X

    def feasible(self):
        """feas[a, k]: band k feasible at age index a when its lower edge < a + 1."""
        return (np.asarray(self.edges)[None, :] < (np.arange(self.A)[:, None] + 1)).astype(float)

    def apply_feasibility(self, H):
        """Tenure beyond what is possible at an age moves to the highest feasible band."""
        feas = self.feasible()
        highest = (feas * np.arange(self.K)[None, :]).max(axis=1).astype(int)  # (A,)
        out = H * feas
        excess = (H * (1 - feas)).sum(-1)  # (..., A)
        onehot = np.zeros((self.A, self.K))
        onehot[np.arange(self.A), highest] = 1.0
        return out + excess[..., None] * onehot

    def stationary_tenure(self, H_rsa, base):
        """Stationary band distribution per (r, s) of the step operator (model.md)."""
        w = H_rsa[:, :, :-1]
        wsum = w.sum(-1, keepdims=True)
        # AMBIGUITY: w_a are the cell's age shares over a < A-1 (the ages the
        # sum runs over), normalised to sum to 1 there.  A cell with no stock
        # gets uniform weights (it has no people to spread anyway).
        w = np.where(wsum > 0, w / np.where(wsum > 0, wsum, 1.0), 1.0 / (self.A - 1))
        hret = self.h_ret(np.zeros(self.R))  # (R, A)
        af1 = self.age_factor[:, 1:]  # age index a+1 for a < A-1
        hbar = (
            base[:, :, None] * np.einsum("rsa,ra->rs", w, af1)[:, :, None] * self.tenure_factor[:, None, :]
            + np.einsum("rsa,ra->rs", w, hret[:, 1:])[:, :, None]
        )  # (R, S, K)
        s = np.exp(-hbar * self.dt)
        p = self.p
        n = np.zeros_like(s)
        n[..., 0] = 1.0 / (1.0 - s[..., 0] * (1.0 - p[0]))
        for k in range(1, self.K):
            n[..., k] = s[..., k - 1] * p[k - 1] * n[..., k - 1] / (1.0 - s[..., k] * (1.0 - p[k]))
        return n / n.sum(-1, keepdims=True)

    def normalised_base(self, H0):
        num = H0[:, :, :-1, :].sum((2, 3))
        den = np.einsum("rsak,ra,rk->rs", H0[:, :, :-1, :], self.age_factor[:, 1:], self.tenure_factor)
        # AMBIGUITY: a cell with no opening stock keeps the given base (the
        # formula is 0/0 there); such cells hold nobody in the shipped runs.
        return np.where(den > 0, self.base_given * num / np.where(den > 0, den, 1.0), self.base_given)

    def _load_opening_stock(self):
        wf = self.doc["workforce"]
        self.total = float(wf["total"]) / self.coverage
        margins = list(wf["margins"])
        has_tenure = any("tenure" in m["axes"] for m in margins)
        axes_all = ["role", "sector", "age"] + (["tenure"] if has_tenure else [])
        feas = self.feasible()
        X = self._ipf(margins, axes_all, feas)
        self.margins = margins
        if has_tenure:
            # AMBIGUITY (reported): DESIGN.md 2.1 and model.md fit the margins
            # and then move tenure longer than possible at an age to the
            # highest feasible band; read literally (as here, and as the
            # engine does) the move comes after the fit, so a given tenure
            # margin is no longer met exactly.  `tenure_structural_zeros`
            # selects the other reading (zeros in the fit, margin met).
            H0 = X if self.tenure_structural_zeros else self.apply_feasibility(X)
            self.base = self.normalised_base(H0) if self.base_is == "stock_average" else self.base_given
        else:
            H_rsa = X
            base = self.base_given
            for _ in range(200):
                n = self.stationary_tenure(H_rsa, base)
                H0 = self.apply_feasibility(H_rsa[..., None] * n[:, :, None, :])
                if self.base_is != "stock_average":
                    break
                new = self.normalised_base(H0)
                done = np.max(np.abs(new - base) / np.where(base > 0, base, 1.0)) < 1e-13
                base = new
                if done:
                    n = self.stationary_tenure(H_rsa, base)
                    H0 = self.apply_feasibility(H_rsa[..., None] * n[:, :, None, :])
                    break
            self.base = base
        self.H0 = H0

    # -- posts --------------------------------------------------------------

    def _margin_rs_shares(self):
        """(role, sector) headcount shares for splitting posts.total (scenario-reference)."""
        for m in self.margins:
            if "role" in m["axes"] and "sector" in m["axes"]:
                arr, _ = self._margin_array(m, ["role", "sector", "age", "tenure"], self.feasible())
                rs = arr.sum(axis=(2, 3))
                return rs / rs.sum()

        def marginal(axis, n):
            for m in self.margins:
                if axis in m["axes"]:
                    arr, _ = self._margin_array(m, ["role", "sector", "age", "tenure"], self.feasible())
                    idx = ["role", "sector"].index(axis)
                    v = arr.sum(axis=tuple(i for i in range(4) if i != idx))
                    return v / v.sum()
            return np.full(n, 1.0 / n)

        return np.outer(marginal("role", self.R), marginal("sector", self.S))

    def _load_posts(self):
        dem = self.doc.get("demand") or {}
        H0rs = self.H0.sum((2, 3))
        if self.mode == "posts":
            pp = self.doc["posts"]
            self.posts_unit = pp.get("unit", "fte")
            if "total" in pp:
                shares = self._margin_rs_shares()
                if self.posts_unit == "fte":
                    shares = shares * self.phi
                    shares = shares / shares.sum()
                self.posts_total = pp["total"]
                self.posts_shares = shares
                self.posts_table = None
            else:
                tab = {}
                for row in read_csv_rows(pp["table"]):
                    key = (self.ridx[row["role"]], self.sidx[row["sector"]])
                    tab.setdefault(key, {})[int(row["year"])] = float(row["value"])
                self.posts_table = tab
            return
        ov = dem["opening_vacancies"]
        if "rate" in ov:
            rho = self.cell_table(ov["rate"])
        else:
            # Scale-free: the written total over the written workforce total.
            t = float(ov["total"])
            rho = np.full((self.R, self.S), t / (float(self.doc["workforce"]["total"]) + t))
        self.posts0 = self.phi * H0rs / (1.0 - rho)
        if self.mode == "index":
            idx = dem["index"]
            self.index_paths = [[None] * self.S for _ in range(self.R)]
            if not isinstance(idx, dict) or not ({"default", "by_sector", "by_role", "by_cell"} & set(idx)):
                for r in range(self.R):
                    for s in range(self.S):
                        self.index_paths[r][s] = Path(idx)
            else:
                for r in range(self.R):
                    for s in range(self.S):
                        spec = idx.get("default")
                        spec = (idx.get("by_sector") or {}).get(self.sectors[s], spec)
                        spec = (idx.get("by_role") or {}).get(self.roles[r], spec)
                        spec = ((idx.get("by_cell") or {}).get(self.roles[r]) or {}).get(self.sectors[s], spec)
                        self.index_paths[r][s] = Path(spec)
            return
        # need mode
        self.groups = [str(g.get("name", g["ages"])) for g in dem["age_groups"]]
        self.group_pop = [g["population"] for g in dem["age_groups"]]
        self.clients = [str(c) for c in dem["client_groups"]]
        self.services = [str(v) for v in dem["services"]]
        self.prev = self.label_table(dem["prevalence"], self.clients, self.groups, "client_group", "age_group")
        self.mix = self.label_table(dem["mix"], self.clients, self.services, "client_group", "service")
        self.ratio = self.label_table(dem["ratio"], self.services, self.roles, "service", "role")
        self.provider = self.label_table(dem["provider"], self.services, self.sectors, "service", "sector")
        eff = [self.ridx[r] for r in dem.get("effective_ratio_roles") or []]
        raw0 = self.need_raw(float(self.start_year))
        posts0 = self.posts0
        scale = np.zeros((self.R, self.S))
        both = (raw0 > 0) & (posts0 > 0)
        scale[both] = posts0[both] / raw0[both]
        self.keep_posts0 = (raw0 <= 0) & (posts0 > 0)
        for r in range(self.R):
            for s in range(self.S):
                if posts0[r, s] <= 0 < raw0[r, s]:
                    if r in eff:
                        scale[r, s] = 1.0
                    else:
                        m = both[r]
                        if not m.any():
                            raise ScenarioError(f"role {self.roles[r]} has demand but no opening stock")
                        scale[r, s] = (posts0[r, m] * scale[r, m]).sum() / posts0[r, m].sum()
        for r in eff:
            scale[r, :] = np.where(raw0[r] > 0, 1.0, scale[r])
        self.scale = scale

    def need_raw(self, year):
        pop = np.array([interp_years(p, year) for p in self.group_pop])
        prev = self.prev.copy()
        mix = self.mix.copy()
        V = len(self.services)
        intensity = np.ones(V)
        productivity = np.ones((V, self.R))
        provider = self.provider.copy()
        for lv in self.levers:
            sel = lv["sel"]
            typ = lv["type"]
            if typ == "prevention":
                m = np.outer(
                    self.select_mask(sel, "client_groups", self.clients),
                    self.select_mask(sel, "age_groups", self.groups),
                )
                prev = np.where(m, prev * lv["path"](year), prev)
            elif typ == "intensity":
                intensity = np.where(self.select_mask(sel, "services", self.services), intensity * lv["path"](year), intensity)
            elif typ == "productivity":
                m = np.outer(self.select_mask(sel, "services", self.services), self.select_mask(sel, "roles", self.roles))
                productivity = np.where(m, productivity * lv["path"](year), productivity)
        for lv in self.levers_of("personalisation"):
            pi = lv["path"](year)
            to = self.services.index(lv["raw"]["to_service"])
            frm = [self.services.index(v) for v in lv["raw"]["from_services"]]
            for c in np.nonzero(self.select_mask(lv["sel"], "client_groups", self.clients))[0]:
                F = mix[c, frm].sum()
                rise = min(max(0.0, pi - mix[c, to]), F)
                if F > 0:
                    mix[c, frm] *= (F - rise) / F
                mix[c, to] += rise
        base_provider = self.provider
        for lv in self.levers_of("outsourcing"):
            x = lv["path"](year)
            f = self.sidx[lv["raw"]["from_sector"]]
            tos = [self.sidx[t] for t in lv["raw"]["to_sectors"]]
            for v in np.nonzero(self.select_mask(lv["sel"], "services", self.services))[0]:
                moved = x * base_provider[v, f]
                provider[v, f] -= moved
                b = base_provider[v, tos]
                share = b / b.sum() if b.sum() > 0 else np.full(len(tos), 1.0 / len(tos))
                provider[v, tos] += moved * share
        users = (pop[None, :] * prev).sum(1)[:, None] * mix  # (C, V)
        per_v = users.sum(0) * intensity  # (V,)
        return np.einsum("v,vr,vs->rs", per_v, self.ratio / productivity, provider)

    def posts_at(self, year):
        """Posts (FTE) per (role, sector) at a (real) year."""
        ds = self.demand_scale(year)
        if self.mode == "posts":
            if self.posts_table is None:
                out = interp_years(self.posts_total, year) * self.posts_shares / self.coverage
            else:
                out = np.zeros((self.R, self.S))
                for (r, s), tab in self.posts_table.items():
                    out[r, s] = interp_years(tab, year) / self.coverage
            if self.posts_unit == "headcount":
                out = out * self.phi
            return out * ds
        if self.mode == "index":
            idx = np.array([[self.index_paths[r][s](year) for s in range(self.S)] for r in range(self.R)])
            return self.posts0 * idx * ds
        raw = self.need_raw(year)
        posts = np.where(self.keep_posts0, self.posts0, raw * self.scale)
        return posts * ds


# ---------------------------------------------------------------------------
# The simulation, vectorised over draws
# ---------------------------------------------------------------------------


class Simulation:
    def __init__(self, model: Model, draws: int = 1):
        self.m = model
        self.D = draws

    def _initial_pipeline(self, pr):
        m = self.m
        S = pr["stages"]
        T = np.zeros((S, m.A))
        sig = pr["sigma"]
        ages = pr["ages"]
        for j in range(S):
            y = j // m.spy  # year of course
            shifted = np.zeros(m.A)
            if y < m.A:
                # AMBIGUITY: trainees shifted past max_age are dropped.
                shifted[y:] = ages[: m.A - y]
            if pr["in_training"] is not None:
                # in_training[y] spread evenly over that year's stages.
                stages_y = [jj for jj in range(S) if jj // m.spy == y]
                T[j] = pr["in_training"][y] / len(stages_y) * shifted
            else:
                T[j] = pr["intake"](float(m.start_year)) * m.dt * sig**j * shifted
        return T

    def run(self, check_ledger=True):
        m = self.m
        D, R, S, A, K = self.D, m.R, m.S, m.A, m.K
        dt = m.dt
        years = list(range(m.start_year, m.end_year + 1))
        Y = len(years)
        H = np.broadcast_to(m.H0, (D, R, S, A, K)).copy()
        T = [np.broadcast_to(self._initial_pipeline(pr), (D, pr["stages"], A)).copy() for pr in m.programmes]
        out = {c: np.full((Y, D, R, S), np.nan) for c in COLUMNS}
        ledger_err = 0.0
        phi = m.phi
        nsteps = (m.end_year - m.start_year) * m.spy
        flows = None

        def record_stocks(yi, year):
            hc = headcount(H)
            out["headcount"][yi] = hc
            out["fte"][yi] = hc * phi
            posts = m.posts_at(float(year))
            out["posts"][yi] = posts
            out["posts_hc"][yi] = posts / phi
            out["vacancies"][yi] = np.maximum(0.0, posts - hc * phi)
            o5, o10 = self.outlook(H.sum(-1), year)
            out["retirement_outlook_5"][yi] = o5
            out["retirement_outlook_10"][yi] = o10

        def headcount(X):
            return X.reshape(D, R * S, A * K).sum(-1).reshape(D, R, S)

        record_stocks(0, m.start_year)
        flows = {c: np.zeros((D, R, S)) for c in FLOW_COLUMNS + MONEY_COLUMNS}
        for n in range(nsteps):
            year = m.start_year + (n + 1) * dt
            need_start = check_ledger or bool((m.rec_mode == 2).any())
            H_before = headcount(H) if need_start else None
            H_start = H_before
            f = {c: np.zeros((D, R, S)) for c in FLOW_COLUMNS}
            # 0. Birthday
            if n % m.spy == 0:
                f["leavers_aged_out"] += H[:, :, :, -1, :].sum(-1)
                H[:, :, :, 1:, :] = H[:, :, :, :-1, :]  # NumPy buffers overlapping copies
                H[:, :, :, 0, :] = 0.0
                for i in range(len(T)):
                    T[i][:, :, 1:] = T[i][:, :, :-1].copy()
                    T[i][:, :, 0] = 0.0
            # 1. Exits
            M = m.turnover_multiplier(year)
            h = (m.base * M)[:, :, None, None] * m.age_factor[:, None, :, None] * m.tenure_factor[:, None, None, :]
            hret = m.h_ret(m.shift(year))[:, None, :, None]
            htot = h + hret
            stay = np.exp(-htot * dt)
            rfrac = np.divide(hret, htot, out=np.zeros_like(htot), where=htot > 0)
            # Per-cell coefficients (no draw axis), then one pass over the state.
            w_tov = ((1.0 - stay) * (1.0 - rfrac)).reshape(R * S * A, K)
            w_ret = ((1.0 - stay) * rfrac).reshape(R * S * A, K)
            Hf = H.reshape(D, R * S * A, K)
            turnover_a = np.einsum("dxk,xk->dx", Hf, w_tov).reshape(D, R, S, A)
            tov = turnover_a.sum(-1)  # (D, R, S)
            f["leavers_retired"] += np.einsum(
                "dyz,yz->dy", H.reshape(D, R * S, A * K), w_ret.reshape(R * S, A * K)
            ).reshape(D, R, S)
            f["leavers_exit"] += tov * m.exit_share
            tov_flat = tov.reshape(D, R * S)
            for cat, cin in (
                ("same_sector", "same_sector"),
                ("to_sector", "from_sector"),
                ("to_role", "from_role"),
                ("to_role_sector", "from_role_sector"),
            ):
                mf = m.move_flat[cat]
                f["leavers_" + cat] += tov * mf.sum(1).reshape(R, S)
                f["starters_" + cin] += (tov_flat @ mf).reshape(D, R, S)
            movers = np.moveaxis(np.moveaxis(turnover_a.reshape(D, R * S, A), 1, 2) @ m.move_all, 2, 1).reshape(D, R, S, A)
            # 2. Tenure progression of the stayers:
            # H[k] <- stay_k H[k] (1 - p_k) + stay_{k-1} H[k-1] p_{k-1}
            # Done on the flattened state: element i + 1 receives from element
            # i, with the coefficient zero where i + 1 is a band 0.
            keep = stay * (1.0 - m.p)
            up = np.zeros((R, S, A, K))
            up[..., 1:] = (stay * m.p)[..., :-1]
            up = up.reshape(-1)[1:]
            H_new = H * keep
            H_new.reshape(D, -1)[:, 1:] += H.reshape(D, -1)[:, :-1] * up
            H = H_new
            # 3. Arrivals of movers
            H[..., 0] += movers
            # 4. Promotion
            posts = m.posts_at(year)
            for s in range(S):
                for dest, route_ids in m.promo_order[s]:
                    fte = H[:, dest, s].sum((1, 2)) * phi[dest, s]
                    V = np.maximum(0.0, posts[dest, s] - fte) / phi[dest, s]
                    C = []
                    for i in route_ids:
                        rt = m.routes[i]
                        E = H[:, rt["from"], s, :, rt["kmin"]:].sum((1, 2))
                        C.append(E * rt["rate"])
                    Ctot = sum(C)
                    fac = np.divide(np.minimum(Ctot, V), Ctot, out=np.zeros_like(Ctot), where=Ctot > 0)
                    for i, Ci in zip(route_ids, C):
                        rt = m.routes[i]
                        want = Ci * fac
                        elig = H[:, rt["from"], s, :, rt["kmin"]:]
                        E2 = elig.sum((1, 2))
                        frac = np.minimum(1.0, np.divide(want, E2, out=np.zeros_like(E2), where=E2 > 0))
                        removed = elig * frac[:, None, None]
                        H[:, rt["from"], s, :, rt["kmin"]:] = elig - removed
                        by_age = removed.sum(-1)
                        H[:, dest, s, :, 0] += by_age
                        moved = by_age.sum(-1)
                        f["leavers_promoted"][:, rt["from"], s] += moved
                        f["starters_promotion"][:, dest, s] += moved
            # 5. Training completion
            for i, pr in enumerate(m.programmes):
                Ti = T[i]
                sig = pr["sigma"]
                completers = sig * Ti[:, -1, :]  # (D, A)
                Ti[:, 1:, :] = sig * Ti[:, :-1, :].copy()
                Ti[:, 0, :] = pr["intake"](year) * dt * pr["ages"]
                joined = completers * pr["retained"]  # (D, A)
                add = joined[:, None, :] * pr["sectors"][None, :, None]  # (D, S, A)
                H[:, pr["role"], :, :, 0] += add
                f["starters_training"][:, pr["role"], :] += add.sum(-1)
            # 6. Recruitment
            if m.Q:
                fte = headcount(H) * phi
                req = np.zeros((D, R, S))
                mode = m.rec_mode
                gap = np.maximum(0.0, posts - fte) / phi * m.rec_param
                req = np.where(mode == 1, gap, req)
                # AMBIGUITY: H_start is the headcount at the start of the step,
                # before the birthday's aged-out leave.
                if H_start is not None:
                    req = np.where(mode == 2, m.rec_param * H_start * dt, req)
                req = np.where(mode == 3, m.rec_param * dt, req)
                shares, cap = m.source_state(year)
                reqq = req[..., None] * shares  # (D, R, S, Q)
                tot = reqq.sum((1, 2))  # (D, Q)
                budget = cap * dt
                grant = np.where(tot > budget, np.divide(budget, tot, out=np.ones_like(tot), where=tot > 0), 1.0)
                hires = reqq * grant[:, None, None, :]
                H[..., 0] += hires @ m.source_ages
                f["starters_hire"] += hires.sum(-1)
            # Ledger for this step
            if check_ledger:
                tin = sum(f["starters_" + c] for c in CATEGORIES_IN)
                tout = sum(f["leavers_" + c] for c in CATEGORIES_OUT)
                after = headcount(H)
                err = np.abs(after - (H_before + tin - tout))
                scale = np.maximum(np.abs(after), np.abs(H_before)).max() + 1e-300
                ledger_err = max(ledger_err, float(err.max() / scale))
            for c in FLOW_COLUMNS:
                flows[c] += f[c]
            if m.has_costs:
                fte = headcount(H) * phi
                paym = m.pay * m.pay_multiplier(year)
                flows["pay_bill"] += fte * paym * dt
                flows["vacancy_cover_cost"] += np.maximum(0.0, posts - fte) * m.agency_share * paym * m.agency_premium * dt
                moves_in = f["starters_hire"] + f["starters_same_sector"] + f["starters_from_sector"] + f["starters_from_role"] + f["starters_from_role_sector"]
                flows["recruitment_cost"] += moves_in * m.cost_per_hire
            if (n + 1) % m.spy == 0:
                yi = (n + 1) // m.spy
                for c in FLOW_COLUMNS + MONEY_COLUMNS:
                    out[c][yi] = flows[c]
                    flows[c] = np.zeros((D, R, S))
                record_stocks(yi, years[yi])
                self.ledger_error = ledger_err
        self.years = years
        self.results = out
        self.H = H
        return out

    def outlook(self, H_rsa, year):
        """Expected retirements (or passing max_age) within 5 and 10 years of census `year`."""
        m = self.m
        res = []
        for nyears in (5, 10):
            # expo[r, a]: sum of h_ret * dt over the steps, inf once max_age is passed.
            expo = np.zeros((m.R, m.A))
            for j in range(nyears):
                for i in range(m.spy):
                    y = year + (j * m.spy + i + 1) * m.dt
                    hr = m.h_ret(m.shift(y))  # (R, A)
                    age = np.arange(m.A) + 1 + j
                    valid = age <= m.A - 1
                    add = np.where(valid[None, :], hr[:, np.minimum(age, m.A - 1)] * m.dt, np.inf)
                    expo = expo + add
            prob = -np.expm1(-expo)
            res.append(np.einsum("drsa,ra->drs", H_rsa, prob))
        return res


# ---------------------------------------------------------------------------
# Output and CLI
# ---------------------------------------------------------------------------


def results_table(model, sim):
    """Rows (year, role, sector, values...) of draw 0, in the engine's column order."""
    rows = []
    for yi, year in enumerate(sim.years):
        for r, role in enumerate(model.roles):
            for s, sector in enumerate(model.sectors):
                vals = {}
                for c in COLUMNS:
                    v = float(sim.results[c][yi, 0, r, s])
                    if c in MONEY_COLUMNS and not model.has_costs and yi > 0:
                        v = 0.0
                    vals[c] = v
                rows.append((year, role, sector, vals))
    return rows


def write_csv(path, model, sim):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["year", "role", "sector"] + COLUMNS)
        for year, role, sector, vals in results_table(model, sim):
            w.writerow([year, role, sector] + ["" if math.isnan(vals[c]) else repr(vals[c]) for c in COLUMNS])


def run_scenario(path, draws=1):
    model = Model(path)
    sim = Simulation(model, draws)
    sim.run()
    return model, sim


def bench(path, batches=(10, 50, 200, 1000), repeats=3):
    model = Model(path)
    print(f"{model.name}: {model.R} roles x {model.S} sectors x {model.A} ages x {model.K} bands, "
          f"{(model.end_year - model.start_year) * model.spy} steps")
    for d in batches:
        times = []
        for _ in range(repeats):
            sim = Simulation(model, d)
            t0 = time.perf_counter()
            sim.run(check_ledger=False)
            times.append(time.perf_counter() - t0)
        med = float(np.median(times))
        print(f"  draws {d:5d}: median {med:8.3f} s over {repeats} runs, {d / med:10.1f} draws/s")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("--draws", type=int, default=1)
    ap.add_argument("--out", default=None)
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--batches",
        default="10,50,200,1000",
        help="--bench: comma-separated batch sizes (draws per run), default 10,50,200,1000",
    )
    args = ap.parse_args(argv)
    if args.bench:
        try:
            batches = tuple(int(b) for b in args.batches.split(","))
        except ValueError:
            ap.error(f"--batches {args.batches!r}: comma-separated whole numbers expected")
        if not batches or min(batches) < 1:
            ap.error(f"--batches {args.batches!r}: every batch needs at least one draw")
        bench(args.scenario, batches=batches, repeats=args.repeats)
        return 0
    model, sim = run_scenario(args.scenario, args.draws)
    print(f"{model.name}: ledger balance, max relative error {sim.ledger_error:.2e}", file=sys.stderr)
    if args.out:
        write_csv(args.out, model, sim)
    return 0


if __name__ == "__main__":
    sys.exit(main())
