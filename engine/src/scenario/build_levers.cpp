// `levers` (DESIGN.md 2.5): named instances {type, select, path} with the
// domain of each type checked on every value its path can take.
#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

// The unit and domain of each lever type's value (DESIGN.md 2.5 table).
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
    case LeverType::outsourcing:
      return {0.0, true, 1.0, true, "must be in [0, 1]"};
    case LeverType::intensity:
    case LeverType::productivity:
      return {0.0, false, kInf, true, "a factor must be > 0"};
    case LeverType::prevention:
    case LeverType::demand_scale:
      return {0.0, true, kInf, true, "a factor must be >= 0"};
  }
  return kAny;
}

// Demand levers wait for demand modelling (a later issue).
bool is_supply_lever(LeverType t) {
  return t == LeverType::retention || t == LeverType::pay || t == LeverType::retirement_shift ||
         t == LeverType::training_intake || t == LeverType::international_recruitment;
}

// `select: {roles: [...], sectors: [...]}`; absent lists mean all.
bool read_select(const Node& n, const std::string& path, Lever& lever, BuildContext& ctx) {
  if (!expect_map(n, path, ctx)) return false;
  check_keys(n, path, {"roles", "sectors"}, ctx);
  bool ok = true;
  for (const bool roles : {true, false}) {
    const char* key = roles ? "roles" : "sectors";
    const Node* list = optional_key(n, key);
    if (list == nullptr) continue;
    const std::string p = child_path(path, key);
    const auto labels = read_label_list(*list, p, ctx);
    if (!labels) {
      ok = false;
      continue;
    }
    for (std::size_t i = 0; i < labels->size(); ++i) {
      const auto idx = find_label((*labels)[i], roles ? ctx.dims.roles : ctx.dims.sectors,
                                  roles ? "role" : "sector", list->items[i]->loc, p, ctx);
      if (!idx) {
        ok = false;
      } else if (roles) {
        lever.roles.push_back(*idx);
      } else {
        lever.sectors.push_back(*idx);
      }
    }
  }
  return ok;
}

// One instance: its type, the selection its type takes, and a path whose
// every value lies in the type's domain.
std::optional<Lever> read_lever(const std::string& name, const Node& n, const Scenario& sc,
                                BuildContext& ctx) {
  const std::string path = child_path("levers", name);
  if (!expect_map(n, path, ctx)) return std::nullopt;
  check_keys(n, path, {"type", "select", "path", "programme", "source", "acts_on", "elasticity"},
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
  if (!is_supply_lever(*type)) {
    report(ctx, type_node->loc, child_path(path, "type"), *type_text,
           "this lever acts on demand, which this version does not model yet");
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
  if (const Node* s = optional_key(n, "select")) {
    if (*type == LeverType::training_intake || *type == LeverType::international_recruitment) {
      report(ctx, s->loc, child_path(path, "select"), "",
             std::string("a ") + *type_text + " lever selects with `" +
                 (*type == LeverType::training_intake ? "programme" : "source") + "`");
      ok = false;
    } else {
      ok = read_select(*s, child_path(path, "select"), lever, ctx) && ok;
    }
  }
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
  if (const Node* s = only_for("source", LeverType::international_recruitment)) {
    const auto text = read_text(*s, child_path(path, "source"), ctx);
    std::vector<std::string> names;
    for (const auto& src : sc.sources) names.push_back(src.name);
    if (text && find_label(*text, names, "source", s->loc, child_path(path, "source"), ctx)) {
      lever.source = *text;
    } else {
      ok = false;
    }
  } else if (*type == LeverType::international_recruitment) {
    ok = require_key(n, "source", path, ctx) != nullptr && ok;
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
    ok = ok && v.has_value();
  } else {
    ok = false;
  }
  if (!ok) return std::nullopt;
  return lever;
}

}  // namespace

// A map of named instances; the name is what set_lever and paths use.
void build_levers(const Node& root, Scenario& sc, BuildContext& ctx) {
  const Node* n = optional_key(root, "levers");
  if (n == nullptr || !expect_map(*n, "levers", ctx)) return;
  std::vector<std::pair<std::string, std::string>> share_targets;  // source, lever
  for (const auto& [name, body] : n->entries) {
    if (name == "source" || name == "assumed") continue;
    auto lever = read_lever(name, *body, sc, ctx);
    if (!lever) continue;
    // One instance each for a source's share and its cap (DESIGN.md 2.5).
    if (lever->type == LeverType::international_recruitment) {
      const std::string key = lever->source + (lever->acts_on_cap ? "/cap" : "/share");
      for (const auto& [target, other] : share_targets) {
        if (target == key) {
          report(ctx, body->loc, child_path("levers", name), "",
                 "lever `" + other + "` already acts on this source's " +
                     (lever->acts_on_cap ? "cap" : "share"));
        }
      }
      share_targets.emplace_back(key, name);
    }
    sc.levers.push_back(std::move(*lever));
  }
}

}  // namespace staffsim::config
