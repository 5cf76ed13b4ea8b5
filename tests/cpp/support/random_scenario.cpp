#include "support/random_scenario.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "support/scenario_factory.hpp"

namespace staffsim::testing {

namespace {

// Non-negative random weights normalised to sum to 1 (at least one positive).
Eigen::ArrayXd random_shares(TestRng& rng, Eigen::Index n, double p_zero = 0.3) {
  Eigen::ArrayXd w(n);
  for (Eigen::Index i = 0; i < n; ++i) w[i] = rng.chance(p_zero) ? 0.0 : rng.uniform(0.1, 1.0);
  if (w.sum() <= 0.0) w[rng.below(static_cast<int>(n))] = 1.0;
  return w / w.sum();
}

// A distribution over ages: a window of 1-8 ages with random weights.
Eigen::ArrayXd random_ages(TestRng& rng, int A) {
  Eigen::ArrayXd ages = Eigen::ArrayXd::Zero(A);
  const int width = 1 + rng.below(std::min(8, A));
  const int first = rng.below(std::max(1, A / 2 - width));
  ages.segment(first, width) = random_shares(rng, width, 0.0);
  return ages;
}

LeverPath random_path(TestRng& rng, const TimeGrid& t, double lo, double hi) {
  LeverPath p;
  p.shape = rng.chance(0.5) ? PathShape::linear
                            : (rng.chance(0.5) ? PathShape::step : PathShape::logistic);
  p.start_year = t.start_year + rng.below(t.end_year - t.start_year);
  p.end_year = p.start_year + 1 + rng.below(3);
  p.from_value = rng.uniform(lo, hi);
  p.to_value = rng.uniform(lo, hi);
  return p;
}

// A split of turnover leavers for cell (r, s), written the way the loader
// writes it: only the field a kind names is set.
DestinationSplit random_split(TestRng& rng, int R, int S, Role r, Sector s) {
  std::vector<Move> moves;
  auto other = [&rng](int n, int own) { return (own + 1 + rng.below(n - 1)) % n; };
  if (rng.chance(0.6)) moves.push_back({MoveKind::same_sector, 0, 0, rng.uniform(0.1, 1.0)});
  if (S > 1 && rng.chance(0.6))
    moves.push_back({MoveKind::to_sector, 0, other(S, s), rng.uniform(0.1, 1.0)});
  if (R > 1 && rng.chance(0.6))
    moves.push_back({MoveKind::to_role, other(R, r), 0, rng.uniform(0.1, 1.0)});
  if (R > 1 && S > 1 && rng.chance(0.6)) {
    moves.push_back({MoveKind::to_role_sector, other(R, r), other(S, s), rng.uniform(0.1, 1.0)});
  }
  double exit = rng.chance(0.8) ? rng.uniform(0.1, 2.0) : 0.0;
  double sum = exit;
  for (const Move& m : moves) sum += m.share;
  if (sum <= 0.0) return DestinationSplit{};
  for (Move& m : moves) m.share /= sum;
  return DestinationSplit{exit / sum, moves};
}

}  // namespace

Scenario random_scenario(std::uint64_t seed) {
  TestRng rng(seed);
  const int R = 1 + rng.below(4);
  const int S = 1 + rng.below(3);
  const int spy = std::vector<int>{1, 2, 4, 12}[static_cast<std::size_t>(rng.below(4))];
  const int max_age = 16 + 20 + rng.below(40);
  const double total = rng.uniform(200.0, 5000.0);
  Scenario sc = blank_scenario(R, S, spy, 16, max_age, total, 2010, 2012 + rng.below(4));
  const double dt = sc.time.dt();
  const int A = sc.dims.n_ages();
  const TimeGrid& t = sc.time;

  // Tenure bands: 2-4, each closed band a whole number (1-6) of steps wide.
  const int K = 2 + rng.below(3);
  sc.dims.tenure_edges = {0.0};
  for (int k = 1; k < K; ++k)
    sc.dims.tenure_edges.push_back(sc.dims.tenure_edges.back() + dt * (1 + rng.below(6)));
  for (int r = 0; r < R; ++r) {
    for (int s = 0; s < S; ++s) sc.fte_factor(r, s) = rng.uniform(0.5, 1.0);
  }

  // Opening stock: uniform, or random (positive) age and role x sector margins.
  if (rng.chance(0.5)) {
    Eigen::ArrayXd w(A);
    for (int a = 0; a < A; ++a) w[a] = rng.uniform(0.2, 1.0);
    sc.opening.margins.push_back(StockMargin{{Axis::age}, w, "random"});
  }
  if (rng.chance(0.5)) {
    Eigen::ArrayXd w(R * S);
    for (int i = 0; i < R * S; ++i) w[i] = rng.uniform(0.2, 1.0);
    sc.opening.margins.push_back(StockMargin{{Axis::role, Axis::sector}, w, "random"});
  }

  // Leaving.
  for (int r = 0; r < R; ++r) {
    for (int s = 0; s < S; ++s) sc.turnover.base(r, s) = rng.uniform(0.0, 0.5);
    for (int a = 0; a < A; ++a) sc.turnover.age_factor(r, a) = rng.uniform(0.5, 2.0);
  }
  sc.turnover.tenure_factor.resize(R, K);
  for (int r = 0; r < R; ++r) {
    for (int k = 0; k < K; ++k) sc.turnover.tenure_factor(r, k) = rng.uniform(0.5, 3.0);
  }
  sc.turnover.base_is_stock_average = rng.chance(0.2);
  if (rng.chance(0.8)) {
    for (int r = 0; r < R; ++r) {
      for (int a = 0; a < A; ++a) {
        const double x = std::max(0, a - (A - 15)) / 15.0;
        sc.retirement.q(r, a) = std::min(0.9, rng.uniform(0.3, 1.0) * x * x);
      }
    }
  }
  for (int r = 0; r < R; ++r) {
    for (int s = 0; s < S; ++s) {
      sc.destinations[static_cast<std::size_t>(sc.dims.rs(r, s))] = random_split(rng, R, S, r, s);
    }
  }

  // Promotion: routes from a lower to a higher role index (acyclic).
  if (R > 1 && rng.chance(0.7)) {
    const int n = 1 + rng.below(R);
    for (int i = 0; i < n; ++i) {
      const Role from = rng.below(R - 1);
      const Role to = from + 1 + rng.below(R - 1 - from);
      PromotionRoute route{"route" + std::to_string(i), from,         to,
                           rng.uniform(0.05, 0.5),      rng.below(K), {}};
      if (S > 1 && rng.chance(0.3)) route.sectors = {rng.below(S)};
      sc.promotion.push_back(route);
    }
  }

  // Training.
  const int n_prog = rng.chance(0.7) ? 1 + rng.below(2) : 0;
  for (int p = 0; p < n_prog; ++p) {
    const int years = 1 + rng.below(3);
    Programme prog = make_programme(sc, "programme" + std::to_string(p), rng.below(R), years,
                                    rng.uniform(0.0, 0.05 * total), 0);
    prog.intake_age = random_ages(rng, A);
    prog.attrition = rng.uniform(0.0, 0.3);
    prog.retained = rng.uniform(0.3, 1.0);
    prog.sector_shares = random_shares(rng, S);
    if (rng.chance(0.5)) {
      for (int y = 0; y < years; ++y) prog.in_training.push_back(rng.uniform(0.0, 0.05 * total));
    }
    sc.programmes.push_back(prog);
  }

  // Sources, then per-cell rules (add_source_at_age keeps shares consistent).
  const int n_src = 1 + rng.below(3);
  for (int j = 0; j < n_src; ++j) {
    const double cap = rng.chance(0.6) ? rng.uniform(0.002, 0.05) * total : -1.0;
    add_source_at_age(sc, "source" + std::to_string(j), 0, cap);
    sc.sources.back().age_dist = random_ages(rng, A);
  }
  const std::vector<RecruitMode> modes{RecruitMode::none, RecruitMode::fill_vacancies,
                                       RecruitMode::fill_vacancies, RecruitMode::fixed_rate,
                                       RecruitMode::fixed_number};
  for (int rs = 0; rs < R * S; ++rs) {
    RecruitmentRule& rule = sc.recruitment[static_cast<std::size_t>(rs)];
    rule.mode = modes[static_cast<std::size_t>(rng.below(5))];
    rule.fill_rate = rng.uniform(0.0, 0.95);
    rule.rate = rng.uniform(0.0, 0.4);
    rule.number = rng.uniform(0.0, 0.1 * total / (R * S));
    rule.source_shares = random_shares(rng, n_src);
    // Posts: a linear path around the opening headcount of the cell.
    const double base = total / (R * S) * rng.uniform(0.6, 1.6);
    sc.posts.fte[static_cast<std::size_t>(rs)] =
        YearPath{{double(t.start_year), double(t.end_year)}, {base, base * rng.uniform(0.8, 1.4)}};
  }

  // Levers.
  auto lever = [&](const std::string& name, LeverType type, double lo, double hi) {
    Lever l;
    l.name = name;
    l.type = type;
    l.path = random_path(rng, t, lo, hi);
    return l;
  };
  auto select = [&](Lever& l) {
    if (rng.chance(0.5)) l.roles = {rng.below(R)};
    if (rng.chance(0.3)) l.sectors = {rng.below(S)};
  };
  if (rng.chance(0.4)) {
    Lever l = lever("retention", LeverType::retention, 0.6, 1.4);
    select(l);
    sc.levers.push_back(l);
  }
  if (rng.chance(0.3)) {
    Lever l = lever("pay", LeverType::pay, -0.1, 0.3);
    l.elasticity = rng.uniform(-2.0, 0.0);
    select(l);
    sc.levers.push_back(l);
  }
  if (rng.chance(0.3)) {
    Lever l = lever("later", LeverType::retirement_shift, 0.0, 3.0);
    if (rng.chance(0.5)) l.roles = {rng.below(R)};
    sc.levers.push_back(l);
  }
  if (n_prog > 0 && rng.chance(0.3)) {
    Lever l = lever("intake", LeverType::training_intake, 0.0, 0.05 * total);
    l.programme = "programme0";
    sc.levers.push_back(l);
  }
  if (rng.chance(0.3)) {
    const bool cap = rng.chance(0.5);
    Lever l =
        lever("international", LeverType::international_recruitment, 0.0, cap ? 0.05 * total : 1.0);
    l.source = "source" + std::to_string(rng.below(n_src));
    l.acts_on_cap = cap;
    sc.levers.push_back(l);
  }
  return sc;
}

}  // namespace staffsim::testing
