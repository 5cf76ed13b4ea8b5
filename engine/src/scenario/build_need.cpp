// Need-based demand (DESIGN.md 2.3): client groups, disjoint population age
// groups, services, and the tables prevalence (C, G), mix (C, V), ratio
// (V, R) and provider (V, S), with the rules that make
//   users = pop x prevalence x mix,  raw = users x ratio x provider
// meaningful: shares sum to 1, a person is in one client group at most, and
// a role with no opening stock has its effective staff per user given.
#include <algorithm>
#include <cctype>
#include <tuple>

#include "scenario/build_support.hpp"

namespace staffsim::config {

namespace {

constexpr int kOldest = 120;  // the open end of "85+"
constexpr Domain kPrevalence{0.0, true, 1.0, true, "a prevalence must be in [0, 1]"};
constexpr Domain kRatio{0.0, true, kInf, true, "a ratio (FTE per user) must be >= 0"};
constexpr Domain kPopulation{0.0, true, kInf, true, "a population must be >= 0"};

// Client group and service labels become path selectors and CSV cells, like
// role labels: identifiers; age group names may also be ranges ("85+").
bool is_label(const std::string& s, bool allow_range) {
  if (s.empty() || (!allow_range && std::isdigit(static_cast<unsigned char>(s[0])))) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           (allow_range && (c == '-' || c == '+'));
  });
}

// A non-empty list of distinct identifiers.
std::optional<std::vector<std::string>> read_names(const Node& d, std::string_view key,
                                                   const char* what, BuildContext& ctx) {
  const std::string path = child_path("demand", key);
  const Node* n = require_key(d, key, "demand", ctx);
  if (n == nullptr) return std::nullopt;
  auto labels = read_label_list(*n, path, ctx);
  if (!labels) return std::nullopt;
  bool ok = !labels->empty();
  if (labels->empty()) report(ctx, n->loc, path, "[]", std::string("at least one ") + what);
  for (std::size_t i = 0; i < labels->size(); ++i) {
    const std::string& l = (*labels)[i];
    const std::string p = path + "[" + std::to_string(i) + "]";
    if (!is_label(l, false)) {
      report(ctx, n->items[i]->loc, p, l,
             std::string("a ") + what + " label must be an identifier (letters, digits, '_')");
      ok = false;
    } else if (std::find(labels->begin(), labels->begin() + static_cast<long>(i), l) !=
               labels->begin() + static_cast<long>(i)) {
      report(ctx, n->items[i]->loc, p, l, std::string("duplicate ") + what + " label");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return labels;
}

// "65-84", "85+" (open) or "90", as in the messages' suggestions.
std::string range_text(int lo, int hi) {
  if (hi >= kOldest) return std::to_string(lo) + "+";
  if (lo == hi) return std::to_string(lo);
  return std::to_string(lo) + "-" + std::to_string(hi);
}

// Disjoint groups (65-84 and 85+, not 65+ and 85+): an overlap names both
// groups and suggests the split.
void check_groups_disjoint(const std::vector<AgeGroup>& groups, const std::vector<Location>& at,
                           BuildContext& ctx) {
  for (std::size_t j = 0; j < groups.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      const AgeGroup& a = groups[i];
      const AgeGroup& b = groups[j];
      if (a.max_age < b.min_age || b.max_age < a.min_age) continue;
      const AgeGroup& lo = std::tie(a.min_age, a.max_age) <= std::tie(b.min_age, b.max_age) ? a : b;
      const AgeGroup& hi = &lo == &a ? b : a;
      std::string rule = "age groups " + a.name + " and " + b.name;
      if (lo.min_age == hi.min_age && lo.max_age == hi.max_age) {
        rule += " cover the same ages; keep one";
      } else if (lo.min_age < hi.min_age) {
        rule += " overlap; use disjoint groups such as " + range_text(lo.min_age, hi.min_age - 1) +
                " and " + range_text(hi.min_age, std::max(lo.max_age, hi.max_age));
      } else {
        rule += " overlap; use disjoint groups such as " + range_text(lo.min_age, lo.max_age) +
                " and " + range_text(lo.max_age + 1, hi.max_age);
      }
      report(ctx, at[j], "demand.age_groups[" + b.name + "].ages", range_text(b.min_age, b.max_age),
             rule);
    }
  }
}

// A list of `{name, ages, population}`; `name` defaults to the ages text.
std::optional<std::vector<AgeGroup>> read_age_groups(const Node& d, BuildContext& ctx) {
  const std::string path = "demand.age_groups";
  const Node* n = require_key(d, "age_groups", "demand", ctx);
  if (n == nullptr || !expect_seq(*n, path, ctx)) return std::nullopt;
  std::vector<AgeGroup> out;
  std::vector<Location> ages_at;
  bool ok = !n->items.empty();
  if (n->items.empty()) report(ctx, n->loc, path, "[]", "at least one age group");
  for (std::size_t i = 0; i < n->items.size(); ++i) {
    const Node& item = *n->items[i];
    std::string p = path + "[" + std::to_string(i) + "]";
    if (!expect_map(item, p, ctx)) {
      ok = false;
      continue;
    }
    const Node* ages = require_key(item, "ages", p, ctx);
    const Node* name = optional_key(item, "name");
    const Node* label = name != nullptr ? name : ages;
    if (label != nullptr && label->is_scalar()) p = path + "[" + label->scalar + "]";
    check_keys(item, p, {"name", "ages", "population"}, ctx);
    AgeGroup g;
    bool item_ok = ages != nullptr;
    if (label != nullptr) {
      const auto text = read_text(*label, child_path(p, name ? "name" : "ages"), ctx);
      g.name = text.value_or("");
      if (text && !is_label(*text, true)) {
        report(ctx, label->loc, child_path(p, "name"), *text,
               "an age group name must be letters, digits, '_', '-' or '+'");
        item_ok = false;
      }
      for (const auto& other : out) {
        if (text && other.name == *text) {
          report(ctx, label->loc, p, *text, "duplicate age group name");
          item_ok = false;
        }
      }
    }
    if (ages != nullptr) {
      const auto text = read_text(*ages, child_path(p, "ages"), ctx);
      const auto range = text ? parse_age_range(*text, kOldest) : std::nullopt;
      if (text && !range) {
        report(ctx, ages->loc, child_path(p, "ages"), *text,
               "expected an age range like 65-84, 85+ or 90");
      } else if (range && range->hi > kOldest) {
        report(ctx, ages->loc, child_path(p, "ages"), *text,
               "ages of an age group must lie within 0..120");
      }
      item_ok = item_ok && range && range->hi <= kOldest;
      if (range) g.min_age = range->lo;
      if (range) g.max_age = range->hi;
    }
    if (const Node* pop = require_key(item, "population", p, ctx)) {
      const std::string pp = child_path(p, "population");
      std::optional<YearPath> yp;
      if (pop->is_scalar()) {
        if (const auto v = read_in(*pop, pp, kPopulation, ctx)) yp = YearPath::constant(*v);
      } else {
        yp = read_year_table(*pop, pp, kPopulation, ctx);
        if (yp) warn_if_extrapolated(*yp, pop->loc, pp, ctx);
      }
      if (yp) g.population = *yp;
      item_ok = item_ok && yp.has_value();
    } else {
      item_ok = false;
    }
    ok = ok && item_ok;
    if (item_ok) {
      out.push_back(g);
      ages_at.push_back(ages->loc);
    }
  }
  const std::size_t reported = ctx.diags.all().size();
  check_groups_disjoint(out, ages_at, ctx);
  if (!ok || ctx.diags.all().size() != reported) return std::nullopt;
  return out;
}

// Rows that must each be present and sum to 1 (mix per client group,
// provider per service).
bool check_rows(const LabelTable& t, const std::vector<std::string>& rows, const Node& n,
                const std::string& path, const char* what, BuildContext& ctx) {
  bool ok = true;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (!t.row_given[r]) {
      report(ctx, n.loc, child_path(path, rows[r]), "",
             std::string("missing row: every ") + what + " needs one (shares summing to 1)");
      ok = false;
    } else {
      ok = check_sum_to_one(t.values.row(static_cast<Eigen::Index>(r)).sum(), t.row_at[r],
                            path + "[" + rows[r] + ",*]", ctx) &&
           ok;
    }
  }
  return ok;
}

// DESIGN.md 2.3: a role with demand but no base posts in any sector cannot be
// calibrated, unless its ratio is the effective staff per user.
void check_uncalibrated_roles(const Node& ratio_node, const Scenario& sc, BuildContext& ctx) {
  const NeedDemand& need = sc.demand.need;
  if (sc.opening.margins.empty()) return;  // a broken workforce was reported
  const Eigen::ArrayXd stock = opening_rs_shares(sc.opening, sc.dims).rowwise().sum();
  Eigen::ArrayXd users = Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(need.services.size()));
  for (std::size_t g = 0; g < need.age_groups.size(); ++g) {
    const double pop = need.age_groups[g].population.at(sc.time.start_year);
    const auto gi = static_cast<Eigen::Index>(g);
    users += pop *
             (need.prevalence.col(gi).matrix().transpose() * need.mix.matrix()).transpose().array();
  }
  const Eigen::ArrayXd provided = need.provider.rowwise().sum();
  for (Role r = 0; r < sc.dims.n_roles(); ++r) {
    const auto& eff = need.effective_ratio_roles;
    if (stock(r) > 0.0 || std::find(eff.begin(), eff.end(), r) != eff.end()) continue;
    if ((users * need.ratio.col(r) * provided).sum() <= 0.0) continue;
    report(ctx, ratio_node.loc, "demand.ratio[*," + sc.dims.roles[r] + "]", "",
           "role " + sc.dims.roles[r] +
               " has demand but no opening stock in any sector, so its staff per user cannot be "
               "calibrated: give its effective staff per user and list it in "
               "demand.effective_ratio_roles");
  }
}

}  // namespace

// Every need key is required but effective_ratio_roles; tables over a broken
// label list are skipped.
void build_need(const Node& d, Scenario& sc, BuildContext& ctx) {
  NeedDemand& need = sc.demand.need;
  const auto groups = read_names(d, "client_groups", "client group", ctx);
  const auto services = read_names(d, "services", "service", ctx);
  const auto ages = read_age_groups(d, ctx);
  if (groups) need.client_groups = *groups;
  if (services) need.services = *services;
  if (ages) need.age_groups = *ages;
  std::vector<std::string> age_names;
  for (const auto& g : need.age_groups) age_names.push_back(g.name);
  const LabelAxis c_axis{&need.client_groups, "client group", "client_group"};
  const LabelAxis g_axis{&age_names, "age group", "age_group"};
  const LabelAxis v_axis{&need.services, "service", "service"};
  const LabelAxis r_axis{&sc.dims.roles, "role", "role"};
  const LabelAxis s_axis{&sc.dims.sectors, "sector", "sector"};
  bool ok = groups && services && ages;
  const Node* prevalence = require_key(d, "prevalence", "demand", ctx);
  if (prevalence != nullptr && groups && ages) {
    const auto t =
        read_label_table(*prevalence, "demand.prevalence", c_axis, g_axis, kPrevalence, ctx);
    if (t) need.prevalence = t->values;
    for (std::size_t g = 0; t && g < age_names.size(); ++g) {
      const double sum = t->values.col(static_cast<Eigen::Index>(g)).sum();
      if (sum <= 1.0 + 1e-9) continue;
      report(ctx, prevalence->loc, "demand.prevalence[*," + age_names[g] + "]",
             "sum " + format_number(sum),
             "the prevalences of one age group must sum to <= 1 (a person is in one client "
             "group at most)");
    }
    ok = ok && t.has_value();
  }
  const Node* mix = require_key(d, "mix", "demand", ctx);
  if (mix != nullptr && groups && services) {
    const auto t = read_label_table(*mix, "demand.mix", c_axis, v_axis, kShare, ctx);
    if (t) need.mix = t->values;
    ok = ok && t && check_rows(*t, need.client_groups, *mix, "demand.mix", "client group", ctx);
  }
  const Node* ratio = require_key(d, "ratio", "demand", ctx);
  if (ratio != nullptr && services) {
    const auto t = read_label_table(*ratio, "demand.ratio", v_axis, r_axis, kRatio, ctx);
    if (t) need.ratio = t->values;
    ok = ok && t.has_value();
  }
  const Node* provider = require_key(d, "provider", "demand", ctx);
  if (provider != nullptr && services) {
    const auto t = read_label_table(*provider, "demand.provider", v_axis, s_axis, kShare, ctx);
    if (t) need.provider = t->values;
    ok = ok && t && check_rows(*t, need.services, *provider, "demand.provider", "service", ctx);
  }
  if (const Node* e = optional_key(d, "effective_ratio_roles")) {
    const std::string path = "demand.effective_ratio_roles";
    if (expect_seq(*e, path, ctx)) {
      for (std::size_t i = 0; i < e->items.size(); ++i) {
        const auto r = read_role(*e->items[i], path + "[" + std::to_string(i) + "]", ctx);
        if (r) need.effective_ratio_roles.push_back(*r);
        ok = ok && r.has_value();
      }
    } else {
      ok = false;
    }
  }
  if (ok && prevalence && mix && ratio && provider) check_uncalibrated_roles(*ratio, sc, ctx);
}

}  // namespace staffsim::config
