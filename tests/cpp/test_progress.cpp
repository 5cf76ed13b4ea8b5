// The run's progress bar (DESIGN.md 5): nothing for runs under a second, then
// a bar with the share done and an ETA from the rate so far.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "staffsim/progress.hpp"

namespace staffsim {
namespace {

using std::chrono::milliseconds;

TEST(ProgressMeter, DrawsNothingDuringTheFirstSecond) {
  const auto t0 = ProgressMeter::Clock::now();
  ProgressMeter meter(100, t0);
  EXPECT_EQ(meter.update(10, t0 + milliseconds(500)), "");
  EXPECT_EQ(meter.update(99, t0 + milliseconds(999)), "");
  EXPECT_FALSE(meter.shown());
  EXPECT_EQ(meter.finish(), "");  // a quick run leaves no trace
}

TEST(ProgressMeter, ShowsTheShareDoneAndTheTimeLeft) {
  const auto t0 = ProgressMeter::Clock::now();
  ProgressMeter meter(100, t0);
  // A quarter done after 2 s: 6 s to go at the same rate.
  const std::string line = meter.update(25, t0 + milliseconds(2000));
  EXPECT_EQ(line.front(), '\r');
  EXPECT_NE(line.find("[#######                       ]"), std::string::npos) << line;
  EXPECT_NE(line.find(" 25%"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 0:06"), std::string::npos) << line;
  EXPECT_TRUE(meter.shown());
  // Redrawn at most every 0.1 s, except at the end.
  EXPECT_EQ(meter.update(26, t0 + milliseconds(2050)), "");
  EXPECT_NE(meter.update(100, t0 + milliseconds(2060)).find("100%"), std::string::npos);
  const std::string end = meter.finish();
  EXPECT_EQ(end.front(), '\r');
  EXPECT_EQ(end.back(), '\r');
}

TEST(ProgressMeter, FormatsLongEtas) {
  EXPECT_EQ(format_eta(0.2), "0:01");
  EXPECT_EQ(format_eta(75), "1:15");
  EXPECT_EQ(format_eta(3 * 3600 + 61), "3:01:01");
}

}  // namespace
}  // namespace staffsim
