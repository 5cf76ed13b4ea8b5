#pragma once
// Shared helpers of the scenario builder (build*.cpp): the context the builder
// carries, typed readers of tree nodes, and check_* helpers that all report in
// the one shape of DESIGN.md 3, "file:line:col: path = value: rule".
// Internal header.
#include <Eigen/Core>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenario/config_tree.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim::config {

// What the builder knows while it walks the tree. Sections that depend on a
// broken section (e.g. cell tables without usable dimensions) are skipped so
// that one mistake does not cascade into many messages.
struct BuildContext {
  Diagnostics& diags;
  Dimensions dims;
  bool dims_ok = false;                  // roles, sectors, ages and tenure bands are usable
  std::optional<double> dt;              // set when time.steps_per_year is valid
  std::set<const Node*> used_overrides;  // nodes whose cell overrides were applied
  // The demand mode, once `demand.mode` is read; unset when it is invalid (the
  // checks that depend on it are skipped rather than cascading).
  std::optional<DemandMode> demand_mode = DemandMode::posts;
  // The run's span [start_year, end_year], once `time` is valid: a year path
  // that ends before it or begins after its start is held, with a warning.
  std::optional<std::pair<int, int>> run_years;
  // Programme intakes given as year tables: a training_intake lever may
  // replace one, so the extrapolation warning waits for the levers.
  struct IntakeTable {
    std::string programme;
    std::string path;
    Location at;
    YearPath values;
  };
  std::vector<IntakeTable> intake_tables;
  // Parsed CSV tables to use instead of reading files (null: read them).
  CsvCache* csv_cache = nullptr;
};

// ---- Paths and messages --------------------------------------------------
[[nodiscard]] std::string child_path(const std::string& parent, std::string_view key);
[[nodiscard]] std::string cell_path(const std::string& parent, const std::string& role,
                                    const std::string& sector);
[[nodiscard]] std::string format_number(double v);
// "; did you mean 'x'?" for the closest candidate, or "" (did_you_mean).
[[nodiscard]] std::string suggestion(std::string_view word,
                                     const std::vector<std::string>& candidates);
void report(BuildContext& ctx, const Location& at, const std::string& path,
            const std::string& value, const std::string& rule);

// ---- Structure -----------------------------------------------------------
// Unknown keys are errors with a did-you-mean; `source:` and `assumed:`
// (provenance) are accepted in every mapping.
void check_keys(const Node& map, const std::string& path,
                std::initializer_list<std::string_view> allowed, BuildContext& ctx);
// The child `key` of a mapping, or an error "missing required key".
[[nodiscard]] const Node* require_key(const Node& map, std::string_view key,
                                      const std::string& path, BuildContext& ctx);
// Present and not null; null counts as absent (`key: null` deletes a key).
[[nodiscard]] const Node* optional_key(const Node& map, std::string_view key);
// Where the i-th key of a mapping was written (the mapping's own location
// when the parser recorded none).
[[nodiscard]] Location key_at(const Node& map, std::size_t i);
[[nodiscard]] bool expect_map(const Node& n, const std::string& path, BuildContext& ctx);
[[nodiscard]] bool expect_seq(const Node& n, const std::string& path, BuildContext& ctx);

// ---- Scalars -------------------------------------------------------------
// A finite number (YAML int or float, unquoted); .nan and .inf are rejected.
[[nodiscard]] std::optional<double> parse_number(const Node& n);
[[nodiscard]] std::optional<double> read_number(const Node& n, const std::string& path,
                                                BuildContext& ctx);
[[nodiscard]] std::optional<int> read_integer(const Node& n, const std::string& path,
                                              BuildContext& ctx);
[[nodiscard]] std::optional<std::string> read_text(const Node& n, const std::string& path,
                                                   BuildContext& ctx);
// YAML 1.2 core-schema booleans: true, True, TRUE, false, False, FALSE.
[[nodiscard]] std::optional<bool> read_bool(const Node& n, const std::string& path,
                                            BuildContext& ctx);
[[nodiscard]] std::optional<std::string> read_choice(const Node& n, const std::string& path,
                                                     const std::vector<std::string>& choices,
                                                     BuildContext& ctx);
[[nodiscard]] std::optional<std::vector<std::string>> read_label_list(const Node& n,
                                                                      const std::string& path,
                                                                      BuildContext& ctx);
[[nodiscard]] std::optional<Role> read_role(const Node& n, const std::string& path,
                                            BuildContext& ctx);
[[nodiscard]] std::optional<Sector> read_sector(const Node& n, const std::string& path,
                                                BuildContext& ctx);
// A label of `labels`, else "unknown <what> `x`" with a did-you-mean.
[[nodiscard]] std::optional<int> find_label(const std::string& label,
                                            const std::vector<std::string>& labels,
                                            const char* what, const Location& at,
                                            const std::string& path, BuildContext& ctx);

// ---- Domains (Stan-Math-like checks, one message shape) ------------------
struct Domain {
  double lo = -std::numeric_limits<double>::infinity();
  bool lo_closed = true;
  double hi = std::numeric_limits<double>::infinity();
  bool hi_closed = true;
  const char* rule = "";
  [[nodiscard]] bool contains(double v) const;
};
inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr Domain kAny{-kInf, true, kInf, true, ""};
inline constexpr Domain kHazard{0.0, true, kInf, true, "a hazard rate must be >= 0"};
inline constexpr Domain kProbability{0.0, true, 1.0, false, "a probability must be in [0, 1)"};
inline constexpr Domain kShare{0.0, true, 1.0, true, "a share must be in [0, 1]"};
inline constexpr Domain kNonNegative{0.0, true, kInf, true, "must be >= 0"};
inline constexpr Domain kPositive{0.0, false, kInf, true, "must be > 0"};
inline constexpr Domain kCount{0.0, true, kInf, true, "a count must be >= 0"};
// The unit and domain of each lever type's value (DESIGN.md 2.5 table),
// shared by the loader and goal seeking (build_levers.cpp).
[[nodiscard]] Domain lever_domain(LeverType t, bool acts_on_cap);
inline constexpr Domain kFactor{0.0, true, kInf, true, "a factor must be >= 0"};
inline constexpr Domain kFteFactor{0.0, false, 1.5, true, "an FTE factor must be in (0, 1.5]"};

// Reports `rule` when v is outside the domain; returns whether it is inside.
bool check_domain(double v, const Domain& d, const Location& at, const std::string& path,
                  BuildContext& ctx);
[[nodiscard]] std::optional<double> read_in(const Node& n, const std::string& path, const Domain& d,
                                            BuildContext& ctx);
// Shares must sum to 1 within 1e-9 (DESIGN.md 3).
bool check_sum_to_one(double sum, const Location& at, const std::string& path, BuildContext& ctx);

// ---- Age and tenure ranges ----------------------------------------------
struct AgeRange {
  int lo = 0;
  int hi = 0;  // inclusive
};
// "18-29", "70+" (to max_age) or "45".
[[nodiscard]] std::optional<AgeRange> parse_age_range(std::string_view text, int max_age);

// One row of an age-keyed table.
struct AgeEntry {
  AgeRange range;
  double value = 0.0;
  Location at;
  std::string path;
};
// Reads `{range: value}`, checking each value against `d`, every range inside
// [min_age, max_age] and the ranges disjoint.
[[nodiscard]] std::optional<std::vector<AgeEntry>> read_age_map(const Node& map,
                                                                const std::string& path,
                                                                const Domain& d, BuildContext& ctx);
// Checks one range against [min_age, max_age]; reports with `at`.
bool check_age_bounds(const AgeRange& r, const std::string& text, const Location& at,
                      const std::string& path, BuildContext& ctx);
// Reports the first overlapping pair of ranges; `texts` parallel to `ranges`.
bool check_disjoint(const std::vector<AgeRange>& ranges, const std::vector<Location>& at,
                    const std::vector<std::string>& texts, const std::string& path,
                    BuildContext& ctx);
// `{range: weight}` as a distribution over single ages (size A, sums to 1):
// each range's weight spread evenly over its ages.
[[nodiscard]] std::optional<Eigen::ArrayXd> read_age_distribution(const Node& n,
                                                                  const std::string& path,
                                                                  BuildContext& ctx);
// Value per single age (size A): each entry's value at every age of its range.
[[nodiscard]] Eigen::ArrayXd values_by_age(const std::vector<AgeEntry>& entries,
                                           const Dimensions& dims, double fill);

// The tenure band edge equal to `written`, or within 5e-6 of it relatively:
// the results file labels edges with six significant digits (10/12 is
// "0.833333"), and a scenario may name bands the way results show them.
// Band widths are at least a step, so no two edges are that close.
[[nodiscard]] std::vector<double>::const_iterator find_edge(const std::vector<double>& edges,
                                                            double written);

struct TenureRange {
  double lo = 0.0;
  double hi = kInf;  // exclusive; infinity for "20+"
};
// "1-3" ([1, 3) years) or "20+".
[[nodiscard]] std::optional<TenureRange> parse_tenure_range(std::string_view text);
// Shares of a tenure range over the engine's bands by overlap, uniform within
// the range (size K, summing to 1); nullopt for an open range starting below
// the last band edge (its spread is undefined).
[[nodiscard]] std::optional<Eigen::ArrayXd> tenure_overlap(const TenureRange& r,
                                                           const Dimensions& dims);
// "0-0.5", "0.5-2", "5+".
[[nodiscard]] std::string band_label(const Dimensions& dims, Band k);

// ---- Cell tables (role, sector) ------------------------------------------
// Reads a cell table in any documented form (number, default, by_sector,
// by_role, by_cell, table: CSV), applies the cell overrides attached to the
// node, and checks every cell against `d`. Without `fallback` an uncovered
// cell is an error naming the cell. Returns (R, S).
[[nodiscard]] Eigen::ArrayXXd read_cell_table(const Node& node, const std::string& path,
                                              std::optional<double> fallback, const Domain& d,
                                              BuildContext& ctx);
// Opens the CSV named by a scalar node (relative to the naming file's folder);
// a missing file is a validation error, not an exception. With a CSV cache
// in the context, a table is read from disk once.
[[nodiscard]] std::shared_ptr<const CsvTable> open_csv(const Node& name, const std::string& path,
                                                       BuildContext& ctx);
// Index of a CSV column or -1 (reporting "missing column").
[[nodiscard]] int csv_column(const CsvTable& t, std::string_view name, const Location& at,
                             const std::string& path, BuildContext& ctx);
[[nodiscard]] Location csv_row_location(const CsvTable& t, std::size_t row);

// ---- Paths of levers and intakes -----------------------------------------
// A number (constant), `{year: value}` or `{start_year, end_year, from_value,
// to_value, shape, k}` (DESIGN.md 2.5); every value checked against `d`.
[[nodiscard]] std::optional<LeverPath> read_lever_path(const Node& n, const std::string& path,
                                                       const Domain& d, BuildContext& ctx);
// `{year: value}` to a YearPath (years strictly increasing after sorting).
[[nodiscard]] std::optional<YearPath> read_year_table(const Node& n, const std::string& path,
                                                      const Domain& d, BuildContext& ctx);
// DESIGN.md 2.1: an annual input is held at its last value beyond its last
// label (its first before the first); when the run goes beyond a path of two
// or more labels, the rule of the warning that says so ("the run goes to 2025
// but <whose> end in 2021; held at the 2021 value beyond it"), else nullopt.
[[nodiscard]] std::optional<std::string> extrapolation_rule(const YearPath& p,
                                                            const BuildContext& ctx,
                                                            const std::string& whose);
// The warning itself, once for the path `path` written at `at`.
void warn_if_extrapolated(const YearPath& p, const Location& at, const std::string& path,
                          BuildContext& ctx);

// ---- Tables over two label sets (demand) --------------------------------
// One axis of a label table: its labels, what a label is called in messages
// ("client group") and the CSV column naming it ("client_group").
struct LabelAxis {
  const std::vector<std::string>* labels = nullptr;
  const char* what = "";
  const char* column = "";
};
struct LabelTable {
  Eigen::ArrayXXd values;        // (rows, cols); cells not given are 0
  std::vector<bool> row_given;   // some value was given for the row
  std::vector<Location> row_at;  // where the row was first given
};
// `{row: {col: value}}` and/or `table: file.csv` (columns <row>,<col>,value;
// CSV rows override the map), then the cell overrides attached to the node
// (`--set demand.mix[older_people,home_care]=0.5`). Values are checked
// against `d` and named `path[row,col]`. nullopt when anything was reported.
[[nodiscard]] std::optional<LabelTable> read_label_table(const Node& n, const std::string& path,
                                                         const LabelAxis& rows,
                                                         const LabelAxis& cols, const Domain& d,
                                                         BuildContext& ctx);

// (role, sector) headcount shares of the opening stock as the engine's fit of
// the margins gives them (build_posts.cpp), summing to 1.
[[nodiscard]] Eigen::ArrayXXd opening_rs_shares(const OpeningStock& opening,
                                                const Dimensions& dims);

// ---- Sections (one file each) --------------------------------------------
void build_time(const Node& root, Scenario& sc, BuildContext& ctx);
void build_dimensions(const Node& root, Scenario& sc, BuildContext& ctx);
void build_workforce(const Node& root, Scenario& sc, BuildContext& ctx);
void build_posts(const Node& root, Scenario& sc, BuildContext& ctx);
void build_turnover(const Node& supply, Scenario& sc, BuildContext& ctx);
void build_retirement(const Node& supply, Scenario& sc, BuildContext& ctx);
void build_destinations(const Node& supply, Scenario& sc, BuildContext& ctx);
void build_promotion(const Node& supply, Scenario& sc, BuildContext& ctx);
void build_training(const Node& supply, Scenario& sc, BuildContext& ctx);
// The extrapolation warnings of programme intakes that no training_intake
// lever replaces; after build_levers.
void warn_intake_extrapolation(const Scenario& sc, BuildContext& ctx);
void build_recruitment(const Node& supply, Scenario& sc, BuildContext& ctx);
void build_levers(const Node& root, Scenario& sc, BuildContext& ctx);
// `demand` (mode, coverage, opening vacancies, index) and, in need mode,
// build_need for the need tables; before `posts`, which depends on the mode.
void build_demand(const Node& root, Scenario& sc, BuildContext& ctx);
void build_need(const Node& demand, Scenario& sc, BuildContext& ctx);
void build_costs(const Node& root, Scenario& sc, BuildContext& ctx);
void build_outputs(const Node& root, Scenario& sc, BuildContext& ctx);
// Scales the inputs that count people of the covered part of the sector by
// 1 / demand.coverage (DESIGN.md 2.3); last, when every section is built.
void apply_coverage(Scenario& sc);
// The `select`, `to_service`/`from_services` and `from_sector`/`to_sectors`
// keys of a lever (build_lever_select.cpp); false when anything was reported.
bool read_lever_select(const Node& lever_node, const std::string& path, const Scenario& sc,
                       Lever& lever, BuildContext& ctx);

}  // namespace staffsim::config
