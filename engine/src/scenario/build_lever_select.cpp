// What a lever acts on (DESIGN.md 2.5): its `select` lists, whose keys depend
// on the type (roles and sectors for supply levers and demand_scale, roles
// only for retirement_shift, client groups, age groups and services for the
// need levers), and the extra keys of personalisation (to_service,
// from_services) and outsourcing (from_sector, to_sectors).
#include <algorithm>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

const std::vector<std::string> kSelectKeys{"roles", "sectors", "client_groups", "age_groups",
                                           "services"};

// The select keys each type takes (DESIGN.md 2.5 table).
std::vector<std::string> select_keys(LeverType t) {
  switch (t) {
    case LeverType::personalisation:
      return {"client_groups"};
    case LeverType::intensity:
    case LeverType::outsourcing:
      return {"services"};
    case LeverType::prevention:
      return {"client_groups", "age_groups"};
    case LeverType::productivity:
      return {"services", "roles"};
    case LeverType::retirement_shift:
      return {"roles"};  // retirement is per role: q[r, a]
    case LeverType::training_intake:
    case LeverType::international_recruitment:
      return {};
    default:
      return {"roles", "sectors"};
  }
}

// "a, b" for messages.
std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// "an outsourcing", "a personalisation".
std::string article(const std::string& word) {
  const bool vowel = !word.empty() && std::string("aeiou").find(word[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + word;
}

// The labels a select key names, what one is called, and where it goes.
struct Target {
  std::vector<std::string> labels;
  const char* what = "";
  std::vector<int>* out = nullptr;
};

// Where the labels of a select key come from: dimensions or demand.
Target target_of(const std::string& key, const Scenario& sc, Lever& lever) {
  const NeedDemand& need = sc.demand.need;
  if (key == "roles") return {sc.dims.roles, "role", &lever.roles};
  if (key == "sectors") return {sc.dims.sectors, "sector", &lever.sectors};
  if (key == "client_groups") return {need.client_groups, "client group", &lever.client_groups};
  if (key == "services") return {need.services, "service", &lever.services};
  Target t{{}, "age group", &lever.age_groups};
  for (const auto& g : need.age_groups) t.labels.push_back(g.name);
  return t;
}

// Labels of a list, each known, none twice; `label_of` gives the labels.
std::optional<std::vector<int>> read_indices(const Node& n, const std::string& path,
                                             const std::vector<std::string>& labels,
                                             const char* what, BuildContext& ctx) {
  const auto list = read_label_list(n, path, ctx);
  if (!list) return std::nullopt;
  std::vector<int> out;
  bool ok = true;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    const auto idx = find_label((*list)[i], labels, what, n.items[i]->loc, p, ctx);
    if (idx && std::find(out.begin(), out.end(), *idx) != out.end()) {
      report(ctx, n.items[i]->loc, p, (*list)[i], std::string("this ") + what + " is listed twice");
      ok = false;
    } else if (idx) {
      out.push_back(*idx);
    }
    ok = ok && idx.has_value();
  }
  if (!ok) return std::nullopt;
  return out;
}

// Why a type does not take a select key: what it selects by, or, for
// retirement_shift, that retirement has no sector (q[r, a], DESIGN.md 2.2).
std::string selects_by(LeverType t, const std::vector<std::string>& allowed) {
  if (t == LeverType::retirement_shift) return "retirement is per role";
  return "it selects by " + join(allowed);
}

// `select: {key: [labels]}` with only the keys the type takes.
bool read_select(const Node& n, const std::string& path, const Scenario& sc, Lever& lever,
                 BuildContext& ctx) {
  if (!expect_map(n, path, ctx)) return false;
  const std::vector<std::string> allowed = select_keys(lever.type);
  bool ok = true;
  for (std::size_t i = 0; i < n.entries.size(); ++i) {
    const auto& [key, list] = n.entries[i];
    if (key == "source" || key == "assumed" || !list || list->is_null()) continue;
    const std::string p = child_path(path, key);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      const bool known =
          std::find(kSelectKeys.begin(), kSelectKeys.end(), key) != kSelectKeys.end();
      report(ctx, key_at(n, i), p, "",
             known ? article(to_string(lever.type)) + " lever does not select by " + key + " (" +
                         selects_by(lever.type, allowed) + ")"
                   : "unknown key" + suggestion(key, allowed));
      ok = false;
      continue;
    }
    Target t = target_of(key, sc, lever);
    const auto idx = read_indices(*list, p, t.labels, t.what, ctx);
    if (idx) *t.out = *idx;
    ok = ok && idx.has_value();
  }
  return ok;
}

// personalisation: the service whose share rises and the non-empty list of
// services that make room, not containing it.
bool read_personalisation(const Node& n, const std::string& path, const Scenario& sc, Lever& lever,
                          BuildContext& ctx) {
  const auto& services = sc.demand.need.services;
  const Node* to = require_key(n, "to_service", path, ctx);
  const Node* from = require_key(n, "from_services", path, ctx);
  std::optional<int> to_idx;
  if (to != nullptr) {
    const auto text = read_text(*to, child_path(path, "to_service"), ctx);
    if (text)
      to_idx = find_label(*text, services, "service", to->loc, child_path(path, "to_service"), ctx);
  }
  if (to_idx) lever.to_service = *to_idx;
  if (from == nullptr) return false;
  const std::string fp = child_path(path, "from_services");
  const auto idx = read_indices(*from, fp, services, "service", ctx);
  if (!idx) return false;
  if (idx->empty()) {
    report(ctx, from->loc, fp, "[]", "at least one service to take users from");
    return false;
  }
  bool ok = to_idx.has_value();
  for (std::size_t i = 0; i < idx->size(); ++i) {
    if (to_idx && (*idx)[i] == *to_idx) {
      report(ctx, from->items[i]->loc, fp + "[" + std::to_string(i) + "]", services[*to_idx],
             "from_services must not contain to_service (users move from these to it)");
      ok = false;
    }
  }
  lever.from_services = *idx;
  return ok;
}

// outsourcing: the sector giving up provision and the non-empty list of
// sectors taking it, not containing it.
bool read_outsourcing(const Node& n, const std::string& path, const Scenario& sc, Lever& lever,
                      BuildContext& ctx) {
  const Node* from = require_key(n, "from_sector", path, ctx);
  const Node* to = require_key(n, "to_sectors", path, ctx);
  std::optional<Sector> from_idx;
  if (from != nullptr) from_idx = read_sector(*from, child_path(path, "from_sector"), ctx);
  if (from_idx) lever.from_sector = *from_idx;
  if (to == nullptr) return false;
  const std::string tp = child_path(path, "to_sectors");
  const auto idx = read_indices(*to, tp, sc.dims.sectors, "sector", ctx);
  if (!idx) return false;
  if (idx->empty()) {
    report(ctx, to->loc, tp, "[]", "at least one sector to move provision to");
    return false;
  }
  bool ok = from_idx.has_value();
  for (std::size_t i = 0; i < idx->size(); ++i) {
    if (from_idx && (*idx)[i] == *from_idx) {
      report(ctx, to->items[i]->loc, tp + "[" + std::to_string(i) + "]", sc.dims.sectors[*from_idx],
             "to_sectors must not contain from_sector (provision moves away from it)");
      ok = false;
    }
  }
  lever.to_sectors = *idx;
  return ok;
}

}  // namespace

// Keys a type does not take are errors naming the type that takes them.
bool read_lever_select(const Node& n, const std::string& path, const Scenario& sc, Lever& lever,
                       BuildContext& ctx) {
  bool ok = true;
  const LeverType type = lever.type;
  auto only_for = [&](const char* key, LeverType t) {
    const Node* x = optional_key(n, key);
    if (x != nullptr && type != t) {
      report(ctx, x->loc, child_path(path, key), x->scalar,
             "only " + article(to_string(t)) + " lever takes `" + key + "`");
      ok = false;
    }
  };
  only_for("to_service", LeverType::personalisation);
  only_for("from_services", LeverType::personalisation);
  only_for("from_sector", LeverType::outsourcing);
  only_for("to_sectors", LeverType::outsourcing);
  if (const Node* s = optional_key(n, "select")) {
    if (type == LeverType::training_intake || type == LeverType::international_recruitment) {
      report(ctx, s->loc, child_path(path, "select"), "",
             article(to_string(type)) + " lever selects with `" +
                 (type == LeverType::training_intake ? "programme" : "recruitment_source") + "`");
      ok = false;
    } else {
      ok = read_select(*s, child_path(path, "select"), sc, lever, ctx) && ok;
    }
  }
  if (type == LeverType::personalisation) ok = read_personalisation(n, path, sc, lever, ctx) && ok;
  if (type == LeverType::outsourcing) ok = read_outsourcing(n, path, sc, lever, ctx) && ok;
  return ok;
}

}  // namespace staffsim::config
