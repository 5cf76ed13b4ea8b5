// Opening stock (DESIGN.md 2.1): scale every margin to the total, fit a joint
// table by iterative proportional fitting, spread tenure by the stationary
// distribution of the step operator where no margin gives it, and move tenure
// an age cannot have to the highest feasible band.
#include "staffsim/opening_stock.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace staffsim {

namespace {

constexpr double kFitTolerance = 1e-10;  // relative, per margin entry
constexpr int kMaxSweeps = 1000;
// After kMaxSweeps, a mismatch above this is contradiction, not slow convergence.
constexpr double kGiveUpMismatch = 1e-6;

std::string number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

int axis_index(Axis axis) { return static_cast<int>(axis); }

const char* axis_name(Axis axis) {
  switch (axis) {
    case Axis::role:
      return "role";
    case Axis::sector:
      return "sector";
    case Axis::age:
      return "age";
    case Axis::tenure:
      return "tenure";
  }
  return "?";
}

// The array being fitted: (R, S, A, K) or (R, S, A, 1) when tenure comes later.
struct FitGrid {
  std::array<int, 4> size{};
  [[nodiscard]] std::size_t n() const {
    std::size_t n = 1;
    for (const int s : size) n *= static_cast<std::size_t>(s);
    return n;
  }
};

// A margin scaled to the total, with the entry each fitted cell adds to.
struct BoundMargin {
  const StockMargin* source = nullptr;
  Eigen::ArrayXd target;
  std::vector<int> entry;  // per fitted cell
};

std::string describe_entry(const Dimensions& dims, const std::vector<Axis>& axes, int entry) {
  const FitGrid full{{dims.n_roles(), dims.n_sectors(), dims.n_ages(), dims.n_bands()}};
  std::vector<int> index(axes.size());
  for (std::size_t j = axes.size(); j-- > 0;) {
    const int n = full.size[static_cast<std::size_t>(axis_index(axes[j]))];
    index[j] = entry % n;
    entry /= n;
  }
  std::ostringstream out;
  for (std::size_t j = 0; j < axes.size(); ++j) {
    const auto i = static_cast<std::size_t>(index[j]);
    out << (j > 0 ? ", " : "") << axis_name(axes[j]) << '=';
    switch (axes[j]) {
      case Axis::role:
        out << dims.roles[i];
        break;
      case Axis::sector:
        out << dims.sectors[i];
        break;
      case Axis::age:
        out << dims.min_age + index[j];
        break;
      case Axis::tenure:
        out << '[' << dims.tenure_edges[i] << ", "
            << dims.band_width(index[j]) + dims.tenure_edges[i] << ')';
        break;
    }
  }
  return out.str();
}

ScenarioError margin_error(const StockMargin& margin, const std::string& rule) {
  Diagnostic problem;
  problem.file = margin.origin;  // "file:line" as the loader wrote it
  problem.path = "workforce.margins";
  problem.rule = rule;
  return ScenarioError({problem});
}

// Checks a margin's shape and values, scales it to `total` (DESIGN.md 2.1:
// the total is the authority) and maps every fitted cell to its entry.
BoundMargin bind_margin(const StockMargin& margin, const FitGrid& grid, const FitGrid& full,
                        double total) {
  BoundMargin bound{.source = &margin, .target = {}, .entry = {}};
  std::array<bool, 4> seen{};
  Eigen::Index expected = 1;
  for (const Axis axis : margin.axes) {
    const auto a = static_cast<std::size_t>(axis_index(axis));
    if (seen[a]) throw margin_error(margin, std::string("axis ") + axis_name(axis) + " repeated");
    seen[a] = true;
    expected *= full.size[a];
  }
  if (margin.axes.empty()) throw margin_error(margin, "a margin needs at least one axis");
  if (margin.values.size() != expected) {
    throw margin_error(margin, "has " + std::to_string(margin.values.size()) +
                                   " values where its axes need " + std::to_string(expected));
  }
  if (!margin.values.isFinite().all() || (margin.values < 0.0).any()) {
    throw margin_error(margin, "counts must be finite and >= 0");
  }
  const double sum = margin.values.sum();
  if (sum <= 0.0 && total > 0.0) {
    throw margin_error(margin, "sums to 0, so it cannot be scaled to the total");
  }
  bound.target = sum > 0.0 ? Eigen::ArrayXd(margin.values * (total / sum))
                           : Eigen::ArrayXd::Zero(margin.values.size());

  bound.entry.resize(grid.n());
  std::array<int, 4> c{};
  for (std::size_t i = 0; i < grid.n(); ++i) {
    std::size_t rest = i;
    for (std::size_t d = 4; d-- > 0;) {
      const auto n = static_cast<std::size_t>(grid.size[d]);
      c[d] = static_cast<int>(rest % n);
      rest /= n;
    }
    int e = 0;
    for (const Axis axis : margin.axes) {
      const auto a = static_cast<std::size_t>(axis_index(axis));
      e = e * full.size[a] + c[a];
    }
    bound.entry[i] = e;
  }
  return bound;
}

Eigen::ArrayXd project(const Eigen::ArrayXd& x, const BoundMargin& m) {
  Eigen::ArrayXd sums = Eigen::ArrayXd::Zero(m.target.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) sums(m.entry[static_cast<std::size_t>(i)]) += x(i);
  return sums;
}

// Iterative proportional fitting from a uniform array (DESIGN.md 2.1). A
// positive target whose cells other margins have all set to zero has no
// feasible table; so does a mismatch that 1000 sweeps leave above 1e-6.
Eigen::ArrayXd fit_margins(const std::vector<BoundMargin>& margins, std::size_t n_cells,
                           double total, const Dimensions& dims) {
  Eigen::ArrayXd x = Eigen::ArrayXd::Constant(static_cast<Eigen::Index>(n_cells),
                                              total / static_cast<double>(n_cells));
  double worst = 0.0;
  const BoundMargin* worst_margin = nullptr;
  int worst_entry = 0;
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    for (const BoundMargin& m : margins) {
      const Eigen::ArrayXd sums = project(x, m);
      Eigen::ArrayXd factor = Eigen::ArrayXd::Zero(sums.size());
      for (Eigen::Index e = 0; e < sums.size(); ++e) {
        if (m.target(e) <= 0.0) continue;
        if (sums(e) <= 0.0) {
          std::string zeros;
          for (const BoundMargin& other : margins) {
            if (&other != &m && (other.target == 0.0).any()) {
              zeros += (zeros.empty() ? "" : ", ") + other.source->origin;
            }
          }
          throw margin_error(*m.source,
                             "no opening stock matches the margins: this one puts " +
                                 number(m.target(e)) + " people at " +
                                 describe_entry(dims, m.source->axes, static_cast<int>(e)) +
                                 " where the zeros of the others (" + zeros + ") leave no one");
        }
        factor(e) = m.target(e) / sums(e);
      }
      for (Eigen::Index i = 0; i < x.size(); ++i)
        x(i) *= factor(m.entry[static_cast<std::size_t>(i)]);
    }
    worst = 0.0;
    for (const BoundMargin& m : margins) {
      const Eigen::ArrayXd sums = project(x, m);
      for (Eigen::Index e = 0; e < sums.size(); ++e) {
        const double miss = m.target(e) > 0.0 ? std::abs(sums(e) / m.target(e) - 1.0) : sums(e);
        if (miss > worst) {
          worst = miss;
          worst_margin = &m;
          worst_entry = static_cast<int>(e);
        }
      }
    }
    if (worst <= kFitTolerance) return x;
  }
  if (worst > kGiveUpMismatch) {
    std::string origins;
    for (const BoundMargin& m : margins)
      origins += (origins.empty() ? "" : ", ") + m.source->origin;
    throw margin_error(*worst_margin->source,
                       "no opening stock matches the margins (" + origins +
                           "): they disagree where they overlap; after " +
                           std::to_string(kMaxSweeps) + " sweeps this one still misses " +
                           describe_entry(dims, worst_margin->source->axes, worst_entry) +
                           " by a relative " + number(worst));
  }
  return x;  // feasible only at the boundary (zeros implied, not given): slow but close
}

// Per (role, age) or (role, band) factor, 1 when the scenario leaves it empty.
double factor_or_one(const Eigen::ArrayXXd& table, Role r, int j) {
  return table.size() == 0 ? 1.0 : table(r, j);
}

void check_shape(const Eigen::ArrayXXd& table, Eigen::Index rows, Eigen::Index cols,
                 bool may_be_empty, const std::string& name) {
  if (may_be_empty && table.size() == 0) return;
  if (table.rows() != rows || table.cols() != cols) {
    throw ScenarioError(name + " is " + std::to_string(table.rows()) + "x" +
                        std::to_string(table.cols()) + ", expected " + std::to_string(rows) + "x" +
                        std::to_string(cols));
  }
}

// Spreads each (r,s) of the fitted (R,S,A) table over bands by the stationary
// tenure of the step operator with the age-averaged hazard (DESIGN.md 2.1):
// h_k = sum_a w_a (base[r,s] age_factor[r,a+1] tenure_factor[r,k] + h_ret[r,a+1]).
Eigen::ArrayXd spread_stationary(const Scenario& sc, const Eigen::ArrayXd& by_age,
                                 const Eigen::ArrayXXd& base) {
  const Dimensions& d = sc.dims;
  const int A = d.n_ages();
  const int K = d.n_bands();
  Eigen::ArrayXd h0(d.n_cells());
  h0.setZero();
  for (Role r = 0; r < d.n_roles(); ++r) {
    for (Sector s = 0; s < d.n_sectors(); ++s) {
      const Eigen::Index first = static_cast<Eigen::Index>(d.rs(r, s)) * A;
      // The operator of the first year: its hazards use the age index at the
      // coming census, one above the opening census's; the oldest age leaves
      // at the first birthday and takes no part (a one-age range keeps it).
      const int top = A > 1 ? A - 1 : A;
      const double cell_total = by_age.segment(first, top).sum();
      if (cell_total <= 0.0) continue;
      Eigen::ArrayXd hazard = Eigen::ArrayXd::Zero(K);
      for (AgeIndex a = 0; a < top; ++a) {
        const double w = by_age(first + a) / cell_total;
        if (w <= 0.0) continue;  // keeps an infinite hazard at an empty age out
        const AgeIndex next = std::min(a + 1, A - 1);
        const double q = sc.retirement.q.size() == 0 ? 0.0 : sc.retirement.q(r, next);
        const double h_ret = -std::log1p(-q);
        for (Band k = 0; k < K; ++k) {
          hazard(k) += w * (base(r, s) * factor_or_one(sc.turnover.age_factor, r, next) *
                                factor_or_one(sc.turnover.tenure_factor, r, k) +
                            h_ret);
        }
      }
      const Eigen::ArrayXd shares = stationary_tenure(d, sc.time.dt(), hazard);
      for (AgeIndex a = 0; a < A; ++a) {
        for (Band k = 0; k < K; ++k) {
          h0(static_cast<Eigen::Index>(d.cell(r, s, a, k))) = by_age(first + a) * shares(k);
        }
      }
    }
  }
  return h0;
}

// DESIGN.md 2.1: "tenure longer than a − min_age moves to the highest feasible
// band". Ages are completed years, so someone at age index i is younger than
// min_age + i + 1 and can have any tenure below i + 1 years: band k is
// feasible at index i iff tenure_edges[k] < i + 1. With whole-year edges this
// is exactly "lower edge > a − min_age is infeasible"; with a fractional edge
// it keeps e.g. [0.5, 2) open at min_age, as the engine's own dynamics do (a
// hire at index 0 reaches band 1 before the birthday step). Band 0 is always
// feasible. Moves conserve mass.
void move_infeasible_tenure(const Dimensions& d, Eigen::ArrayXd& h0) {
  const int K = d.n_bands();
  for (AgeIndex a = 0; a < d.n_ages(); ++a) {
    Band top = 0;
    while (top + 1 < K && d.tenure_edges[static_cast<std::size_t>(top) + 1] < a + 1.0) ++top;
    if (top + 1 == K) continue;
    for (Role r = 0; r < d.n_roles(); ++r) {
      for (Sector s = 0; s < d.n_sectors(); ++s) {
        const auto first = static_cast<Eigen::Index>(d.cell(r, s, a, 0));
        double moved = 0.0;
        for (Band k = top + 1; k < K; ++k) {
          moved += h0(first + k);
          h0(first + k) = 0.0;
        }
        h0(first + top) += moved;
      }
    }
  }
}

}  // namespace

// DESIGN.md 2.2 steps 1-3 for one (r,s): survivors s_k = e^{-h_k dt}, a share
// p_k = dt / w_k of them moves up, entrants join band 0 after progression.
// Steady state: n_0 = η / (1 − s_0 (1 − p_0)),
// n_k = s_{k−1} p_{k−1} n_{k−1} / (1 − s_k (1 − p_k)).
// With h = 0 in the open band nobody ever leaves it and its mass grows without
// bound: the limit h → 0 of the normalised distribution puts everything there,
// and that is what is returned. p_k = 1 (w_k = dt) needs no special case.
Eigen::ArrayXd stationary_tenure(const Dimensions& dims, double dt,
                                 const Eigen::ArrayXd& band_hazard) {
  const int K = dims.n_bands();
  if (band_hazard.size() != K) {
    throw ScenarioError("stationary tenure: " + std::to_string(band_hazard.size()) +
                        " band hazards for " + std::to_string(K) + " tenure bands");
  }
  if (!(dt > 0.0)) throw ScenarioError("stationary tenure: dt must be > 0");
  Eigen::ArrayXd n = Eigen::ArrayXd::Zero(K);
  double inflow = 1.0;  // entrants a step; the scale cancels in the normalisation
  for (Band k = 0; k < K; ++k) {
    const double h = band_hazard(k);
    if (std::isnan(h) || h < 0.0) {
      throw ScenarioError("stationary tenure: hazard of band " + std::to_string(k) + " is " +
                          number(h) + ", must be >= 0");
    }
    double p = k + 1 < K ? dt / dims.band_width(k) : 0.0;
    if (p > 1.0 + 1e-12) {
      throw ScenarioError("stationary tenure: band " + std::to_string(k) + " is narrower than dt");
    }
    p = std::min(p, 1.0);
    const double survive = std::exp(-h * dt);
    // 1 − s (1 − p), written so that a small h keeps its precision.
    const double loss = -std::expm1(-h * dt) + survive * p;
    n(k) = inflow / loss;
    if (!std::isfinite(n(k))) {  // only the open band with h = 0 (or denormal)
      Eigen::ArrayXd all_open = Eigen::ArrayXd::Zero(K);
      all_open(K - 1) = 1.0;
      return all_open;
    }
    inflow = survive * p * n(k);
  }
  return n / n.sum();
}

// DESIGN.md 2.1 "Opening stock": margins scaled to the total, IPF from a
// uniform array (so an axis no margin names is uniform: ages without an age
// margin, roles or sectors without theirs), stationary tenure where no margin
// involves tenure, then infeasible tenure moved down.
Eigen::ArrayXd build_opening_stock(const Scenario& scenario, const Eigen::ArrayXXd& base_hazard) {
  const Dimensions& d = scenario.dims;
  const double total = scenario.opening.total;
  if (!std::isfinite(total) || total < 0.0) {
    throw ScenarioError("workforce.total = " + number(total) + ": must be finite and >= 0");
  }
  bool has_tenure = false;
  for (const StockMargin& m : scenario.opening.margins) {
    for (const Axis axis : m.axes) has_tenure = has_tenure || axis == Axis::tenure;
  }
  const FitGrid full{{d.n_roles(), d.n_sectors(), d.n_ages(), d.n_bands()}};
  const FitGrid grid{{d.n_roles(), d.n_sectors(), d.n_ages(), has_tenure ? d.n_bands() : 1}};
  if (!has_tenure) {
    check_shape(base_hazard, d.n_roles(), d.n_sectors(), false, "turnover base");
    check_shape(scenario.turnover.age_factor, d.n_roles(), d.n_ages(), true, "age_factor");
    check_shape(scenario.turnover.tenure_factor, d.n_roles(), d.n_bands(), true, "tenure_factor");
    check_shape(scenario.retirement.q, d.n_roles(), d.n_ages(), true, "retirement q");
  }

  std::vector<BoundMargin> margins;
  for (const StockMargin& m : scenario.opening.margins) {
    margins.push_back(bind_margin(m, grid, full, total));
  }
  const Eigen::ArrayXd fitted = fit_margins(margins, grid.n(), total, d);
  Eigen::ArrayXd h0 = has_tenure ? fitted : spread_stationary(scenario, fitted, base_hazard);
  move_infeasible_tenure(d, h0);
  return h0;
}

}  // namespace staffsim
