// Weighted least squares by Levenberg-Marquardt with box bounds, and the
// identifiability checks that keep it from returning arbitrary values.
//
// Why not Eigen's unsupported LevenbergMarquardt: it has no bounds, and the
// usual remedy (a logistic change of variable) flattens the misfit near a
// bound, where fitted shares and rates often end up. This is the textbook
// algorithm (Marquardt's diagonal scaling, projected steps) in coordinates
// scaled to [0, 1] per parameter, with a central-difference Jacobian; there
// are a handful of parameters and each evaluation is a model run, so the
// linear algebra is negligible.
//
// Identifiability: at the optimum the weighted Jacobian's singular value
// decomposition shows the directions the targets do not constrain. Each such
// direction names its parameters (one: a flat misfit; several: they trade
// off); the one that moves most along it is held at its starting value and
// the rest are fitted again, so the result never depends on where the
// optimiser happened to stop along a flat valley.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "number_text.hpp"
#include "problem.hpp"
#include "staffsim/errors.hpp"

namespace staffsim::calib {

namespace {

constexpr double kStep = 1e-6;      // finite-difference step, scaled coordinates
constexpr double kRankTol = 1e-6;   // singular value / largest: not constrained
constexpr double kCorrWarn = 0.95;  // correlation above which a pair is named
constexpr double kBoundTol = 1e-6;  // scaled distance counting as at a bound
// |component| of a unit null direction above which a parameter is named as
// trading off along it (noise is ~1e-10; a weak partner still counts: a
// move share whose effect a fill rate can cancel is not "flat").
constexpr double kInvolved = 1e-3;

class Fitter {
 public:
  Fitter(const Problem& p, int max_evaluations)
      : p_(p), lo_(p.lower()), span_(p.upper() - p.lower()), max_evaluations_(max_evaluations) {}

  [[nodiscard]] Eigen::VectorXd theta(const Eigen::VectorXd& x) const {
    return lo_ + span_.cwiseProduct(x);
  }
  [[nodiscard]] Eigen::VectorXd scaled(const Eigen::VectorXd& theta) const {
    return (theta - lo_).cwiseQuotient(span_);
  }

  // The targets at x, each point run once: the Jacobian at the start (the
  // unmoved-target check), at the optimum (identifiability) and the final
  // values revisit points the search has run.
  const std::vector<double>& values(const Eigen::VectorXd& x) {
    std::vector<double> key(x.data(), x.data() + x.size());
    auto it = runs_.find(key);
    if (it == runs_.end()) {
      ++evaluations_;
      const Eigen::VectorXd t = theta(x);
      it = runs_
               .emplace(std::move(key), p_.values(std::span<const double>(
                                            t.data(), static_cast<std::size_t>(t.size()))))
               .first;
    }
    return it->second;
  }
  [[nodiscard]] int evaluations() const { return evaluations_; }
  [[nodiscard]] bool budget_left() const { return evaluations_ < max_evaluations_; }

  // d(residual)/dx for the columns `cols`, central differences (one-sided
  // at a bound).
  Eigen::MatrixXd jacobian(const Eigen::VectorXd& x, const std::vector<Eigen::Index>& cols) {
    const auto m = static_cast<Eigen::Index>(p_.fitted().size());
    Eigen::MatrixXd J(m, static_cast<Eigen::Index>(cols.size()));
    for (std::size_t c = 0; c < cols.size(); ++c) {
      const Eigen::Index j = cols[c];
      Eigen::VectorXd up = x;
      Eigen::VectorXd down = x;
      up(j) = std::min(1.0, x(j) + kStep);
      down(j) = std::max(0.0, x(j) - kStep);
      const Eigen::VectorXd r_up = p_.residuals(values(up));
      const Eigen::VectorXd r_down = p_.residuals(values(down));
      J.col(static_cast<Eigen::Index>(c)) = (r_up - r_down) / (up(j) - down(j));
    }
    return J;
  }

  // Levenberg-Marquardt over the parameters `active`; the others stay at x.
  Eigen::VectorXd minimise(Eigen::VectorXd x, const std::vector<Eigen::Index>& active,
                           bool& converged) {
    converged = false;
    Eigen::VectorXd r = p_.residuals(values(x));
    double cost = r.squaredNorm();
    if (active.empty()) {
      converged = true;
      return x;
    }
    double lambda = 1e-3;
    while (budget_left()) {
      const Eigen::MatrixXd J = jacobian(x, active);
      const Eigen::VectorXd g = J.transpose() * r;
      const Eigen::MatrixXd A = J.transpose() * J;
      // Projected gradient: a component pushing out of the box at a bound
      // is satisfied.
      double pg = 0.0;
      for (std::size_t c = 0; c < active.size(); ++c) {
        const double xj = x(active[c]);
        const double gc = g(static_cast<Eigen::Index>(c));
        if ((xj <= 0.0 && gc > 0.0) || (xj >= 1.0 && gc < 0.0)) continue;
        pg = std::max(pg, std::abs(gc));
      }
      if (pg < 1e-10 * (1.0 + cost) || cost < 1e-24) {
        converged = true;
        return x;
      }
      const double floor = 1e-12 * std::max(1.0, A.diagonal().maxCoeff());
      bool stepped = false;
      while (budget_left()) {
        Eigen::MatrixXd M = A;
        for (Eigen::Index c = 0; c < M.rows(); ++c) M(c, c) += lambda * std::max(A(c, c), floor);
        const Eigen::VectorXd delta = M.ldlt().solve(-g);
        Eigen::VectorXd trial = x;
        for (std::size_t c = 0; c < active.size(); ++c) {
          const Eigen::Index j = active[c];
          trial(j) = std::clamp(x(j) + delta(static_cast<Eigen::Index>(c)), 0.0, 1.0);
        }
        const Eigen::VectorXd r_trial = p_.residuals(values(trial));
        const double c_trial = r_trial.squaredNorm();
        if (c_trial < cost) {
          const double gain = cost - c_trial;
          const double moved = (trial - x).lpNorm<Eigen::Infinity>();
          x = trial;
          r = r_trial;
          cost = c_trial;
          lambda = std::max(lambda / 3.0, 1e-12);
          stepped = true;
          if (gain < 1e-14 * (1.0 + cost) || moved < 1e-12) {
            converged = true;
            return x;
          }
          break;
        }
        lambda *= 4.0;
        if (lambda > 1e12) {
          // No descent left at any damping: a (local) minimum to the
          // precision of the Jacobian.
          converged = true;
          return x;
        }
      }
      if (!stepped) break;
    }
    return x;
  }

 private:
  const Problem& p_;
  Eigen::VectorXd lo_;
  Eigen::VectorXd span_;
  int max_evaluations_;
  int evaluations_ = 0;
  std::map<std::vector<double>, std::vector<double>> runs_;
};

std::vector<Eigen::Index> all_but(std::size_t n, const std::vector<bool>& held) {
  std::vector<Eigen::Index> out;
  for (std::size_t j = 0; j < n; ++j) {
    if (!held[j]) out.push_back(static_cast<Eigen::Index>(j));
  }
  return out;
}

// Fitted targets that no free parameter moves at x: an input error.
void refuse_unmoved_targets(const Problem& p, const Eigen::MatrixXd& J) {
  std::vector<Diagnostic> problems;
  for (Eigen::Index i = 0; i < J.rows(); ++i) {
    if (J.row(i).cwiseAbs().maxCoeff() > 1e-9) continue;
    const auto& t = p.spec().targets[p.fitted()[static_cast<std::size_t>(i)]];
    Diagnostic d;
    d.path = "calibration.targets[" + t.name + "]";
    d.value = t.query.text();
    d.rule = "no free parameter moves this target (written at " + t.at +
             "): free a parameter that affects it, or give it its own table: and fit the "
             "others (--fit-tables)";
    problems.push_back(d);
  }
  if (!problems.empty()) throw ScenarioError(std::move(problems));
}

}  // namespace

CalibrationResult fit_least_squares(const Problem& problem, const CalibrationOptions& options) {
  const std::size_t n = problem.n_free();
  const CalibrationSpec& spec = problem.spec();
  Fitter fit(problem, options.max_evaluations);
  const Eigen::VectorXd x0 = fit.scaled(problem.initial());

  std::vector<Eigen::Index> every(n);
  for (std::size_t j = 0; j < n; ++j) every[j] = static_cast<Eigen::Index>(j);
  refuse_unmoved_targets(problem, fit.jacobian(x0, every));

  CalibrationResult out;
  out.method = CalibrationMethod::least_squares;
  std::vector<bool> held(n, false);
  Eigen::VectorXd x = x0;
  bool converged = false;
  Eigen::MatrixXd J;
  // Fit, look for directions the targets do not constrain, hold one
  // parameter per direction at its starting value, fit the rest again.
  for (std::size_t round = 0; round <= n; ++round) {
    const std::vector<Eigen::Index> active = all_but(n, held);
    x = fit.minimise(x, active, converged);
    J = fit.jacobian(x, every);
    const Eigen::MatrixXd Ja = J(Eigen::all, active);
    if (active.empty()) break;
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(Ja, Eigen::ComputeFullV);
    const Eigen::VectorXd& s = svd.singularValues();
    const double smax = s.size() > 0 ? s(0) : 0.0;
    std::vector<bool> newly(n, false);
    bool any = false;
    for (Eigen::Index k = 0; k < static_cast<Eigen::Index>(active.size()); ++k) {
      const double sk = k < s.size() ? s(k) : 0.0;
      if (smax > 1e-12 && sk > kRankTol * smax) continue;
      const Eigen::VectorXd v = svd.matrixV().col(k);
      Eigen::Index worst = -1;
      for (Eigen::Index c = 0; c < v.size(); ++c) {
        if (newly[static_cast<std::size_t>(active[static_cast<std::size_t>(c)])]) continue;
        if (worst < 0 || std::abs(v(c)) > std::abs(v(worst))) worst = c;
      }
      if (worst < 0) continue;
      const auto hold = static_cast<std::size_t>(active[static_cast<std::size_t>(worst)]);
      std::vector<std::string> partners;
      for (Eigen::Index c = 0; c < v.size(); ++c) {
        const auto j = static_cast<std::size_t>(active[static_cast<std::size_t>(c)]);
        if (j != hold && std::abs(v(c)) > kInvolved) partners.push_back(describe_free(spec, j));
      }
      std::string msg;
      const bool flat = Ja.col(worst).norm() <= kRankTol * std::max(smax, 1e-300);
      if (partners.empty() || flat) {
        msg = describe_free(spec, hold) +
              " is not identified: the fitted targets do not depend on it (the misfit is flat "
              "along it)";
      } else {
        std::string names;
        for (const auto& q : partners) names += (names.empty() ? "" : ", ") + q;
        msg = describe_free(spec, hold) + " is not identified: it trades off against " + names +
              " (the fitted targets pin down a combination of them, not each)";
      }
      msg += "; it is held at its starting value " + num(spec.free[hold].initial) +
             " and the others are fitted given it. Add a target that depends on it, or fix it.";
      out.warnings.push_back(msg);
      newly[hold] = true;
      any = true;
    }
    if (!any) break;
    for (std::size_t j = 0; j < n; ++j) {
      if (newly[j]) {
        held[j] = true;
        x(static_cast<Eigen::Index>(j)) = x0(static_cast<Eigen::Index>(j));
      }
    }
  }

  const Eigen::VectorXd theta = fit.theta(x);
  const std::vector<double> values = fit.values(x);
  out.targets = problem.target_fits(values);
  out.misfit = problem.residuals(values).squaredNorm();
  out.converged = converged;

  // Standard errors from the identified parameters' Jacobian, in the
  // parameters' own units: the change that raises the misfit by 1.
  const std::vector<Eigen::Index> active = all_but(n, held);
  Eigen::MatrixXd cov;
  if (!active.empty()) {
    const Eigen::MatrixXd Ja = J(Eigen::all, active);
    cov = (Ja.transpose() * Ja).completeOrthogonalDecomposition().pseudoInverse();
  }
  const Eigen::VectorXd span = problem.upper() - problem.lower();
  for (std::size_t j = 0; j < n; ++j) {
    const auto& f = spec.free[j];
    ParameterFit pf;
    pf.name = f.name;
    pf.path = f.path;
    pf.initial = f.initial;
    pf.value = theta(static_cast<Eigen::Index>(j));
    pf.lower = f.lower;
    pf.upper = f.upper;
    pf.identified = !held[j];
    const double xj = x(static_cast<Eigen::Index>(j));
    pf.at_bound = pf.identified && (xj < kBoundTol || xj > 1.0 - kBoundTol);
    if (pf.identified) {
      const auto c = static_cast<Eigen::Index>(
          std::find(active.begin(), active.end(), static_cast<Eigen::Index>(j)) - active.begin());
      pf.std_error = span(static_cast<Eigen::Index>(j)) * std::sqrt(std::max(0.0, cov(c, c)));
    } else {
      pf.std_error = std::numeric_limits<double>::infinity();
    }
    if (pf.at_bound) {
      out.warnings.push_back(describe_free(spec, j) + " stopped at its " +
                             (xj < 0.5 ? "lower" : "upper") + " bound " +
                             num(xj < 0.5 ? f.lower : f.upper) +
                             ": the targets pull it further; widen the bounds or check the "
                             "targets");
    }
    out.parameters.push_back(pf);
  }
  for (std::size_t a = 0; a < active.size(); ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      const auto ia = static_cast<Eigen::Index>(a);
      const auto ib = static_cast<Eigen::Index>(b);
      const double denom = std::sqrt(cov(ia, ia) * cov(ib, ib));
      if (denom <= 0.0) continue;
      const double rho = cov(ia, ib) / denom;
      if (std::abs(rho) < kCorrWarn) continue;
      out.warnings.push_back(describe_free(spec, static_cast<std::size_t>(active[a])) + " and " +
                             describe_free(spec, static_cast<std::size_t>(active[b])) +
                             " are poorly separated by the targets (correlation " + num(rho) +
                             " in the fit): their standard errors are large together");
    }
  }
  for (const auto& t : out.targets) {
    if (!t.fitted || t.within()) continue;
    out.warnings.push_back("target " + t.name + " is not reproduced: model " + num(t.model) +
                           ", observed " + num(t.observed) + " (" +
                           (t.is_tolerance ? "tolerance " : "sd ") + num(t.sd) + ")");
  }
  if (!converged) {
    out.warnings.push_back("the fit stopped after " + std::to_string(fit.evaluations()) +
                           " model runs without converging (raise --max-evaluations)");
  }
  out.evaluations = fit.evaluations();
  return out;
}

}  // namespace staffsim::calib
