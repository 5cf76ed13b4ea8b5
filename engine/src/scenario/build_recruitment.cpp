// `supply.recruitment` (DESIGN.md 2.2 step 6): sources with age
// distributions and optional caps, and a rule per (role, sector) choosing
// the mode and splitting requests over sources by shares summing to 1.
#include <memory>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

// Sources with unique names, an age distribution and an optional cap >= 0.
void read_sources(const Node& n, const std::string& path, Scenario& sc, BuildContext& ctx) {
  if (!expect_seq(n, path, ctx)) return;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const Node& item = *n.items[i];
    std::string p = path + "[" + std::to_string(i) + "]";
    if (!expect_map(item, p, ctx)) continue;
    const Node* name = require_key(item, "name", p, ctx);
    if (name && name->is_scalar()) p = path + "[" + name->scalar + "]";
    check_keys(item, p, {"name", "ages", "cap"}, ctx);
    Source src;
    bool ok = name != nullptr;
    if (name) src.name = name->scalar;
    for (const auto& other : sc.sources) {
      if (name && other.name == src.name) {
        report(ctx, name->loc, p, src.name, "duplicate source name");
      }
    }
    if (const Node* a = require_key(item, "ages", p, ctx)) {
      const auto d = read_age_distribution(*a, child_path(p, "ages"), ctx);
      if (d) src.age_dist = *d;
      ok = ok && d.has_value();
    } else {
      ok = false;
    }
    if (const Node* c = optional_key(item, "cap")) {
      const Domain cap{0.0, true, kInf, true, "a source cap (people a year) must be >= 0"};
      src.cap = read_in(*c, child_path(p, "cap"), cap, ctx);
      ok = ok && src.cap.has_value();
    }
    // Keep the source even when broken so that rules naming it do not
    // cascade into "unknown source" messages.
    if (!ok) src.age_dist = Eigen::ArrayXd::Zero(0);
    sc.sources.push_back(std::move(src));
  }
}

struct WrittenRule {
  RecruitmentRule rule;
  bool ok = false;
};

// One rule; keys that the mode does not use are errors (a likely mistake).
WrittenRule read_rule(const Node& n, const std::string& path, const Scenario& sc,
                      BuildContext& ctx) {
  WrittenRule out;
  if (!expect_map(n, path, ctx)) return out;
  check_keys(n, path, {"mode", "fill_rate", "rate", "number", "sources"}, ctx);
  const Node* mode_node = require_key(n, "mode", path, ctx);
  if (mode_node == nullptr) return out;
  const auto mode =
      read_choice(*mode_node, child_path(path, "mode"), {"fill_vacancies", "fixed", "none"}, ctx);
  if (!mode) return out;
  RecruitmentRule& r = out.rule;
  r.source_shares = Eigen::ArrayXd::Zero(static_cast<long>(sc.sources.size()));
  bool ok = true;
  auto unused = [&](const char* key) {
    if (const Node* x = optional_key(n, key)) {
      report(ctx, x->loc, child_path(path, key), x->scalar, "not used by mode " + *mode);
      ok = false;
    }
  };
  if (*mode == "none") {
    r.mode = RecruitMode::none;
    unused("fill_rate");
    unused("rate");
    unused("number");
    unused("sources");
    out.ok = ok;
    return out;
  }
  if (*mode == "fill_vacancies") {
    r.mode = RecruitMode::fill_vacancies;
    const Domain fill{0.0, true, 1.0, false, "a fill rate must be in [0, 1)"};
    const Node* f = require_key(n, "fill_rate", path, ctx);
    const auto v = f ? read_in(*f, child_path(path, "fill_rate"), fill, ctx) : std::nullopt;
    r.fill_rate = v.value_or(0.0);
    ok = ok && v.has_value();
    unused("rate");
    unused("number");
  } else {
    const Node* rate = optional_key(n, "rate");
    const Node* number = optional_key(n, "number");
    unused("fill_rate");
    if ((rate != nullptr) == (number != nullptr)) {
      report(ctx, n.loc, path, "", "mode fixed takes exactly one of `rate` or `number`");
      ok = false;
    } else if (rate != nullptr) {
      r.mode = RecruitMode::fixed_rate;
      const auto v = read_in(*rate, child_path(path, "rate"), kNonNegative, ctx);
      r.rate = v.value_or(0.0);
      ok = ok && v.has_value();
    } else {
      r.mode = RecruitMode::fixed_number;
      const auto v = read_in(*number, child_path(path, "number"), kNonNegative, ctx);
      r.number = v.value_or(0.0);
      ok = ok && v.has_value();
    }
  }
  const Node* shares = optional_key(n, "sources");
  const std::string spath = child_path(path, "sources");
  std::vector<std::string> names;
  for (const auto& s : sc.sources) names.push_back(s.name);
  if (shares == nullptr && sc.sources.size() == 1) {
    r.source_shares(0) = 1.0;  // the only source takes every hire
  } else if (shares == nullptr) {
    report(ctx, n.loc, spath, "",
           sc.sources.empty() ? "no recruitment sources are declared (supply.recruitment.sources)"
                              : "missing required key (several sources are declared)");
    ok = false;
  } else if (expect_map(*shares, spath, ctx)) {
    for (std::size_t i = 0; i < shares->entries.size(); ++i) {
      const auto& [label, v] = shares->entries[i];
      if (label == "source" || label == "assumed") continue;
      const Location at = key_at(*shares, i);
      const auto idx = find_label(label, names, "source", at, spath, ctx);
      const auto x = read_in(*v, child_path(spath, label), kShare, ctx);
      if (idx && x) r.source_shares(*idx) += *x;
      ok = ok && idx && x;
    }
    if (ok) ok = check_sum_to_one(r.source_shares.sum(), shares->loc, spath, ctx);
  } else {
    ok = false;
  }
  out.ok = ok;
  return out;
}

}  // namespace

// The most specific rule wins: by_cell, by_role, default, then mode none.
void build_recruitment(const Node& supply, Scenario& sc, BuildContext& ctx) {
  const Dimensions& dims = sc.dims;
  const Node* n = optional_key(supply, "recruitment");
  const std::string path = "supply.recruitment";
  if (n != nullptr && expect_map(*n, path, ctx)) {
    check_keys(*n, path, {"sources", "default", "by_role", "by_cell"}, ctx);
    if (const Node* s = optional_key(*n, "sources")) {
      read_sources(*s, child_path(path, "sources"), sc, ctx);
    }
  } else {
    n = nullptr;
  }
  RecruitmentRule none;
  none.source_shares = Eigen::ArrayXd::Zero(static_cast<long>(sc.sources.size()));
  sc.recruitment.assign(static_cast<std::size_t>(dims.n_role_sectors()), none);
  if (n == nullptr) return;
  auto set = [&](const WrittenRule& w, Role r, std::optional<Sector> s) {
    if (!w.ok) return;
    for (Sector j = 0; j < dims.n_sectors(); ++j) {
      if (!s || *s == j) sc.recruitment[static_cast<std::size_t>(dims.rs(r, j))] = w.rule;
    }
  };
  if (const Node* d = optional_key(*n, "default")) {
    const WrittenRule w = read_rule(*d, child_path(path, "default"), sc, ctx);
    for (Role r = 0; r < dims.n_roles(); ++r) set(w, r, std::nullopt);
  }
  const std::string bpath = child_path(path, "by_role");
  if (const Node* br = optional_key(*n, "by_role"); br && expect_map(*br, bpath, ctx)) {
    for (std::size_t i = 0; i < br->entries.size(); ++i) {
      const auto& [role, rule] = br->entries[i];
      if (role == "source" || role == "assumed") continue;
      const auto r = find_label(role, dims.roles, "role", key_at(*br, i), bpath, ctx);
      const WrittenRule w = read_rule(*rule, child_path(bpath, role), sc, ctx);
      if (r) set(w, *r, std::nullopt);
    }
  }
  const std::string cpath = child_path(path, "by_cell");
  if (const Node* bc = optional_key(*n, "by_cell"); bc && expect_map(*bc, cpath, ctx)) {
    for (std::size_t i = 0; i < bc->entries.size(); ++i) {
      const auto& [role, row] = bc->entries[i];
      if (role == "source" || role == "assumed") continue;
      const auto r = find_label(role, dims.roles, "role", key_at(*bc, i), cpath, ctx);
      const std::string rpath = child_path(cpath, role);
      if (!r || !expect_map(*row, rpath, ctx)) continue;
      for (std::size_t j = 0; j < row->entries.size(); ++j) {
        const auto& [sector, rule] = row->entries[j];
        if (sector == "source" || sector == "assumed") continue;
        const auto s = find_label(sector, dims.sectors, "sector", key_at(*row, j), rpath, ctx);
        const WrittenRule w = read_rule(*rule, child_path(rpath, sector), sc, ctx);
        if (s) set(w, *r, *s);
      }
    }
  }
}

}  // namespace staffsim::config
