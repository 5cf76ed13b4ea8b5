// Reading and validating the `uncertainty:` block (DESIGN.md 2.7, 3): every
// key of every entry, the paths (resolved in the merged tree; cell selectors
// through the builder, which knows the tables' axes), overlapping `mode:
// value` entries, and the support of each distribution, built at its ends
// through the normal builder so a distribution that can leave a parameter's
// domain is rejected with the builder's rule. Every problem is reported.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "random/philox_stream.hpp"
#include "random/samplers.hpp"
#include "scenario/build_support.hpp"
#include "scenario/uncertainty.hpp"

namespace staffsim::config {

namespace {

struct DistributionInfo {
  Distribution dist;
  const char* name;
  std::vector<std::string> required;
  std::vector<std::string> optional;
};

const std::vector<DistributionInfo>& distributions() {
  static const std::vector<DistributionInfo> all = {
      {Distribution::normal, "normal", {"mean", "sd"}, {"lower", "upper"}},
      {Distribution::lognormal, "lognormal", {"mu", "sigma"}, {"lower", "upper"}},
      {Distribution::uniform, "uniform", {"lower", "upper"}, {}},
      {Distribution::triangular, "triangular", {"lower", "peak", "upper"}, {}},
      {Distribution::beta, "beta", {"a", "b"}, {"lower", "upper"}},
      {Distribution::discrete, "discrete", {"values"}, {"weights"}},
      {Distribution::dirichlet, "dirichlet", {"alpha"}, {}},
  };
  return all;
}

const std::vector<std::string> kParameterKeys = {
    "mean", "sd", "lower", "upper", "mu", "sigma", "peak", "a", "b", "values", "weights", "alpha"};

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// The entry's nodes that messages point at.
struct Written {
  const Node* item = nullptr;
  const Node* path = nullptr;
  const Node* distribution = nullptr;
  const Node* sample = nullptr;
  const Node* values = nullptr;
  const Node* alpha = nullptr;
  const Node* name = nullptr;
};

// A problem of a probe build, as text inside a message about the entry:
// "path = value: rule", with the position when it is neither `anchor`'s nor
// the entry's own (where the values it writes are located).
std::string describe(const Diagnostic& d, const Location& anchor, const Location& entry) {
  std::string out;
  const auto at = [&](const Location& l) { return d.file == l.file && d.line == l.line; };
  if (!d.file.empty() && !at(anchor) && !at(entry)) {
    out += d.file;
    if (d.line > 0) out += ":" + std::to_string(d.line);
    out += ": ";
  }
  if (!d.path.empty()) {
    out += d.path;
    if (!d.value.empty()) out += " = " + d.value;
    out += ": ";
  }
  return out + d.rule;
}

std::vector<Diagnostic> errors_of(const Diagnostics& diags) {
  std::vector<Diagnostic> out;
  for (const auto& d : diags.all()) {
    if (d.severity == Diagnostic::Severity::error) out.push_back(d);
  }
  return out;
}

class BlockReader {
 public:
  BlockReader(const NodePtr& params, const std::shared_ptr<CsvCache>& cache, Diagnostics& diags,
              std::string block)
      : params_(params),
        cache_(cache),
        diags_(diags),
        block_(std::move(block)),
        ctx_{diags, {}, false, std::nullopt, {}} {}

  // Reads one entry; false when it has problems (reported).
  bool read(const Node& item, std::size_t index, UncertainEntry& e, Written& w) {
    w.item = &item;
    const std::string at_index = block_ + "[" + std::to_string(index) + "]";
    if (!item.is_map()) {
      report(ctx_, item.loc, at_index, to_flow(item), "expected a mapping (one entry)");
      return false;
    }
    const std::size_t before = errors();
    e.at = item.loc;
    e.label = at_index;
    if ((w.name = optional_key(item, "name")) != nullptr) {
      if (auto s = read_text(*w.name, at_index + ".name", ctx_)) {
        e.name = *s;
        e.label = block_ + "[" + *s + "]";
      }
    }
    const std::string& L = e.label;
    check_keys(item, L, {"name",        "path",        "sample",  "distribution", "mode",
                         "independent", "renormalise", "balance", "mean",         "sd",
                         "lower",       "upper",       "mu",      "sigma",        "peak",
                         "a",           "b",           "values",  "weights",      "alpha"},
               ctx_);
    if (const Node* n = optional_key(item, "mode")) {
      if (auto m = read_choice(*n, child_path(L, "mode"), {"value", "scale"}, ctx_)) {
        e.scale = *m == "scale";
      }
    }
    w.sample = optional_key(item, "sample");
    w.path = optional_key(item, "path");
    if (w.sample != nullptr) {
      read_sample_entry(item, e, w);
    } else {
      read_path_entry(item, e, w);
    }
    return errors() == before;
  }

  // The scenario is valid: resolve cell selectors through the builder (one
  // build per entry, which also counts the selected cells).
  bool count_cells(UncertainEntry& e, const Written& w) {
    std::vector<std::pair<UncertainTarget*, Location>> cells;
    for (auto& t : e.targets) {
      if (t.cells()) cells.emplace_back(&t, w.path != nullptr ? w.path->loc : e.at);
    }
    for (std::size_t c = 0; c < e.columns.size(); ++c) {
      for (auto& t : e.columns[c]) {
        if (t.cells()) cells.emplace_back(&t, Location{e.sample_file, 1, 0});
      }
    }
    if (cells.empty()) return true;
    NodePtr tree = params_;
    std::vector<std::shared_ptr<std::vector<std::string>>> seen;
    for (auto& [t, at] : cells) {
      auto names = std::make_shared<std::vector<std::string>>();
      seen.push_back(names);
      auto located = std::make_shared<Node>();
      located->loc = at;
      const std::string written =
          e.dist == Distribution::sample
              ? column_text(e, *t)
              : (w.path != nullptr && w.path->is_scalar() ? w.path->scalar : t->path);
      CellOverride ov{t->selectors, located, written,
                      [names](const CellSelection& sel, std::vector<double>&) {
                        names->clear();
                        for (std::size_t k = 0; k < sel.cells.size(); ++k) {
                          names->push_back(sel.cell_name(k));
                        }
                      }};
      tree = edit_at(tree, t->steps, [&](const NodePtr& old) {
        auto n = std::make_shared<Node>(*old);
        n->cell_overrides.push_back(ov);
        return n;
      });
    }
    Diagnostics own;
    (void)build_scenario(tree, own, cache_.get());
    const auto problems = errors_of(own);
    for (const auto& d : problems) diags_.add(d);
    for (std::size_t i = 0; i < cells.size(); ++i) cells[i].first->cell_names = *seen[i];
    return problems.empty();
  }

  // Checks that need the selected elements: Dirichlet length, renormalise.
  bool check_elements(const UncertainEntry& e, const Written& w) {
    const std::size_t before = errors();
    if (e.dist == Distribution::dirichlet && w.alpha != nullptr && e.alpha.size() != e.elements()) {
      report(ctx_, w.alpha->loc, child_path(e.label, "alpha"),
             std::to_string(e.alpha.size()) + " values",
             "expected one per selected element, in selection order (" +
                 std::to_string(e.elements()) + ": " + element_list(e) + ")");
    }
    return errors() == before;
  }

  // Overlapping `mode: value` entries (the same element set by two).
  void check_overlaps(const std::vector<UncertainEntry>& entries,
                      const std::vector<Written>& written, const std::vector<bool>& ok) {
    struct Owner {
      std::string label;
      std::vector<std::string> cells;  // empty: the whole node
    };
    std::map<std::vector<std::size_t>, std::vector<Owner>> by_node;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const UncertainEntry& e = entries[i];
      if (!ok[i] || e.scale) continue;
      auto claim = [&](const UncertainTarget& t, const std::string& owner, const Location& at,
                       const std::string& path_key, const std::string& shown) {
        auto& owners = by_node[t.steps];
        for (const Owner& o : owners) {
          std::string both;
          if (o.cells.empty() || !t.cells()) {
            both = t.cells() && !t.cell_names.empty() ? t.cell_names.front() : t.path;
          } else {
            for (const auto& c : t.cell_names) {
              if (std::find(o.cells.begin(), o.cells.end(), c) != o.cells.end()) {
                both = c;
                break;
              }
            }
          }
          if (both.empty()) continue;
          report(ctx_, at, path_key, shown,
                 "overlaps " + o.label + ": both set " + both +
                     " by value (overlapping mode: value entries are an error; use mode: scale "
                     "or select other elements)");
          return;
        }
        owners.push_back(Owner{owner, t.cells() ? t.cell_names : std::vector<std::string>{}});
      };
      if (e.dist == Distribution::sample) {
        for (std::size_t c = 0; c < e.columns.size(); ++c) {
          for (const auto& t : e.columns[c]) {
            const std::string col = column_text(e, t);
            claim(t, e.label + " (column " + col + ")", Location{e.sample_file, 1, 0},
                  child_path(e.label, "sample"), col);
          }
        }
      } else {
        const Node* p = written[i].path;
        for (const auto& t : e.targets) {
          claim(t, e.label, p ? p->loc : e.at, child_path(e.label, "path"), p ? p->scalar : "");
        }
      }
    }
  }

  // Builds the scenario at the ends of the entry's support and reports the
  // rule a value there breaks.
  void probe(const UncertainEntry& e, const Written& w) {
    switch (e.dist) {
      case Distribution::discrete:
        for (std::size_t i = 0; i < e.values.size(); ++i) {
          EntryDraw d;
          d.choice = {i};
          if (e.numeric_choices()) d.x = {e.numbers[i]};
          const Node& v = *e.values[i];
          if (const auto p = probe_build(e, d)) {
            report(ctx_, v.loc, e.label + ".values[" + std::to_string(i) + "]", to_flow(v),
                   "with this value, " + describe(*p, v.loc, e.at));
          }
        }
        return;
      case Distribution::dirichlet: {
        const auto names = element_names(e);
        for (std::size_t k = 0; k < e.alpha.size(); ++k) {
          EntryDraw d;
          d.x.assign(e.alpha.size(), 0.0);
          d.x[k] = 1.0;
          if (const auto p = probe_build(e, d)) {
            report(ctx_, w.alpha->loc, child_path(e.label, "alpha"), to_flow(*w.alpha),
                   "the support leaves the domain of " + probe_path(*p, e) + " (at " + names[k] +
                       " = 1: " + p->rule + ")");
            return;
          }
        }
        return;
      }
      case Distribution::sample: {
        EntryDraw d;
        d.row = 0;
        if (const auto p = probe_build(e, d)) {
          report(ctx_, e.row_at[0], child_path(e.label, "sample"), "",
                 "draw 0 breaks a rule: " + describe(*p, e.row_at[0], e.at));
        }
        return;
      }
      default:
        break;
    }
    std::string failures;
    std::string path;
    const auto ends = support_ends(e);
    std::vector<std::size_t> failed;
    for (std::size_t k = 0; k < ends.size(); ++k) {
      EntryDraw d;
      d.x = {ends[k].first};
      if (const auto p = probe_build(e, d)) {
        if (path.empty()) path = probe_path(*p, e);
        failures +=
            (failures.empty() ? "" : "; ") + std::string("at ") + ends[k].second + ": " + p->rule;
        failed.push_back(k);
      }
    }
    if (failures.empty()) return;
    const bool unbounded = e.dist == Distribution::normal || e.dist == Distribution::lognormal;
    const std::string rule = "the support leaves the domain of " + path + " (" + failures + "); " +
                             (unbounded ? "truncate it with lower/upper" : "narrow lower/upper");
    // One end out of the domain, written as `lower:` or `upper:` (the first
    // and last ends): point at that bound, which is what to change.
    if (failed.size() == 1 && ends.size() == 2) {
      const char* key = failed[0] == 0 ? "lower" : "upper";
      if (const Node* bound = optional_key(*w.item, key)) {
        report(ctx_, bound->loc, child_path(e.label, key), bound->scalar, rule);
        return;
      }
    }
    report(ctx_, w.distribution->loc, child_path(e.label, "distribution"), w.distribution->scalar,
           rule);
  }

 private:
  NodePtr params_;
  std::shared_ptr<CsvCache> cache_;
  Diagnostics& diags_;
  std::string block_;  // the block's name in messages: uncertainty, calibration.free
  BuildContext ctx_;

  std::size_t errors() const { return errors_of(diags_).size(); }

  static std::string column_text(const UncertainEntry& e, const UncertainTarget& t) {
    for (std::size_t c = 0; c < e.columns.size(); ++c) {
      for (const auto& u : e.columns[c]) {
        if (&u == &t) return e.column_names[c];
      }
    }
    return t.path;
  }

  static std::vector<std::string> element_names(const UncertainEntry& e) {
    std::vector<std::string> out;
    for (const auto& t : e.targets) {
      if (t.cells()) {
        out.insert(out.end(), t.cell_names.begin(), t.cell_names.end());
      } else {
        out.push_back(t.path);
      }
    }
    return out;
  }

  static std::string element_list(const UncertainEntry& e) {
    auto names = element_names(e);
    if (names.size() > 6) {
      names.resize(6);
      names.emplace_back("...");
    }
    return join(names);
  }

  static std::string probe_path(const Diagnostic& d, const UncertainEntry& e) {
    if (!d.path.empty()) return d.path;
    return e.targets.empty() ? e.label : e.targets.front().path;
  }

  // Where the support ends: its bounds, or +-1e12 standing for +-inf (and
  // 1e-300 for a lognormal's 0). Open ends (uniform, triangular, beta) are
  // built one representable step inside.
  static std::vector<std::pair<double, std::string>> support_ends(const UncertainEntry& e) {
    constexpr double kHuge = 1e12;
    switch (e.dist) {
      case Distribution::normal:
        return {{std::isfinite(e.lower) ? e.lower : -kHuge,
                 std::isfinite(e.lower) ? format_number(e.lower) : "-inf"},
                {std::isfinite(e.upper) ? e.upper : kHuge,
                 std::isfinite(e.upper) ? format_number(e.upper) : "inf"}};
      case Distribution::lognormal:
        return {{e.lower > 0.0 && std::isfinite(e.lower) ? e.lower : 1e-300,
                 e.lower > 0.0 && std::isfinite(e.lower) ? format_number(e.lower) : "0"},
                {std::isfinite(e.upper) ? e.upper : kHuge,
                 std::isfinite(e.upper) ? format_number(e.upper) : "inf"}};
      default:
        return {{std::nextafter(e.lower, e.upper), format_number(e.lower)},
                {std::nextafter(e.upper, e.lower), format_number(e.upper)}};
    }
  }

  // The first error of a build with the entry's draw applied, if any.
  std::optional<Diagnostic> probe_build(const UncertainEntry& e, const EntryDraw& d) {
    Diagnostics own;
    try {
      const NodePtr tree = apply_entry(params_, e, d);
      (void)build_scenario(tree, own, cache_.get());
    } catch (const ScenarioError& err) {
      return err.problems().front();
    }
    for (const auto& [file, digest] : own.inputs()) diags_.record_input(file, digest);
    const auto problems = errors_of(own);
    if (problems.empty()) return std::nullopt;
    return problems.front();
  }

  // A finite number, reported otherwise.
  std::optional<double> number(const Node& item, std::string_view key, const std::string& L) {
    const Node* n = optional_key(item, key);
    return n ? read_number(*n, child_path(L, key), ctx_) : std::nullopt;
  }

  void need_less(const Node& item, const std::string& L, double lo, double hi,
                 std::string_view hi_key, const std::string& lo_text) {
    if (lo < hi) return;
    const Node* n = optional_key(item, hi_key);
    report(ctx_, n ? n->loc : item.loc, child_path(L, hi_key), format_number(hi),
           "must be > " + lo_text + " (" + format_number(lo) + ")");
  }

  void read_path_entry(const Node& item, UncertainEntry& e, Written& w) {
    const std::string& L = e.label;
    if (w.path == nullptr) {
      report(ctx_, item.loc, L, "", "an entry needs `path` and `distribution`, or `sample`");
    }
    w.distribution = require_key(item, "distribution", L, ctx_);
    if (const Node* n = optional_key(item, "independent")) {
      e.independent = read_bool(*n, child_path(L, "independent"), ctx_).value_or(false);
    }
    if (const Node* n = optional_key(item, "renormalise")) {
      e.renormalise = read_bool(*n, child_path(L, "renormalise"), ctx_).value_or(false);
    }
    const DistributionInfo* info = nullptr;
    if (w.distribution != nullptr) {
      std::vector<std::string> names;
      for (const auto& d : distributions()) names.emplace_back(d.name);
      if (auto s = read_choice(*w.distribution, child_path(L, "distribution"), names, ctx_)) {
        for (const auto& d : distributions()) {
          if (*s == d.name) info = &d;
        }
      }
    }
    if (info != nullptr) read_parameters(item, *info, e, w);
    if (w.path == nullptr) return;
    // One path, or a list of paths that take the same value (the same rule
    // written once per staff group, e.g. one employer's fill rate).
    std::vector<const Node*> paths;
    if (w.path->is_seq() && !w.path->items.empty()) {
      for (const auto& item_path : w.path->items) paths.push_back(item_path.get());
    } else {
      paths.push_back(w.path);
    }
    std::string shown;
    for (std::size_t k = 0; k < paths.size(); ++k) {
      const std::string key = paths.size() == 1
                                  ? child_path(L, "path")
                                  : child_path(L, "path") + "[" + std::to_string(k) + "]";
      const auto text = read_text(*paths[k], key, ctx_);
      if (!text) return;
      shown += (shown.empty() ? "" : ", ") + *text;
      std::string rule;
      auto targets = resolve_targets(*params_, *text, rule);
      if (!targets) {
        report(ctx_, paths[k]->loc, key, *text, rule);
        return;
      }
      if (info != nullptr) check_targets(e, w, *targets, paths[k]->loc, key, *text);
      e.targets.insert(e.targets.end(), targets->begin(), targets->end());
    }
    if (e.name.empty()) e.name = paths.size() == 1 ? shown : "[" + shown + "]";
    if (const Node* n = optional_key(item, "balance")) read_balance(*n, e);
  }

  // `balance: PATH`: one number that absorbs the entry's change, so that the
  // selected numbers and it keep their total (a row of shares stays summing
  // to 1 when one share is drawn or fitted: same_sector against exit).
  void read_balance(const Node& n, UncertainEntry& e) {
    const std::string key = child_path(e.label, "balance");
    const auto text = read_text(n, key, ctx_);
    if (!text) return;
    const bool plain = std::all_of(e.targets.begin(), e.targets.end(),
                                   [](const UncertainTarget& t) { return !t.cells(); });
    if (!plain || e.independent || e.renormalise || e.dist == Distribution::dirichlet ||
        (e.dist == Distribution::discrete && !e.numeric_choices())) {
      report(ctx_, n.loc, key, *text,
             "balance needs a path to numbers (not table cells), one value for all of them, "
             "no renormalise, and a numeric distribution");
      return;
    }
    std::string rule;
    auto targets = resolve_targets(*params_, *text, rule);
    if (!targets) {
      report(ctx_, n.loc, key, *text, rule);
      return;
    }
    if (targets->size() != 1 || targets->front().cells() ||
        !parse_number(node_at(*params_, targets->front().steps))) {
      report(ctx_, n.loc, key, *text, "balance must name exactly one number");
      return;
    }
    for (const auto& t : e.targets) {
      if (t.steps == targets->front().steps) {
        report(ctx_, n.loc, key, *text, "balance must not be one of the numbers the path selects");
        return;
      }
    }
    e.balance = std::move(targets->front());
  }

  // What a path selects must take the entry's values.
  void check_targets(const UncertainEntry& e, const Written& w,
                     const std::vector<UncertainTarget>& targets, const Location& at,
                     const std::string& key, const std::string& shown) {
    const bool any_value = e.dist == Distribution::discrete && !e.numeric_choices();
    std::size_t cell_targets = 0;
    for (const auto& t : targets) {
      if (t.cells()) {
        ++cell_targets;
        if (any_value && w.values != nullptr) {
          for (std::size_t i = 0; i < e.values.size(); ++i) {
            if (!parse_number(*e.values[i])) {
              report(ctx_, e.values[i]->loc, e.label + ".values[" + std::to_string(i) + "]",
                     to_flow(*e.values[i]), "expected a number (the path selects table cells)");
            }
          }
        }
        continue;
      }
      if (any_value) continue;
      const Node& n = node_at(*params_, t.steps);
      if (parse_number(n)) continue;
      std::string what;
      if (n.is_map()) {
        what = "a map";
      } else if (n.is_seq()) {
        what = "a list";
      } else {
        what = "text (" + to_flow(n) + ")";
      }
      report(ctx_, at, key, shown,
             "the path ends on " + what + " at " + t.path +
                 ", not a number; pick a number or table cells (e.g. " +
                 "supply.turnover.base[care_worker,*])");
      return;
    }
    if (e.renormalise && (cell_targets > 1 || (cell_targets == 1 && targets.size() > 1))) {
      report(ctx_, at, key, shown,
             "renormalise needs the selected elements in one table, or numbers only");
    }
  }

  void read_parameters(const Node& item, const DistributionInfo& info, UncertainEntry& e,
                       Written& w) {
    const std::string& L = e.label;
    e.dist = info.dist;
    std::vector<std::string> takes = info.required;
    takes.insert(takes.end(), info.optional.begin(), info.optional.end());
    for (std::size_t i = 0; i < item.entries.size(); ++i) {
      const std::string& key = item.entries[i].first;
      if (std::find(kParameterKeys.begin(), kParameterKeys.end(), key) == kParameterKeys.end() ||
          std::find(takes.begin(), takes.end(), key) != takes.end()) {
        continue;
      }
      report(ctx_, key_at(item, i), child_path(L, key), "",
             std::string("not a parameter of a ") + info.name + " distribution (it takes " +
                 join(takes) + ")");
    }
    for (const auto& key : info.required) (void)require_key(item, key, L, ctx_);
    const Node* mode = optional_key(item, "mode");
    auto value_only = [&](const char* what) {
      if (e.scale && mode != nullptr) {
        report(ctx_, mode->loc, child_path(L, "mode"), "scale",
               std::string("a ") + what + " distribution takes mode value only");
      }
    };
    auto not_with = [&](const char* key, bool set, const char* what) {
      const Node* n = optional_key(item, key);
      if (set && n != nullptr) {
        report(ctx_, n->loc, child_path(L, key), n->scalar,
               std::string("not with a ") + what + " distribution");
      }
    };
    const auto lower = number(item, "lower", L);
    const auto upper = number(item, "upper", L);
    if (lower) e.lower = *lower;
    if (upper) e.upper = *upper;
    switch (info.dist) {
      case Distribution::normal:
      case Distribution::lognormal: {
        const bool normal = info.dist == Distribution::normal;
        const char* sd_key = normal ? "sd" : "sigma";
        const auto centre = number(item, normal ? "mean" : "mu", L);
        std::optional<double> spread;
        if (const Node* n = optional_key(item, sd_key)) {
          spread = read_in(
              *n, child_path(L, sd_key),
              Domain{0.0, false, kInf, true, normal ? "sd must be > 0" : "sigma must be > 0"},
              ctx_);
        }
        if (centre) (normal ? e.mean : e.mu) = *centre;
        if (spread) (normal ? e.sd : e.sigma) = *spread;
        if (!normal && lower && *lower < 0.0) {
          report(ctx_, optional_key(item, "lower")->loc, child_path(L, "lower"),
                 format_number(*lower), "must be >= 0 (a lognormal value is positive)");
          return;
        }
        if (lower && upper) need_less(item, L, *lower, *upper, "upper", "lower");
        if (!centre || !spread || (lower && upper && *lower >= *upper)) return;
        if (lower || upper) check_mass(item, e, normal);
        return;
      }
      case Distribution::uniform:
        if (lower && upper) need_less(item, L, *lower, *upper, "upper", "lower");
        return;
      case Distribution::triangular: {
        const auto peak = number(item, "peak", L);
        if (!lower || !upper || !peak) return;
        e.peak = *peak;
        if (*lower >= *upper) {
          need_less(item, L, *lower, *upper, "upper", "lower");
        } else if (*peak < *lower || *peak > *upper) {
          report(ctx_, optional_key(item, "peak")->loc, child_path(L, "peak"), format_number(*peak),
                 "the peak must lie in [lower, upper] = [" + format_number(*lower) + ", " +
                     format_number(*upper) + "]");
        }
        return;
      }
      case Distribution::beta: {
        const Domain shape{0.0, false, kInf, true, "a shape must be > 0"};
        if (const Node* n = optional_key(item, "a"))
          e.a = read_in(*n, child_path(L, "a"), shape, ctx_).value_or(1.0);
        if (const Node* n = optional_key(item, "b"))
          e.b = read_in(*n, child_path(L, "b"), shape, ctx_).value_or(1.0);
        if (!lower) e.lower = 0.0;
        if (!upper) e.upper = 1.0;
        need_less(item, L, e.lower, e.upper, upper ? "upper" : "lower", upper ? "lower" : "upper");
        return;
      }
      case Distribution::discrete:
        value_only("discrete");
        read_choices(item, e, w);
        return;
      case Distribution::dirichlet: {
        value_only("dirichlet");
        not_with("independent", e.independent, "dirichlet");
        not_with("renormalise", e.renormalise, "dirichlet");
        w.alpha = optional_key(item, "alpha");
        if (w.alpha == nullptr) return;
        if (!w.alpha->is_seq() || w.alpha->items.empty()) {
          report(ctx_, w.alpha->loc, child_path(L, "alpha"), to_flow(*w.alpha),
                 "expected a non-empty list of numbers, one per selected element");
          return;
        }
        for (std::size_t i = 0; i < w.alpha->items.size(); ++i) {
          const auto v = read_in(*w.alpha->items[i], L + ".alpha[" + std::to_string(i) + "]",
                                 Domain{0.0, false, kInf, true, "alpha must be > 0"}, ctx_);
          e.alpha.push_back(v.value_or(1.0));
        }
        return;
      }
      default:
        return;
    }
  }

  // The truncation interval must carry probability.
  void check_mass(const Node& item, const UncertainEntry& e, bool normal) {
    try {
      random::RandomStream rng(0, 0, random::Stream::parameters, 0, 0);
      const double lo = normal ? e.lower : (e.lower > 0.0 ? std::log(e.lower) : -kInf);
      const double hi = normal ? e.upper : std::log(e.upper);
      (void)random::truncated_normal(rng, normal ? e.mean : e.mu, normal ? e.sd : e.sigma, lo, hi);
    } catch (const std::invalid_argument&) {
      const Node* n = optional_key(item, optional_key(item, "lower") ? "lower" : "upper");
      report(ctx_, n->loc, child_path(e.label, optional_key(item, "lower") ? "lower" : "upper"),
             n->scalar, "the interval [lower, upper] has no probability under this distribution");
    }
  }

  // discrete: `values` (any YAML values) and `weights` (default equal).
  void read_choices(const Node& item, UncertainEntry& e, Written& w) {
    const std::string& L = e.label;
    w.values = optional_key(item, "values");
    if (w.values == nullptr) return;
    if (!w.values->is_seq() || w.values->items.empty()) {
      report(ctx_, w.values->loc, child_path(L, "values"), to_flow(*w.values),
             "expected a non-empty list of values");
      return;
    }
    e.values = w.values->items;
    for (const auto& v : e.values) {
      if (const auto x = parse_number(*v)) e.numbers.push_back(*x);
    }
    if (!e.numeric_choices()) {
      e.numbers.clear();
      if (e.renormalise) {
        const Node* n = optional_key(item, "renormalise");
        report(ctx_, n->loc, child_path(L, "renormalise"), n->scalar,
               "renormalise needs numbers among the values");
      }
    }
    e.weights.assign(e.values.size(), 1.0 / static_cast<double>(e.values.size()));
    const Node* ws = optional_key(item, "weights");
    if (ws == nullptr) return;
    const std::string wp = child_path(L, "weights");
    if (!ws->is_seq()) {
      report(ctx_, ws->loc, wp, to_flow(*ws), "expected a list of weights, one per value");
      return;
    }
    if (ws->items.size() != e.values.size()) {
      report(ctx_, ws->loc, wp, std::to_string(ws->items.size()) + " weights",
             "expected one weight per value (" + std::to_string(e.values.size()) + ")");
      return;
    }
    double sum = 0.0;
    bool ok = true;
    for (std::size_t i = 0; i < ws->items.size(); ++i) {
      const auto v = read_in(*ws->items[i], wp + "[" + std::to_string(i) + "]",
                             Domain{0.0, true, kInf, true, "a weight must be >= 0"}, ctx_);
      ok = ok && v.has_value();
      if (v) {
        e.weights[i] = *v;
        sum += *v;
      }
    }
    if (ok) check_sum_to_one(sum, ws->loc, wp, ctx_);
  }

  // `sample: file.csv`: a header of paths (and optionally `draw`), one row
  // of numbers per draw.
  void read_sample_entry(const Node& item, UncertainEntry& e, Written& w) {
    const std::string& L = e.label;
    e.dist = Distribution::sample;
    if (w.path != nullptr) {
      report(ctx_, w.path->loc, child_path(L, "path"), to_flow(*w.path),
             "`path` and `sample` exclude each other (the sample file's header names the paths)");
    }
    for (std::size_t i = 0; i < item.entries.size(); ++i) {
      const std::string& key = item.entries[i].first;
      const bool other =
          key == "distribution" || key == "independent" || key == "renormalise" ||
          std::find(kParameterKeys.begin(), kParameterKeys.end(), key) != kParameterKeys.end();
      if (other) {
        report(ctx_, key_at(item, i), child_path(L, key), "",
               "not used with `sample` (a sample entry takes name, sample, mode)");
      }
    }
    const std::string key = child_path(L, "sample");
    if (!w.sample->is_scalar()) {
      report(ctx_, w.sample->loc, key, "", "expected a CSV file name");
      return;
    }
    if (e.name.empty()) e.name = w.sample->scalar;
    const auto csv = open_csv(*w.sample, key, ctx_);
    if (!csv) return;
    e.sample_file = csv->display_name;
    const Location head{csv->display_name, 1, 0};
    int draw_column = -1;
    std::vector<int> used;
    for (std::size_t c = 0; c < csv->header.size(); ++c) {
      const std::string& h = csv->header[c];
      if (h == "draw") {
        draw_column = static_cast<int>(c);
        continue;
      }
      std::string rule;
      auto targets = resolve_targets(*params_, h, rule);
      if (!targets) {
        if (h.find('[') != std::string::npos && h.find(']') == std::string::npos) {
          rule +=
              " (a path with commas must be double-quoted in the CSV header, e.g. "
              "\"supply.turnover.base[care_worker,*]\")";
        }
        report(ctx_, head, key, h, rule);
        continue;
      }
      UncertainEntry probe_e;
      probe_e.dist = Distribution::sample;
      probe_e.label = L;
      check_targets(probe_e, w, *targets, head, key, h);
      e.columns.push_back(std::move(*targets));
      e.column_names.push_back(h);
      used.push_back(static_cast<int>(c));
    }
    if (used.empty() && csv->header.size() == (draw_column >= 0 ? 1U : 0U)) {
      report(ctx_, head, key, csv->display_name, "the sample file has no parameter columns");
    }
    if (csv->rows.empty()) {
      report(ctx_, w.sample->loc, key, w.sample->scalar,
             "the sample file has no rows (one row per draw)");
    }
    for (std::size_t r = 0; r < csv->rows.size(); ++r) {
      const auto& row = csv->rows[r];
      const Location at = csv_row_location(*csv, r);
      std::vector<double> values;
      for (std::size_t j = 0; j < used.size(); ++j) {
        const auto c = static_cast<std::size_t>(used[j]);
        Node cell;
        cell.kind = Node::Kind::scalar;
        cell.scalar = row[c];
        cell.loc = at;
        values.push_back(read_number(cell, key + "[" + csv->header[c] + "]", ctx_).value_or(0.0));
      }
      if (draw_column >= 0) {
        Node cell;
        cell.kind = Node::Kind::scalar;
        cell.scalar = row[static_cast<std::size_t>(draw_column)];
        const auto d = parse_number(cell);
        if (!d || *d != static_cast<double>(r)) {
          report(ctx_, at, key + "[draw]", cell.scalar,
                 "the draw column must number the rows 0, 1, 2, ... (row " + std::to_string(r) +
                     " after the header is draw " + std::to_string(r) + ")");
        }
      }
      e.rows.push_back(std::move(values));
      e.row_at.push_back(at);
    }
  }
};

}  // namespace

std::shared_ptr<const ParameterUncertainty> build_uncertainty(
    const NodePtr& block, const NodePtr& params, bool probe, const std::shared_ptr<CsvCache>& cache,
    Diagnostics& diags, const std::string& block_name) {
  if (!block || block->is_null()) return nullptr;
  if (!block->is_seq()) {
    diags.error(block->loc, block_name, block->is_scalar() ? block->scalar : "",
                "expected a list of entries");
    return nullptr;
  }
  if (block->items.empty()) return nullptr;
  const std::size_t errors_before = errors_of(diags).size();
  BlockReader reader(params, cache, diags, block_name);
  std::vector<UncertainEntry> entries(block->items.size());
  std::vector<Written> written(block->items.size());
  std::vector<bool> ok(block->items.size());
  for (std::size_t i = 0; i < block->items.size(); ++i) {
    ok[i] = reader.read(*block->items[i], i, entries[i], written[i]);
  }
  // Names are the results' coordinates: distinct.
  for (std::size_t i = 0; i < entries.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (entries[i].name.empty() || entries[i].name != entries[j].name) continue;
      const Node* at = written[i].name ? written[i].name
                                       : (written[i].path ? written[i].path : written[i].sample);
      diags.error(at ? at->loc : entries[i].at, entries[i].label + ".name", entries[i].name,
                  "two entries have this name (" + entries[j].label +
                      " too; the default is the path or the sample file): give each a distinct "
                      "name");
      ok[i] = false;
      break;
    }
  }
  if (probe) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (ok[i]) ok[i] = reader.count_cells(entries[i], written[i]);
      if (ok[i]) ok[i] = reader.check_elements(entries[i], written[i]);
    }
    reader.check_overlaps(entries, written, ok);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (ok[i]) reader.probe(entries[i], written[i]);
    }
  }
  if (errors_of(diags).size() != errors_before || !probe) return nullptr;
  cache->freeze();
  return std::make_shared<TreeUncertainty>(params, std::move(entries), cache);
}

}  // namespace staffsim::config
