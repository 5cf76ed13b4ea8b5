// Need-based and index demand (DESIGN.md 2.3) with the demand levers of
// DESIGN.md 2.5, and the base-year calibration of `scale`.
#include "demand.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace staffsim::detail {

DemandModel::DemandModel(const Scenario& sc, const Eigen::ArrayXd& opening_headcount,
                         std::vector<Diagnostic>& warnings) {
  const Dimensions& d = sc.dims;
  const int R = d.n_roles();
  const int S = d.n_sectors();
  const int RS = d.n_role_sectors();
  const NeedDemand& need = sc.demand.need;
  const auto C = static_cast<Eigen::Index>(need.client_groups.size());
  const auto V = static_cast<Eigen::Index>(need.services.size());
  mix_.setZero(C, V);
  users_.setZero(C, V);
  provider_.setZero(V, S);
  staff_.setZero(V, R);
  raw_.setZero(RS);
  raw_by_c_.setZero(RS, C);
  scale_.setOnes(RS);
  keep_base_.assign(static_cast<std::size_t>(RS), false);
  posts0_.setZero(RS);
  if (sc.demand.mode == DemandMode::posts) return;

  // posts0 = phi (H0 + V0), with V0 / (H0 + V0) the opening vacancy rate, so
  // the opening vacancy rate is reproduced exactly in every (r,s).
  for (Role r = 0; r < R; ++r) {
    for (Sector s = 0; s < S; ++s) {
      const int rs = d.rs(r, s);
      const double rate =
          sc.demand.opening_vacancy_rate.size() > 0 ? sc.demand.opening_vacancy_rate(r, s) : 0.0;
      posts0_[rs] = sc.fte_factor(r, s) * opening_headcount[rs] / (1.0 - rate);
    }
  }
  if (sc.demand.mode == DemandMode::index) return;

  compute_raw(sc, sc.time.start_year);
  auto cell_name = [&](Role r, Sector s) {
    return d.roles[static_cast<std::size_t>(r)] + "," + d.sectors[static_cast<std::size_t>(s)];
  };
  auto warn = [&](const std::string& path, const std::string& rule) {
    Diagnostic w;
    w.severity = Diagnostic::Severity::warning;
    w.file = sc.file.string();
    w.path = path;
    w.rule = rule;
    warnings.push_back(w);
  };
  // scale = posts0 / raw0 where both are positive; the other cases below.
  for (int rs = 0; rs < RS; ++rs) {
    if (posts0_[rs] > 0.0 && raw_[rs] > 0.0) scale_[rs] = posts0_[rs] / raw_[rs];
  }
  for (Role r = 0; r < R; ++r) {
    const bool effective =
        std::find(need.effective_ratio_roles.begin(), need.effective_ratio_roles.end(), r) !=
        need.effective_ratio_roles.end();
    double weight = 0.0;
    double weighted = 0.0;
    for (Sector s = 0; s < S; ++s) {
      const int rs = d.rs(r, s);
      if (posts0_[rs] > 0.0 && raw_[rs] > 0.0) {
        weight += posts0_[rs];
        weighted += posts0_[rs] * scale_[rs];
      }
    }
    for (Sector s = 0; s < S; ++s) {
      const int rs = d.rs(r, s);
      if (raw_[rs] <= 0.0 && posts0_[rs] > 0.0) {
        // Base posts with no modelled demand: the cell keeps its base posts.
        keep_base_[static_cast<std::size_t>(rs)] = true;
        warn("demand.scale[" + cell_name(r, s) + "]",
             "base posts but no raw demand in " + std::to_string(sc.time.start_year) +
                 ": the cell keeps its base posts (index 1)");
      } else if (posts0_[rs] <= 0.0 && raw_[rs] > 0.0) {
        if (weight > 0.0) {
          scale_[rs] = weighted / weight;
          warn("demand.scale[" + cell_name(r, s) + "]",
               "raw demand but no base posts: scale is the posts-weighted mean of the role's "
               "other sectors");
        } else if (effective) {
          scale_[rs] = 1.0;
        } else {
          throw ScenarioError(std::vector<Diagnostic>{Diagnostic{
              .file = sc.file.string(),
              .path = "demand.ratio[*," + d.roles[static_cast<std::size_t>(r)] + "]",
              .rule = "role '" + d.roles[static_cast<std::size_t>(r)] +
                      "' has demand but no base posts in any sector, so its staff per user "
                      "cannot be calibrated: give its effective staff per user and list it in "
                      "demand.effective_ratio_roles"}});
        }
      }
    }
  }
  // The 2x warning: one (service, role) whose effective staff per user
  // differs by more than a factor of 2 across the sectors that provide it.
  for (Eigen::Index v = 0; v < V; ++v) {
    for (Role r = 0; r < R; ++r) {
      if (need.ratio(v, r) <= 0.0) continue;
      double lo = INFINITY;
      double hi = 0.0;
      for (Sector s = 0; s < S; ++s) {
        if (need.provider(v, s) <= 0.0) continue;
        const double eff = need.ratio(v, r) * scale_[d.rs(r, s)];
        lo = std::min(lo, eff);
        hi = std::max(hi, eff);
      }
      if (hi > 2.0 * lo) {
        warn("demand.ratio[" + need.services[static_cast<std::size_t>(v)] + "," +
                 d.roles[static_cast<std::size_t>(r)] + "]",
             "effective staff per user differs by more than 2x across sectors (" +
                 std::to_string(lo) + " to " + std::to_string(hi) +
                 "): check the base stock or the ratio");
      }
    }
  }
}

// DESIGN.md 2.3 with the levers of 2.5 at `year`:
//   mix'      personalisation: mix'[DP] = max(mix[DP], pi), the `from`
//             services scaled down pro rata, users conserved;
//   users     sum_g pop[g] prevalence[c,g] prevention(c,g) mix'[c,v];
//   provider' outsourcing moves a fraction of the from-sector's base share;
//   raw[r,s]  sum_c sum_v users ratio intensity / productivity provider'.
void DemandModel::compute_raw(const Scenario& sc, double year) {
  const NeedDemand& need = sc.demand.need;
  const Dimensions& d = sc.dims;
  const auto C = mix_.rows();
  const auto V = mix_.cols();
  const auto G = static_cast<Eigen::Index>(need.age_groups.size());
  mix_ = need.mix;
  provider_ = need.provider;
  staff_ = need.ratio;
  for (const Lever& lever : sc.levers) {
    switch (lever.type) {
      case LeverType::personalisation: {
        const double target = lever.path.at(year);
        for (Eigen::Index c = 0; c < C; ++c) {
          if (!selects(lever.client_groups, static_cast<int>(c))) continue;
          const double before = mix_(c, lever.to_service);
          double room = 0.0;
          for (const int v : lever.from_services) room += mix_(c, v);
          // Users are conserved: the rise cannot exceed what the from
          // services hold.
          const double rise = std::min(std::max(0.0, target - before), room);
          if (rise <= 0.0 || room <= 0.0) continue;
          for (const int v : lever.from_services) mix_(c, v) *= (room - rise) / room;
          mix_(c, lever.to_service) = before + rise;
        }
        break;
      }
      case LeverType::outsourcing: {
        const double fraction = lever.path.at(year);
        for (Eigen::Index v = 0; v < V; ++v) {
          if (!selects(lever.services, static_cast<int>(v))) continue;
          const double moved = fraction * need.provider(v, lever.from_sector);
          double base_to = 0.0;
          for (const int s : lever.to_sectors) base_to += need.provider(v, s);
          provider_(v, lever.from_sector) -= moved;
          for (const int s : lever.to_sectors) {
            const double w = base_to > 0.0 ? need.provider(v, s) / base_to
                                           : 1.0 / static_cast<double>(lever.to_sectors.size());
            provider_(v, s) += moved * w;
          }
        }
        break;
      }
      case LeverType::intensity: {
        const double f = lever.path.at(year);
        for (Eigen::Index v = 0; v < V; ++v) {
          if (selects(lever.services, static_cast<int>(v))) staff_.row(v) *= f;
        }
        break;
      }
      case LeverType::productivity: {
        const double f = lever.path.at(year);
        for (Eigen::Index v = 0; v < V; ++v) {
          if (!selects(lever.services, static_cast<int>(v))) continue;
          for (Role r = 0; r < d.n_roles(); ++r) {
            if (selects(lever.roles, r)) staff_(v, r) /= f;
          }
        }
        break;
      }
      default:
        break;
    }
  }
  // Users by client group and service, with prevention on prevalence.
  users_.setZero();
  for (Eigen::Index c = 0; c < C; ++c) {
    double users_c = 0.0;
    for (Eigen::Index g = 0; g < G; ++g) {
      double prevention = 1.0;
      for (const Lever& lever : sc.levers) {
        if (lever.type == LeverType::prevention &&
            selects(lever.client_groups, static_cast<int>(c)) &&
            selects(lever.age_groups, static_cast<int>(g))) {
          prevention *= lever.path.at(year);
        }
      }
      users_c += need.age_groups[static_cast<std::size_t>(g)].population.at(year) *
                 need.prevalence(c, g) * prevention;
    }
    users_.row(c) = users_c * mix_.row(c);
  }
  // raw[r,s] and its split by client group.
  raw_by_c_.setZero();
  for (Role r = 0; r < d.n_roles(); ++r) {
    for (Sector s = 0; s < d.n_sectors(); ++s) {
      const int rs = d.rs(r, s);
      for (Eigen::Index c = 0; c < C; ++c) {
        double x = 0.0;
        for (Eigen::Index v = 0; v < V; ++v) x += users_(c, v) * staff_(v, r) * provider_(v, s);
        raw_by_c_(rs, c) = x;
      }
    }
  }
  raw_ = raw_by_c_.rowwise().sum();
}

double DemandModel::demand_scale(const Scenario& sc, Role r, Sector s, double year) const {
  double f = 1.0;
  for (const Lever& lever : sc.levers) {
    if (lever.type == LeverType::demand_scale && selects(lever.roles, r) &&
        selects(lever.sectors, s)) {
      f *= lever.path.at(year);
    }
  }
  return f;
}

void DemandModel::posts(const Scenario& sc, double year, Eigen::ArrayXd& out) {
  const Dimensions& d = sc.dims;
  if (sc.demand.mode == DemandMode::need) compute_raw(sc, year);
  for (Role r = 0; r < d.n_roles(); ++r) {
    for (Sector s = 0; s < d.n_sectors(); ++s) {
      const int rs = d.rs(r, s);
      double p = 0.0;
      switch (sc.demand.mode) {
        case DemandMode::posts:
          p = sc.posts.fte[static_cast<std::size_t>(rs)].at(year);
          break;
        case DemandMode::index:
          p = posts0_[rs] * sc.demand.index[static_cast<std::size_t>(rs)].at(year);
          break;
        case DemandMode::need:
          p = keep_base_[static_cast<std::size_t>(rs)] ? posts0_[rs] : raw_[rs] * scale_[rs];
          break;
      }
      out[rs] = p * demand_scale(sc, r, s, year);
    }
  }
}

void DemandModel::posts_by_client_group(const Scenario& sc, double year, Eigen::ArrayXXd& out) {
  out.setZero();
  if (sc.demand.mode != DemandMode::need || out.cols() == 0) return;
  compute_raw(sc, year);
  const Dimensions& d = sc.dims;
  for (Role r = 0; r < d.n_roles(); ++r) {
    for (Sector s = 0; s < d.n_sectors(); ++s) {
      const int rs = d.rs(r, s);
      if (raw_[rs] <= 0.0 || keep_base_[static_cast<std::size_t>(rs)]) continue;
      out.row(rs) = raw_by_c_.row(rs) * (scale_[rs] * demand_scale(sc, r, s, year));
    }
  }
}

std::string DemandModel::calibration_report(const Scenario& sc) const {
  const NeedDemand& need = sc.demand.need;
  const Dimensions& d = sc.dims;
  std::string out = "Effective staff per user (FTE per user = ratio x scale), base year " +
                    std::to_string(sc.time.start_year) + "\n";
  char line[200];
  std::snprintf(line, sizeof line, "%-18s %-22s %-16s %10s %10s %12s\n", "service", "role",
                "sector", "ratio", "scale", "effective");
  out += line;
  for (std::size_t v = 0; v < need.services.size(); ++v) {
    for (Role r = 0; r < d.n_roles(); ++r) {
      const double ratio = need.ratio(static_cast<Eigen::Index>(v), r);
      if (ratio <= 0.0) continue;
      for (Sector s = 0; s < d.n_sectors(); ++s) {
        if (need.provider(static_cast<Eigen::Index>(v), s) <= 0.0) continue;
        const double sc_rs = scale_[d.rs(r, s)];
        std::snprintf(line, sizeof line, "%-18s %-22s %-16s %10.4g %10.4g %12.4g\n",
                      need.services[v].c_str(), d.roles[static_cast<std::size_t>(r)].c_str(),
                      d.sectors[static_cast<std::size_t>(s)].c_str(), ratio, sc_rs, ratio * sc_rs);
        out += line;
      }
    }
  }
  return out;
}

}  // namespace staffsim::detail
