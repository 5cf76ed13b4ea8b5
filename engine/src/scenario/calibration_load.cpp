// Reading and validating the `calibration:` block: free parameters and
// targets. The free parameters are read as uniform `uncertainty:` entries
// over their bounds by the same reader (uncertainty_load.cpp), so paths,
// modes, `balance:` and bounds that leave a parameter's domain are checked
// exactly as there (the scenario is built at both ends of each range), and
// the fit builds each trial scenario through the same validated builder.
// Targets are checked against the built scenario (indicator, year, labels).
#include "scenario/calibration_load.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "scenario/build_support.hpp"
#include "scenario/uncertainty.hpp"
#include "staffsim/calibration.hpp"

namespace staffsim::config {

namespace {

std::string where(const Location& at) {
  return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

NodePtr scalar_node(const std::string& text, const Location& at) {
  auto n = std::make_shared<Node>();
  n->kind = Node::Kind::scalar;
  n->scalar = text;
  n->loc = at;
  return n;
}

// A `free:` item as an uncertainty entry: its own keys (but `initial:`) and
// `distribution: uniform`.
NodePtr as_uniform_entry(const Node& item) {
  auto out = std::make_shared<Node>();
  out->kind = Node::Kind::map;
  out->loc = item.loc;
  out->base_dir = item.base_dir;
  // Only the keys a free parameter takes (others are reported once, by
  // the calibration reader; `initial:` is the fit's, not the entry's).
  static const std::vector<std::string> passed = {"name",  "path",    "mode",   "lower",
                                                  "upper", "balance", "source", "assumed"};
  for (std::size_t i = 0; i < item.entries.size(); ++i) {
    if (std::find(passed.begin(), passed.end(), item.entries[i].first) == passed.end()) continue;
    out->entries.push_back(item.entries[i]);
    out->key_locations.push_back(key_at(item, i));
  }
  out->entries.emplace_back("distribution", scalar_node("uniform", item.loc));
  out->key_locations.push_back(item.loc);
  return out;
}

class CalibrationReader {
 public:
  CalibrationReader(const NodePtr& params, const Scenario& built, bool valid, Diagnostics& diags)
      : params_(params), built_(built), valid_(valid), ctx_{diags, {}, false, std::nullopt, {}} {}

  void read_free(const Node& list, CalibrationSpec& spec, const std::shared_ptr<CsvCache>& cache,
                 Diagnostics& diags) {
    if (!expect_seq(list, "calibration.free", ctx_)) return;
    if (list.items.empty()) {
      report(ctx_, list.loc, "calibration.free", "[]", "name at least one free parameter");
      return;
    }
    auto entries = std::make_shared<Node>();
    entries->kind = Node::Kind::sequence;
    entries->loc = list.loc;
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      const Node& item = *list.items[i];
      std::string label = "calibration.free[" + std::to_string(i) + "]";
      if (!expect_map(item, label, ctx_)) continue;
      if (const Node* n = optional_key(item, "name"); n != nullptr && n->is_scalar()) {
        label = "calibration.free[" + n->scalar + "]";
      }
      check_keys(item, label, {"name", "path", "mode", "lower", "upper", "initial", "balance"},
                 ctx_);
      entries->items.push_back(as_uniform_entry(item));
      spec.free.push_back(read_free_item(item, label));
    }
    if (entries->items.size() != list.items.size()) return;
    spec.space = build_uncertainty(entries, params_, valid_, cache, diags, "calibration.free");
  }

  void read_targets(const Node& list, CalibrationSpec& spec) {
    if (!expect_seq(list, "calibration.targets", ctx_)) return;
    if (list.items.empty()) {
      report(ctx_, list.loc, "calibration.targets", "[]", "name at least one target");
      return;
    }
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      read_target(*list.items[i], i, spec.targets);
    }
    for (std::size_t i = 0; i < spec.targets.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (spec.targets[i].name != spec.targets[j].name) continue;
        report(ctx_, target_at_[i], "calibration.targets[" + spec.targets[i].name + "]", "",
               "two targets have this name (also at " + spec.targets[j].at +
                   "); give each a distinct name");
      }
    }
  }

 private:
  NodePtr params_;
  const Scenario& built_;
  bool valid_;
  BuildContext ctx_;
  std::vector<Location> target_at_;  // where each target read was written

  FreeParameter read_free_item(const Node& item, const std::string& index_label) {
    FreeParameter p;
    p.at = where(item.loc);
    std::string label = index_label;
    // A path, or a list of paths that take one value (the uncertainty
    // reader checks each).
    std::vector<std::string> paths;
    if (const Node* n = optional_key(item, "path")) {
      if (n->is_seq()) {
        for (const auto& x : n->items) {
          if (x->is_scalar()) paths.push_back(x->scalar);
        }
        for (const auto& x : paths) p.path += (p.path.empty() ? "[" : ", ") + x;
        if (!p.path.empty()) p.path += "]";
      } else if (n->is_scalar()) {
        p.path = n->scalar;
        paths.push_back(n->scalar);
      }
    }
    p.name = p.path;
    if (const Node* n = optional_key(item, "name")) {
      if (auto s = read_text(*n, child_path(label, "name"), ctx_)) p.name = *s;
    }
    if (!p.name.empty()) label = "calibration.free[" + p.name + "]";
    if (const Node* n = optional_key(item, "mode")) p.scale = n->scalar == "scale";
    if (const Node* n = optional_key(item, "balance")) p.balance = n->scalar;
    const Node* lo = optional_key(item, "lower");
    const Node* hi = optional_key(item, "upper");
    if (lo != nullptr) p.lower = parse_number(*lo).value_or(std::nan(""));
    if (hi != nullptr) p.upper = parse_number(*hi).value_or(std::nan(""));
    // The starting point: `initial:`, else the scenario's own value.
    const Node* init = optional_key(item, "initial");
    std::optional<double> start;
    std::string from = "initial";
    if (init != nullptr) {
      start = read_number(*init, child_path(label, "initial"), ctx_);
    } else if (p.scale) {
      start = 1.0;
      from = "the factor 1 (mode: scale without initial)";
    } else if (!paths.empty()) {
      // The scenario's value, when every path selects one number and they
      // agree.
      bool resolved = true;
      for (const auto& path : paths) {
        std::string rule;
        const auto targets = resolve_targets(*params_, path, rule);
        resolved = resolved && targets.has_value();
        if (!targets) break;
        for (const auto& t : *targets) {
          const auto v = t.cells() ? std::nullopt : parse_number(node_at(*params_, t.steps));
          if (!v || (start && *v != *start)) {
            start.reset();
            break;
          }
          start = v;
        }
        if (!start) break;
      }
      from = "the scenario's value of " + p.path;
      if (resolved && !start) {
        report(ctx_, item.loc, child_path(label, "initial"), "",
               "the path selects table cells, or numbers that differ: give the starting value "
               "with initial:");
      }
    }
    if (start) {
      p.initial = *start;
      if (std::isfinite(p.lower) && std::isfinite(p.upper) && p.lower < p.upper &&
          (*start < p.lower || *start > p.upper)) {
        // Point at what was written: the starting point, else the bound
        // that excludes the scenario's value.
        const Node* at = init != nullptr ? init : (*start < p.lower ? lo : hi);
        report(ctx_, at != nullptr ? at->loc : item.loc, child_path(label, "initial"),
               format_number(*start),
               "the starting point (" + from + ") must lie within [lower, upper] = [" +
                   format_number(p.lower) + ", " + format_number(p.upper) + "]");
      }
    }
    return p;
  }

  std::vector<std::string> labels(const Node& n, const std::string& path) {
    if (n.is_seq()) {
      if (auto v = read_label_list(n, path, ctx_)) return *v;
      return {};
    }
    if (auto s = read_text(n, path, ctx_)) return {*s};
    return {};
  }

  void read_target(const Node& item, std::size_t index, std::vector<CalibrationTarget>& out) {
    std::string label = "calibration.targets[" + std::to_string(index) + "]";
    if (!expect_map(item, label, ctx_)) return;
    check_keys(item, label,
               {"name", "indicator", "year", "role", "sector", "band", "observed", "basis", "sd",
                "tolerance", "table"},
               ctx_);
    CalibrationTarget t;
    t.at = where(item.loc);
    const Node* name = optional_key(item, "name");
    if (name != nullptr) {
      if (auto s = read_text(*name, child_path(label, "name"), ctx_)) {
        t.name = *s;
        label = "calibration.targets[" + *s + "]";
      }
    }
    if (const Node* n = optional_key(item, "source")) t.source = n->scalar;
    const Node* ind = require_key(item, "indicator", label, ctx_);
    if (ind != nullptr) {
      if (auto s = read_text(*ind, child_path(label, "indicator"), ctx_)) t.query.indicator = *s;
    }
    if (const Node* y = require_key(item, "year", label, ctx_)) {
      if (auto v = read_integer(*y, child_path(label, "year"), ctx_)) t.query.year = *v;
    }
    if (const Node* n = optional_key(item, "role"))
      t.query.roles = labels(*n, child_path(label, "role"));
    if (const Node* n = optional_key(item, "sector")) {
      t.query.sectors = labels(*n, child_path(label, "sector"));
    }
    if (const Node* n = optional_key(item, "band")) {
      if (auto s = read_text(*n, child_path(label, "band"), ctx_)) t.query.band = *s;
    }
    if (const Node* n = optional_key(item, "basis")) {
      if (auto b = read_choice(*n, child_path(label, "basis"), {"whole", "observed"}, ctx_)) {
        t.observed_basis = *b == "observed";
      }
    }
    if (const Node* n = optional_key(item, "table")) {
      if (auto s = read_text(*n, child_path(label, "table"), ctx_)) t.table = *s;
    }
    const Node* sd = optional_key(item, "sd");
    const Node* tol = optional_key(item, "tolerance");
    if ((sd == nullptr) == (tol == nullptr)) {
      report(ctx_, item.loc, label, "",
             "give exactly one of sd (the standard error) and tolerance (the half-width the "
             "fit must land within): it weighs the target");
    } else {
      const Node& w = sd != nullptr ? *sd : *tol;
      const std::string key = child_path(label, sd != nullptr ? "sd" : "tolerance");
      if (auto v = read_number(w, key, ctx_)) {
        if (*v <= 0) report(ctx_, w.loc, key, w.scalar, "must be > 0");
        t.sd = *v;
      }
      t.is_tolerance = tol != nullptr;
    }
    const Node* observed = require_key(item, "observed", label, ctx_);
    if (observed == nullptr) return;
    // A map of band: value is a distribution over bands (age or tenure
    // shares): one target per band.
    std::vector<std::pair<std::string, CalibrationTarget>> expanded;
    if (observed->is_map()) {
      if (!t.query.band.empty()) {
        report(ctx_, observed->loc, child_path(label, "observed"), to_flow(*observed),
               "band: and a map of band values exclude each other");
        return;
      }
      for (std::size_t i = 0; i < observed->entries.size(); ++i) {
        const auto& [band, value] = observed->entries[i];
        if (band == "source" || band == "assumed") continue;
        CalibrationTarget b = t;
        b.query.band = band;
        const std::string key = child_path(label, "observed") + "[" + band + "]";
        if (auto v = read_number(*value, key, ctx_)) b.observed = *v;
        if (b.name.empty())
          b.name = b.query.text();
        else
          b.name += "[" + band + "]";
        expanded.emplace_back(key, std::move(b));
      }
    } else {
      if (auto v = read_number(*observed, child_path(label, "observed"), ctx_)) t.observed = *v;
      if (t.name.empty()) t.name = t.query.text();
      expanded.emplace_back(label, std::move(t));
    }
    for (auto& [key, target] : expanded) {
      if (valid_ && ind != nullptr) {
        const std::string rule = check_query(target.query, built_);
        if (!rule.empty()) {
          report(ctx_, ind->loc, key, target.query.text(), rule);
          continue;
        }
      }
      out.push_back(std::move(target));
      target_at_.push_back(item.loc);
    }
  }
};

}  // namespace

std::shared_ptr<const CalibrationSpec> build_calibration(const NodePtr& block,
                                                         const NodePtr& params,
                                                         const Scenario& built, bool valid,
                                                         const std::shared_ptr<CsvCache>& cache,
                                                         Diagnostics& diags) {
  if (!block || block->is_null()) return nullptr;
  CalibrationReader reader(params, built, valid, diags);
  BuildContext ctx{diags, {}, false, std::nullopt, {}};
  if (!expect_map(*block, "calibration", ctx)) return nullptr;
  check_keys(*block, "calibration", {"free", "targets"}, ctx);
  auto spec = std::make_shared<CalibrationSpec>();
  if (const Node* free = require_key(*block, "free", "calibration", ctx)) {
    reader.read_free(*free, *spec, cache, diags);
  }
  if (const Node* targets = require_key(*block, "targets", "calibration", ctx)) {
    reader.read_targets(*targets, *spec);
  }
  if (diags.has_errors() || !valid) return nullptr;
  return spec;
}

}  // namespace staffsim::config
