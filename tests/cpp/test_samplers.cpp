// Samplers against their exact distributions (DESIGN.md 2.7): the binomial
// pmf by chi-square over many (n, p), both algorithms; multinomial totals
// and marginals; parameter distributions by moments (4 SE) and
// Kolmogorov-Smirnov (alpha = 0.001) on three seeds. Fixed seeds throughout.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <utility>
#include <vector>

#include "random/philox_stream.hpp"
#include "random/samplers.hpp"

namespace staffsim::random {
namespace {

constexpr double kAlpha = 0.001;
constexpr std::array<std::uint64_t, 3> kSeeds = {2718281828, 20240917, 987654321987ULL};

// Regularised lower incomplete gamma P(a, x): series for x < a + 1, else
// 1 - the Lentz continued fraction for Q (Numerical Recipes 6.2).
double gamma_p(double a, double x) {
  if (x <= 0.0) {
    return 0.0;
  }
  const double log_front = a * std::log(x) - x - std::lgamma(a);
  if (x < a + 1.0) {
    double term = 1.0 / a;
    double sum = term;
    for (int n = 1; n < 100000 && std::abs(term) > std::abs(sum) * 1e-16; ++n) {
      term *= x / (a + n);
      sum += term;
    }
    return sum * std::exp(log_front);
  }
  double b = x + 1.0 - a;
  double c = 1e300;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < 100000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = 1.0 / (an * d + b);
    c = b + an / c;
    const double del = c * d;
    h *= del;
    if (std::abs(del - 1.0) < 1e-16) {
      break;
    }
  }
  return 1.0 - std::exp(log_front) * h;
}

// Regularised incomplete beta I_x(a, b) by its continued fraction
// (Numerical Recipes 6.4), using the symmetry for x > (a + 1) / (a + b + 2).
double beta_cdf(double x, double a, double b) {
  if (x <= 0.0 || x >= 1.0) {
    return x <= 0.0 ? 0.0 : 1.0;
  }
  if (x > (a + 1.0) / (a + b + 2.0)) {
    return 1.0 - beta_cdf(1.0 - x, b, a);
  }
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  double c = 1.0;
  double d = 1.0 / (1.0 - (a + b) * x / (a + 1.0));
  double h = d;
  for (int m = 1; m < 10000; ++m) {
    for (int half = 0; half < 2; ++half) {
      const double num = half == 0 ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                                   : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1.0 / (1.0 + num * d);
      c = 1.0 + num / c;
      h *= d * c;
    }
    if (std::abs(d * c - 1.0) < 1e-16) {
      break;
    }
  }
  return front * h / a;
}

// Kolmogorov's limiting distribution with Stephens' (1970) small-sample
// factor: P(D > d) for a sample of n.
double ks_p_value(double d, std::size_t n) {
  const double sn = std::sqrt(static_cast<double>(n));
  const double lambda = (sn + 0.12 + 0.11 / sn) * d;
  double sum = 0.0;
  for (int j = 1; j <= 100; ++j) {
    sum += (j % 2 == 1 ? 2.0 : -2.0) * std::exp(-2.0 * j * j * lambda * lambda);
  }
  return std::clamp(sum, 0.0, 1.0);
}

struct Case {
  const char* name;
  std::function<double(RandomStream&)> sample;
  std::function<double(double)> cdf;
  double mean;
  double variance;
};

// Draws N values on each seed; checks the mean (SE = sd / sqrt N) and the
// variance (SE from the sample fourth moment) within 4 SE and the KS
// p-value >= alpha. Prints D and p for the record.
void check_distribution(const Case& c, std::uint32_t id) {
  constexpr std::size_t kN = 20000;
  for (const std::uint64_t seed : kSeeds) {
    RandomStream rng(seed, 0, Stream::parameters, id, 0);
    std::vector<double> x(kN);
    for (double& xi : x) {
      xi = c.sample(rng);
    }
    double mean = 0.0;
    for (const double xi : x) {
      mean += xi / kN;
    }
    double m2 = 0.0;
    double m4 = 0.0;
    for (const double xi : x) {
      const double e = (xi - mean) * (xi - mean);
      m2 += e / kN;
      m4 += e * e / kN;
    }
    EXPECT_LE(std::abs(mean - c.mean), 4.0 * std::sqrt(c.variance / kN)) << c.name << " " << seed;
    EXPECT_LE(std::abs(m2 - c.variance), 4.0 * std::sqrt((m4 - m2 * m2) / kN))
        << c.name << " " << seed;
    std::sort(x.begin(), x.end());
    double d = 0.0;
    for (std::size_t i = 0; i < kN; ++i) {
      const double f = c.cdf(x[i]);
      d = std::max({d, f - static_cast<double>(i) / kN, static_cast<double>(i + 1) / kN - f});
    }
    const double p = ks_p_value(d, kN);
    std::printf("KS %-28s seed %-12llu D = %.5f  p = %.3f\n", c.name,
                static_cast<unsigned long long>(seed), d, p);
    EXPECT_GE(p, kAlpha) << c.name << " seed " << seed << " D " << d;
  }
}

// Standard normal density.
double phi_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi); }

// Truncated N(mu, sd) on [lo, hi]: the case with its exact moments, the
// mass and CDF taken from the upper tail when the interval lies above the
// mean (Phi(9) - Phi(8) is 0 in double precision).
Case truncated_case(const char* name, double mu, double sd, double lo, double hi) {
  const double a = (lo - mu) / sd;
  const double b = (hi - mu) / sd;
  const bool upper = a > 0.0;
  const double z = upper ? normal_cdf(-a) - normal_cdf(-b) : normal_cdf(b) - normal_cdf(a);
  const double a_phi = std::isfinite(a) ? a * phi_pdf(a) : 0.0;
  const double b_phi = std::isfinite(b) ? b * phi_pdf(b) : 0.0;
  const double shift = (phi_pdf(a) - phi_pdf(b)) / z;
  return {name, [=](RandomStream& r) { return truncated_normal(r, mu, sd, lo, hi); },
          [=](double x) {
            const double t = (x - mu) / sd;
            return upper ? (normal_cdf(-a) - normal_cdf(-t)) / z
                         : (normal_cdf(t) - normal_cdf(a)) / z;
          },
          mu + sd * shift, sd * sd * (1.0 + (a_phi - b_phi) / z - shift * shift)};
}

// Gamma(k, theta): CDF P(k, x / theta), mean k theta, variance k theta^2.
Case gamma_case(const char* name, double k, double theta) {
  return {name, [=](RandomStream& r) { return gamma(r, k, theta); },
          [=](double x) { return gamma_p(k, x / theta); }, k * theta, k * theta * theta};
}

// Beta(a, b): CDF I_x(a, b), mean a / (a + b), variance ab / ((a+b)^2 (a+b+1)).
Case beta_case(const char* name, double a, double b) {
  const double s = a + b;
  return {name, [=](RandomStream& r) { return beta(r, a, b); },
          [=](double x) { return beta_cdf(x, a, b); }, a / s, a * b / (s * s * (s + 1.0))};
}

// Upper tail of the chi-square distribution, Q(df / 2, x / 2).
double chi2_p_value(double statistic, int df) { return 1.0 - gamma_p(df / 2.0, statistic / 2.0); }

// Pearson's statistic of observed against expected counts, adjacent cells
// pooled (in order) until each bin expects at least 5; returns the p-value.
double pooled_chi_square(const std::vector<double>& observed, const std::vector<double>& expected,
                         const char* label) {
  std::vector<std::pair<double, double>> bins;  // (observed, expected)
  std::pair<double, double> open{0.0, 0.0};
  for (std::size_t i = 0; i < observed.size(); ++i) {
    open.first += observed[i];
    open.second += expected[i];
    if (open.second >= 5.0) {
      bins.push_back(open);
      open = {0.0, 0.0};
    }
  }
  bins.back().first += open.first;  // the short last bin joins its neighbour
  bins.back().second += open.second;
  double statistic = 0.0;
  for (const auto& [o, e] : bins) {
    statistic += (o - e) * (o - e) / e;
  }
  const int df = static_cast<int>(bins.size()) - 1;
  const double p = chi2_p_value(statistic, df);
  std::printf("chi2 %-30s X2 = %9.2f  df = %5d  p = %.3f\n", label, statistic, df, p);
  return p;
}

// Binomial(n, p) against its exact pmf (lgamma) over a window of +-12 sd
// (mass outside < 1e-30), both algorithms: BINV for n min(p, q) < 10, BTPE
// otherwise, including n = 10^6 and 10^9 and p > 1/2 (reflection).
TEST(Binomial, ChiSquareAgainstExactPmf) {
  constexpr int kN = 100000;
  const std::vector<std::int64_t> ns = {10, 20, 50, 1000, 1000000, 1000000000};
  const std::vector<double> ps = {0.01, 0.3, 0.5, 0.97};
  std::uint32_t cell = 0;
  for (const std::int64_t n : ns) {
    for (const double p : ps) {
      const double nd = static_cast<double>(n);
      const double sd = std::sqrt(nd * p * (1.0 - p));
      const auto lo = static_cast<std::int64_t>(std::max(0.0, std::floor(nd * p - 12 * sd - 10)));
      const auto hi = static_cast<std::int64_t>(std::min(nd, std::ceil(nd * p + 12 * sd + 10)));
      std::vector<double> observed(static_cast<std::size_t>(hi - lo + 1));
      std::vector<double> expected(observed.size());
      for (std::int64_t k = lo; k <= hi; ++k) {
        const double kd = static_cast<double>(k);
        expected[static_cast<std::size_t>(k - lo)] =
            kN * std::exp(std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) +
                          kd * std::log(p) + (nd - kd) * std::log1p(-p));
      }
      RandomStream rng(kSeeds[1], 0, Stream::noise, 0, cell++);
      for (int i = 0; i < kN; ++i) {
        const std::int64_t x = binomial(rng, n, p);
        ASSERT_TRUE(x >= 0 && x <= n);
        observed[static_cast<std::size_t>(std::clamp(x, lo, hi) - lo)] += 1.0;
      }
      char label[64];
      std::snprintf(label, sizeof label, "binomial(%lld, %.2f)%s", static_cast<long long>(n), p,
                    nd * std::min(p, 1 - p) < 10 ? " BINV" : " BTPE");
      EXPECT_GE(pooled_chi_square(observed, expected, label), kAlpha) << label;
    }
  }
  RandomStream rng(1, 0, Stream::noise, 0, 0);
  EXPECT_EQ(binomial(rng, 0, 0.4), 0);
  EXPECT_EQ(binomial(rng, 25, 0.0), 0);
  EXPECT_EQ(binomial(rng, 25, 1.0), 25);
  EXPECT_THROW(binomial(rng, 5, 1.5), std::invalid_argument);
  EXPECT_THROW(binomial(rng, -1, 0.5), std::invalid_argument);
}

// Multinomial by conditional binomials: counts sum to n, zero weights get
// nothing, marginals have mean n p_i (4 SE), and for n = 4 the joint law
// matches the multinomial pmf over all 15 outcomes (chi-square).
TEST(Multinomial, SumsToNAndMatchesThePmf) {
  const std::vector<double> w = {0.0, 1.0, 0.0, 3.0, 6.0, 0.0};  // unnormalised
  constexpr int kTrials = 4000;
  for (const std::int64_t n : {0LL, 1LL, 7LL, 1000LL, 10000000LL}) {
    RandomStream rng(kSeeds[0], 1, Stream::noise, 3, static_cast<std::uint32_t>(n % 1000));
    std::vector<std::int64_t> out(w.size());
    std::vector<double> mean(w.size());
    for (int t = 0; t < kTrials; ++t) {
      multinomial(rng, n, w, out);
      std::int64_t sum = 0;
      for (std::size_t i = 0; i < w.size(); ++i) {
        ASSERT_TRUE(w[i] > 0.0 || out[i] == 0);
        sum += out[i];
        mean[i] += static_cast<double>(out[i]) / kTrials;
      }
      ASSERT_EQ(sum, n);
    }
    for (std::size_t i = 0; i < w.size(); ++i) {
      const double pi = w[i] / 10.0;
      const double nd = static_cast<double>(n);
      EXPECT_LE(std::abs(mean[i] - nd * pi), 4.0 * std::sqrt(nd * pi * (1 - pi) / kTrials) + 1e-9);
    }
  }
  const std::vector<double> p3 = {0.2, 0.5, 0.3};
  constexpr int kN = 100000;
  std::vector<double> observed(25);
  std::vector<double> expected(25);
  RandomStream rng(kSeeds[2], 0, Stream::noise, 9, 9);
  std::vector<std::int64_t> out(3);
  for (int t = 0; t < kN; ++t) {
    multinomial(rng, 4, p3, out);
    observed[static_cast<std::size_t>(out[0] * 5 + out[1])] += 1.0;
  }
  for (std::size_t a = 0; a <= 4; ++a) {
    for (std::size_t b = 0; a + b <= 4; ++b) {
      const auto ad = static_cast<double>(a);
      const auto bd = static_cast<double>(b);
      const double cd = 4.0 - ad - bd;
      expected[a * 5 + b] =
          kN * 24.0 / (std::tgamma(ad + 1.0) * std::tgamma(bd + 1.0) * std::tgamma(cd + 1.0)) *
          std::pow(0.2, ad) * std::pow(0.5, bd) * std::pow(0.3, cd);
    }
  }
  EXPECT_GE(pooled_chi_square(observed, expected, "multinomial(4; .2,.5,.3)"), kAlpha);
}

// Discrete choice by inversion: frequencies match the weights (chi-square),
// zero weights are never chosen.
TEST(DiscreteChoice, FrequenciesMatchWeights) {
  const std::vector<double> w = {0.0, 2.0, 0.0, 5.0, 3.0, 0.0};
  constexpr int kN = 100000;
  std::vector<double> observed(w.size());
  RandomStream rng(kSeeds[1], 2, Stream::parameters, 4, 0);
  for (int t = 0; t < kN; ++t) {
    observed[discrete_choice(rng, w)] += 1.0;
  }
  EXPECT_EQ(observed[0] + observed[2] + observed[5], 0.0);
  const std::vector<double> o = {observed[1], observed[3], observed[4]};
  const std::vector<double> e = {0.2 * kN, 0.5 * kN, 0.3 * kN};
  EXPECT_GE(pooled_chi_square(o, e, "discrete choice (.2,.5,.3)"), kAlpha);
}

TEST(ParameterDistributions, MomentsAndKolmogorovSmirnov) {
  const double inf = std::numeric_limits<double>::infinity();
  const double ln_mu = 0.1;
  const double ln_s = 0.4;
  const std::vector<Case> cases = {
      {"normal(2, 3)", [](RandomStream& r) { return normal(r, 2.0, 3.0); },
       [](double x) { return normal_cdf((x - 2.0) / 3.0); }, 2.0, 9.0},
      truncated_case("truncnorm(0.3,0.2,[0,1])", 0.3, 0.2, 0.0, 1.0),
      truncated_case("truncnorm(0,1,[-inf,-1.5])", 0.0, 1.0, -inf, -1.5),
      truncated_case("truncnorm(0,1,[2,3])", 0.0, 1.0, 2.0, 3.0),
      truncated_case("truncnorm(0,1,[8,9]) tail", 0.0, 1.0, 8.0, 9.0),
      {"lognormal(0.1, 0.4)", [=](RandomStream& r) { return lognormal(r, ln_mu, ln_s); },
       [=](double x) { return normal_cdf((std::log(x) - ln_mu) / ln_s); },
       std::exp(ln_mu + ln_s * ln_s / 2.0),
       std::expm1(ln_s * ln_s) * std::exp(2.0 * ln_mu + ln_s * ln_s)},
      {"uniform(-1, 3)", [](RandomStream& r) { return uniform(r, -1.0, 3.0); },
       [](double x) { return std::clamp((x + 1.0) / 4.0, 0.0, 1.0); }, 1.0, 16.0 / 12.0},
      {"triangular(0, 0.3, 2)", [](RandomStream& r) { return triangular(r, 0.0, 0.3, 2.0); },
       [](double x) {
         return x < 0.3 ? x * x / (2.0 * 0.3) : 1.0 - (2.0 - x) * (2.0 - x) / (2.0 * 1.7);
       },
       2.3 / 3.0, (0.09 + 4.0 - 0.6) / 18.0},
      gamma_case("gamma(0.4, 2)", 0.4, 2.0),
      gamma_case("gamma(1, 1)", 1.0, 1.0),
      gamma_case("gamma(2.5, 1.5)", 2.5, 1.5),
      gamma_case("gamma(30, 0.1)", 30.0, 0.1),
      beta_case("beta(2, 5)", 2.0, 5.0),
      beta_case("beta(0.5, 0.5)", 0.5, 0.5),
      beta_case("beta(0.3, 4)", 0.3, 4.0),
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    check_distribution(cases[i], static_cast<std::uint32_t>(i));
  }
}

// Dirichlet(alpha): each draw sums to 1, and each marginal is
// Beta(alpha_i, alpha_0 - alpha_i) (moments and KS on three seeds).
TEST(ParameterDistributions, DirichletMarginals) {
  const std::vector<double> alpha = {2.0, 0.5, 1.5, 0.05};
  const double a0 = 4.05;
  for (std::size_t i = 0; i < alpha.size(); ++i) {
    Case c = beta_case("dirichlet marginal", alpha[i], a0 - alpha[i]);
    c.sample = [&alpha, i](RandomStream& r) {
      std::vector<double> out(alpha.size());
      dirichlet(r, alpha, out);
      double sum = 0.0;
      for (const double v : out) {
        sum += v;
      }
      EXPECT_NEAR(sum, 1.0, 1e-12);
      return out[i];
    };
    check_distribution(c, 100);  // same stream for every i: the same vectors
  }
}

// Standard-normal quantiles to 1e-15 relative (AS 241) and their inverse.
TEST(ParameterDistributions, NormalQuantileAccuracy) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-15 * 2.0);
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-300);
  EXPECT_NEAR(normal_quantile(1e-10), -6.361340902404056, 1e-15 * 6.4);
  EXPECT_NEAR(normal_quantile(1e-300), -37.047096299361199, 1e-15 * 37.0);
  for (const double z : {-30.0, -8.0, -2.5, -0.3, 0.7, 3.0}) {
    EXPECT_NEAR(normal_quantile(normal_cdf(z)), z, 1e-12 * std::abs(z)) << z;
  }
  RandomStream rng(1, 0, Stream::parameters, 0, 0);
  EXPECT_THROW(truncated_normal(rng, 0.0, 1.0, 40.0, 41.0), std::invalid_argument);
  EXPECT_THROW(truncated_normal(rng, 0.0, 1.0, 1.0, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace staffsim::random
