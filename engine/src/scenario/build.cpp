// build_scenario: the merged tree to a typed, validated Scenario (DESIGN.md 3).
// This file holds the top level, `time` and `dimensions`; each other section
// has its own build_*.cpp. Every problem is reported, none stops the walk.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

// Labels become path selectors and CSV cells: identifiers only, so that
// '*', '|' and ',' keep their meaning in paths (DESIGN.md 2.7).
bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Role or sector labels: a non-empty list of distinct identifiers.
std::vector<std::string> read_labels(const Node& dims, std::string_view key, const char* what,
                                     BuildContext& ctx) {
  const std::string path = child_path("dimensions", key);
  const Node* n = require_key(dims, key, "dimensions", ctx);
  if (n == nullptr) return {};
  auto labels = read_label_list(*n, path, ctx);
  if (!labels) return {};
  if (labels->empty())
    report(ctx, n->loc, path, "[]", std::string("at least one ") + what + " is needed");
  for (std::size_t i = 0; i < labels->size(); ++i) {
    const std::string& l = (*labels)[i];
    const std::string p = path + "[" + std::to_string(i) + "]";
    const Location at = n->items[i]->loc;
    if (!is_identifier(l) || l == "not_recorded") {
      report(ctx, at, p, l,
             std::string("a ") + what +
                 " label must be an identifier (letters, digits, '_'), not `not_recorded`");
    }
    if (std::find(labels->begin(), labels->begin() + static_cast<long>(i), l) !=
        labels->begin() + static_cast<long>(i)) {
      report(ctx, at, p, l, std::string("duplicate ") + what + " label");
    }
  }
  return *labels;
}

// Band edges start at 0, increase strictly, and every closed band is at least
// one step wide (DESIGN.md 2.2 step 2: a fraction dt / w_k moves on).
std::optional<std::vector<double>> read_tenure_edges(const Node& n, BuildContext& ctx) {
  const std::string path = "dimensions.tenure_bands";
  if (!n.is_seq() || n.items.empty()) {
    report(ctx, n.loc, path, n.scalar, "expected a non-empty list of band edges in years");
    return std::nullopt;
  }
  std::vector<double> edges;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const auto v = read_number(*n.items[i], path + "[" + std::to_string(i) + "]", ctx);
    if (!v) return std::nullopt;
    edges.push_back(*v);
  }
  bool ok = true;
  if (edges.front() != 0.0) {
    report(ctx, n.items[0]->loc, path + "[0]", format_number(edges.front()),
           "the first tenure band edge must be 0");
    ok = false;
  }
  for (std::size_t i = 1; i < edges.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    if (edges[i] <= edges[i - 1]) {
      report(ctx, n.items[i]->loc, p, format_number(edges[i]),
             "tenure band edges must increase strictly");
      ok = false;
    } else if (ctx.dt && edges[i] - edges[i - 1] < *ctx.dt - 1e-12) {
      report(ctx, n.items[i]->loc, p, format_number(edges[i]),
             "the tenure band " + format_number(edges[i - 1]) + "-" + format_number(edges[i]) +
                 " is narrower than one step (dt = " + format_number(*ctx.dt) + " years)");
    }
  }
  if (!ok) return std::nullopt;
  return edges;
}

// Cell overrides that no cell table consumed were aimed at a parameter
// without (role, sector) cells.
void report_unused_overrides(const Node& n, BuildContext& ctx) {
  if (!n.cell_overrides.empty() && ctx.used_overrides.count(&n) == 0) {
    for (const auto& ov : n.cell_overrides) {
      report(ctx, ov.value ? ov.value->loc : n.loc, ov.path, "",
             "selectors apply to cell tables (role, sector) and to named list items only");
    }
  }
  for (const auto& [key, child] : n.entries) {
    if (child) report_unused_overrides(*child, ctx);
  }
  for (const auto& item : n.items) {
    if (item) report_unused_overrides(*item, ctx);
  }
}

}  // namespace

// `time` (scenario reference): end after start, steps_per_year in {1,2,4,12}.
void build_time(const Node& root, Scenario& sc, BuildContext& ctx) {
  const Node* t = require_key(root, "time", "", ctx);
  if (t == nullptr || !expect_map(*t, "time", ctx)) return;
  check_keys(*t, "time", {"start_year", "end_year", "steps_per_year", "census_month"}, ctx);
  const Node* start = require_key(*t, "start_year", "time", ctx);
  const Node* end = require_key(*t, "end_year", "time", ctx);
  const auto s = start ? read_integer(*start, "time.start_year", ctx) : std::nullopt;
  const auto e = end ? read_integer(*end, "time.end_year", ctx) : std::nullopt;
  if (s) sc.time.start_year = *s;
  if (e) sc.time.end_year = *e;
  if (s && e && *e <= *s) {
    report(ctx, end->loc, "time.end_year", std::to_string(*e),
           "end_year must be > start_year (" + std::to_string(*s) + ")");
  } else if (s && e) {
    ctx.run_years = std::make_pair(*s, *e);
  }
  sc.time.steps_per_year = 4;
  ctx.dt = 0.25;
  if (const Node* n = optional_key(*t, "steps_per_year")) {
    const auto v = read_integer(*n, "time.steps_per_year", ctx);
    if (v && (*v == 1 || *v == 2 || *v == 4 || *v == 12)) {
      sc.time.steps_per_year = *v;
      ctx.dt = 1.0 / *v;
    } else {
      if (v) report(ctx, n->loc, "time.steps_per_year", n->scalar, "must be 1, 2, 4 or 12");
      ctx.dt.reset();
    }
  }
  if (const Node* n = optional_key(*t, "census_month")) {
    const auto v = read_integer(*n, "time.census_month", ctx);
    if (v && (*v < 1 || *v > 12)) {
      report(ctx, n->loc, "time.census_month", n->scalar, "a month must be in 1..12");
    } else if (v) {
      sc.time.census_month = *v;
    }
  }
}

// `dimensions`: labels, ages (14 <= min_age < max_age <= 100), tenure bands.
void build_dimensions(const Node& root, Scenario& sc, BuildContext& ctx) {
  const Node* d = require_key(root, "dimensions", "", ctx);
  if (d == nullptr || !expect_map(*d, "dimensions", ctx)) return;
  check_keys(*d, "dimensions", {"roles", "sectors", "min_age", "max_age", "tenure_bands"}, ctx);
  sc.dims.roles = read_labels(*d, "roles", "role", ctx);
  sc.dims.sectors = read_labels(*d, "sectors", "sector", ctx);
  bool ok = !sc.dims.roles.empty() && !sc.dims.sectors.empty();
  std::optional<int> lo = 16;
  std::optional<int> hi = 74;
  if (const Node* n = optional_key(*d, "min_age")) lo = read_integer(*n, "dimensions.min_age", ctx);
  if (const Node* n = optional_key(*d, "max_age")) hi = read_integer(*n, "dimensions.max_age", ctx);
  if (lo && hi) {
    const Node* at = optional_key(*d, "max_age") ? optional_key(*d, "max_age") : d;
    if (*lo >= *hi) {
      report(ctx, at->loc, "dimensions.max_age", std::to_string(*hi),
             "min_age (" + std::to_string(*lo) + ") must be < max_age");
      ok = false;
    } else if (*lo < 14 || *hi > 100) {
      report(ctx, at->loc, "dimensions", std::to_string(*lo) + ".." + std::to_string(*hi),
             "ages must satisfy 14 <= min_age < max_age <= 100");
      ok = false;
    }
    sc.dims.min_age = *lo;
    sc.dims.max_age = *hi;
  } else {
    ok = false;
  }
  if (const Node* n = optional_key(*d, "tenure_bands")) {
    const auto edges = read_tenure_edges(*n, ctx);
    if (edges) sc.dims.tenure_edges = *edges;
    ok = ok && edges.has_value();
  } else if (ctx.dt && *ctx.dt > 0.5) {
    // The default bands [0, 0.5, 2, 5] have a half-year band.
    report(ctx, d->loc, "dimensions.tenure_bands", "[0, 0.5, 2, 5]",
           "the default tenure band 0-0.5 is narrower than one step (dt = 1 year); give "
           "tenure_bands");
  }
  ctx.dims = sc.dims;
  ctx.dims_ok = ok;
}

Scenario build_scenario(const NodePtr& root, Diagnostics& diags) {
  return build_scenario(root, diags, nullptr);
}

Scenario build_scenario(const NodePtr& root, Diagnostics& diags, CsvCache* cache) {
  Scenario sc;
  BuildContext ctx{diags, {}, false, std::nullopt, {}};
  ctx.csv_cache = cache;
  if (!root || !root->is_map()) {
    diags.error(root ? root->loc : Location{}, "", "",
                "a scenario file must be a mapping whose first key is staffsim_scenario: 1");
    return sc;
  }
  const Node& top = *root;
  sc.file = top.loc.file;
  check_keys(top, "",
             {"staffsim_scenario", "name", "description", "extends", "overrides", "time",
              "dimensions", "fte_factor", "workforce", "posts", "demand", "supply", "costs",
              "outputs", "levers", "stochastic", "uncertainty", "calibration"},
             ctx);
  // `uncertainty:` is read by build_uncertainty (uncertainty_load.cpp),
  // `calibration:` by build_calibration (calibration_load.cpp).
  if (const Node* n = optional_key(top, "stochastic")) {
    if (auto b = read_bool(*n, "stochastic", ctx)) sc.stochastic = *b;
  }
  // staffsim_scenario (required, must be 1) is checked by the loader, per file.
  sc.name = std::filesystem::path(top.loc.file).stem().string();
  if (const Node* n = optional_key(top, "name")) {
    if (auto s = read_text(*n, "name", ctx)) sc.name = *s;
  }
  if (const Node* n = optional_key(top, "description")) {
    if (auto s = read_text(*n, "description", ctx)) sc.description = *s;
  }
  build_time(top, sc, ctx);
  build_dimensions(top, sc, ctx);
  if (!ctx.dims_ok) return sc;  // every later section is indexed by the dimensions

  sc.fte_factor = Eigen::ArrayXXd::Ones(sc.dims.n_roles(), sc.dims.n_sectors());
  if (const Node* n = optional_key(top, "fte_factor")) {
    sc.fte_factor = read_cell_table(*n, "fte_factor", 1.0, kFteFactor, ctx);
  }
  build_workforce(top, sc, ctx);
  build_demand(top, sc, ctx);
  build_posts(top, sc, ctx);
  const Node* supply = require_key(top, "supply", "", ctx);
  if (supply != nullptr && expect_map(*supply, "supply", ctx)) {
    check_keys(*supply, "supply",
               {"turnover", "retirement", "destinations", "promotion", "training", "recruitment"},
               ctx);
    build_turnover(*supply, sc, ctx);
    build_retirement(*supply, sc, ctx);
    build_destinations(*supply, sc, ctx);
    build_promotion(*supply, sc, ctx);
    build_training(*supply, sc, ctx);
    build_recruitment(*supply, sc, ctx);
  }
  build_costs(top, sc, ctx);
  build_outputs(top, sc, ctx);
  build_levers(top, sc, ctx);
  warn_intake_extrapolation(sc, ctx);
  apply_coverage(sc);
  report_unused_overrides(top, ctx);
  sc.warnings = diags.warnings();
  return sc;
}

}  // namespace staffsim::config
