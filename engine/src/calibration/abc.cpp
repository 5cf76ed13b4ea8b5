// Approximate Bayesian computation by rejection: draws from the uniform
// prior over the free parameters' bounds (the calibration space's parameter
// streams, keyed by (seed, draw) as an ensemble's are), each run
// deterministically in parallel (each draw writes its own slot, so the
// result does not depend on threads), and the `abc_accept` draws nearest the
// observations (Euclidean distance of the z-scores of the fitted targets)
// kept as the posterior sample. Rejection is the simplest ABC that is exact
// in the limit; with a handful of parameters and model runs of milliseconds
// it needs no sequential refinement.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "problem.hpp"
#include "scenario/uncertainty.hpp"
#include "staffsim/errors.hpp"

namespace staffsim::calib {

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Hyndman-Fan type 7 on sorted values.
double quantile(const std::vector<double>& sorted, double q) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - std::floor(h)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

CalibrationResult fit_abc(const Problem& problem, const CalibrationOptions& options) {
  const std::uint64_t N = options.abc_draws;
  const std::uint64_t K = options.abc_accept;
  if (K < 2 || K >= N) {
    throw UsageError("abc: accept = " + std::to_string(K) + " of draws = " + std::to_string(N) +
                     ": keep at least 2 and fewer than the draws");
  }
  const CalibrationSpec& spec = problem.spec();
  const std::size_t n = problem.n_free();
  std::vector<double> distance(N);
  std::vector<std::vector<double>> theta(N);
  const auto run = [&] {
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, N, 8),
                      [&](const tbb::blocked_range<std::uint64_t>& r) {
                        for (std::uint64_t d = r.begin(); d != r.end(); ++d) {
                          ParameterDraw pd =
                              spec.space->draw(problem.scenario(), options.seed, d, {});
                          const std::vector<double> v = problem.values_of(std::move(pd.scenario));
                          distance[d] = problem.residuals(v).norm();
                          theta[d] = std::move(pd.values);
                        }
                      });
  };
  if (options.threads > 0) {
    tbb::task_arena arena(options.threads);
    arena.execute(run);
  } else {
    run();
  }
  std::vector<std::uint64_t> order(N);
  std::iota(order.begin(), order.end(), 0);
  // NaN distances (a target undefined at a draw) sort last.
  std::stable_sort(order.begin(), order.end(), [&](std::uint64_t a, std::uint64_t b) {
    if (std::isnan(distance[b])) return !std::isnan(distance[a]);
    return distance[a] < distance[b];
  });

  CalibrationResult out;
  out.method = CalibrationMethod::abc;
  out.evaluations = static_cast<int>(N);
  out.converged = true;
  for (std::uint64_t k = 0; k < K; ++k) out.posterior.push_back(theta[order[k]]);
  out.abc_epsilon = distance[order[K - 1]];

  std::vector<double> mean(n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    const auto& f = spec.free[j];
    std::vector<double> col;
    col.reserve(K);
    for (const auto& row : out.posterior) col.push_back(row[j]);
    const double m = std::accumulate(col.begin(), col.end(), 0.0) / static_cast<double>(K);
    double ss = 0.0;
    for (double v : col) ss += (v - m) * (v - m);
    std::sort(col.begin(), col.end());
    ParameterFit pf;
    pf.name = f.name;
    pf.path = f.path;
    pf.initial = f.initial;
    pf.value = m;
    pf.lower = f.lower;
    pf.upper = f.upper;
    pf.std_error = std::sqrt(ss / static_cast<double>(K - 1));
    pf.q05 = quantile(col, 0.05);
    pf.q95 = quantile(col, 0.95);
    // A uniform prior's sd is (upper - lower) / sqrt(12); a posterior
    // nearly as wide has learnt little from the targets.
    const double prior_sd = (f.upper - f.lower) / std::sqrt(12.0);
    pf.identified = pf.std_error < 0.7 * prior_sd;
    if (!pf.identified) {
      out.warnings.push_back(describe_free(spec, j) + " is not identified: its posterior (sd " +
                             fmt(pf.std_error) + ") is nearly as wide as its prior (sd " +
                             fmt(prior_sd) + "); the fitted targets do not pin it down");
    }
    mean[j] = m;
    out.parameters.push_back(pf);
  }
  const std::vector<double> values = problem.values(mean);
  out.targets = problem.target_fits(values);
  out.misfit = problem.residuals(values).squaredNorm();
  for (const auto& t : out.targets) {
    if (!t.fitted || t.within()) continue;
    out.warnings.push_back("target " + t.name + " is not reproduced at the posterior mean: model " +
                           fmt(t.model) + ", observed " + fmt(t.observed));
  }
  return out;
}

}  // namespace staffsim::calib
