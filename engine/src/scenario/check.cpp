// Scenario::check(): the invariants build_scenario enforces on files, for a
// Scenario built in code (shapes match the dimensions, shares sum to 1,
// domains). Throws ScenarioError listing every problem, without locations.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "scenario/check_problems.hpp"

namespace staffsim {

namespace {

using config::num;
using config::Problems;

// Labels, ages, tenure bands (at least dt wide) and the time grid.
void check_dims(const Scenario& sc, Problems& p) {
  const Dimensions& d = sc.dims;
  if (d.roles.empty()) p.add("dimensions.roles", "[]", "at least one role is needed");
  if (d.sectors.empty()) p.add("dimensions.sectors", "[]", "at least one sector is needed");
  for (const auto* labels : {&d.roles, &d.sectors}) {
    std::set<std::string> seen;
    for (const auto& l : *labels) {
      if (!seen.insert(l).second) p.add("dimensions", l, "duplicate label");
    }
  }
  if (d.min_age >= d.max_age)
    p.add("dimensions.max_age", std::to_string(d.max_age), "min_age must be < max_age");
  if (d.tenure_edges.empty() || d.tenure_edges.front() != 0.0) {
    p.add("dimensions.tenure_bands", "", "the first tenure band edge must be 0");
  }
  for (std::size_t k = 1; k < d.tenure_edges.size(); ++k) {
    const double w = d.tenure_edges[k] - d.tenure_edges[k - 1];
    if (w < sc.time.dt() - 1e-12) {
      p.add("dimensions.tenure_bands[" + std::to_string(k) + "]", num(d.tenure_edges[k]),
            "a tenure band must be at least one step wide");
    }
  }
  const int spy = sc.time.steps_per_year;
  if (spy != 1 && spy != 2 && spy != 4 && spy != 12) {
    p.add("time.steps_per_year", std::to_string(spy), "must be 1, 2, 4 or 12");
  }
  if (sc.time.end_year <= sc.time.start_year) {
    p.add("time.end_year", std::to_string(sc.time.end_year), "end_year must be > start_year");
  }
}

// Cell tables and leaving: shapes (R, S), (R, A), (R, K), domains, splits.
void check_supply(const Scenario& sc, Problems& p) {
  const Dimensions& d = sc.dims;
  const int R = d.n_roles();
  const int S = d.n_sectors();
  p.shape("fte_factor", sc.fte_factor.rows(), sc.fte_factor.cols(), R, S);
  p.range_rs(sc.fte_factor, "fte_factor", d, 1e-300, 1.5, false,
             "an FTE factor must be in (0, 1.5]");
  p.shape("supply.turnover.base", sc.turnover.base.rows(), sc.turnover.base.cols(), R, S);
  p.range_rs(sc.turnover.base, "supply.turnover.base", d, 0.0, INFINITY, false,
             "a hazard rate must be >= 0");
  p.shape("supply.turnover.age_factor", sc.turnover.age_factor.rows(),
          sc.turnover.age_factor.cols(), R, d.n_ages());
  p.range(sc.turnover.age_factor, "supply.turnover.age_factor", 0.0, INFINITY, false,
          "a factor must be >= 0");
  p.shape("supply.turnover.tenure_factor", sc.turnover.tenure_factor.rows(),
          sc.turnover.tenure_factor.cols(), R, d.n_bands());
  p.range(sc.turnover.tenure_factor, "supply.turnover.tenure_factor", 0.0, INFINITY, false,
          "a factor must be >= 0");
  p.shape("supply.retirement.q", sc.retirement.q.rows(), sc.retirement.q.cols(), R, d.n_ages());
  p.range(sc.retirement.q, "supply.retirement.q", 0.0, 1.0, true,
          "a probability must be in [0, 1)");
  if (static_cast<int>(sc.destinations.size()) != R * S) {
    p.add("supply.destinations", std::to_string(sc.destinations.size()),
          "expected one split per (role, sector)");
  } else {
    for (Role r = 0; r < R; ++r) {
      for (Sector s = 0; s < S; ++s) {
        const auto& split = sc.destinations[static_cast<std::size_t>(d.rs(r, s))];
        const std::string path = "supply.destinations[" + d.roles[r] + "," + d.sectors[s] + "]";
        double sum = split.exit_share;
        for (const auto& m : split.moves) {
          sum += m.share;
          if (m.share < 0.0 || m.to_role < 0 || m.to_role >= R || m.to_sector < 0 ||
              m.to_sector >= S) {
            p.add(path, num(m.share), "a move needs a share >= 0 and a known role and sector");
          } else if ((m.kind == MoveKind::to_sector && m.to_sector == s) ||
                     (m.kind == MoveKind::to_role && m.to_role == r) ||
                     (m.kind == MoveKind::to_role_sector && (m.to_role == r || m.to_sector == s))) {
            p.add(path, num(m.share), "a move to the leaver's own role or sector");
          }
        }
        p.sums_to_one(sum, path);
      }
    }
  }
}

// DESIGN.md 2.2 step 4: promotion runs per sector in topological order of the
// routes that apply there, so a cycle is one within a sector (A -> B only in
// sector 0 and B -> A only in sector 1 is no cycle). Kahn's algorithm per
// sector: roles left over lie on a cycle; one problem per such sector.
void check_promotion_cycles(const Scenario& sc, Problems& p) {
  const Dimensions& d = sc.dims;
  const int R = d.n_roles();
  for (Sector s = 0; s < d.n_sectors(); ++s) {
    std::vector<std::vector<Role>> next(static_cast<std::size_t>(std::max(R, 0)));
    std::vector<int> indeg(static_cast<std::size_t>(std::max(R, 0)), 0);
    for (const auto& rt : sc.promotion) {
      const bool here = rt.serves(s);
      if (!here || rt.from < 0 || rt.from >= R || rt.to < 0 || rt.to >= R || rt.from == rt.to) {
        continue;  // a broken route is reported by check_flows
      }
      next[static_cast<std::size_t>(rt.from)].push_back(rt.to);
      ++indeg[static_cast<std::size_t>(rt.to)];
    }
    std::vector<Role> ready;
    for (Role r = 0; r < R; ++r)
      if (indeg[static_cast<std::size_t>(r)] == 0) ready.push_back(r);
    int done = 0;
    while (!ready.empty()) {
      const Role r = ready.back();
      ready.pop_back();
      ++done;
      for (Role t : next[static_cast<std::size_t>(r)]) {
        if (--indeg[static_cast<std::size_t>(t)] == 0) ready.push_back(t);
      }
    }
    if (done < R) {
      p.add("supply.promotion", "",
            "promotion routes form a cycle in sector " + d.sectors[static_cast<std::size_t>(s)]);
    }
  }
}

// Promotion routes, training, sources, recruitment rules and levers.
void check_flows(const Scenario& sc, Problems& p) {
  const Dimensions& d = sc.dims;
  const int R = d.n_roles();
  const int S = d.n_sectors();
  for (const auto& rt : sc.promotion) {
    const std::string path = "supply.promotion[" + rt.name + "]";
    if (rt.from < 0 || rt.from >= R || rt.to < 0 || rt.to >= R || rt.from == rt.to) {
      p.add(path, "", "a route needs two different known roles");
      continue;
    }
    if (rt.max_rate < 0.0 || rt.max_rate > 1.0)
      p.add(path + ".max_rate", num(rt.max_rate), "a share must be in [0, 1]");
    if (rt.min_band < 0 || rt.min_band >= d.n_bands())
      p.add(path + ".min_band", std::to_string(rt.min_band), "unknown tenure band");
    for (Sector s : rt.sectors)
      if (s < 0 || s >= S) p.add(path + ".sectors", std::to_string(s), "unknown sector");
  }
  check_promotion_cycles(sc, p);
  std::set<std::string> programmes;
  for (const auto& prog : sc.programmes) {
    const std::string path = "supply.training[" + prog.name + "]";
    programmes.insert(prog.name);
    if (prog.role < 0 || prog.role >= R)
      p.add(path + ".role", std::to_string(prog.role), "unknown role");
    if (prog.duration_steps <= 0)
      p.add(path + ".duration_steps", std::to_string(prog.duration_steps), "must be > 0");
    if (prog.intake_age.size() != d.n_ages())
      p.add(path + ".intake_age", "", "expected one weight per age");
    else
      p.sums_to_one(prog.intake_age.sum(), path + ".intake_age");
    p.range(prog.intake_age, path + ".intake_age", 0.0, INFINITY, false, "must be >= 0");
    if (prog.sector_shares.size() != S)
      p.add(path + ".sectors", "", "expected one share per sector");
    else
      p.sums_to_one(prog.sector_shares.sum(), path + ".sectors");
    p.range(prog.sector_shares, path + ".sectors", 0.0, 1.0, false, "a share must be in [0, 1]");
    if (!(prog.attrition >= 0.0 && prog.attrition < 1.0))
      p.add(path + ".attrition", num(prog.attrition), "a probability must be in [0, 1)");
    if (!(prog.retained >= 0.0 && prog.retained <= 1.0))
      p.add(path + ".retained", num(prog.retained), "a share must be in [0, 1]");
    for (double v : prog.in_training) {
      if (!(v >= 0.0) || !std::isfinite(v))
        p.add(path + ".in_training", num(v), "a count must be >= 0");
    }
  }
  std::set<std::string> sources;
  for (const auto& src : sc.sources) {
    const std::string path = "supply.recruitment.sources[" + src.name + "]";
    if (!sources.insert(src.name).second) p.add(path, src.name, "duplicate source name");
    if (src.age_dist.size() != d.n_ages())
      p.add(path + ".ages", "", "expected one weight per age");
    else
      p.sums_to_one(src.age_dist.sum(), path + ".ages");
    if (src.cap && !(*src.cap >= 0.0 && std::isfinite(*src.cap)))
      p.add(path + ".cap", num(*src.cap), "a source cap must be >= 0");
  }
  if (static_cast<int>(sc.recruitment.size()) != R * S) {
    p.add("supply.recruitment", std::to_string(sc.recruitment.size()),
          "expected one rule per (role, sector)");
  } else {
    for (std::size_t i = 0; i < sc.recruitment.size(); ++i) {
      const auto& rule = sc.recruitment[i];
      const std::string path = "supply.recruitment[" + d.roles[i / static_cast<std::size_t>(S)] +
                               "," + d.sectors[i % static_cast<std::size_t>(S)] + "]";
      if (rule.mode == RecruitMode::none) continue;
      if (!(rule.fill_rate >= 0.0 && rule.fill_rate < 1.0))
        p.add(path + ".fill_rate", num(rule.fill_rate), "a fill rate must be in [0, 1)");
      if (!(rule.rate >= 0.0) || !(rule.number >= 0.0)) p.add(path, "", "hires must be >= 0");
      if (rule.source_shares.size() != static_cast<Eigen::Index>(sc.sources.size())) {
        p.add(path + ".sources", "", "expected one share per source");
      } else {
        p.sums_to_one(rule.source_shares.sum(), path + ".sources");
        p.range(rule.source_shares, path + ".sources", 0.0, 1.0, false,
                "a share must be in [0, 1]");
      }
    }
  }
  std::map<std::string, std::string> intake_lever;  // programme -> first training_intake lever
  for (const auto& lever : sc.levers) {
    const std::string path = "levers." + lever.name;
    for (Role r : lever.roles)
      if (r < 0 || r >= R) p.add(path + ".select.roles", std::to_string(r), "unknown role");
    for (Sector s : lever.sectors)
      if (s < 0 || s >= S) p.add(path + ".select.sectors", std::to_string(s), "unknown sector");
    if (lever.type == LeverType::retirement_shift && !lever.sectors.empty()) {
      p.add(path + ".select.sectors", "",
            "a retirement_shift lever does not select by sectors (retirement is per role)");
    }
    if (lever.type == LeverType::training_intake && programmes.count(lever.programme) == 0) {
      p.add(path + ".programme", lever.programme, "unknown programme");
    }
    if (lever.type == LeverType::training_intake) {
      const auto [it, first] = intake_lever.emplace(lever.programme, lever.name);
      if (!first) {
        p.add(path, "",
              "levers `" + it->second + "` and `" + lever.name +
                  "` both set the intake of programme " + lever.programme +
                  " (a training_intake lever replaces it); use one lever");
      }
    }
    if (lever.type == LeverType::international_recruitment && sources.count(lever.source) == 0) {
      p.add(path + ".source", lever.source, "unknown source");
    }
  }
}

// Opening stock margins (shape, counts >= 0) and, in demand mode posts, the
// posts paths.
void check_stock(const Scenario& sc, Problems& p) {
  const Dimensions& d = sc.dims;
  // Zero is allowed in code (a workforce that starts empty, filled by hires);
  // scenario files must state a positive total.
  if (!(sc.opening.total >= 0.0) || !std::isfinite(sc.opening.total)) {
    p.add("workforce.total", num(sc.opening.total), "must be >= 0");
  }
  for (std::size_t i = 0; i < sc.opening.margins.size(); ++i) {
    const auto& m = sc.opening.margins[i];
    const std::string path = "workforce.margins[" + std::to_string(i) + "]";
    Eigen::Index size = 1;
    std::set<Axis> seen;
    for (Axis a : m.axes) {
      if (!seen.insert(a).second) p.add(path + ".axes", "", "an axis may appear once");
      size *= a == Axis::role     ? d.n_roles()
              : a == Axis::sector ? d.n_sectors()
              : a == Axis::age    ? d.n_ages()
                                  : d.n_bands();
    }
    if (m.axes.empty() || m.values.size() != size) {
      p.add(path + ".values", std::to_string(m.values.size()),
            "expected " + std::to_string(size) + " values");
    }
    p.range(m.values, path + ".values", 0.0, INFINITY, false, "a count must be >= 0");
  }
  if (sc.demand.mode != DemandMode::posts) return;  // posts come from demand (check_demand)
  if (static_cast<int>(sc.posts.fte.size()) != d.n_role_sectors()) {
    p.add("posts", std::to_string(sc.posts.fte.size()), "expected one path per (role, sector)");
    return;
  }
  for (const auto& path : sc.posts.fte) {
    bool ok = path.years.size() == path.values.size() && !path.years.empty();
    for (std::size_t i = 0; ok && i < path.years.size(); ++i) {
      ok = std::isfinite(path.values[i]) && path.values[i] >= 0.0 &&
           (i == 0 || path.years[i] > path.years[i - 1]);
    }
    if (!ok) {
      p.add("posts", "",
            "each (role, sector) needs a non-empty path of posts >= 0 at increasing years");
      return;
    }
  }
}

}  // namespace

void Scenario::check() const {
  Problems p;
  check_dims(*this, p);
  if (p.items.empty()) {  // shapes below depend on the dimensions
    check_stock(*this, p);
    check_supply(*this, p);
    check_flows(*this, p);
    config::check_demand(*this, p);
    config::check_costs_and_outputs(*this, p);
  }
  if (!p.items.empty()) throw ScenarioError(std::move(p.items));
}

}  // namespace staffsim
