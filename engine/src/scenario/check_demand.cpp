// Scenario::check() for demand (DESIGN.md 2.3), the demand levers (2.5),
// costs and output settings (2.6): the invariants build_demand, build_need,
// build_costs and build_outputs enforce on files, for a Scenario built in
// code. Problems carry no locations.
#include <algorithm>
#include <set>

#include "scenario/check_problems.hpp"

namespace staffsim::config {

namespace {

bool valid(int i, std::size_t n) { return i >= 0 && static_cast<std::size_t>(i) < n; }

// A path with values at strictly increasing years, each finite and >= 0.
bool good_path(const YearPath& y) {
  if (y.years.empty() || y.years.size() != y.values.size()) return false;
  for (std::size_t i = 0; i < y.years.size(); ++i) {
    if (!std::isfinite(y.values[i]) || y.values[i] < 0.0) return false;
    if (i > 0 && !(y.years[i] > y.years[i - 1])) return false;
  }
  return true;
}

void distinct(const std::vector<std::string>& labels, const std::string& path, const char* what,
              Problems& p) {
  std::set<std::string> seen;
  for (const auto& l : labels) {
    if (!seen.insert(l).second) p.add(path, l, std::string("duplicate ") + what + " label");
  }
}

// Age groups disjoint with sensible bounds and populations >= 0; tables
// shaped (C,G), (C,V), (V,R), (V,S); mix and provider rows sum to 1; at most
// one client group per person.
void check_need(const Scenario& sc, Problems& p) {
  const NeedDemand& n = sc.demand.need;
  const auto C = static_cast<Eigen::Index>(n.client_groups.size());
  const auto G = static_cast<Eigen::Index>(n.age_groups.size());
  const auto V = static_cast<Eigen::Index>(n.services.size());
  if (C == 0) p.add("demand.client_groups", "[]", "need mode needs at least one client group");
  if (G == 0) p.add("demand.age_groups", "[]", "need mode needs at least one age group");
  if (V == 0) p.add("demand.services", "[]", "need mode needs at least one service");
  distinct(n.client_groups, "demand.client_groups", "client group", p);
  distinct(n.services, "demand.services", "service", p);
  std::vector<std::string> names;
  for (const auto& g : n.age_groups) names.push_back(g.name);
  distinct(names, "demand.age_groups", "age group", p);
  for (std::size_t i = 0; i < n.age_groups.size(); ++i) {
    const AgeGroup& g = n.age_groups[i];
    const std::string path = "demand.age_groups[" + g.name + "]";
    if (g.min_age < 0 || g.max_age < g.min_age) {
      p.add(path + ".ages", std::to_string(g.min_age) + "-" + std::to_string(g.max_age),
            "ages must satisfy 0 <= min_age <= max_age");
    }
    if (!good_path(g.population)) {
      p.add(path + ".population", "",
            "a population needs values >= 0 at strictly increasing years");
    }
    for (std::size_t j = 0; j < i; ++j) {
      const AgeGroup& o = n.age_groups[j];
      if (g.min_age <= o.max_age && o.min_age <= g.max_age) {
        p.add(path + ".ages", "", "age groups " + o.name + " and " + g.name + " overlap");
      }
    }
  }
  p.shape("demand.prevalence", n.prevalence.rows(), n.prevalence.cols(), C, G);
  p.shape("demand.mix", n.mix.rows(), n.mix.cols(), C, V);
  p.shape("demand.ratio", n.ratio.rows(), n.ratio.cols(), V, sc.dims.n_roles());
  p.shape("demand.provider", n.provider.rows(), n.provider.cols(), V, sc.dims.n_sectors());
  p.range(n.prevalence, "demand.prevalence", 0.0, 1.0, false, "a prevalence must be in [0, 1]");
  p.range(n.mix, "demand.mix", 0.0, 1.0, false, "a share must be in [0, 1]");
  p.range(n.ratio, "demand.ratio", 0.0, INFINITY, false, "a ratio must be >= 0");
  p.range(n.provider, "demand.provider", 0.0, 1.0, false, "a share must be in [0, 1]");
  if (n.prevalence.rows() == C && n.prevalence.cols() == G) {
    for (Eigen::Index g = 0; g < G; ++g) {
      const double sum = n.prevalence.col(g).sum();
      if (sum > 1.0 + 1e-9) {
        p.add("demand.prevalence[*," + names[static_cast<std::size_t>(g)] + "]", "sum " + num(sum),
              "the prevalences of one age group must sum to <= 1");
      }
    }
  }
  if (n.mix.rows() == C && n.mix.cols() == V) {
    for (Eigen::Index c = 0; c < C; ++c) {
      p.sums_to_one(n.mix.row(c).sum(),
                    "demand.mix[" + n.client_groups[static_cast<std::size_t>(c)] + ",*]");
    }
  }
  if (n.provider.rows() == V && n.provider.cols() == sc.dims.n_sectors()) {
    for (Eigen::Index v = 0; v < V; ++v) {
      p.sums_to_one(n.provider.row(v).sum(),
                    "demand.provider[" + n.services[static_cast<std::size_t>(v)] + ",*]");
    }
  }
  for (Role r : n.effective_ratio_roles) {
    if (!valid(r, sc.dims.roles.size()))
      p.add("demand.effective_ratio_roles", std::to_string(r), "unknown role");
  }
}

// Indices a demand lever holds, and the mode it needs.
void check_demand_lever(const Scenario& sc, const Lever& lever, Problems& p) {
  const NeedDemand& n = sc.demand.need;
  const std::string path = "levers." + lever.name;
  const bool need_lever =
      lever.type == LeverType::personalisation || lever.type == LeverType::intensity ||
      lever.type == LeverType::prevention || lever.type == LeverType::productivity ||
      lever.type == LeverType::outsourcing;
  if (need_lever && sc.demand.mode != DemandMode::need) {
    p.add(path + ".type", to_string(lever.type), "this lever needs demand mode need");
  }
  auto indices = [&](const std::vector<int>& xs, std::size_t size, const char* key,
                     const char* what) {
    for (int x : xs) {
      if (!valid(x, size))
        p.add(path + "." + key, std::to_string(x), std::string("unknown ") + what);
    }
  };
  indices(lever.client_groups, n.client_groups.size(), "select.client_groups", "client group");
  indices(lever.age_groups, n.age_groups.size(), "select.age_groups", "age group");
  indices(lever.services, n.services.size(), "select.services", "service");
  if (lever.type == LeverType::personalisation) {
    if (!valid(lever.to_service, n.services.size()))
      p.add(path + ".to_service", std::to_string(lever.to_service), "unknown service");
    if (lever.from_services.empty()) p.add(path + ".from_services", "[]", "at least one service");
    indices(lever.from_services, n.services.size(), "from_services", "service");
    if (std::find(lever.from_services.begin(), lever.from_services.end(), lever.to_service) !=
        lever.from_services.end()) {
      p.add(path + ".from_services", std::to_string(lever.to_service),
            "from_services must not contain to_service");
    }
  }
  if (lever.type == LeverType::outsourcing) {
    if (!valid(lever.from_sector, sc.dims.sectors.size()))
      p.add(path + ".from_sector", std::to_string(lever.from_sector), "unknown sector");
    if (lever.to_sectors.empty()) p.add(path + ".to_sectors", "[]", "at least one sector");
    indices(lever.to_sectors, sc.dims.sectors.size(), "to_sectors", "sector");
    if (std::find(lever.to_sectors.begin(), lever.to_sectors.end(), lever.from_sector) !=
        lever.to_sectors.end()) {
      p.add(path + ".to_sectors", std::to_string(lever.from_sector),
            "to_sectors must not contain from_sector");
    }
  }
}

// Bands with one label each, inside [min_age, max_age], increasing and
// disjoint; empty is allowed for a scenario built in code.
void check_bands(const AgeBands& b, const std::string& path, const Dimensions& d, Problems& p) {
  if (b.labels.size() != b.ranges.size()) {
    p.add(path, std::to_string(b.labels.size()) + " labels",
          "expected one label per range (" + std::to_string(b.ranges.size()) + ")");
    return;
  }
  int next = d.min_age;
  for (std::size_t i = 0; i < b.ranges.size(); ++i) {
    const auto [lo, hi] = b.ranges[i];
    if (lo < next || hi < lo || hi > d.max_age) {
      p.add(path + "[" + std::to_string(i) + "]", b.labels[i],
            "bands must lie within [min_age, max_age], disjoint and in increasing order");
    }
    next = std::max(next, hi + 1);
  }
}

}  // namespace

// Coverage, opening vacancies and index by mode, the need tables, and every
// demand lever (one personalisation lever per client group).
void check_demand(const Scenario& sc, Problems& p) {
  const Demand& dm = sc.demand;
  const Dimensions& d = sc.dims;
  if (!(dm.coverage > 0.0 && dm.coverage <= 1.0))
    p.add("demand.coverage", num(dm.coverage), "a coverage must be in (0, 1]");
  const Eigen::ArrayXXd& v = dm.opening_vacancy_rate;
  if (dm.mode != DemandMode::posts || v.size() > 0) {
    p.shape("demand.opening_vacancies.rate", v.rows(), v.cols(), d.n_roles(), d.n_sectors());
    p.range_rs(v, "demand.opening_vacancies.rate", d, 0.0, 1.0, true,
               "a vacancy rate must be in [0, 1)");
  }
  if (dm.mode == DemandMode::index) {
    if (static_cast<int>(dm.index.size()) != d.n_role_sectors()) {
      p.add("demand.index", std::to_string(dm.index.size()),
            "expected one path per (role, sector)");
    } else if (!std::all_of(dm.index.begin(), dm.index.end(), good_path)) {
      p.add("demand.index", "", "each (role, sector) needs an index >= 0 at increasing years");
    }
  }
  if (dm.mode == DemandMode::need) check_need(sc, p);
  std::vector<const Lever*> personalisation;
  for (const Lever& lever : sc.levers) {
    check_demand_lever(sc, lever, p);
    if (lever.type != LeverType::personalisation) continue;
    for (const Lever* other : personalisation) {
      const auto& a = other->client_groups;
      const auto& b = lever.client_groups;
      const bool shared = a.empty() || b.empty() || std::any_of(a.begin(), a.end(), [&](int c) {
                            return std::find(b.begin(), b.end(), c) != b.end();
                          });
      if (shared) {
        p.add("levers." + lever.name, "",
              "levers " + other->name + " and " + lever.name +
                  " both set the personalisation share of one client group");
      }
    }
    personalisation.push_back(&lever);
  }
}

// Cost tables are empty (no money) or (R, S) in their domains (DESIGN.md 2.6).
void check_costs_and_outputs(const Scenario& sc, Problems& p) {
  const Dimensions& d = sc.dims;
  const Costs& c = sc.costs;
  const std::pair<const Eigen::ArrayXXd*, const char*> tables[] = {
      {&c.pay, "costs.pay"},
      {&c.cost_per_hire, "costs.cost_per_hire"},
      {&c.agency_share, "costs.agency_share"},
      {&c.agency_premium, "costs.agency_premium"}};
  for (const auto& [a, path] : tables) {
    if (a->size() == 0) continue;  // no cost of that kind
    p.shape(path, a->rows(), a->cols(), d.n_roles(), d.n_sectors());
  }
  p.range_rs(c.pay, "costs.pay", d, 0.0, INFINITY, false, "pay must be >= 0");
  p.range_rs(c.cost_per_hire, "costs.cost_per_hire", d, 0.0, INFINITY, false,
             "a cost must be >= 0");
  p.range_rs(c.agency_share, "costs.agency_share", d, 0.0, 1.0, false, "a share must be in [0, 1]");
  p.range_rs(c.agency_premium, "costs.agency_premium", d, 0.0, INFINITY, false,
             "an agency premium must be >= 0");
  check_bands(sc.outputs.age_band, "outputs.age_bands", d, p);
  check_bands(sc.outputs.age_band_nmds, "outputs.age_bands_nmds", d, p);
  const double x = sc.outputs.shortfall_threshold;
  if (!(x >= 0.0 && x < 1.0))
    p.add("outputs.shortfall_threshold", num(x), "a shortfall threshold must be in [0, 1)");
}

}  // namespace staffsim::config
