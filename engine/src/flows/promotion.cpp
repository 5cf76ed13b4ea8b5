// Step 4, promotion (pull) (DESIGN.md 2.2): per sector, destination roles in
// topological order of the routes, highest first, so a cascade works within
// one step. Vacancies V = max(0, posts(t+dt) - FTE) / phi, FTE measured now;
// route capacity C_i = E_i (1 - (1 - max_rate_i)^dt) over eligible bands;
// promoted_i = C_i min(1, V / sum C), taken in proportion to headcount.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "model.hpp"
#include "random/samplers.hpp"

namespace staffsim::detail {

namespace {

// Headcount of role r in sector s in bands >= min_band.
double eligible(const Model& m, const Eigen::ArrayXd& H, Role r, Sector s, Band min_band) {
  const double* block = H.data() + m.sc.dims.block(r, s);
  double e = 0.0;
  for (int a = 0; a < m.A; ++a) {
    for (int k = min_band; k < m.K; ++k) e += block[a * m.K + k];
  }
  return e;
}

double role_fte(const Model& m, const Eigen::ArrayXd& H, Role r, Sector s) {
  const std::size_t b = m.sc.dims.block(r, s);
  return H.segment(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(m.A) * m.K).sum() *
         m.sc.fte_factor(r, s);
}

}  // namespace

void apply_promotion(const Model& m, Scratch& scratch, Eigen::ArrayXd& H, Ledger& ledger) {
  // Posts for t + dt are in scratch.posts.
  const Dimensions& d = m.sc.dims;
  for (int s = 0; s < m.S; ++s) {
    for (const Role to : m.promotion_order[static_cast<std::size_t>(s)]) {
      const auto& routes = m.routes_into[static_cast<std::size_t>(to)];
      const double phi = m.sc.fte_factor(to, s);
      const double posts = scratch.posts[d.rs(to, s)];
      const double vacancies = std::max(0.0, posts - role_fte(m, H, to, s)) / phi;
      if (vacancies <= 0.0) continue;
      // Capacities of every route into `to` in this sector, all measured
      // before any of them promotes (two routes may share an origin).
      double cap_total = 0.0;
      for (const int i : routes) {
        const PromotionRoute& route = m.sc.promotion[static_cast<std::size_t>(i)];
        double c = 0.0;
        if (route.serves(s)) {
          c = eligible(m, H, route.from, s, route.min_band) * m.route_step_rate[i];
        }
        scratch.route_capacity[i] = c;
        cap_total += c;
      }
      if (cap_total <= 0.0) continue;
      const double fill = std::min(1.0, vacancies / cap_total);
      for (const int i : routes) {
        const PromotionRoute& route = m.sc.promotion[static_cast<std::size_t>(i)];
        const double wanted = scratch.route_capacity[i] * fill;
        if (wanted <= 0.0) continue;
        // Taken in proportion to headcount from the eligible cells as they
        // are now; never more than they hold.
        const double e = eligible(m, H, route.from, s, route.min_band);
        if (e <= 0.0) continue;
        const double frac = std::min(1.0, wanted / e);
        const double promoted = e * frac;
        double* from = H.data() + d.block(route.from, s);
        double* dest = H.data() + d.block(to, s);
        for (int a = 0; a < m.A; ++a) {
          double moved = 0.0;
          for (int k = route.min_band; k < m.K; ++k) {
            const double x = from[a * m.K + k] * frac;
            from[a * m.K + k] -= x;
            moved += x;
          }
          dest[a * m.K] += moved;
        }
        ledger.leave(d.rs(route.from, s), Leave::promoted) += promoted;
        ledger.start(d.rs(to, s), Start::promotion) += promoted;
      }
    }
  }
}

// Stochastic mode (DESIGN.md 2.7): the vacancies, capacities and wanted
// amount of each route are as above, on integer headcounts; the count
// promoted is floor(x) + Bernoulli(x - floor(x)) of x = min(wanted, eligible)
// (never more than are eligible), and the people promoted are a systematic
// sample of the eligible ones, in cell order from a random start: each
// eligible person is promoted with probability count / eligible, no cell
// gives more than it holds, and the cells' counts sum to the count. Both
// from stream promotion + route*S + s.
void apply_promotion(const Model& m, Scratch& scratch, Eigen::ArrayXd& H, Ledger& ledger,
                     const Noise& noise) {
  const Dimensions& d = m.sc.dims;
  for (int s = 0; s < m.S; ++s) {
    for (const Role to : m.promotion_order[static_cast<std::size_t>(s)]) {
      const auto& routes = m.routes_into[static_cast<std::size_t>(to)];
      const double phi = m.sc.fte_factor(to, s);
      const double posts = scratch.posts[d.rs(to, s)];
      const double vacancies = std::max(0.0, posts - role_fte(m, H, to, s)) / phi;
      if (vacancies <= 0.0) continue;
      double cap_total = 0.0;
      for (const int i : routes) {
        const PromotionRoute& route = m.sc.promotion[static_cast<std::size_t>(i)];
        double c = 0.0;
        if (route.serves(s)) {
          c = eligible(m, H, route.from, s, route.min_band) * m.route_step_rate[i];
        }
        scratch.route_capacity[i] = c;
        cap_total += c;
      }
      if (cap_total <= 0.0) continue;
      const double fill = std::min(1.0, vacancies / cap_total);
      for (const int i : routes) {
        const PromotionRoute& route = m.sc.promotion[static_cast<std::size_t>(i)];
        const double wanted = scratch.route_capacity[i] * fill;
        if (wanted <= 0.0) continue;
        const double e = eligible(m, H, route.from, s, route.min_band);
        if (e <= 0.0) continue;
        random::RandomStream rng =
            noise.stream(m.noise.promotion + static_cast<std::uint32_t>(i * m.S + s));
        const auto count = static_cast<double>(random::stochastic_round(rng, std::min(wanted, e)));
        if (count <= 0.0) continue;
        // Person j (0-based, in cell order) is promoted when the interval
        // [j, j+1) scaled by count/e contains a point u + integer:
        // the cell holding people (C_{i-1}, C_i] gives
        // floor(C_i count/e + u) - floor(C_{i-1} count/e + u).
        const double u = rng.uniform();
        double* from = H.data() + d.block(route.from, s);
        double* dest = H.data() + d.block(to, s);
        double held = 0.0;   // C_i, an integer
        double below = 0.0;  // floor(C_{i-1} count / e + u)
        for (int a = 0; a < m.A; ++a) {
          double moved = 0.0;
          for (int k = route.min_band; k < m.K; ++k) {
            double& cell = from[a * m.K + k];
            if (cell <= 0.0) continue;
            held += cell;
            const double upto = held == e ? count : std::floor(held * count / e + u);
            const double x = upto - below;
            below = upto;
            cell -= x;
            moved += x;
          }
          dest[a * m.K] += moved;
        }
        ledger.leave(d.rs(route.from, s), Leave::promoted) += count;
        ledger.start(d.rs(to, s), Start::promotion) += count;
      }
    }
  }
}

}  // namespace staffsim::detail
