// `supply.turnover` and `supply.retirement` (DESIGN.md 2.2 step 1): annual
// hazards at the reference bands, age and tenure factors normalised to 1 at
// their reference band, retirement probabilities per single age.
#include <algorithm>
#include <cmath>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

// `bands: {range: factor}` covering every age, divided by the factor of the
// `reference` band (which must be one of the listed ranges, with factor > 0).
std::optional<Eigen::ArrayXd> read_age_factor(const Node& n, const Node* reference,
                                              const std::string& path, bool need_reference,
                                              BuildContext& ctx) {
  const auto entries = read_age_map(n, child_path(path, "bands"), kFactor, ctx);
  if (!entries) return std::nullopt;
  Eigen::ArrayXd f = values_by_age(*entries, ctx.dims, -1.0);
  bool ok = true;
  for (int a = 0; a < f.size(); ++a) {
    if (f(a) >= 0.0) continue;
    int b = a;
    while (b + 1 < f.size() && f(b + 1) < 0.0) ++b;
    report(ctx, n.loc, child_path(path, "bands"),
           std::to_string(a + ctx.dims.min_age) + "-" + std::to_string(b + ctx.dims.min_age),
           "age factor bands must cover every age from min_age to max_age (these are missing)");
    ok = false;
    a = b;
  }
  if (reference == nullptr) {
    if (need_reference) {
      report(ctx, n.loc, child_path(path, "reference"), "", "missing required key");
    }
    return ok && !need_reference ? std::optional<Eigen::ArrayXd>(f) : std::nullopt;
  }
  const std::string rpath = child_path(path, "reference");
  const auto ref = parse_age_range(reference->scalar, ctx.dims.max_age);
  const AgeEntry* match = nullptr;
  for (const auto& e : *entries) {
    if (ref && e.range.lo == ref->lo && e.range.hi == ref->hi) match = &e;
  }
  if (match == nullptr) {
    report(ctx, reference->loc, rpath, reference->scalar,
           "the reference must be one of the listed age bands");
    return std::nullopt;
  }
  if (match->value <= 0.0) {
    report(ctx, reference->loc, rpath, reference->scalar,
           "the factor of the reference band must be > 0");
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  return f / match->value;
}

// Tenure bands named by a range aligned with band edges ("0-0.5", "2+").
std::optional<std::pair<Band, Band>> bands_of(const std::string& text, const Dimensions& dims) {
  const auto r = parse_tenure_range(text);
  if (!r) return std::nullopt;
  const auto& e = dims.tenure_edges;
  const auto lo = find_edge(e, r->lo);
  if (lo == e.end()) return std::nullopt;
  const Band first = static_cast<Band>(lo - e.begin());
  if (r->hi == kInf) return std::make_pair(first, dims.n_bands() - 1);
  const auto hi = find_edge(e, r->hi);
  if (hi == e.end() || hi <= lo) return std::nullopt;
  return std::make_pair(first, static_cast<Band>(hi - e.begin()) - 1);
}

// `values`: a list with one factor per band, or {band range: factor}
// covering every band; normalised by the `reference` band.
std::optional<Eigen::ArrayXd> read_tenure_factor(const Node& values, const Node* reference,
                                                 const std::string& path, bool need_reference,
                                                 BuildContext& ctx) {
  const int K = ctx.dims.n_bands();
  const std::string vpath = child_path(path, "values");
  Eigen::ArrayXd f = Eigen::ArrayXd::Constant(K, -1.0);
  bool ok = true;
  if (values.is_seq()) {
    if (static_cast<int>(values.items.size()) != K) {
      report(ctx, values.loc, vpath, std::to_string(values.items.size()) + " values",
             "expected one factor per tenure band (" + std::to_string(K) + ")");
      return std::nullopt;
    }
    for (int k = 0; k < K; ++k) {
      const auto v = read_in(*values.items[static_cast<std::size_t>(k)],
                             vpath + "[" + std::to_string(k) + "]", kFactor, ctx);
      ok = ok && v.has_value();
      f(k) = v.value_or(1.0);
    }
  } else if (expect_map(values, vpath, ctx)) {
    for (std::size_t i = 0; i < values.entries.size(); ++i) {
      const auto& [label, v] = values.entries[i];
      if (label == "source" || label == "assumed") continue;
      const Location at = key_at(values, i);
      const auto bands = bands_of(label, ctx.dims);
      const auto x = read_in(*v, child_path(vpath, label), kFactor, ctx);
      if (!bands) {
        report(ctx, at, child_path(vpath, label), label,
               "expected tenure bands with edges on the band edges (e.g. 0-0.5 or 5+)");
      }
      if (!bands || !x) {
        ok = false;
        continue;
      }
      for (Band k = bands->first; k <= bands->second; ++k) {
        if (f(k) >= 0.0) {
          report(
              ctx, at, child_path(vpath, label), label,
              "tenure ranges of one table must not overlap (band " + band_label(ctx.dims, k) + ")");
          ok = false;
        }
        f(k) = *x;
      }
    }
    for (Band k = 0; ok && k < K; ++k) {
      if (f(k) < 0.0) {
        report(ctx, values.loc, vpath, band_label(ctx.dims, k),
               "tenure factors must cover every band (this one is missing)");
        ok = false;
      }
    }
  } else {
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  if (reference == nullptr) {
    if (!need_reference) return f;
    report(ctx, values.loc, child_path(path, "reference"), "", "missing required key");
    return std::nullopt;
  }
  const auto ref = bands_of(reference->scalar, ctx.dims);
  if (!ref || ref->first != ref->second) {
    report(ctx, reference->loc, child_path(path, "reference"), reference->scalar,
           "the reference must name one tenure band (e.g. " +
               band_label(ctx.dims, ctx.dims.n_bands() - 1) + ")");
    return std::nullopt;
  }
  if (f(ref->first) <= 0.0) {
    report(ctx, reference->loc, child_path(path, "reference"), reference->scalar,
           "the factor of the reference band must be > 0");
    return std::nullopt;
  }
  return f / f(ref->first);
}

// A factor block: shared `reference` and `bands`/`values`, `by_role`
// replacing them for the roles it names. Rows are (R, n).
void read_factor_block(const Node& n, const std::string& path, bool age, bool need_reference,
                       Eigen::ArrayXXd& out, BuildContext& ctx) {
  if (!expect_map(n, path, ctx)) return;
  const char* table_key = age ? "bands" : "values";
  check_keys(n, path, {"reference", table_key, "by_role"}, ctx);
  const Node* reference = optional_key(n, "reference");
  auto read = [&](const Node& table, const Node* ref, const std::string& p) {
    return age ? read_age_factor(table, ref, p, need_reference, ctx)
               : read_tenure_factor(table, ref, p, need_reference, ctx);
  };
  if (const Node* table = optional_key(n, table_key)) {
    if (const auto f = read(*table, reference, path)) out.rowwise() = f->transpose();
  }
  const Node* by_role = optional_key(n, "by_role");
  if (by_role == nullptr || !expect_map(*by_role, child_path(path, "by_role"), ctx)) return;
  for (std::size_t i = 0; i < by_role->entries.size(); ++i) {
    const auto& [role, block] = by_role->entries[i];
    if (role == "source" || role == "assumed") continue;
    const std::string rpath = child_path(child_path(path, "by_role"), role);
    const Location at = key_at(*by_role, i);
    const auto r = find_label(role, ctx.dims.roles, "role", at, child_path(path, "by_role"), ctx);
    if (!r || !expect_map(*block, rpath, ctx)) continue;
    check_keys(*block, rpath, {"reference", table_key}, ctx);
    const Node* table = require_key(*block, table_key, rpath, ctx);
    const Node* ref = optional_key(*block, "reference");
    if (table == nullptr) continue;
    if (const auto f = read(*table, ref ? ref : reference, rpath)) out.row(*r) = f->transpose();
  }
}

}  // namespace

// Base hazards (probabilities converted by h = -ln(1 - q)) and the two
// factor blocks, normalised unless base_is: stock_average.
void build_turnover(const Node& supply, Scenario& sc, BuildContext& ctx) {
  const int R = sc.dims.n_roles();
  sc.turnover.age_factor = Eigen::ArrayXXd::Ones(R, sc.dims.n_ages());
  sc.turnover.tenure_factor = Eigen::ArrayXXd::Ones(R, sc.dims.n_bands());
  const std::string path = "supply.turnover";
  const Node* t = require_key(supply, "turnover", "supply", ctx);
  if (t == nullptr || !expect_map(*t, path, ctx)) return;
  check_keys(*t, path, {"unit", "base", "base_is", "age_factor", "tenure_factor"}, ctx);
  bool probability = false;
  if (const Node* u = optional_key(*t, "unit")) {
    const auto v = read_choice(*u, child_path(path, "unit"), {"hazard", "probability"}, ctx);
    probability = v && *v == "probability";
  }
  if (const Node* b = optional_key(*t, "base_is")) {
    const auto v =
        read_choice(*b, child_path(path, "base_is"), {"reference", "stock_average"}, ctx);
    sc.turnover.base_is_stock_average = v && *v == "stock_average";
  }
  if (const Node* base = require_key(*t, "base", path, ctx)) {
    sc.turnover.base = read_cell_table(*base, child_path(path, "base"), std::nullopt,
                                       probability ? kProbability : kHazard, ctx);
    // DESIGN.md 2.2: annual probabilities convert by h = -ln(1 - q).
    if (probability) sc.turnover.base = -(1.0 - sc.turnover.base.min(1.0 - 1e-300)).log();
  }
  const bool need_reference = !sc.turnover.base_is_stock_average;
  if (const Node* a = optional_key(*t, "age_factor")) {
    read_factor_block(*a, child_path(path, "age_factor"), true, need_reference,
                      sc.turnover.age_factor, ctx);
  }
  if (const Node* k = optional_key(*t, "tenure_factor")) {
    read_factor_block(*k, child_path(path, "tenure_factor"), false, need_reference,
                      sc.turnover.tenure_factor, ctx);
  }
}

// q_ret per single age, 0 where no range covers it; `by_role` replaces the
// table for a role. `unit: hazard` converts by q = 1 - e^{-h}.
void build_retirement(const Node& supply, Scenario& sc, BuildContext& ctx) {
  sc.retirement.q = Eigen::ArrayXXd::Zero(sc.dims.n_roles(), sc.dims.n_ages());
  const Node* n = optional_key(supply, "retirement");
  const std::string path = "supply.retirement";
  if (n == nullptr || !expect_map(*n, path, ctx)) return;
  check_keys(*n, path, {"unit", "by_age", "by_role"}, ctx);
  bool hazard = false;
  if (const Node* u = optional_key(*n, "unit")) {
    const auto v = read_choice(*u, child_path(path, "unit"), {"probability", "hazard"}, ctx);
    hazard = v && *v == "hazard";
  }
  const Domain& d = hazard ? kHazard : kProbability;
  auto to_q = [&](const std::vector<AgeEntry>& e) {
    const Eigen::ArrayXd v = values_by_age(e, sc.dims, 0.0);
    return hazard ? Eigen::ArrayXd(1.0 - (-v).exp()) : v;
  };
  if (const Node* by_age = require_key(*n, "by_age", path, ctx)) {
    if (const auto e = read_age_map(*by_age, child_path(path, "by_age"), d, ctx)) {
      sc.retirement.q.rowwise() = to_q(*e).transpose();
    }
  }
  const Node* by_role = optional_key(*n, "by_role");
  const std::string bpath = child_path(path, "by_role");
  if (by_role == nullptr || !expect_map(*by_role, bpath, ctx)) return;
  for (std::size_t i = 0; i < by_role->entries.size(); ++i) {
    const auto& [role, block] = by_role->entries[i];
    if (role == "source" || role == "assumed") continue;
    const Location at = key_at(*by_role, i);
    const auto r = find_label(role, sc.dims.roles, "role", at, bpath, ctx);
    const std::string rpath = child_path(bpath, role);
    if (!r || !expect_map(*block, rpath, ctx)) continue;
    check_keys(*block, rpath, {"by_age"}, ctx);
    const Node* ages = require_key(*block, "by_age", rpath, ctx);
    if (ages == nullptr) continue;
    if (const auto e = read_age_map(*ages, child_path(rpath, "by_age"), d, ctx)) {
      sc.retirement.q.row(*r) = to_q(*e).transpose();
    }
  }
}

}  // namespace staffsim::config
