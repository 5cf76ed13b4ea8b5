// Step 5, training completion (DESIGN.md 2.4): trainees T[stage, age], one
// stage per step, so a D-year intake completes exactly D/dt steps later.
// Attrition per step is 1 - (1 - a)^dt; retained completers join their role
// by sector shares at band 0, whatever the vacancies.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>

#include "model.hpp"
#include "random/samplers.hpp"

namespace staffsim::detail {

void apply_training(const Model& m, Scratch& scratch, std::vector<Eigen::ArrayXd>& pipeline,
                    Eigen::ArrayXd& H, Ledger& ledger, double year,
                    Eigen::ArrayXd& completers_by_programme) {
  const Dimensions& d = m.sc.dims;
  for (std::size_t p = 0; p < m.sc.programmes.size(); ++p) {
    const Programme& prog = m.sc.programmes[p];
    Eigen::ArrayXd& T = pipeline[p];
    const int stages = prog.duration_steps;
    const double survive = m.programme_survival[static_cast<Eigen::Index>(p)];
    // Completers: the last stage, after this step's attrition.
    scratch.completers = T.segment((stages - 1) * m.A, m.A) * survive;
    // Every other stage moves up one, losing this step's attrition.
    for (int j = stages - 1; j >= 1; --j) {
      T.segment(j * m.A, m.A) = T.segment((j - 1) * m.A, m.A) * survive;
    }
    // This step's intake enters stage 0.
    const double intake = programme_intake(m, static_cast<int>(p), year) * m.dt;
    T.segment(0, m.A) = prog.intake_age * intake;

    const double done = scratch.completers.sum();
    completers_by_programme[static_cast<Eigen::Index>(p)] += done;
    if (!m.on.training) continue;
    for (int s = 0; s < m.S; ++s) {
      const double share = prog.retained * prog.sector_shares[s];
      if (share <= 0.0) continue;
      double* dest = H.data() + d.block(prog.role, s);
      for (int a = 0; a < m.A; ++a) dest[a * m.K] += scratch.completers[a] * share;
      ledger.start(d.rs(prog.role, s), Start::training) += done * share;
    }
  }
}

// Stochastic mode (DESIGN.md 2.7): each (stage, age) cell's survivors of the
// step ~ Binomial(T, (1 - attrition)^dt) (the last stage's survivors are the
// completers); the intake is floor(x) + Bernoulli(x - floor(x)) of
// intake * dt, its ages ~ Multinomial(intake_age); each age's completers
// split ~ Multinomial over the sectors (retained * sector share) and not
// retained. Streams: programme[p] + j*A + a, + stages*A, + stages*A + 1 + a.
void apply_training(const Model& m, Scratch& scratch, std::vector<Eigen::ArrayXd>& pipeline,
                    Eigen::ArrayXd& H, Ledger& ledger, double year,
                    Eigen::ArrayXd& completers_by_programme, const Noise& noise) {
  const Dimensions& d = m.sc.dims;
  const auto A = static_cast<std::size_t>(m.A);
  for (std::size_t p = 0; p < m.sc.programmes.size(); ++p) {
    const Programme& prog = m.sc.programmes[p];
    Eigen::ArrayXd& T = pipeline[p];
    const int stages = prog.duration_steps;
    const double survive = m.programme_survival[static_cast<Eigen::Index>(p)];
    const std::uint32_t base = m.noise.programme[p];
    // Survivors of cell (stage j, age a), from its own stream.
    const auto survivors = [&](int j, int a) -> double {
      const auto n = static_cast<std::int64_t>(T[j * m.A + a]);
      if (n == 0) return 0.0;
      random::RandomStream rng = noise.stream(base + static_cast<std::uint32_t>(j * m.A + a));
      return static_cast<double>(cell_binomial(rng, n, survive));
    };
    for (int a = 0; a < m.A; ++a) scratch.completers[a] = survivors(stages - 1, a);
    for (int j = stages - 1; j >= 1; --j) {
      for (int a = 0; a < m.A; ++a) T[j * m.A + a] = survivors(j - 1, a);
    }
    const double intake = programme_intake(m, static_cast<int>(p), year) * m.dt;
    T.segment(0, m.A).setZero();
    if (intake > 0.0) {
      random::RandomStream rng = noise.stream(base + static_cast<std::uint32_t>(stages * m.A));
      const std::int64_t entrants = random::stochastic_round(rng, intake);
      if (entrants > 0) {
        const std::span<std::int64_t> counts(scratch.counts.data(), A);
        random::multinomial(rng, entrants, std::span<const double>(prog.intake_age.data(), A),
                            counts);
        for (int a = 0; a < m.A; ++a)
          T[a] = static_cast<double>(counts[static_cast<std::size_t>(a)]);
      }
    }

    const double done = scratch.completers.sum();
    completers_by_programme[static_cast<Eigen::Index>(p)] += done;
    if (!m.on.training || done == 0.0) continue;
    const Eigen::ArrayXd& weights = m.completion_weights[p];
    const auto n_fates = static_cast<std::size_t>(weights.size());
    const std::span<std::int64_t> counts(scratch.counts.data(), n_fates);
    scratch.tally.setZero();
    for (int a = 0; a < m.A; ++a) {
      const auto c = static_cast<std::int64_t>(scratch.completers[a]);
      if (c == 0) continue;
      random::RandomStream rng =
          noise.stream(base + static_cast<std::uint32_t>(stages * m.A + 1 + a));
      random::multinomial(rng, c, std::span<const double>(weights.data(), n_fates), counts);
      for (int s = 0; s < m.S; ++s) {
        const auto joined = static_cast<double>(counts[static_cast<std::size_t>(s)]);
        H[static_cast<Eigen::Index>(d.block(prog.role, s)) + a * m.K] += joined;
        scratch.tally[s] += joined;
      }
    }
    for (int s = 0; s < m.S; ++s) {
      if (scratch.tally[s] > 0.0)
        ledger.start(d.rs(prog.role, s), Start::training) += scratch.tally[s];
    }
  }
}

// DESIGN.md 2.4: at start_year the pipeline holds the given in_training counts
// by year of course, spread evenly over that year's stages, or else the
// stationary pipeline of the first year's intake, a training_intake lever
// included (stage j has survived j
// steps of attrition). Ages: the intake's age distribution, older by the
// whole years already spent in training.
std::vector<Eigen::ArrayXd> opening_pipeline(const Model& m) {
  std::vector<Eigen::ArrayXd> pipeline;
  const int spy = m.sc.time.steps_per_year;
  for (std::size_t p = 0; p < m.sc.programmes.size(); ++p) {
    const Programme& prog = m.sc.programmes[p];
    const int stages = prog.duration_steps;
    Eigen::ArrayXd T = Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(stages) * m.A);
    const double survive = m.programme_survival[static_cast<Eigen::Index>(p)];
    // The first year's intake, after a training_intake lever (which replaces it).
    const double intake = programme_intake(m, static_cast<int>(p), m.sc.time.start_year);
    for (int j = 0; j < stages; ++j) {
      double count = 0.0;
      if (!prog.in_training.empty()) {
        const auto year_of_course = static_cast<std::size_t>(j / spy);
        const int stages_in_year = std::min(spy, stages - static_cast<int>(year_of_course) * spy);
        count = year_of_course < prog.in_training.size()
                    ? prog.in_training[year_of_course] / stages_in_year
                    : 0.0;
      } else {
        count = intake * m.dt * std::pow(survive, j);
      }
      const int years_in = j / spy;
      for (int a = 0; a < m.A; ++a) {
        const int to = std::min(a + years_in, m.A - 1);
        T[j * m.A + to] += prog.intake_age[a] * count;
      }
    }
    pipeline.push_back(std::move(T));
  }
  return pipeline;
}

}  // namespace staffsim::detail
