#pragma once
// Exact samplers driven by a RandomStream (DESIGN.md 2.1, 2.7). Internal header.
//
// Every sampler reads uniforms u in (0, 1) from the stream (philox_stream.hpp);
// none uses std:: distributions, so a (seed, draw, stream) gives the same
// numbers on every platform built with the project's flags. "Exact" means the
// algorithm draws from the stated distribution up to floating-point rounding
// of its constants (no normal or Poisson approximations).
//
// Process noise (integer flows):
//   bernoulli(p)         u < p; always one uniform.
//   stochastic_round(x)  floor(x) + Bernoulli(x - floor(x)); E = x exactly;
//                        always one uniform.
//   binomial(n, p)       with r = min(p, 1 - p), X = Binomial(n, r), and
//                        n - X returned when p > 1/2:
//                        n r < 10: inversion by sequential search from 0
//                        (BINV, Kachitvichyanukul & Schmeiser 1988);
//                        n r >= 10: BTPE (Kachitvichyanukul & Schmeiser,
//                        "Binomial random variate generation", CACM 31(2),
//                        1988), triangle/parallelogram/exponential-tail
//                        acceptance-rejection with the squeeze and the
//                        Stirling-series final test.
//   multinomial(n, w)    conditional binomials: n_i = Binomial(n - sum_{j<i} n_j,
//                        w_i / sum_{j>=i} w_j); the last category with w > 0
//                        takes the rest, so the counts always sum to n.
// Parameter distributions (one value per draw or per element):
//   normal               inversion, z = Phi^-1(u) by Wichura's AS 241 (PPND16,
//                        Applied Statistics 37, 1988; relative error ~1e-16);
//                        one uniform, monotone in u (common random numbers,
//                        rank correlation).
//   truncated normal     inversion on [a, b], alpha, beta standardised, m the
//                        mass: Phi(z) = Phi(alpha) + u m, or, when the interval
//                        lies above the mean or the point falls in the upper
//                        half, Phi(-z) = Phi(-beta) + (1 - u) m, so far-tail
//                        intervals (e.g. [8, 9] sd) keep full precision;
//                        x = mu + sigma z clamped to [a, b]; one uniform.
//   lognormal            exp(mu + sigma z), mu and sigma of log x.
//   uniform(a, b)        a + (b - a) u.
//   triangular(a, c, b)  inversion of the piecewise-quadratic CDF.
//   gamma(k, theta)      Marsaglia & Tsang, "A simple method for generating
//                        gamma variables", ACM TOMS 26(3), 2000; k < 1 by
//                        their boost G(k) = G(k + 1) u^(1/k), done in logs.
//   beta(a, b)           X / (X + Y), X ~ G(a), Y ~ G(b), formed from log X,
//                        log Y so small shapes do not underflow to 0/0.
//   dirichlet(alpha)     G_i / sum G_j, G_i ~ G(alpha_i), in logs likewise.
//   discrete_choice(w)   inversion of the cumulative weights; one uniform;
//                        zero weights never chosen.
// Deterministic:
//   largest_remainder    Hamilton's method: quotas q_i = x_i T / sum x, floors,
//                        then one more unit to the largest remainders (ties to
//                        the lower index) until the total is T exactly.
//
// Stream use: bernoulli, stochastic_round, normal, truncated_normal,
// lognormal, uniform, triangular and discrete_choice read exactly one uniform
// per value, so with common random numbers a change of parameters moves a
// value monotonically and leaves later reads of the stream aligned; binomial,
// multinomial, gamma, beta and dirichlet read a variable number (rejection).
//
// Preconditions are checked and throw std::invalid_argument (programming
// errors: scenario validation rejects bad distributions first).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>

#include "random/philox_stream.hpp"

namespace staffsim::random {

namespace detail {
// Throws std::invalid_argument("random sampler: " + what).
[[noreturn]] void invalid_argument(const char* what);
}  // namespace detail

// --- process noise -----------------------------------------------------------
// The short one-uniform samplers are inline (the rounding ones run per cell
// and step).

// Bernoulli(p) as u < p: true with probability p (clamped to [0, 1]);
// consumes one uniform whatever p is.
inline bool bernoulli(RandomStream& rng, double p) {
  if (std::isnan(p)) {
    detail::invalid_argument("Bernoulli probability is NaN");
  }
  return rng.uniform() < p;
}

// floor(x) + Bernoulli(x - floor(x)) (DESIGN 2.7), so E = x exactly
// (x - floor(x) is exact in floating point); x finite, |x| < 2^53.
inline std::int64_t stochastic_round(RandomStream& rng, double x) {
  if (!(std::abs(x) < 0x1p53)) {
    detail::invalid_argument("amount to round is not finite or exceeds 2^53");
  }
  const double whole = std::floor(x);
  return static_cast<std::int64_t>(whole) + (bernoulli(rng, x - whole) ? 1 : 0);
}

// Binomial(n, p), n >= 0, 0 <= p <= 1 (BINV / BTPE).
std::int64_t binomial(RandomStream& rng, std::int64_t n, double p);

// Multinomial(n, w / sum w) into `out` (same size as `weights`, w >= 0,
// sum w > 0 unless n = 0). The counts sum to n.
void multinomial(RandomStream& rng, std::int64_t n, std::span<const double> weights,
                 std::span<std::int64_t> out);

// --- continuous distributions ------------------------------------------------

// Standard normal quantile Phi^-1(p), 0 < p < 1 (Wichura's AS 241, PPND16).
double normal_quantile(double p);

// Standard normal CDF Phi(x) = erfc(-x / sqrt 2) / 2 (full relative
// precision in the lower tail; use Phi(-x) for the upper one).
inline double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

// N(0, 1) by inversion, Phi^-1(u) (AS 241): one uniform, monotone in u.
inline double standard_normal(RandomStream& rng) { return normal_quantile(rng.uniform()); }

// N(mean, sd^2) = mean + sd z, z by inversion; sd >= 0.
inline double normal(RandomStream& rng, double mean, double sd) {
  if (!(sd >= 0.0)) {
    detail::invalid_argument("normal sd is negative");
  }
  return mean + sd * standard_normal(rng);
}

// N(mean, sd^2) conditioned on [lo, hi], sd > 0, lo < hi (either may be
// infinite); throws when the interval has no representable probability.
double truncated_normal(RandomStream& rng, double mean, double sd, double lo, double hi);

// exp(mu + sigma z), z by inversion (mu, sigma of ln x); sigma >= 0.
inline double lognormal(RandomStream& rng, double mu, double sigma) {
  if (!(sigma >= 0.0)) {
    detail::invalid_argument("lognormal sigma is negative");
  }
  return std::exp(mu + sigma * standard_normal(rng));
}

// Uniform on (lo, hi) as lo + (hi - lo) u; lo <= hi.
inline double uniform(RandomStream& rng, double lo, double hi) {
  if (!(lo <= hi)) {
    detail::invalid_argument("uniform needs lo <= hi");
  }
  return lo + (hi - lo) * rng.uniform();
}

// Triangular on [lo, hi] with mode `mode` (lo <= mode <= hi, lo < hi) by
// inversion of its CDF: below the mode lo + sqrt(u (hi - lo)(mode - lo)),
// above it hi - sqrt((1 - u)(hi - lo)(hi - mode)); one uniform.
inline double triangular(RandomStream& rng, double lo, double mode, double hi) {
  if (!(lo <= mode && mode <= hi && lo < hi)) {
    detail::invalid_argument("triangular needs lo <= mode <= hi and lo < hi");
  }
  const double u = rng.uniform();
  const double width = hi - lo;
  if (u * width < mode - lo) {
    return lo + std::sqrt(u * width * (mode - lo));
  }
  return hi - std::sqrt((1.0 - u) * width * (hi - mode));
}

// Gamma (Marsaglia & Tsang)(shape, scale), mean shape * scale; shape > 0, scale > 0.
double gamma(RandomStream& rng, double shape, double scale);
// Beta(a, b), a > 0, b > 0.
double beta(RandomStream& rng, double a, double b);
// Dirichlet(alpha) into `out` (same size, alpha_i > 0); sums to 1.
void dirichlet(RandomStream& rng, std::span<const double> alpha, std::span<double> out);

// --- discrete choice and rounding -------------------------------------------

// Index i with probability w_i / sum w (w >= 0, sum w > 0); one uniform.
std::size_t discrete_choice(RandomStream& rng, std::span<const double> weights);

// Integers n_i >= 0 summing to `total` exactly, n_i within 1 of the quota
// x_i * total / sum x (x >= 0; sum x > 0 unless total = 0). Deterministic.
void largest_remainder(std::span<const double> x, std::int64_t total, std::span<std::int64_t> out);

}  // namespace staffsim::random
