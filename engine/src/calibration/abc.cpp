// Approximate Bayesian computation by sequential Monte Carlo (ABC population
// Monte Carlo: Beaumont, Cornuet, Marin & Robert 2009, Biometrika 96:983).
//
// The prior is uniform over the free parameters' bounds. Each simulated
// target carries the observation error its target states (N(0, sd) for
// `sd:`, uniform within +-tolerance for `tolerance:`: "noisy ABC", Wilkinson
// 2013), so as the distance threshold falls the sample tends to the
// posterior of the parameters given the observations and that error model,
// rather than to the set where the deterministic model hits the figures
// exactly. The distance is the Euclidean norm of the z-scores.
//
// Generation 0 is rejection: `draws / 4` (at least the population) prior
// draws from the calibration space's parameter streams, the `accept`
// nearest kept. Each next generation sets its threshold at the median
// distance of the last, proposes from the last population (a particle
// chosen by weight, moved by a normal kernel with twice its weighted
// covariance, in coordinates scaled to [0, 1]; proposals outside the bounds
// are rejected unrun), keeps proposals within the threshold until the
// population is full, and weighs them by prior / mixture of kernels. It
// stops when the run budget (`draws`) is spent, when fewer than 2% of a
// generation's runs are accepted, or after 30 generations.
//
// Proposals are run in parallel in batches and kept in proposal order, and
// every random number comes from a stream keyed by (seed, proposal,
// generation), so the result does not depend on the number of threads.
// Approximation: the kernel's truncation at the bounds is not renormalised
// in the weights (particles near a bound are slightly overweighted).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "number_text.hpp"
#include "problem.hpp"
#include "random/philox_stream.hpp"
#include "random/samplers.hpp"
#include "scenario/uncertainty.hpp"
#include "staffsim/errors.hpp"

namespace staffsim::calib {

namespace {

constexpr int kMaxGenerations = 30;
constexpr double kMinAcceptance = 0.02;
// Counter cells of the ABC streams (Stream::noise, id = generation).
constexpr std::uint32_t kObservationCell = 0;
constexpr std::uint32_t kProposalCell = 1;

// Hyndman-Fan type 7 on sorted values.
double quantile(const std::vector<double>& sorted, double q) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - std::floor(h)) * (sorted[hi] - sorted[lo]);
}

struct Particle {
  Eigen::VectorXd x;  // scaled coordinates in [0, 1]
  double distance = 0.0;
};

class Sampler {
 public:
  Sampler(const Problem& p, const CalibrationOptions& o)
      : p_(p), o_(o), lo_(p.lower()), span_(p.upper() - p.lower()) {}

  [[nodiscard]] Eigen::VectorXd theta(const Eigen::VectorXd& x) const {
    return lo_ + span_.cwiseProduct(x);
  }

  // Distance of a run from the observations, with the observation error of
  // each target drawn from (seed, id, generation).
  [[nodiscard]] double distance(const std::vector<double>& values, std::uint64_t id,
                                std::uint32_t generation) const {
    const Eigen::VectorXd z = p_.residuals(values);
    random::RandomStream rng(o_.seed, id, random::Stream::noise, generation, kObservationCell);
    double d2 = 0.0;
    for (Eigen::Index k = 0; k < z.size(); ++k) {
      const auto& t = p_.spec().targets[p_.fitted()[static_cast<std::size_t>(k)]];
      const double e =
          t.is_tolerance ? random::uniform(rng, -1.0, 1.0) : random::standard_normal(rng);
      d2 += (z(k) + e) * (z(k) + e);
    }
    return std::sqrt(d2);
  }

  // Runs `count` jobs in parallel (each writes its own slot).
  void parallel(std::size_t count, const std::function<void(std::size_t)>& job) const {
    const auto run = [&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 4),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t i = r.begin(); i != r.end(); ++i) job(i);
                        });
    };
    if (o_.threads > 0) {
      tbb::task_arena arena(o_.threads);
      arena.execute(run);
    } else {
      run();
    }
  }

  // Generation 0: prior draws, the nearest `n` kept.
  std::vector<Particle> rejection(std::uint64_t draws, std::size_t n) {
    std::vector<Particle> all(draws);
    const CalibrationSpec& spec = p_.spec();
    parallel(draws, [&](std::size_t d) {
      ParameterDraw pd = spec.space->draw(p_.scenario(), o_.seed, d, {});
      Eigen::VectorXd theta(static_cast<Eigen::Index>(pd.values.size()));
      for (std::size_t j = 0; j < pd.values.size(); ++j) {
        theta(static_cast<Eigen::Index>(j)) = pd.values[j];
      }
      all[d].x = (theta - lo_).cwiseQuotient(span_);
      all[d].distance = distance(p_.values_of(std::move(pd.scenario)), d, 0);
    });
    runs_ += draws;
    std::vector<std::size_t> order(draws);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return all[a].distance < all[b].distance;
    });
    std::vector<Particle> kept;
    for (std::size_t k = 0; k < n; ++k) kept.push_back(all[order[k]]);
    return kept;
  }

  // One generation after the first: proposals from `pop` (weights `w`)
  // within `epsilon`; empty when the budget ran out before `n` were kept.
  std::vector<Particle> generation(const std::vector<Particle>& pop, std::vector<double>& w,
                                   double epsilon, std::uint32_t gen, std::uint64_t budget) {
    const std::size_t n = pop.size();
    const auto dim = static_cast<Eigen::Index>(lo_.size());
    // Twice the weighted covariance (Beaumont et al.), with a floor so a
    // collapsed population can still move.
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(dim);
    for (std::size_t i = 0; i < n; ++i) mean += w[i] * pop[i].x;
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(dim, dim);
    double w2 = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const Eigen::VectorXd d = pop[i].x - mean;
      cov += w[i] * d * d.transpose();
      w2 += w[i] * w[i];
    }
    cov = 2.0 * cov / std::max(1e-12, 1.0 - w2);
    cov.diagonal().array() += 1e-12;
    const Eigen::LLT<Eigen::MatrixXd> llt(cov);
    const Eigen::MatrixXd L = llt.matrixL();
    const Eigen::MatrixXd precision = llt.solve(Eigen::MatrixXd::Identity(dim, dim));

    std::vector<Particle> kept;
    std::uint64_t next = 0;  // proposal index in this generation
    const std::size_t batch = std::max<std::size_t>(n, 16);
    while (kept.size() < n) {
      if (runs_ >= budget) return {};
      std::vector<Particle> props(batch);
      std::vector<char> inside(batch, 0);
      parallel(batch, [&](std::size_t b) {
        const std::uint64_t id = next + b;
        random::RandomStream rng(o_.seed, id, random::Stream::noise, gen, kProposalCell);
        const std::size_t j = random::discrete_choice(rng, w);
        Eigen::VectorXd z(dim);
        for (Eigen::Index k = 0; k < dim; ++k) z(k) = random::standard_normal(rng);
        props[b].x = pop[j].x + L * z;
        if ((props[b].x.array() < 0.0).any() || (props[b].x.array() > 1.0).any()) return;
        inside[b] = 1;
        const Eigen::VectorXd t = theta(props[b].x);
        props[b].distance = distance(
            p_.values(std::span<const double>(t.data(), static_cast<std::size_t>(t.size()))), id,
            gen);
      });
      for (std::size_t b = 0; b < batch && kept.size() < n; ++b) {
        if (!inside[b]) continue;
        ++runs_;
        if (props[b].distance <= epsilon) kept.push_back(props[b]);
      }
      next += batch;
    }
    // Importance weights: uniform prior over the mixture of kernels.
    std::vector<double> nw(n);
    for (std::size_t i = 0; i < n; ++i) {
      double mix = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        const Eigen::VectorXd d = kept[i].x - pop[j].x;
        mix += w[j] * std::exp(-0.5 * d.dot(precision * d));
      }
      nw[i] = 1.0 / std::max(mix, 1e-300);
    }
    const double total = std::accumulate(nw.begin(), nw.end(), 0.0);
    for (double& v : nw) v /= total;
    w = std::move(nw);
    return kept;
  }

  [[nodiscard]] std::uint64_t runs() const { return runs_; }

 private:
  const Problem& p_;
  const CalibrationOptions& o_;
  Eigen::VectorXd lo_;
  Eigen::VectorXd span_;
  std::uint64_t runs_ = 0;
};

// Systematic resampling of a weighted population into `n` equally
// weighted rows (the `sample:` file), in particle order.
std::vector<std::size_t> resample(const std::vector<double>& w, std::size_t n, double u) {
  std::vector<std::size_t> out;
  double cum = w[0];
  std::size_t i = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double target = (static_cast<double>(k) + u) / static_cast<double>(n);
    while (target > cum && i + 1 < w.size()) cum += w[++i];
    out.push_back(i);
  }
  return out;
}

}  // namespace

CalibrationResult fit_abc(const Problem& problem, const CalibrationOptions& options) {
  const std::uint64_t budget = options.abc_draws;
  const std::uint64_t n = options.abc_accept;
  const std::uint64_t first = std::max<std::uint64_t>(n, budget / 4);
  if (n < 2 || first >= budget) {
    throw UsageError("abc: accept = " + std::to_string(n) +
                     " with draws = " + std::to_string(budget) +
                     ": keep at least 2, and give at least 4 model runs per particle "
                     "(draws > 4 x accept)");
  }
  const CalibrationSpec& spec = problem.spec();
  Sampler sampler(problem, options);
  std::vector<Particle> pop = sampler.rejection(first, static_cast<std::size_t>(n));
  std::vector<double> w(pop.size(), 1.0 / static_cast<double>(pop.size()));
  std::vector<double> epsilons{pop.back().distance};
  std::string stop = "the run budget (draws) was spent";
  for (int g = 1; g <= kMaxGenerations; ++g) {
    std::vector<double> d;
    d.reserve(pop.size());
    for (const auto& p : pop) d.push_back(p.distance);
    std::sort(d.begin(), d.end());
    const double epsilon = quantile(d, 0.5);
    const std::uint64_t runs_before = sampler.runs();
    std::vector<double> nw = w;
    std::vector<Particle> next =
        sampler.generation(pop, nw, epsilon, static_cast<std::uint32_t>(g), budget);
    if (next.empty()) break;  // the budget ran out mid-generation: keep the last
    pop = std::move(next);
    w = std::move(nw);
    epsilons.push_back(epsilon);
    const double rate = static_cast<double>(n) / static_cast<double>(sampler.runs() - runs_before);
    if (rate < kMinAcceptance) {
      stop = "fewer than 2% of a generation's runs were accepted";
      break;
    }
    if (g == kMaxGenerations) stop = "the last generation (30) was reached";
  }

  CalibrationResult out;
  out.method = CalibrationMethod::abc;
  out.evaluations = static_cast<int>(sampler.runs());
  out.converged = true;
  out.abc_epsilon = epsilons.back();
  out.abc_epsilons = epsilons;
  out.abc_stop = stop;
  // The sample file's rows: the weighted population resampled.
  random::RandomStream rng(options.seed, 0, random::Stream::noise, kMaxGenerations + 1, 0);
  const auto rows = resample(w, pop.size(), rng.uniform());
  const Eigen::VectorXd lo = problem.lower();
  const Eigen::VectorXd span = problem.upper() - problem.lower();
  for (const std::size_t i : rows) {
    const Eigen::VectorXd t = lo + span.cwiseProduct(pop[i].x);
    out.posterior.emplace_back(t.data(), t.data() + t.size());
  }

  const std::size_t nfree = problem.n_free();
  std::vector<double> mean(nfree, 0.0);
  for (std::size_t j = 0; j < nfree; ++j) {
    const auto& f = spec.free[j];
    const auto jj = static_cast<Eigen::Index>(j);
    // Weighted moments and quantiles of the population itself.
    double m = 0.0;
    for (std::size_t i = 0; i < pop.size(); ++i) m += w[i] * (lo(jj) + span(jj) * pop[i].x(jj));
    double var = 0.0;
    for (std::size_t i = 0; i < pop.size(); ++i) {
      const double v = lo(jj) + span(jj) * pop[i].x(jj) - m;
      var += w[i] * v * v;
    }
    std::vector<double> col;
    for (const auto& row : out.posterior) col.push_back(row[j]);
    std::sort(col.begin(), col.end());
    ParameterFit pf;
    pf.name = f.name;
    pf.path = f.path;
    pf.initial = f.initial;
    pf.value = m;
    pf.lower = f.lower;
    pf.upper = f.upper;
    pf.std_error = std::sqrt(var);
    pf.q05 = quantile(col, 0.05);
    pf.q95 = quantile(col, 0.95);
    // A uniform prior's sd is (upper - lower) / sqrt(12); a posterior
    // nearly as wide has learnt little from the targets.
    const double prior_sd = (f.upper - f.lower) / std::sqrt(12.0);
    pf.identified = pf.std_error < 0.7 * prior_sd;
    if (!pf.identified) {
      out.warnings.push_back(describe_free(spec, j) + " is not identified: its posterior (sd " +
                             num(pf.std_error) + ") is nearly as wide as its prior (sd " +
                             num(prior_sd) + "); the fitted targets do not pin it down");
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
                           num(t.model) + ", observed " + num(t.observed));
  }
  return out;
}

}  // namespace staffsim::calib
