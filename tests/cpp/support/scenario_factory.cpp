#include "support/scenario_factory.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace staffsim::testing {

Scenario blank_scenario(int roles, int sectors, int steps_per_year, int min_age, int max_age,
                        double total, int start_year, int end_year) {
  Scenario sc;
  sc.name = "test";
  sc.time = TimeGrid{start_year, end_year, steps_per_year, 11};
  for (int r = 0; r < roles; ++r) sc.dims.roles.push_back("role" + std::to_string(r));
  for (int s = 0; s < sectors; ++s) sc.dims.sectors.push_back("sector" + std::to_string(s));
  sc.dims.min_age = min_age;
  sc.dims.max_age = max_age;
  // Validation rejects a band narrower than dt: at one step a year band 0 is [0, 1).
  sc.dims.tenure_edges = steps_per_year == 1 ? std::vector<double>{0.0, 1.0, 2.0, 5.0}
                                             : std::vector<double>{0.0, 0.5, 2.0, 5.0};
  const int R = roles;
  const int S = sectors;
  const int A = sc.dims.n_ages();
  const int K = sc.dims.n_bands();
  sc.fte_factor.setOnes(R, S);
  sc.opening.total = total;
  sc.posts.fte.assign(static_cast<std::size_t>(R * S),
                      YearPath::constant(total / static_cast<double>(R * S)));
  sc.turnover.base.setZero(R, S);
  sc.turnover.age_factor.setOnes(R, A);
  sc.turnover.tenure_factor.setOnes(R, K);
  sc.retirement.q.setZero(R, A);
  sc.destinations.assign(static_cast<std::size_t>(R * S), DestinationSplit{});
  sc.recruitment.assign(static_cast<std::size_t>(R * S), RecruitmentRule{});
  for (auto& rule : sc.recruitment) rule.source_shares.resize(0);
  return sc;
}

void set_posts(Scenario& sc, Role r, Sector s, double fte) {
  sc.posts.fte[static_cast<std::size_t>(sc.dims.rs(r, s))] = YearPath::constant(fte);
}

int add_source_at_age(Scenario& sc, const std::string& name, int age_index, double cap) {
  Source src;
  src.name = name;
  src.age_dist.setZero(sc.dims.n_ages());
  src.age_dist[age_index] = 1.0;
  if (cap >= 0.0) src.cap = cap;
  sc.sources.push_back(src);
  const auto n = static_cast<Eigen::Index>(sc.sources.size());
  for (auto& rule : sc.recruitment) {
    Eigen::ArrayXd shares = Eigen::ArrayXd::Zero(n);
    if (rule.source_shares.size() > 0) shares.head(n - 1) = rule.source_shares;
    if (n == 1) shares[0] = 1.0;
    rule.source_shares = shares;
  }
  return static_cast<int>(n - 1);
}

}  // namespace staffsim::testing

namespace staffsim::testing {

Eigen::ArrayXd empty_stock(const Scenario& sc) {
  return Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(sc.dims.n_cells()));
}

void set_opening_stock(Scenario& sc, const Eigen::ArrayXd& H) {
  StockMargin joint;
  joint.axes = {Axis::role, Axis::sector, Axis::age, Axis::tenure};
  joint.values = H;
  joint.origin = "test";
  sc.opening.total = H.sum();
  sc.opening.margins = {joint};
}

void set_opening_cohort(Scenario& sc, Role r, Sector s, int age_index, Band k, double n) {
  Eigen::ArrayXd H = empty_stock(sc);
  H[static_cast<Eigen::Index>(sc.dims.cell(r, s, age_index, k))] = n;
  set_opening_stock(sc, H);
}

Eigen::ArrayXd headcount_by_rs(const Dimensions& d, const Eigen::ArrayXd& H) {
  const auto n = static_cast<Eigen::Index>(d.block_size());
  Eigen::ArrayXd out(d.n_role_sectors());
  for (int rs = 0; rs < d.n_role_sectors(); ++rs) out[rs] = H.segment(rs * n, n).sum();
  return out;
}

Eigen::ArrayXd headcount_by_age(const Dimensions& d, const Eigen::ArrayXd& H) {
  Eigen::ArrayXd out = Eigen::ArrayXd::Zero(d.n_ages());
  for (Role r = 0; r < d.n_roles(); ++r) {
    for (Sector s = 0; s < d.n_sectors(); ++s) {
      for (int a = 0; a < d.n_ages(); ++a) {
        for (Band k = 0; k < d.n_bands(); ++k) {
          out[a] += H[static_cast<Eigen::Index>(d.cell(r, s, a, k))];
        }
      }
    }
  }
  return out;
}

Eigen::ArrayXd headcount_by_band(const Dimensions& d, const Eigen::ArrayXd& H) {
  Eigen::ArrayXd out = Eigen::ArrayXd::Zero(d.n_bands());
  for (Eigen::Index i = 0; i < H.size(); ++i) out[i % d.n_bands()] += H[i];
  return out;
}

Lever constant_lever(const std::string& name, LeverType type, double value) {
  Lever lever;
  lever.name = name;
  lever.type = type;
  lever.path = LeverPath::constant(value);
  return lever;
}

Programme make_programme(const Scenario& sc, const std::string& name, Role role, int years,
                         double intake, int age_index) {
  Programme p;
  p.name = name;
  p.role = role;
  p.duration_steps = years * sc.time.steps_per_year;
  p.intake = LeverPath::constant(intake);
  p.intake_age.setZero(sc.dims.n_ages());
  p.intake_age[age_index] = 1.0;
  p.sector_shares.setZero(sc.dims.n_sectors());
  p.sector_shares[0] = 1.0;
  return p;
}

LeverPath shaped_path(PathShape shape, double start_year, double end_year, double from_value,
                      double to_value) {
  LeverPath p;
  p.shape = shape;
  p.start_year = start_year;
  p.end_year = end_year;
  p.from_value = from_value;
  p.to_value = to_value;
  return p;
}

Lever path_lever(const std::string& name, LeverType type, const LeverPath& path) {
  Lever lever;
  lever.name = name;
  lever.type = type;
  lever.path = path;
  return lever;
}

YearPath year_table(const std::vector<std::pair<double, double>>& points) {
  YearPath p;
  for (const auto& [year, value] : points) {
    p.years.push_back(year);
    p.values.push_back(value);
  }
  return p;
}

void use_need_demand(Scenario& sc, int client_groups, int age_groups, int services) {
  const int R = sc.dims.n_roles();
  const int S = sc.dims.n_sectors();
  sc.demand.mode = DemandMode::need;
  NeedDemand& need = sc.demand.need;
  need = NeedDemand{};
  for (int c = 0; c < client_groups; ++c) need.client_groups.push_back("c" + std::to_string(c));
  for (int g = 0; g < age_groups; ++g) {
    AgeGroup group;
    group.name = "g" + std::to_string(g);
    group.min_age = 65 + 20 * g;
    group.max_age = g + 1 < age_groups ? 64 + 20 * (g + 1) : 200;
    group.population = YearPath::constant(0.0);
    need.age_groups.push_back(group);
  }
  for (int v = 0; v < services; ++v) need.services.push_back("v" + std::to_string(v));
  need.prevalence.setZero(client_groups, age_groups);
  need.mix.setZero(client_groups, services);
  need.mix.col(0).setOnes();
  need.ratio.setZero(services, R);
  need.provider.setZero(services, S);
  need.provider.col(0).setOnes();
  sc.demand.opening_vacancy_rate.setZero(R, S);
}

bool near_rel(double a, double b, double tol) {
  return std::abs(a - b) <= tol * std::max({1.0, std::abs(a), std::abs(b)});
}

}  // namespace staffsim::testing
