// Steps 1-3 (DESIGN.md 2.2): exits by turnover and retirement, destinations
// of turnover leavers, tenure progression of stayers, arrivals of movers at
// band 0 with their age.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>

#include "model.hpp"
#include "random/samplers.hpp"

namespace staffsim::detail {

namespace {

Start arrival_kind(MoveKind kind) {
  switch (kind) {
    case MoveKind::same_sector:
      return Start::same_sector;
    case MoveKind::to_sector:
      return Start::from_sector;
    case MoveKind::to_role:
      return Start::from_role;
    case MoveKind::to_role_sector:
      return Start::from_role_sector;
  }
  return Start::same_sector;
}

Leave departure_kind(MoveKind kind) {
  switch (kind) {
    case MoveKind::same_sector:
      return Leave::same_sector;
    case MoveKind::to_sector:
      return Leave::to_sector;
    case MoveKind::to_role:
      return Leave::to_role;
    case MoveKind::to_role_sector:
      return Leave::to_role_sector;
  }
  return Leave::same_sector;
}

// The (r,s) a move from (r, s) lands in: same_sector keeps both, to_sector
// keeps the role, to_role keeps the sector (DESIGN.md 2.2 step 1). The loader
// fills only the field a kind names (one split may serve every cell).
int move_target(const Dimensions& d, Role r, Sector s, const Move& mv) {
  switch (mv.kind) {
    case MoveKind::same_sector:
      return d.rs(r, s);
    case MoveKind::to_sector:
      return d.rs(r, mv.to_sector);
    case MoveKind::to_role:
      return d.rs(mv.to_role, s);
    case MoveKind::to_role_sector:
      return d.rs(mv.to_role, mv.to_sector);
  }
  return d.rs(r, s);
}

}  // namespace

// Retirement hazard at age index a with the lever's shift: q_ret(a - shift),
// q interpolated linearly between single ages and held at the ends.
double retirement_hazard(const Model& m, Role r, int a, double shift) {
  if (shift == 0.0) return m.h_ret(r, a);
  const Eigen::ArrayXXd& q = m.sc.retirement.q;
  const double x = static_cast<double>(a) - shift;
  double qa = 0.0;
  if (x <= 0.0) {
    qa = q(r, 0);
  } else if (x >= static_cast<double>(m.A - 1)) {
    qa = q(r, m.A - 1);
  } else {
    const int lo = static_cast<int>(std::floor(x));
    const double w = x - lo;
    qa = q(r, lo) + w * (q(r, lo + 1) - q(r, lo));
  }
  return -std::log1p(-qa);
}

namespace {

// Rebuilds the stay probabilities and retirement shares of one (r,s) block.
void rebuild_block(const Model& m, Role r, Sector s, double multiplier, double shift,
                   ExitBlock& blk) {
  const double base = m.on.turnover ? m.base(r, s) * multiplier : 0.0;
  for (int a = 0; a < m.A; ++a) {
    const double hr = m.on.retirement ? retirement_hazard(m, r, a, shift) : 0.0;
    const double ha = base * m.sc.turnover.age_factor(r, a);
    for (int k = 0; k < m.K; ++k) {
      const double h = ha * m.sc.turnover.tenure_factor(r, k);
      const double total = h + hr;
      const int i = a * m.K + k;
      blk.stay[i] = std::exp(-total * m.dt);
      blk.retire_share[i] = total > 0.0 ? hr / total : 0.0;
    }
  }
  blk.multiplier = multiplier;
  blk.shift = shift;
}

}  // namespace

void apply_exits_and_progression(const Model& m, Scratch& scratch, Eigen::ArrayXd& H,
                                 Ledger& ledger, double year) {
  const Dimensions& d = m.sc.dims;
  scratch.movers.setZero();
  for (int r = 0; r < m.R; ++r) {
    const double shift = retirement_shift(m, r, year);
    for (int s = 0; s < m.S; ++s) {
      const int rs = d.rs(r, s);
      ExitBlock& blk = scratch.exit_blocks[static_cast<std::size_t>(rs)];
      const double mult = retention_multiplier(m, r, s, year);
      if (mult != blk.multiplier || shift != blk.shift) rebuild_block(m, r, s, mult, shift, blk);

      double* block = H.data() + d.block(r, s);
      double retired = 0.0;
      double turnover = 0.0;
      for (int a = 0; a < m.A; ++a) {
        double leavers_at_age = 0.0;
        double* row = block + a * m.K;
        const double* stay = blk.stay.data() + a * m.K;
        const double* rshare = blk.retire_share.data() + a * m.K;
        // Exits, then progression of stayers from the highest closed band down,
        // so each band's outflow is taken from its own post-exit stock.
        double carry = 0.0;  // stayers progressing into band k from band k-1
        for (int k = 0; k < m.K; ++k) {
          const double h0 = row[k];
          const double stayers = h0 * stay[k];
          const double out = h0 - stayers;
          const double ret = out * rshare[k];
          retired += ret;
          leavers_at_age += out - ret;
          const double up = stayers * m.progress[k];
          row[k] = stayers - up + carry;
          carry = up;
        }
        turnover += leavers_at_age;
        // Destinations of this age's turnover leavers.
        const DestinationSplit& split = m.sc.destinations[static_cast<std::size_t>(rs)];
        for (const Move& mv : split.moves) {
          const double n = leavers_at_age * mv.share;
          const int to = move_target(d, r, s, mv);
          scratch.movers[to * m.A + a] += n;
        }
      }
      ledger.leave(rs, Leave::retired) += retired;
      const DestinationSplit& split = m.sc.destinations[static_cast<std::size_t>(rs)];
      ledger.leave(rs, Leave::exit) += turnover * split.exit_share;
      for (const Move& mv : split.moves) {
        const double n = turnover * mv.share;
        ledger.leave(rs, departure_kind(mv.kind)) += n;
        ledger.start(move_target(d, r, s, mv), arrival_kind(mv.kind)) += n;
      }
    }
  }
}

// Stochastic mode (DESIGN.md 2.7): per cell, leavers ~ Binomial(H, 1 - stay)
// and retired ~ Binomial(leavers, retire_share) from stream exits + c;
// stayers move up a band ~ Binomial(stayers, dt / w_k) from stream
// progression + c; the turnover leavers of each (r,s,a) split over exit and
// the moves ~ Multinomial from stream destinations + rs*A + a. Empty cells
// draw nothing.
void apply_exits_and_progression(const Model& m, Scratch& scratch, Eigen::ArrayXd& H,
                                 Ledger& ledger, double year, const Noise& noise) {
  const Dimensions& d = m.sc.dims;
  scratch.movers.setZero();
  for (int r = 0; r < m.R; ++r) {
    const double shift = retirement_shift(m, r, year);
    for (int s = 0; s < m.S; ++s) {
      const int rs = d.rs(r, s);
      ExitBlock& blk = scratch.exit_blocks[static_cast<std::size_t>(rs)];
      const double mult = retention_multiplier(m, r, s, year);
      if (mult != blk.multiplier || shift != blk.shift) rebuild_block(m, r, s, mult, shift, blk);

      const std::size_t b = d.block(r, s);
      double* block = H.data() + b;
      const DestinationSplit& split = m.sc.destinations[static_cast<std::size_t>(rs)];
      const Eigen::ArrayXd& weights = m.destination_weights[static_cast<std::size_t>(rs)];
      const auto n_dest = static_cast<std::size_t>(weights.size());
      const std::span<const double> w(weights.data(), n_dest);
      const std::span<std::int64_t> counts(scratch.counts.data(), n_dest);
      scratch.tally.setZero();
      double retired = 0.0;
      for (int a = 0; a < m.A; ++a) {
        double* row = block + a * m.K;
        const double* stay = blk.stay.data() + a * m.K;
        const double* rshare = blk.retire_share.data() + a * m.K;
        std::int64_t turnover_at_age = 0;
        double carry = 0.0;
        for (int k = 0; k < m.K; ++k) {
          const auto h0 = static_cast<std::int64_t>(row[k]);
          if (h0 == 0) {
            row[k] = carry;
            carry = 0.0;
            continue;
          }
          const auto c = static_cast<std::uint32_t>(b) + static_cast<std::uint32_t>(a * m.K + k);
          random::RandomStream rng = noise.stream(m.noise.exits + c);
          const std::int64_t out = cell_binomial(rng, h0, 1.0 - stay[k]);
          const std::int64_t ret = out > 0 ? cell_binomial(rng, out, rshare[k]) : 0;
          retired += static_cast<double>(ret);
          turnover_at_age += out - ret;
          const std::int64_t stayers = h0 - out;
          std::int64_t up = 0;
          if (stayers > 0 && m.progress[k] > 0.0) {
            // dt / w_k is at most 1 (validation) up to the rounding of the edges.
            random::RandomStream prog = noise.stream(m.noise.progression + c);
            up = cell_binomial(prog, stayers, std::min(1.0, m.progress[k]));
          }
          row[k] = static_cast<double>(stayers - up) + carry;
          carry = static_cast<double>(up);
        }
        if (turnover_at_age == 0) continue;
        random::RandomStream rng =
            noise.stream(m.noise.destinations + static_cast<std::uint32_t>(rs * m.A + a));
        random::multinomial(rng, turnover_at_age, w, counts);
        scratch.tally[0] += static_cast<double>(counts[0]);
        for (std::size_t i = 0; i < split.moves.size(); ++i) {
          const auto n = static_cast<double>(counts[i + 1]);
          scratch.tally[static_cast<Eigen::Index>(i) + 1] += n;
          scratch.movers[move_target(d, r, s, split.moves[i]) * m.A + a] += n;
        }
      }
      ledger.leave(rs, Leave::retired) += retired;
      ledger.leave(rs, Leave::exit) += scratch.tally[0];
      for (std::size_t i = 0; i < split.moves.size(); ++i) {
        const Move& mv = split.moves[i];
        const double n = scratch.tally[static_cast<Eigen::Index>(i) + 1];
        ledger.leave(rs, departure_kind(mv.kind)) += n;
        ledger.start(move_target(d, r, s, mv), arrival_kind(mv.kind)) += n;
      }
    }
  }
}

void apply_arrivals(const Model& m, const Scratch& scratch, Eigen::ArrayXd& H) {
  for (int rs = 0; rs < m.RS; ++rs) {
    const std::size_t b = static_cast<std::size_t>(rs) * static_cast<std::size_t>(m.A * m.K);
    for (int a = 0; a < m.A; ++a) H[b + a * m.K] += scratch.movers[rs * m.A + a];
  }
}

}  // namespace staffsim::detail
