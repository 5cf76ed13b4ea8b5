// Diagnostics (every problem of a scenario, reported at once) and the small
// Node helpers the loader and the builder share.
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "scenario/config_tree.hpp"

namespace staffsim::config {

// ---- Node ---------------------------------------------------------------

const Node* Node::get(std::string_view key) const { return get_ptr(key).get(); }

NodePtr Node::get_ptr(std::string_view key) const {
  if (kind != Kind::map) return nullptr;
  for (const auto& [k, v] : entries) {
    if (k == key) return v;
  }
  return nullptr;
}

Location Node::key_location(std::string_view key) const {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].first == key && i < key_locations.size()) return key_locations[i];
  }
  return loc;
}

const char* kind_name(Node::Kind kind) {
  switch (kind) {
    case Node::Kind::null:
      return "null";
    case Node::Kind::scalar:
      return "scalar";
    case Node::Kind::sequence:
      return "list";
    case Node::Kind::map:
      return "map";
  }
  return "value";
}

// Merging and overrides must never change the trees they were given (a parent
// file's tree may be merged into several children), so they work on copies.
NodePtr deep_copy(const Node& node) {
  auto out = std::make_shared<Node>();
  out->kind = node.kind;
  out->scalar = node.scalar;
  out->quoted = node.quoted;
  out->key_locations = node.key_locations;
  out->loc = node.loc;
  out->base_dir = node.base_dir;
  out->entries.reserve(node.entries.size());
  for (const auto& [k, v] : node.entries) out->entries.emplace_back(k, v ? deep_copy(*v) : v);
  out->items.reserve(node.items.size());
  for (const auto& item : node.items) out->items.push_back(item ? deep_copy(*item) : item);
  for (const auto& cell : node.cell_overrides) {
    out->cell_overrides.push_back(CellOverride{cell.selectors,
                                               cell.value ? deep_copy(*cell.value) : cell.value,
                                               cell.path, cell.transform});
  }
  return out;
}

std::string CellSelection::cell_name(std::size_t k) const {
  const auto& [r, c] = cells[k];
  return (table_path ? *table_path : std::string()) + "[" +
         (row_labels ? (*row_labels)[static_cast<std::size_t>(r)] : std::to_string(r)) + "," +
         (col_labels ? (*col_labels)[static_cast<std::size_t>(c)] : std::to_string(c)) + "]";
}

// ---- CSV cache --------------------------------------------------------------

const CsvCache::Entry* CsvCache::find(const std::filesystem::path& file) const {
  const auto it = tables_.find(file.lexically_normal().generic_string());
  return it == tables_.end() ? nullptr : &it->second;
}

void CsvCache::insert(const std::filesystem::path& file, Entry entry) {
  if (frozen_) return;
  tables_.emplace(file.lexically_normal().generic_string(), std::move(entry));
}

// ---- Diagnostics ----------------------------------------------------------

namespace {

Diagnostic make_diagnostic(Diagnostic::Severity severity, const Location& at, std::string path,
                           std::string value, std::string rule) {
  Diagnostic d;
  d.severity = severity;
  d.file = at.file;
  d.line = at.line;
  d.column = at.column;
  d.path = std::move(path);
  d.value = std::move(value);
  d.rule = std::move(rule);
  return d;
}

bool same(const Diagnostic& a, const Diagnostic& b) {
  return a.severity == b.severity && a.file == b.file && a.line == b.line && a.column == b.column &&
         a.path == b.path && a.value == b.value && a.rule == b.rule;
}

// The same file can be read twice (a parent shared by two `extends` entries);
// its problems are reported once.
void add_unique(std::vector<Diagnostic>& items, Diagnostic d) {
  for (const auto& existing : items) {
    if (same(existing, d)) return;
  }
  items.push_back(std::move(d));
}

}  // namespace

void Diagnostics::error(const Location& at, std::string path, std::string value, std::string rule) {
  add_unique(items_, make_diagnostic(Diagnostic::Severity::error, at, std::move(path),
                                     std::move(value), std::move(rule)));
}

void Diagnostics::warning(const Location& at, std::string path, std::string value,
                          std::string rule) {
  add_unique(items_, make_diagnostic(Diagnostic::Severity::warning, at, std::move(path),
                                     std::move(value), std::move(rule)));
}

void Diagnostics::add(const Diagnostic& d) { add_unique(items_, d); }

bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::error; });
}

std::vector<Diagnostic> Diagnostics::warnings() const {
  std::vector<Diagnostic> out;
  for (const auto& d : items_) {
    if (d.severity == Diagnostic::Severity::warning) out.push_back(d);
  }
  return out;
}

// Validation fails as a whole: the exception lists every error, in the order
// found (DESIGN.md 3, "reports every problem it finds").
void Diagnostics::throw_if_errors() const {
  std::vector<Diagnostic> errors;
  for (const auto& d : items_) {
    if (d.severity == Diagnostic::Severity::error) errors.push_back(d);
  }
  if (!errors.empty()) throw ScenarioError(std::move(errors));
}

void Diagnostics::record_input(std::string file, std::string sha256) {
  for (const auto& [name, digest] : inputs_) {
    if (name == file) return;
  }
  inputs_.emplace_back(std::move(file), std::move(sha256));
}

// ---- Did you mean ---------------------------------------------------------

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Levenshtein distance with two rows.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

// Unknown keys and labels are errors with a suggestion (DESIGN.md 3). A
// candidate qualifies at edit distance <= 2 (and less than the word's length,
// so short words do not match everything) or when one is a prefix of the
// other (at least 3 characters); the closest wins, the first on ties.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  const std::string* best = nullptr;
  std::size_t best_score = 0;
  for (const auto& cand : candidates) {
    const std::string c = lower(cand);
    if (cand == word) continue;
    const std::size_t d = edit_distance(w, c);
    const bool close = d <= 2 && d < w.size();
    const bool prefix = std::min(w.size(), c.size()) >= 3 && (c.starts_with(w) || w.starts_with(c));
    if (!close && !prefix) continue;
    const std::size_t score = close ? d : 3;
    if (best == nullptr || score < best_score) {
      best = &cand;
      best_score = score;
    }
  }
  return best == nullptr ? std::string() : "; did you mean '" + *best + "'?";
}

}  // namespace staffsim::config
