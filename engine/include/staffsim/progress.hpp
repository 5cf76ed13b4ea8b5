#pragma once
// The progress bar with ETA of long runs (DESIGN.md 5): drawn only once a
// run has taken longer than a delay (a second), redrawn at most ten times a
// second. It returns text; the caller decides whether a terminal gets it.
#include <chrono>
#include <string>

namespace staffsim {

class ProgressMeter {
 public:
  using Clock = std::chrono::steady_clock;
  ProgressMeter(long total, Clock::time_point start,
                Clock::duration delay = std::chrono::seconds(1));

  // The line to draw for `done` of `total` at `now`
  // ("\r[##########          ]  50%  ETA 0:03"), or "" when nothing should
  // be drawn yet (before the delay, or within 0.1 s of the last drawing).
  [[nodiscard]] std::string update(long done, Clock::time_point now);
  // Clears the bar's line if one was drawn; "" otherwise.
  [[nodiscard]] std::string finish() const;
  [[nodiscard]] bool shown() const { return shown_; }

 private:
  long total_;
  Clock::time_point start_;
  Clock::duration delay_;
  Clock::time_point last_draw_{};
  bool shown_ = false;
};

// "m:ss" (or "h:mm:ss") of a duration in seconds, rounded up.
[[nodiscard]] std::string format_eta(double seconds);

}  // namespace staffsim
