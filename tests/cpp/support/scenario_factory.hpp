#pragma once
// Scenarios built in code for engine tests: a minimal valid scenario that a
// test then edits, so each test states only what it is about.
#include <Eigen/Core>
#include <string>
#include <utility>
#include <vector>

#include "staffsim/scenario.hpp"

namespace staffsim::testing {

// R roles x S sectors, ages min_age..max_age, bands {0, 0.5, 2, 5} ({0, 1, 2, 5}
// at one step a year, where a band must be at least dt wide); opening
// stock `total` spread uniformly over roles, sectors and ages (tenure from
// the stationary distribution); no leaving, no retirement, no recruitment,
// no promotion, no training; fte_factor 1; posts equal to the opening
// headcount per (r,s), constant.
[[nodiscard]] Scenario blank_scenario(int roles = 1, int sectors = 1, int steps_per_year = 4,
                                      int min_age = 16, int max_age = 74, double total = 1000.0,
                                      int start_year = 2010, int end_year = 2020);

// Sets constant posts (FTE) for one (r,s).
void set_posts(Scenario& sc, Role r, Sector s, double fte);

// Adds a source with all entrants at one age (index) and optional cap.
int add_source_at_age(Scenario& sc, const std::string& name, int age_index, double cap = -1.0);

// ---- Exact opening stocks ------------------------------------------------

// A zero state H[r,s,a,k] (flat, Dimensions::cell) of the scenario's shape.
[[nodiscard]] Eigen::ArrayXd empty_stock(const Scenario& sc);

// Makes the opening stock exactly `H` (flat, Dimensions::cell): one margin
// over all four axes, total = H.sum(). Tenure bands must be feasible for the
// age (band lower edge < age index + 1), or the opening moves them down.
void set_opening_stock(Scenario& sc, const Eigen::ArrayXd& H);

// Convenience: the opening stock is `n` people in one cell, nobody elsewhere.
void set_opening_cohort(Scenario& sc, Role r, Sector s, int age_index, Band k, double n);

// ---- Reading a state -------------------------------------------------------

// Headcount per (r,s) (Dimensions::rs) of a flat state.
[[nodiscard]] Eigen::ArrayXd headcount_by_rs(const Dimensions& d, const Eigen::ArrayXd& H);
// Headcount per age index (summed over roles, sectors and bands).
[[nodiscard]] Eigen::ArrayXd headcount_by_age(const Dimensions& d, const Eigen::ArrayXd& H);
// Headcount per band (summed over roles, sectors and ages).
[[nodiscard]] Eigen::ArrayXd headcount_by_band(const Dimensions& d, const Eigen::ArrayXd& H);

// ---- Building blocks -----------------------------------------------------

// A lever of one type with a constant value (selection: all).
[[nodiscard]] Lever constant_lever(const std::string& name, LeverType type, double value);

// A programme into `role` lasting `years` (a multiple of dt), constant intake
// a year, entrants at one age index, every sector share on sector 0, all
// retained, no attrition, no opening pipeline (stationary).
[[nodiscard]] Programme make_programme(const Scenario& sc, const std::string& name, Role role,
                                       int years, double intake, int age_index);

// A lever path {start_year, end_year, from_value, to_value, shape} (DESIGN.md 2.5).
[[nodiscard]] LeverPath shaped_path(PathShape shape, double start_year, double end_year,
                                    double from_value, double to_value);

// A lever of one type with a given path (selection: all; the caller narrows it).
[[nodiscard]] Lever path_lever(const std::string& name, LeverType type, const LeverPath& path);

// A year table {year: value, ...}: linear between labels, held outside.
[[nodiscard]] YearPath year_table(const std::vector<std::pair<double, double>>& points);

// Switches the scenario to need-based demand with C client groups, G age
// groups, V services (named "c0".., "g0".., "v0"..; the caller renames them if
// it likes): zero prevalence, ratio and population, every service's mix on v0
// and provider on sector 0, a zero opening vacancy rate. The caller fills the
// tables (shapes (C,G), (C,V), (V,R), (V,S)).
void use_need_demand(Scenario& sc, int client_groups, int age_groups, int services);

// Relative closeness: |a - b| <= tol * max(1, |a|, |b|).
[[nodiscard]] bool near_rel(double a, double b, double tol);

}  // namespace staffsim::testing
