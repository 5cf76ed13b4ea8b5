// The run's progress bar (staffsim/progress.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "staffsim/progress.hpp"

namespace staffsim {

namespace {

constexpr int kBarWidth = 30;
constexpr auto kRedraw = std::chrono::milliseconds(100);
// "\r" + bar + percent + ETA: the longest line the meter draws.
constexpr int kLineWidth = 2 + kBarWidth + 6 + 15;

}  // namespace

ProgressMeter::ProgressMeter(long total, Clock::time_point start, Clock::duration delay)
    : total_(total > 0 ? total : 1), start_(start), delay_(delay) {}

std::string ProgressMeter::update(long done, Clock::time_point now) {
  const auto elapsed = now - start_;
  if (elapsed < delay_ || (shown_ && now - last_draw_ < kRedraw && done < total_)) return "";
  shown_ = true;
  last_draw_ = now;
  const double fraction =
      std::clamp(static_cast<double>(done) / static_cast<double>(total_), 0.0, 1.0);
  const auto filled = static_cast<int>(std::floor(fraction * kBarWidth));
  const double seconds = std::chrono::duration<double>(elapsed).count();
  // The rate so far predicts the rest: steps cost about the same.
  const std::string eta = fraction > 0.0 ? format_eta(seconds * (1.0 - fraction) / fraction) : "?";
  char line[96];
  std::snprintf(line, sizeof line, "\r[%s%s] %3d%%  ETA %s  ", std::string(filled, '#').c_str(),
                std::string(kBarWidth - filled, ' ').c_str(),
                static_cast<int>(std::floor(100.0 * fraction)), eta.c_str());
  return line;
}

std::string ProgressMeter::finish() const {
  if (!shown_) return "";
  return "\r" + std::string(kLineWidth, ' ') + "\r";
}

std::string format_eta(double seconds) {
  const auto total = static_cast<long>(std::ceil(std::max(0.0, seconds)));
  char out[32];
  if (total >= 3600) {
    std::snprintf(out, sizeof out, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  } else {
    std::snprintf(out, sizeof out, "%ld:%02ld", total / 60, total % 60);
  }
  return out;
}

}  // namespace staffsim
