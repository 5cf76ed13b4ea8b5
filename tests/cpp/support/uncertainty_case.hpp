#pragma once
// The small scenario the uncertainty tests share (test_uncertainty.cpp,
// test_validation_uncertainty.cpp): two roles and two sectors, an opening
// stock table, a capped source, costs and a retention lever - something for
// every kind of path an uncertainty entry can select. Without an
// uncertainty block: each test appends its own.

namespace staffsim::testing {

// The scenario's YAML; it names its stock table `stock.csv`.
extern const char* const kUncertaintyBase;
// stock.csv: the opening stock by role and sector.
extern const char* const kUncertaintyStock;

}  // namespace staffsim::testing
