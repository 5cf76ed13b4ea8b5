// `levers` (DESIGN.md 2.5): named instances {type, select, path} with the
// domain of each type checked on every value its path can take.
#include <algorithm>

#include "scenario/build_support.hpp"

namespace staffsim::config {

Domain lever_domain(LeverType t, bool acts_on_cap) {
  switch (t) {
    case LeverType::retention:
      return {0.0, false, kInf, true, "a retention factor must be > 0"};
    case LeverType::pay:
      return {-1.0, false, kInf, true, "a pay change must be > -1"};
    case LeverType::retirement_shift:
      return {-kInf, true, kInf, true, ""};
    case LeverType::training_intake:
      return {0.0, true, kInf, true, "a training intake (people a year) must be >= 0"};
    case LeverType::international_recruitment:
      return acts_on_cap ? Domain{0.0, true, kInf, true, "a cap (people a year) must be >= 0"}
                         : Domain{0.0, true, 1.0, true, "a share must be in [0, 1]"};
    case LeverType::personalisation:
      return {0.0, true, 1.0, true, "a target share must be in [0, 1]"};
    case LeverType::outsourcing:
      return {0.0, true, 1.0, true, "a fraction must be in [0, 1]"};
    case LeverType::intensity:
    case LeverType::productivity:
      return {0.0, false, kInf, true, "a factor must be > 0"};
    case LeverType::prevention:
    case LeverType::demand_scale:
      return {0.0, true, kInf, true, "a factor must be >= 0"};
  }
  return kAny;
}

namespace {

// The levers of need-based demand (DESIGN.md 2.3); demand_scale multiplies
// posts in every mode.
bool is_need_lever(LeverType t) {
  return t == LeverType::personalisation || t == LeverType::intensity ||
         t == LeverType::prevention || t == LeverType::productivity || t == LeverType::outsourcing;
}

// One instance: its type, the selection its type takes, and a path whose
// every value lies in the type's domain.
std::optional<Lever> read_lever(const std::string& name, const Node& n, const Scenario& sc,
                                BuildContext& ctx) {
  const std::string path = child_path("levers", name);
  if (!expect_map(n, path, ctx)) return std::nullopt;
  check_keys(n, path,
             {"type", "select", "path", "programme", "recruitment_source", "acts_on", "elasticity",
              "to_service", "from_services", "from_sector", "to_sectors"},
             ctx);
  Lever lever;
  lever.name = name;
  const Node* type_node = require_key(n, "type", path, ctx);
  if (type_node == nullptr) return std::nullopt;
  const auto type_text = read_text(*type_node, child_path(path, "type"), ctx);
  if (!type_text) return std::nullopt;
  const auto type = lever_type_from_string(*type_text);
  if (!type) {
    std::vector<std::string> names;
    for (int t = 0; t <= static_cast<int>(LeverType::demand_scale); ++t) {
      names.emplace_back(to_string(static_cast<LeverType>(t)));
    }
    report(ctx, type_node->loc, child_path(path, "type"), *type_text,
           "unknown lever type" + suggestion(*type_text, names));
    return std::nullopt;
  }
  lever.type = *type;
  if (is_need_lever(*type) && ctx.demand_mode != DemandMode::need) {
    if (ctx.demand_mode) {  // an unknown demand.mode was reported
      report(ctx, type_node->loc, child_path(path, "type"), *type_text,
             std::string("a need-based demand lever needs demand.mode: need (the mode is ") +
                 (*ctx.demand_mode == DemandMode::index ? "index" : "posts") + ")");
    }
    return std::nullopt;
  }
  bool ok = true;
  auto only_for = [&](const char* key, LeverType t) {
    const Node* x = optional_key(n, key);
    if (x != nullptr && *type != t) {
      report(ctx, x->loc, child_path(path, key), x->scalar,
             std::string("only a ") + to_string(t) + " lever takes `" + key + "`");
      ok = false;
    }
    return x;
  };
  ok = read_lever_select(n, path, sc, lever, ctx) && ok;
  if (const Node* p = only_for("programme", LeverType::training_intake)) {
    const auto text = read_text(*p, child_path(path, "programme"), ctx);
    std::vector<std::string> names;
    for (const auto& prog : sc.programmes) names.push_back(prog.name);
    if (text && find_label(*text, names, "programme", p->loc, child_path(path, "programme"), ctx)) {
      lever.programme = *text;
    } else {
      ok = false;
    }
  } else if (*type == LeverType::training_intake) {
    ok = require_key(n, "programme", path, ctx) != nullptr && ok;
  }
  // The recruitment source a lever acts on is `recruitment_source`: `source:`
  // is provenance on every mapping (DESIGN.md 3).
  if (const Node* s = only_for("recruitment_source", LeverType::international_recruitment)) {
    const auto text = read_text(*s, child_path(path, "recruitment_source"), ctx);
    std::vector<std::string> names;
    for (const auto& src : sc.sources) names.push_back(src.name);
    if (text && find_label(*text, names, "recruitment source", s->loc,
                           child_path(path, "recruitment_source"), ctx)) {
      lever.source = *text;
    } else {
      ok = false;
    }
  } else if (*type == LeverType::international_recruitment) {
    ok = require_key(n, "recruitment_source", path, ctx) != nullptr && ok;
  }
  if (const Node* a = only_for("acts_on", LeverType::international_recruitment)) {
    const auto v = read_choice(*a, child_path(path, "acts_on"), {"share", "cap"}, ctx);
    lever.acts_on_cap = v && *v == "cap";
    ok = ok && v.has_value();
  }
  if (const Node* e = only_for("elasticity", LeverType::pay)) {
    const auto v = read_number(*e, child_path(path, "elasticity"), ctx);
    lever.elasticity = v.value_or(0.0);
    ok = ok && v.has_value();
  } else if (*type == LeverType::pay) {
    ok = require_key(n, "elasticity", path, ctx) != nullptr && ok;
  }
  if (const Node* p = require_key(n, "path", path, ctx)) {
    const auto v =
        read_lever_path(*p, child_path(path, "path"), lever_domain(*type, lever.acts_on_cap), ctx);
    if (v) lever.path = *v;
    if (v && v->shape == PathShape::table) {
      warn_if_extrapolated(v->table, p->loc, child_path(path, "path"), ctx);
    }
    ok = ok && v.has_value();
  } else {
    ok = false;
  }
  if (!ok) return std::nullopt;
  return lever;
}

// Two selections overlap when they share an index; empty selects all.
bool overlap(const std::vector<int>& a, const std::vector<int>& b) {
  if (a.empty() || b.empty()) return true;
  return std::any_of(a.begin(), a.end(),
                     [&](int i) { return std::find(b.begin(), b.end(), i) != b.end(); });
}

// The smallest value a path can take (its extremes or table entries).
double path_minimum(const LeverPath& p) {
  if (p.shape != PathShape::table) return std::min(p.from_value, p.to_value);
  return *std::min_element(p.table.values.begin(), p.table.values.end());
}

// Share levers on the same thing would fight (DESIGN.md 2.5): two
// personalisation levers on one client group, two outsourcing levers on one
// service from one sector, two levers on one source's share or cap. Two
// training_intake levers on one programme would not combine either: the
// engine takes the first lever's path as the intake and ignores the second.
std::optional<std::string> conflict(const Lever& a, const Lever& b, const Scenario& sc) {
  if (a.type != b.type) return std::nullopt;
  const NeedDemand& need = sc.demand.need;
  auto first = [](const std::vector<int>& x, const std::vector<int>& y) {
    for (int i = 0;; ++i) {
      const bool in_x = x.empty() || std::find(x.begin(), x.end(), i) != x.end();
      const bool in_y = y.empty() || std::find(y.begin(), y.end(), i) != y.end();
      if (in_x && in_y) return static_cast<std::size_t>(i);
    }
  };
  if (a.type == LeverType::personalisation && !need.client_groups.empty() &&
      overlap(a.client_groups, b.client_groups)) {
    return "levers `" + a.name + "` and `" + b.name +
           "` both set the personalisation share of client group " +
           need.client_groups[first(a.client_groups, b.client_groups)] + "; use one lever";
  }
  if (a.type == LeverType::outsourcing && !need.services.empty() &&
      a.from_sector == b.from_sector && overlap(a.services, b.services)) {
    return "levers `" + a.name + "` and `" + b.name + "` both outsource service " +
           need.services[first(a.services, b.services)] + " from " +
           sc.dims.sectors[static_cast<std::size_t>(a.from_sector)] + "; use one lever";
  }
  if (a.type == LeverType::training_intake && a.programme == b.programme) {
    return "levers `" + a.name + "` and `" + b.name + "` both set the intake of programme " +
           a.programme + " (a training_intake lever replaces it); use one lever";
  }
  if (a.type == LeverType::international_recruitment && a.source == b.source &&
      a.acts_on_cap == b.acts_on_cap) {
    return "lever `" + a.name + "` already acts on this source's " +
           (a.acts_on_cap ? "cap" : "share");
  }
  return std::nullopt;
}

// DESIGN.md 3: a personalisation target below the base share does nothing
// while it is below (mix' = max(mix, target)); a warning, not an error.
void warn_below_base(const Lever& lever, const Node& body, const Scenario& sc, BuildContext& ctx) {
  const NeedDemand& need = sc.demand.need;
  if (lever.type != LeverType::personalisation || need.mix.cols() <= lever.to_service) return;
  const double target = path_minimum(lever.path);
  for (Eigen::Index c = 0; c < need.mix.rows(); ++c) {
    const bool selected = lever.client_groups.empty() ||
                          std::find(lever.client_groups.begin(), lever.client_groups.end(),
                                    static_cast<int>(c)) != lever.client_groups.end();
    const double base = need.mix(c, lever.to_service);
    if (!selected || target >= base) continue;
    const Node* path = optional_key(body, "path");
    ctx.diags.warning(path ? path->loc : body.loc, "levers." + lever.name + ".path",
                      format_number(target),
                      "the target is below the base share of " +
                          need.services[static_cast<std::size_t>(lever.to_service)] + " for " +
                          need.client_groups[static_cast<std::size_t>(c)] + " (" +
                          format_number(base) + "); the lever does nothing while it is below");
  }
}

}  // namespace

// A map of named instances; the name is what set_lever and paths use.
void build_levers(const Node& root, Scenario& sc, BuildContext& ctx) {
  const Node* n = optional_key(root, "levers");
  if (n == nullptr || !expect_map(*n, "levers", ctx)) return;
  for (const auto& [name, body] : n->entries) {
    if (name == "source" || name == "assumed") continue;
    auto lever = read_lever(name, *body, sc, ctx);
    if (!lever) continue;
    for (const Lever& other : sc.levers) {
      if (const auto rule = conflict(other, *lever, sc)) {
        report(ctx, body->loc, child_path("levers", name), "", *rule);
      }
    }
    warn_below_base(*lever, *body, sc, ctx);
    sc.levers.push_back(std::move(*lever));
  }
}

}  // namespace staffsim::config
