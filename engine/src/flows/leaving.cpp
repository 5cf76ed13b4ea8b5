// Steps 1-3 (DESIGN.md 2.2): exits by turnover and retirement, destinations
// of turnover leavers, tenure progression of stayers, arrivals of movers at
// band 0 with their age.
#include <algorithm>
#include <array>
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

namespace {

// Rebuilds the exit probabilities of every block whose lever values changed.
void refresh_exit_blocks(const Model& m, Scratch& scratch, double year) {
  for (int r = 0; r < m.R; ++r) {
    const double shift = retirement_shift(m, r, year);
    for (int s = 0; s < m.S; ++s) {
      ExitBlock& blk = scratch.exit_blocks[static_cast<std::size_t>(m.sc.dims.rs(r, s))];
      const double mult = retention_multiplier(m, r, s, year);
      if (mult != blk.multiplier || shift != blk.shift) rebuild_block(m, r, s, mult, shift, blk);
    }
  }
}

// Per cell of a block: retirements and turnover leavers out of its stock h,
// which keeps the stayers who do not move up a band; `up` the stayers who do.
// The pointers do not alias (the outputs are scratch), so the loop vectorises.
void exit_cells(Eigen::Index n, double* __restrict h, const double* __restrict stay,
                const double* __restrict rshare, const double* __restrict progress,
                double* __restrict retired, double* __restrict turnover, double* __restrict up) {
  for (Eigen::Index i = 0; i < n; ++i) {
    const double h0 = h[i];
    const double st = h0 * stay[i];
    const double out = h0 - st;
    const double ret = out * rshare[i];
    const double moving = st * progress[i];
    retired[i] = ret;
    turnover[i] = out - ret;
    up[i] = moving;
    h[i] = st - moving;
  }
}

// Each band takes the stayers moving up from the band below. The open band
// moves nobody up (progress 0, so its `up` is a zero, and adding a zero
// changes nothing), so the flat shift carries nothing into the next age.
void progress_cells(Eigen::Index n, const double* __restrict up, double* __restrict h) {
  for (Eigen::Index i = 1; i < n; ++i) h[i] += up[i - 1];
}

// Exits, then progression of the stayers, of one block of A*K cells in flat
// (a, k) order: retirements per cell into `retired`, turnover leavers per age
// into `leavers` (A), each age's summed over bands in order.
void exit_block(const Model& m, const ExitBlock& blk, Scratch& scratch, double* h, double* retired,
                double* leavers) {
  const Eigen::Index n = static_cast<Eigen::Index>(m.A) * m.K;
  double* turnover = scratch.exit_turnover.data();
  exit_cells(n, h, blk.stay.data(), blk.retire_share.data(), m.progress_cells.data(), retired,
             turnover, scratch.exit_up.data());
  progress_cells(n, scratch.exit_up.data(), h);
  for (int a = 0; a < m.A; ++a) {
    double at_age = 0.0;
    for (int k = 0; k < m.K; ++k) at_age += turnover[a * m.K + k];
    leavers[a] = at_age;
  }
}

// sums[g] = the n values at data + g * stride added in index order, for G
// rows at once: G independent chains of additions, each in its own order.
template <int G>
void interleaved_sums(const double* data, Eigen::Index stride, Eigen::Index n, double* sums) {
  std::array<double, G> acc{};
  for (Eigen::Index i = 0; i < n; ++i) {
    for (int g = 0; g < G; ++g) acc[static_cast<std::size_t>(g)] += data[g * stride + i];
  }
  for (int g = 0; g < G; ++g) sums[g] = acc[static_cast<std::size_t>(g)];
}

// interleaved_sums for `count` <= kExitGroup rows: full groups interleaved,
// the remainder one row at a time.
void row_sums(const double* data, Eigen::Index stride, Eigen::Index n, int count, double* sums) {
  int g = 0;
  for (; g + kExitGroup <= count; g += kExitGroup) {
    interleaved_sums<kExitGroup>(data + g * stride, stride, n, sums + g);
  }
  for (; g + 4 <= count; g += 4) interleaved_sums<4>(data + g * stride, stride, n, sums + g);
  for (; g < count; ++g) interleaved_sums<1>(data + g * stride, stride, n, sums + g);
}

// The turnover leavers of block rs (per age, and in total) to their
// destinations: movers by age for the arrivals, and the ledger.
void send_leavers(const Model& m, Scratch& scratch, Ledger& ledger, int rs, const double* leavers,
                  double retired, double turnover) {
  const Dimensions& d = m.sc.dims;
  const Role r = rs / m.S;
  const Sector s = rs % m.S;
  const DestinationSplit& split = m.sc.destinations[static_cast<std::size_t>(rs)];
  // Move by move over ages (contiguous): every movers cell still receives
  // its terms block by block and, within a block, move by move.
  for (const Move& mv : split.moves) {
    double* to = scratch.movers.data() + static_cast<Eigen::Index>(move_target(d, r, s, mv)) * m.A;
    for (int a = 0; a < m.A; ++a) to[a] += leavers[a] * mv.share;
  }
  ledger.leave(rs, Leave::retired) += retired;
  ledger.leave(rs, Leave::exit) += turnover * split.exit_share;
  for (const Move& mv : split.moves) {
    const double n = turnover * mv.share;
    ledger.leave(rs, departure_kind(mv.kind)) += n;
    ledger.start(move_target(d, r, s, mv), arrival_kind(mv.kind)) += n;
  }
}

}  // namespace

// Blocks are taken kExitGroup at a time: their cells one block after
// another, then their sums (retirements over cells, turnover leavers over
// ages) interleaved, then their leavers sent on in rs order. Every sum and
// every movers cell sees its terms in the order of a block-by-block walk.
void apply_exits_and_progression(const Model& m, Scratch& scratch, Eigen::ArrayXd& H,
                                 Ledger& ledger, double year) {
  refresh_exit_blocks(m, scratch, year);
  scratch.movers.setZero();
  const Eigen::Index n = static_cast<Eigen::Index>(m.A) * m.K;
  std::array<double, kExitGroup> retired{};
  std::array<double, kExitGroup> turnover{};
  for (int first = 0; first < m.RS; first += kExitGroup) {
    const int count = std::min(kExitGroup, m.RS - first);
    for (int g = 0; g < count; ++g) {
      const int rs = first + g;
      const ExitBlock& blk = scratch.exit_blocks[static_cast<std::size_t>(rs)];
      exit_block(m, blk, scratch, H.data() + rs * n, scratch.exit_retired.data() + g * n,
                 scratch.exit_leavers.data() + g * m.A);
    }
    row_sums(scratch.exit_retired.data(), n, n, count, retired.data());
    row_sums(scratch.exit_leavers.data(), m.A, m.A, count, turnover.data());
    for (int g = 0; g < count; ++g) {
      send_leavers(m, scratch, ledger, first + g, scratch.exit_leavers.data() + g * m.A,
                   retired[static_cast<std::size_t>(g)], turnover[static_cast<std::size_t>(g)]);
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
