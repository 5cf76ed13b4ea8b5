#pragma once
// A Simulation owns all mutable state of one draw: the headcount array, the
// training pipeline, the clock and the ledgers. Many can run in one process.
#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "staffsim/ledger.hpp"
#include "staffsim/results.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim {

// Switches for tests of single mechanisms (all on in real runs).
struct FlowSwitches {
  bool turnover = true;
  bool retirement = true;
  bool promotion = true;
  bool training = true;
  bool recruitment = true;
};

// Which member of an ensemble a Simulation is. It names the draw's random
// streams (DESIGN.md 2.7): with `stochastic: true` the process noise of draw
// `draw` under `seed` is the same whatever else runs, on any thread.
struct DrawKey {
  std::uint64_t seed = 0;
  std::uint64_t draw = 0;  // < 2^32
};

class Simulation {
 public:
  explicit Simulation(Scenario scenario, FlowSwitches switches = {}, DrawKey key = {});
  ~Simulation();
  Simulation(Simulation&&) noexcept;
  Simulation& operator=(Simulation&&) noexcept;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // The same scenario as another draw, not yet stepped: copies what the
  // constructor derived (the opening stock, demand calibration) instead of
  // deriving it again, so an ensemble pays for it once. With `stochastic`,
  // the copy draws its own integer opening stock from `key`'s noise stream.
  // UsageError once this simulation has stepped.
  [[nodiscard]] Simulation fork(DrawKey key) const;
  // The same as `*this = prototype.fork(key)` for a simulation of the same
  // scenario, but reusing this one's memory: an ensemble restarts one
  // simulation per thread for each of its draws instead of allocating (and
  // page-faulting) a new one. UsageError when the prototype has stepped.
  void restart_from(const Simulation& prototype, DrawKey key);
  [[nodiscard]] DrawKey key() const;

  // Advance one step of dt (DESIGN.md 2.2, in its order). UsageError past the end.
  void step();
  // Run until the census point of `year` (inclusive). UsageError if before now.
  void run_to(int year);
  // Run to end_year.
  void run();

  // Replaces lever `instance`'s path from now on by `value` (DESIGN.md 2.5):
  // "old path for t <= now, value after". UsageError for a name that is not a
  // lever of the scenario (naming it) or a value outside the type's domain.
  void set_lever(const std::string& instance, double value);
  [[nodiscard]] std::vector<std::string> lever_names() const;
  // Effective staff per user for every service, role and sector (need mode).
  [[nodiscard]] std::string calibration_report() const;

  [[nodiscard]] bool finished() const;
  [[nodiscard]] int step_index() const;       // steps done so far
  [[nodiscard]] double current_year() const;  // start_year + steps * dt

  [[nodiscard]] const Scenario& scenario() const;
  [[nodiscard]] const Dimensions& dims() const;
  // H[r,s,a,k] flat (Dimensions::cell).
  [[nodiscard]] const Eigen::ArrayXd& headcount() const;
  // Trainees T[programme][stage * A + a].
  [[nodiscard]] const std::vector<Eigen::ArrayXd>& pipeline() const;
  // The flows of the last step.
  [[nodiscard]] const Ledger& last_step_ledger() const;
  // Annual results so far (start_year first).
  [[nodiscard]] const Results& results() const;
  // Effective turnover base hazard (R, S) after base_is normalisation.
  [[nodiscard]] const Eigen::ArrayXXd& turnover_base() const;

 private:
  struct Impl;
  explicit Simulation(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Convenience: run a scenario to its end and return the annual results.
[[nodiscard]] Results run_scenario(const Scenario& scenario);

}  // namespace staffsim
