#pragma once
// Demand (DESIGN.md 2.3): posts per (r,s) at any year, from the scenario's
// mode (posts input, need-based or index) and the demand levers at that
// year, with `scale` calibrated once from the opening stock and vacancies.
// Internal header; one DemandModel per Simulation (so per draw).
#include <Eigen/Core>
#include <string>
#include <vector>

#include "staffsim/errors.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim::detail {

class DemandModel {
 public:
  DemandModel() = default;
  // `opening_headcount` is H0 per rs. Calibration findings (empty cells, the
  // 2x spread of effective staff per user) are appended to `warnings`.
  DemandModel(const Scenario& sc, const Eigen::ArrayXd& opening_headcount,
              std::vector<Diagnostic>& warnings);

  // Posts (FTE) per rs at `year`. Allocates nothing.
  void posts(const Scenario& sc, double year, Eigen::ArrayXd& out);
  // Posts (FTE) per rs attributed to client groups (RS, C) in proportion to
  // their share of raw demand in each cell; zero columns outside need mode.
  void posts_by_client_group(const Scenario& sc, double year, Eigen::ArrayXXd& out);

  [[nodiscard]] const Eigen::ArrayXd& scale() const { return scale_; }
  [[nodiscard]] const Eigen::ArrayXd& base_posts() const { return posts0_; }
  // Effective staff per user ratio[v,r] * scale[r,s] for every service, role
  // and sector, with the 2x warnings, as a text table.
  [[nodiscard]] std::string calibration_report(const Scenario& sc) const;

 private:
  // users (C, V), raw (RS) and raw by client group (RS, C) at `year`.
  void compute_raw(const Scenario& sc, double year);
  double demand_scale(const Scenario& sc, Role r, Sector s, double year) const;

  Eigen::ArrayXd posts0_;        // (RS) base posts, FTE
  Eigen::ArrayXd scale_;         // (RS)
  std::vector<bool> keep_base_;  // (RS) raw0 = 0 < posts0: posts held at base
  // Scratch, sized once.
  Eigen::ArrayXXd mix_;       // (C, V) after personalisation
  Eigen::ArrayXXd users_;     // (C, V)
  Eigen::ArrayXXd provider_;  // (V, S) after outsourcing
  Eigen::ArrayXXd staff_;     // (V, R) ratio x intensity / productivity
  Eigen::ArrayXd raw_;        // (RS)
  Eigen::ArrayXXd raw_by_c_;  // (RS, C)
};

}  // namespace staffsim::detail
