#include "random/samplers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace staffsim::random {

namespace {

// n * min(p, 1 - p) below which binomial() uses inversion (BINV).
constexpr double kInversionLimit = 10.0;
// Largest n (and |x| for rounding) held exactly in a double.
constexpr double kExactIntegerLimit = 0x1p53;

// Precondition check: throws std::invalid_argument naming the violation.
void require(bool ok, const char* what) {
  if (!ok) {
    detail::invalid_argument(what);
  }
}

// Sum of non-negative finite weights; throws on a negative or non-finite one.
double weight_sum(std::span<const double> w) {
  double total = 0.0;
  for (const double wi : w) {
    require(std::isfinite(wi) && wi >= 0.0, "weights must be finite and non-negative");
    total += wi;
  }
  return total;
}

// Binomial(n, p), n p < 10, p <= 1/2: inversion by sequential search from 0
// (BINV; Kachitvichyanukul & Schmeiser 1988), f(x) = f(x-1) ((n+1) s / x - s),
// s = p / q. The search restarts past mean + 30 sd + 30 (tail mass < 1e-80,
// far below the 2^-53 grid) so rounding in the recursion cannot run to n.
std::int64_t binomial_inversion(RandomStream& rng, double n, double p) {
  const double q = 1.0 - p;
  const double s = p / q;
  const double a = (n + 1.0) * s;
  const double f0 = std::exp(n * std::log1p(-p));
  const double mean = n * p;
  const double bound = std::min(n, std::floor(mean + 30.0 * std::sqrt(mean * q + 1.0) + 30.0));
  for (;;) {
    double u = rng.uniform();
    double f = f0;
    double x = 0.0;
    while (u > f && x <= bound) {
      u -= f;
      x += 1.0;
      f *= a / x - s;
    }
    if (x <= bound) {
      return static_cast<std::int64_t>(x);
    }
  }
}

// Stirling-series correction delta(x) = lgamma(x) - ((x - 1/2) ln x - x +
// ln(2 pi) / 2) to five terms, as in BTPE step 5.3.
double stirling_correction(double x) {
  const double x2 = x * x;
  return (13860.0 - (462.0 - (132.0 - (99.0 - 140.0 / x2) / x2) / x2) / x2) / x / 166320.0;
}

// BTPE step 5: accept y given the scaled ordinate v? 5.1 evaluates f(y)/f(m)
// by the recursion when |y - m| <= 20 or near the tails; 5.2 is the squeeze
// on ln(f(y)/f(m)); 5.3 the final test with Stirling's series for the four
// factorials. Signs of the x1 and w corrections as derived (and as in GSL),
// not as printed in the paper (+ for all four).
bool btpe_accept(double y, double v, double n, double r, double m, double nrq) {
  const double q = 1.0 - r;
  const double k = std::abs(y - m);
  if (k <= 20.0 || k >= nrq / 2.0 - 1.0) {
    const double s = r / q;
    const double a = s * (n + 1.0);
    double f = 1.0;
    for (double i = m + 1.0; i <= y; i += 1.0) {
      f *= a / i - s;
    }
    for (double i = y + 1.0; i <= m; i += 1.0) {
      f /= a / i - s;
    }
    return v <= f;
  }
  const double rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 1.0 / 6.0) / nrq + 0.5);
  const double t = -k * k / (2.0 * nrq);
  const double log_v = std::log(v);
  if (log_v < t - rho || log_v > t + rho) {  // squeeze decides
    return log_v < t - rho;
  }
  const double x1 = y + 1.0;
  const double f1 = m + 1.0;
  const double z = n + 1.0 - m;
  const double w = n - y + 1.0;
  const double log_ratio = (m + 0.5) * std::log(f1 / x1) + (n - m + 0.5) * std::log(z / w) +
                           (y - m) * std::log(w * r / (x1 * q)) + stirling_correction(f1) +
                           stirling_correction(z) - stirling_correction(x1) -
                           stirling_correction(w);
  return log_v <= log_ratio;
}

// Binomial(n, r), n r >= 10, r <= 1/2: BTPE (Kachitvichyanukul & Schmeiser,
// CACM 31(2) 216-222, 1988). A triangle over the mode (accepted at once),
// two parallelograms and two exponential tails majorise the scaled pmf.
std::int64_t binomial_btpe(RandomStream& rng, double n, double r) {
  const double q = 1.0 - r;
  const double nrq = n * r * q;
  const double fm = n * r + r;
  const double m = std::floor(fm);
  const double p1 = std::floor(2.195 * std::sqrt(nrq) - 4.6 * q) + 0.5;
  const double xm = m + 0.5;
  const double xl = xm - p1;
  const double xr = xm + p1;
  const double c = 0.134 + 20.5 / (15.3 + m);
  const double al = (fm - xl) / (fm - xl * r);
  const double lambda_l = al * (1.0 + al / 2.0);
  const double ar = (xr - fm) / (xr * q);
  const double lambda_r = ar * (1.0 + ar / 2.0);
  const double p2 = p1 * (1.0 + 2.0 * c);
  const double p3 = p2 + c / lambda_l;
  const double p4 = p3 + c / lambda_r;
  for (;;) {
    const double u = rng.uniform() * p4;
    double v = rng.uniform();
    double y = 0.0;
    if (u <= p1) {  // triangle
      return static_cast<std::int64_t>(std::floor(xm - p1 * v + u));
    }
    if (u <= p2) {  // parallelograms
      const double x = xl + (u - p1) / c;
      v = v * c + 1.0 - std::abs(m - x + 0.5) / p1;
      if (v > 1.0) {
        continue;
      }
      y = std::floor(x);
    } else if (u <= p3) {  // left exponential tail
      y = std::floor(xl + std::log(v) / lambda_l);
      if (y < 0.0) {
        continue;
      }
      v = v * (u - p2) * lambda_l;
    } else {  // right exponential tail
      y = std::floor(xr - std::log(v) / lambda_r);
      if (y > n) {
        continue;
      }
      v = v * (u - p3) * lambda_r;
    }
    if (btpe_accept(y, v, n, r, m, nrq)) {
      return static_cast<std::int64_t>(y);
    }
  }
}

// Gamma(shape, 1), shape >= 1: Marsaglia & Tsang (ACM TOMS 26(3), 2000),
// d = shape - 1/3, c = 1/sqrt(9d), accept d (1 + c z)^3 by the squeeze
// u < 1 - 0.0331 z^4 or the log test.
double marsaglia_tsang(RandomStream& rng, double shape) {
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double z = standard_normal(rng);
    double v = 1.0 + c * z;
    if (v <= 0.0) {
      continue;
    }
    v = v * v * v;
    const double u = rng.uniform();
    const double z2 = z * z;
    if (u < 1.0 - 0.0331 * z2 * z2 || std::log(u) < 0.5 * z2 + d * (1.0 - v + std::log(v))) {
      return d * v;
    }
  }
}

// ln of a Gamma(shape, 1) variate; shape < 1 by Marsaglia & Tsang's boost
// G(shape) = G(shape + 1) u^(1/shape), kept in logs (no underflow).
double log_gamma_variate(RandomStream& rng, double shape) {
  if (shape >= 1.0) {
    return std::log(marsaglia_tsang(rng, shape));
  }
  return std::log(marsaglia_tsang(rng, shape + 1.0)) + std::log(rng.uniform()) / shape;
}

// Evaluates P(x) / Q(x) for polynomial coefficients in increasing order
// (Horner's rule), as AS 241 writes its rational functions.
template <std::size_t N>
double rational(const double (&num)[N], const double (&den)[N], double x) {
  double p = 0.0;
  double q = 0.0;
  for (std::size_t i = N; i-- > 0;) {
    p = p * x + num[i];
    q = q * x + den[i];
  }
  return p / q;
}

}  // namespace

// Reports a violated precondition of a sampler.
void detail::invalid_argument(const char* what) {
  throw std::invalid_argument(std::string("random sampler: ") + what);
}

// Binomial(n, p): BINV for n min(p, q) < 10, BTPE otherwise, on r = min(p, q)
// and reflected (n - X) when p > 1/2 (Kachitvichyanukul & Schmeiser 1988).
std::int64_t binomial(RandomStream& rng, std::int64_t n, double p) {
  require(n >= 0 && static_cast<double>(n) <= kExactIntegerLimit, "binomial n out of range");
  require(p >= 0.0 && p <= 1.0, "binomial p outside [0, 1]");
  const double r = std::min(p, 1.0 - p);
  if (n == 0 || r == 0.0) {
    return p > 0.5 ? n : 0;
  }
  const double nd = static_cast<double>(n);
  const std::int64_t x =
      nd * r < kInversionLimit ? binomial_inversion(rng, nd, r) : binomial_btpe(rng, nd, r);
  return p > 0.5 ? n - x : x;
}

// Multinomial by conditional binomials (e.g. GSL's gsl_ran_multinomial,
// after Davis, "The computer generation of multinomial random variates",
// CSDA 16, 1993): n_i ~ Binomial(left, w_i / remaining weight).
void multinomial(RandomStream& rng, std::int64_t n, std::span<const double> weights,
                 std::span<std::int64_t> out) {
  require(weights.size() == out.size(), "multinomial weights and output differ in size");
  require(n >= 0, "multinomial n is negative");
  double rest = weight_sum(weights);
  std::fill(out.begin(), out.end(), std::int64_t{0});
  if (n == 0) {
    return;
  }
  require(rest > 0.0, "multinomial weights sum to zero");
  std::size_t last = weights.size() - 1;
  while (weights[last] == 0.0) {
    --last;
  }
  std::int64_t left = n;
  for (std::size_t i = 0; i < last && left > 0; ++i) {
    if (weights[i] > 0.0) {
      const double p = rest > weights[i] ? weights[i] / rest : 1.0;
      out[i] = binomial(rng, left, p);
      left -= out[i];
    }
    rest -= weights[i];
  }
  out[last] = left;
}

// Wichura, "Algorithm AS 241: the percentage points of the normal
// distribution", Applied Statistics 37(3) 477-484, 1988 (PPND16).
double normal_quantile(double p) {
  require(p > 0.0 && p < 1.0, "normal quantile needs 0 < p < 1");
  static constexpr double a[8] = {3.3871328727963666080e0,  1.3314166789178437745e+2,
                                  1.9715909503065514427e+3, 1.3731693765509461125e+4,
                                  4.5921953931549871457e+4, 6.7265770927008700853e+4,
                                  3.3430575583588128105e+4, 2.5090809287301226727e+3};
  static constexpr double b[8] = {1.00000000000000000000e0, 4.2313330701600911252e+1,
                                  6.8718700749205790830e+2, 5.3941960214247511077e+3,
                                  2.1213794301586595867e+4, 3.9307895800092710610e+4,
                                  2.8729085735721942674e+4, 5.2264952788528545610e+3};
  static constexpr double c[8] = {1.42343711074968357734e0,  4.63033784615654529590e0,
                                  5.76949722146069140550e0,  3.64784832476320460504e0,
                                  1.27045825245236838258e0,  2.41780725177450611770e-1,
                                  2.27238449892691845833e-2, 7.74545014278341407640e-4};
  static constexpr double d[8] = {1.00000000000000000000e0,  2.05319162663775882187e0,
                                  1.67638483018380384940e0,  6.89767334985100004550e-1,
                                  1.48103976427480074590e-1, 1.51986665636164571966e-2,
                                  5.47593808499534494600e-4, 1.05075007164441684324e-9};
  static constexpr double e[8] = {6.65790464350110377720e0,  5.46378491116411436990e0,
                                  1.78482653991729133580e0,  2.96560571828504891230e-1,
                                  2.65321895265761230930e-2, 1.24266094738807843860e-3,
                                  2.71155556874348757815e-5, 2.01033439929228813265e-7};
  static constexpr double f[8] = {1.00000000000000000000e0,  5.99832206555887937690e-1,
                                  1.36929880922735805310e-1, 1.48753612908506148525e-2,
                                  7.86869131145613259100e-4, 1.84631831751005468180e-5,
                                  1.42151175831644588870e-7, 2.04426310338993978564e-15};
  const double q = p - 0.5;
  if (std::abs(q) <= 0.425) {
    return q * rational(a, b, 0.180625 - q * q);
  }
  const double r = std::sqrt(-std::log(q < 0.0 ? p : 1.0 - p));
  const double z = r <= 5.0 ? rational(c, d, r - 1.6) : rational(e, f, r - 5.0);
  return q < 0.0 ? -z : z;
}

// Inversion on [alpha, beta] (standardised): the conditional CDF is inverted
// from the lower tail, Phi(z) = Phi(alpha) + u m, or, in the upper half, from
// the upper tail, Phi(-z) = Phi(-beta) + (1 - u) m, so both tails keep full
// relative precision; result clamped to [lo, hi] against rounding.
double truncated_normal(RandomStream& rng, double mean, double sd, double lo, double hi) {
  require(sd > 0.0 && std::isfinite(mean) && lo < hi, "truncated normal needs sd > 0, lo < hi");
  const double alpha = (lo - mean) / sd;
  const double beta = (hi - mean) / sd;
  const double lower_mass = normal_cdf(beta) - normal_cdf(alpha);
  const double upper_mass = normal_cdf(-alpha) - normal_cdf(-beta);
  require(alpha < 0.0 ? lower_mass > 0.0 : upper_mass > 0.0,
          "truncated normal interval has no representable probability");
  const double u = rng.uniform();
  const double p = normal_cdf(alpha) + u * lower_mass;
  double z = 0.0;
  if (alpha < 0.0 && (beta <= 0.0 || p < 0.5)) {
    z = normal_quantile(p);
  } else {
    z = -normal_quantile(normal_cdf(-beta) + (1.0 - u) * upper_mass);
  }
  return std::clamp(mean + sd * z, lo, hi);
}

// Marsaglia & Tsang (2000), boosted for shape < 1, times the scale.
double gamma(RandomStream& rng, double shape, double scale) {
  require(shape > 0.0 && scale > 0.0, "gamma needs shape > 0 and scale > 0");
  return scale *
         (shape >= 1.0 ? marsaglia_tsang(rng, shape) : std::exp(log_gamma_variate(rng, shape)));
}

// X / (X + Y) = 1 / (1 + exp(ln Y - ln X)) with X ~ G(a), Y ~ G(b).
double beta(RandomStream& rng, double a, double b) {
  require(a > 0.0 && b > 0.0, "beta needs a > 0 and b > 0");
  const double log_x = log_gamma_variate(rng, a);
  const double log_y = log_gamma_variate(rng, b);
  return 1.0 / (1.0 + std::exp(log_y - log_x));
}

// Normalised gammas (e.g. Devroye, Non-Uniform Random Variate Generation,
// 1986, XI.4), scaled by the largest in logs before exponentiating.
void dirichlet(RandomStream& rng, std::span<const double> alpha, std::span<double> out) {
  require(alpha.size() == out.size() && !alpha.empty(), "dirichlet sizes differ or are empty");
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < alpha.size(); ++i) {
    require(alpha[i] > 0.0 && std::isfinite(alpha[i]), "dirichlet needs alpha > 0");
    out[i] = log_gamma_variate(rng, alpha[i]);
    top = std::max(top, out[i]);
  }
  double total = 0.0;
  for (double& g : out) {
    g = std::exp(g - top);
    total += g;
  }
  for (double& g : out) {
    g /= total;
  }
}

// Inversion of the cumulative weights: the first i with u W < sum_{j<=i} w_j.
std::size_t discrete_choice(RandomStream& rng, std::span<const double> weights) {
  const double total = weight_sum(weights);
  require(total > 0.0, "discrete choice weights sum to zero");
  const double target = rng.uniform() * total;
  double cumulative = 0.0;
  std::size_t last = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] > 0.0) {
      cumulative += weights[i];
      last = i;
      if (target < cumulative) {
        return i;
      }
    }
  }
  return last;  // rounding left target at the sum
}

// Hamilton's largest-remainder method (DESIGN 2.1): floors of the quotas,
// then the units left over to the largest remainders, ties to lower index.
void largest_remainder(std::span<const double> x, std::int64_t total, std::span<std::int64_t> out) {
  require(x.size() == out.size(), "largest remainder sizes differ");
  require(total >= 0, "largest remainder total is negative");
  const double sum = weight_sum(x);
  std::fill(out.begin(), out.end(), std::int64_t{0});
  if (total == 0) {
    return;
  }
  require(sum > 0.0, "largest remainder of an all-zero vector");
  std::vector<double> remainder(x.size());
  std::int64_t assigned = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double quota = x[i] * static_cast<double>(total) / sum;
    const double whole = std::floor(quota);
    out[i] = static_cast<std::int64_t>(whole);
    remainder[i] = quota - whole;
    assigned += out[i];
  }
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return remainder[i] > remainder[j]; });
  // The quotas sum to `total` up to rounding, so 0 <= total - assigned < size.
  require(assigned <= total, "largest remainder floors exceed the total (rounding)");
  for (std::size_t j = 0; assigned < total; j = (j + 1) % order.size(), ++assigned) {
    ++out[order[j]];
  }
}

}  // namespace staffsim::random
