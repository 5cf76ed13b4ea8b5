// Time paths of levers and programme intakes (DESIGN.md 2.5): a constant, a
// `{year: value}` table (linear between entries, held outside) or a shaped
// path `{start_year, end_year, from_value, to_value, shape, k}`.
#include <algorithm>
#include <cstddef>
#include <numeric>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {
const std::vector<std::string> kShapeKeys{"start_year", "end_year", "from_value",
                                          "to_value",   "shape",    "k"};

// A map with a year among its keys is a year table, not a shaped path.
bool has_numeric_key(const Node& map) {
  for (const auto& [key, value] : map.entries) {
    Node k;
    k.kind = Node::Kind::scalar;
    k.scalar = key;
    if (parse_number(k)) return true;
  }
  return false;
}
}  // namespace

// Years are census points (DESIGN.md 2.1); entries are sorted by year and a
// repeated year is an error.
std::optional<YearPath> read_year_table(const Node& n, const std::string& path, const Domain& d,
                                        BuildContext& ctx) {
  if (!expect_map(n, path, ctx)) return std::nullopt;
  std::vector<double> years;
  std::vector<double> values;
  bool ok = true;
  for (std::size_t i = 0; i < n.entries.size(); ++i) {
    const auto& [key, value] = n.entries[i];
    if (key == "source" || key == "assumed") continue;
    const Location at = key_at(n, i);
    Node k;
    k.kind = Node::Kind::scalar;
    k.scalar = key;
    const auto year = parse_number(k);
    const std::string p = child_path(path, key);
    if (!year) {
      report(ctx, at, p, "", "expected a year" + suggestion(key, kShapeKeys));
      ok = false;
      continue;
    }
    if (std::find(years.begin(), years.end(), *year) != years.end()) {
      report(ctx, at, p, "", "a year may appear once");
      ok = false;
      continue;
    }
    const auto v = read_in(*value, p, d, ctx);
    if (!v) {
      ok = false;
      continue;
    }
    years.push_back(*year);
    values.push_back(*v);
  }
  if (ok && years.empty()) {
    report(ctx, n.loc, path, "", "a year table needs at least one `year: value` entry");
    ok = false;
  }
  if (!ok) return std::nullopt;
  std::vector<std::size_t> order(years.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return years[a] < years[b]; });
  YearPath out;
  for (std::size_t i : order) {
    out.years.push_back(years[i]);
    out.values.push_back(values[i]);
  }
  return out;
}

// DESIGN.md 2.1 "held at its last value beyond them (validation warns when a
// run extrapolates)": the run's span [start_year, end_year] against the
// path's first and last labels; a path of one label is a constant.
std::optional<std::string> extrapolation_rule(const YearPath& p, const BuildContext& ctx,
                                              const std::string& whose) {
  if (!ctx.run_years || p.years.size() < 2) return std::nullopt;
  const auto [start, end] = *ctx.run_years;
  const std::string first = format_number(p.years.front());
  const std::string last = format_number(p.years.back());
  const bool before = start < p.years.front();
  const bool after = end > p.years.back();
  if (before && after) {
    return "the run covers " + std::to_string(start) + "-" + std::to_string(end) + " but " + whose +
           " cover " + first + "-" + last + "; held at the " + first + " value before and the " +
           last + " value after";
  }
  if (after) {
    return "the run goes to " + std::to_string(end) + " but " + whose + " end in " + last +
           "; held at the " + last + " value beyond it";
  }
  if (before) {
    return "the run starts in " + std::to_string(start) + " but " + whose + " begin in " + first +
           "; held at the " + first + " value before it";
  }
  return std::nullopt;
}

// One warning per path, at the path's node.
void warn_if_extrapolated(const YearPath& p, const Location& at, const std::string& path,
                          BuildContext& ctx) {
  if (const auto rule = extrapolation_rule(p, ctx, "the values")) {
    ctx.diags.warning(at, path, "", *rule);
  }
}

// Linear and logistic paths need end_year > start_year; a step path switches
// after start_year and needs no end.
std::optional<LeverPath> read_lever_path(const Node& n, const std::string& path, const Domain& d,
                                         BuildContext& ctx) {
  if (n.is_scalar()) {
    const auto v = read_in(n, path, d, ctx);
    if (!v) return std::nullopt;
    return LeverPath::constant(*v);
  }
  if (!n.is_map()) {
    report(ctx, n.loc, path, "", "expected a number, a {year: value} table or a path mapping");
    return std::nullopt;
  }
  if (has_numeric_key(n)) {
    auto table = read_year_table(n, path, d, ctx);
    if (!table) return std::nullopt;
    LeverPath p;
    p.shape = PathShape::table;
    p.table = std::move(*table);
    return p;
  }
  check_keys(n, path, {"start_year", "end_year", "from_value", "to_value", "shape", "k"}, ctx);
  LeverPath p;
  bool ok = true;
  std::string shape = "linear";
  if (const Node* s = optional_key(n, "shape")) {
    const auto v = read_choice(*s, child_path(path, "shape"), {"linear", "step", "logistic"}, ctx);
    if (v) shape = *v;
    ok = ok && v.has_value();
  }
  p.shape = shape == "step"       ? PathShape::step
            : shape == "logistic" ? PathShape::logistic
                                  : PathShape::linear;
  const Node* start = require_key(n, "start_year", path, ctx);
  const Node* from = require_key(n, "from_value", path, ctx);
  const Node* to = require_key(n, "to_value", path, ctx);
  const Node* end = p.shape == PathShape::step ? optional_key(n, "end_year")
                                               : require_key(n, "end_year", path, ctx);
  ok = ok && start && from && to && (end || p.shape == PathShape::step);
  std::optional<double> start_year;
  if (start) start_year = read_number(*start, child_path(path, "start_year"), ctx);
  std::optional<double> end_year = start_year;
  if (end) end_year = read_number(*end, child_path(path, "end_year"), ctx);
  std::optional<double> from_value;
  std::optional<double> to_value;
  if (from) from_value = read_in(*from, child_path(path, "from_value"), d, ctx);
  if (to) to_value = read_in(*to, child_path(path, "to_value"), d, ctx);
  if (const Node* k = optional_key(n, "k")) {
    const auto v = read_in(*k, child_path(path, "k"), kPositive, ctx);
    if (v) p.k = *v;
    ok = ok && v.has_value();
  }
  if (!start_year || !end_year || !from_value || !to_value) return std::nullopt;
  if (p.shape != PathShape::step && *end_year <= *start_year) {
    report(ctx, end->loc, child_path(path, "end_year"), format_number(*end_year),
           "end_year must be > start_year (" + format_number(*start_year) + ")");
    ok = false;
  }
  if (!ok) return std::nullopt;
  p.start_year = *start_year;
  p.end_year = *end_year;
  p.from_value = *from_value;
  p.to_value = *to_value;
  return p;
}

}  // namespace staffsim::config
