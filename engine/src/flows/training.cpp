// Step 5, training completion (DESIGN.md 2.4): trainees T[stage, age], one
// stage per step, so a D-year intake completes exactly D/dt steps later.
// Attrition per step is 1 - (1 - a)^dt; retained completers join their role
// by sector shares at band 0, whatever the vacancies.
#include <algorithm>
#include <cmath>
#include <utility>

#include "model.hpp"

namespace staffsim::detail {

void apply_training(const Model& m, Scratch& scratch, std::vector<Eigen::ArrayXd>& pipeline,
                    Eigen::ArrayXd& H, Ledger& ledger, double year,
                    Eigen::ArrayXd& completers_by_programme) {
  const Dimensions& d = m.sc.dims;
  for (std::size_t p = 0; p < m.sc.programmes.size(); ++p) {
    const Programme& prog = m.sc.programmes[p];
    Eigen::ArrayXd& T = pipeline[p];
    const int stages = prog.duration_steps;
    const double survive = std::pow(1.0 - prog.attrition, m.dt);
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
    const double survive = std::pow(1.0 - prog.attrition, m.dt);
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
