#pragma once
// The scenario as a tree of YAML values that remember where they came from
// (file, line, column). Loading, `extends:` merging and overrides work on this
// tree; build.cpp turns the merged tree into a typed Scenario. Internal header.
#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "staffsim/errors.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim::config {

struct Location {
  std::string file;  // as the user named it (relative to the working directory)
  int line = 0;      // 1-based
  int column = 0;    // 1-based
};

struct Node;
using NodePtr = std::shared_ptr<Node>;

// The cells a CellOverride selected, as the builder found them: (row,
// column) indices in selection order (the first selector's labels outer),
// the labels of both axes and the table's path, for messages.
struct CellSelection {
  std::vector<std::array<int, 2>> cells;
  const std::vector<std::string>* row_labels = nullptr;
  const std::vector<std::string>* col_labels = nullptr;
  const std::string* table_path = nullptr;
  // "table[row,column]" of the k-th selected cell.
  [[nodiscard]] std::string cell_name(std::size_t k) const;
};
// Computes the selected cells' new values from their current ones (parallel
// to selection.cells); the builder then checks each against the table's
// domain. Used by `uncertainty:` (mode scale, independent, Dirichlet,
// renormalise); must not keep references to its arguments.
using CellTransform = std::function<void(const CellSelection&, std::vector<double>&)>;

// A selector override that targets elements of a dimensioned parameter,
// e.g. `supply.turnover.base[care_worker,private] = 0.3`. It is attached to
// the parameter's node and applied by the builder, which knows the parameter's
// dimensions. Each selector list holds one entry per dimension; an entry is a
// label, "*" or labels joined by '|'.
struct CellOverride {
  std::vector<std::string> selectors;
  NodePtr value;
  std::string path;  // the full path as written, for messages
  // When set, replaces `value` (which then only locates messages): the new
  // values of the selected cells from their current ones.
  CellTransform transform = {};
};

struct Node {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string scalar;   // raw scalar text
  bool quoted = false;  // the scalar was quoted: a string, never a number
  std::vector<std::pair<std::string, NodePtr>> entries;  // map, in file order
  std::vector<Location> key_locations;                   // map, parallel to entries
  std::vector<NodePtr> items;                            // sequence
  Location loc;                                          // where this value was written
  std::filesystem::path
      base_dir;  // folder of the file that wrote it (CSV paths are relative to it)
  std::vector<CellOverride> cell_overrides;

  [[nodiscard]] bool is_map() const { return kind == Kind::map; }
  [[nodiscard]] bool is_seq() const { return kind == Kind::sequence; }
  [[nodiscard]] bool is_scalar() const { return kind == Kind::scalar; }
  [[nodiscard]] bool is_null() const { return kind == Kind::null; }
  // Map lookup; nullptr when absent or not a map.
  [[nodiscard]] const Node* get(std::string_view key) const;
  [[nodiscard]] NodePtr get_ptr(std::string_view key) const;
  [[nodiscard]] Location key_location(std::string_view key) const;
};

// Collects every problem found; validation reports all of them at once.
class Diagnostics {
 public:
  void error(const Location& at, std::string path, std::string value, std::string rule);
  void warning(const Location& at, std::string path, std::string value, std::string rule);
  // A problem found elsewhere (a cached table's, a probe build's), as is.
  void add(const Diagnostic& d);
  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] const std::vector<Diagnostic>& all() const { return items_; }
  [[nodiscard]] std::vector<Diagnostic> warnings() const;
  // Throws ScenarioError with every error (and nothing if there are none).
  void throw_if_errors() const;
  // Every input file read while loading (scenario YAML and CSV tables) with the
  // SHA-256 of the bytes parsed, each file once, in the order first read.
  // parse_yaml_file and read_csv record here; load_scenario copies the list
  // into Scenario::input_sha256.
  void record_input(std::string file, std::string sha256);
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& inputs() const {
    return inputs_;
  }

 private:
  std::vector<Diagnostic> items_;
  std::vector<std::pair<std::string, std::string>> inputs_;
};

// Parses one YAML file into a tree. Syntax errors become diagnostics with
// the file, line and column; a missing file is an IoError.
[[nodiscard]] NodePtr parse_yaml_file(const std::filesystem::path& file, Diagnostics& diags);

// Parses a scalar or flow value given on the command line (`--set p=v`).
[[nodiscard]] NodePtr parse_yaml_value(const std::string& text, const Location& at,
                                       Diagnostics& diags);

// Loads `file`, resolves `extends:` (left to right, then the child), applies
// the file's `overrides:` block and then `sets`, in that order (DESIGN.md 3).
// Records every file read, with its SHA-256, in `inputs`.
[[nodiscard]] NodePtr load_merged(const std::filesystem::path& file,
                                  const std::vector<Override>& sets, Diagnostics& diags,
                                  std::vector<std::pair<std::string, std::string>>& inputs);

// Merge `child` onto `parent` by the rules of DESIGN.md 3; returns the result.
[[nodiscard]] NodePtr merge(const NodePtr& parent, const NodePtr& child, const std::string& path,
                            Diagnostics& diags);

// `path.key`, or `key` at the top (paths in messages).
[[nodiscard]] std::string join_key(const std::string& path, const std::string& key);
// `s` without leading and trailing spaces and tabs (paths, selectors, range
// labels, indicator queries): a view into `s`.
[[nodiscard]] std::string_view trim(std::string_view s);
// True when one selector ('*', a label or labels joined by '|') picks `name`.
[[nodiscard]] bool matches(const std::string& selector, const std::string& name);

// Applies one `path = value` override (DESIGN.md 2.7 grammar) to the tree.
void apply_override(const NodePtr& root, const std::string& path, const NodePtr& value,
                    Diagnostics& diags);

// Splits a path into segments; each segment is a name and its selector lists.
struct PathSegment {
  std::string name;
  std::vector<std::string> selectors;  // empty when the segment has no [...]
};
// Throws nothing: problems go to diags (with `at`) and an empty vector returns.
[[nodiscard]] std::vector<PathSegment> parse_path(const std::string& path, const Location& at,
                                                  Diagnostics& diags);

// The tree as YAML text; with `annotate`, each scalar line ends in a comment
// naming the file:line:column it came from (`staffsim show`).
[[nodiscard]] std::string to_yaml(const Node& root, bool annotate);

// A CSV table: header names, then rows of cells, with the row numbers
// (1-based, header is row 1) for messages.
struct CsvTable {
  std::filesystem::path file;
  std::string display_name;  // as shown in messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_numbers;
};
// Reads a CSV file (comma separated, '#' comment lines and blank lines skipped,
// double-quoted fields allowed). Problems go to diags; IoError if unreadable.
[[nodiscard]] CsvTable read_csv(const std::filesystem::path& file, const Location& named_at,
                                Diagnostics& diags);

// Parsed CSV tables shared by the builds of one scenario (the file's and
// every uncertainty draw's), so a draw reads nothing from disk. Filled while
// the scenario loads (one thread); after freeze() it is only read, and any
// number of threads may build from it at once. A table is replayed with the
// problems and digest its first read recorded.
class CsvCache {
 public:
  struct Entry {
    std::shared_ptr<const CsvTable> table;
    std::vector<Diagnostic> problems;  // what reading it reported (bad rows)
    std::string sha256;
  };
  // The cached table of `file` (as open_csv resolves it), or nullptr.
  [[nodiscard]] const Entry* find(const std::filesystem::path& file) const;
  // Stores a table read for the first time; ignored after freeze().
  void insert(const std::filesystem::path& file, Entry entry);
  void freeze() { frozen_ = true; }
  [[nodiscard]] bool frozen() const { return frozen_; }

 private:
  std::map<std::string, Entry> tables_;
  bool frozen_ = false;
};

// SHA-256 of a file's bytes, lowercase hex.
[[nodiscard]] std::string sha256_file(const std::filesystem::path& file);

// Builds the typed Scenario from a merged tree, reporting every problem.
// CSV tables come from `cache` when given (and are added to it until it is
// frozen). The `uncertainty:` block is not read here (uncertainty.hpp).
[[nodiscard]] Scenario build_scenario(const NodePtr& root, Diagnostics& diags);
[[nodiscard]] Scenario build_scenario(const NodePtr& root, Diagnostics& diags, CsvCache* cache);

// ---- Helpers shared by the loader and the builder ----------------------------

// "; did you mean 'x'?" for the closest candidate (edit distance <= 2, or a
// prefix of at least 3 characters), or "" when nothing is close.
[[nodiscard]] std::string did_you_mean(std::string_view word,
                                       const std::vector<std::string>& candidates);

// "map", "list", "scalar" or "null", for messages.
[[nodiscard]] const char* kind_name(Node::Kind kind);

// A deep copy (cell overrides included) that shares nothing with `node`.
[[nodiscard]] NodePtr deep_copy(const Node& node);

// One-line YAML flow text of a value, e.g. `0.3`, `[a, b]`, `{cap: 100}`.
[[nodiscard]] std::string to_flow(const Node& node);

// SHA-256 of a byte string, lowercase hex.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

// Notes on the loader's contract:
// - load_merged returns nullptr when a scenario file could not be read or
//   parsed or `extends:` has a cycle (the reasons are in diags); otherwise the
//   merged tree, a map. `extends` and `overrides` are consumed;
//   `staffsim_scenario` stays in the tree. A null value means "absent".
// - read_csv reports an unreadable file as an error at `named_at` (not an
//   IoError) and returns a table with an empty header.
// - parse_yaml_value returns nullptr when the text is not YAML (reported).

}  // namespace staffsim::config
