// Indicator queries: parsing `name[year, role=..., sector=..., band=...]`,
// checking one against a scenario, and reading its value from results
// through the same aggregation as the summary table (annual_table.cpp), so a
// target means exactly what `staffsim summary` prints.
#include "staffsim/indicator_query.hpp"

#include <cmath>
#include <optional>

#include "io/results_variables.hpp"
#include "scenario/config_tree.hpp"
#include "staffsim/annual_table.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/summary.hpp"

namespace staffsim {

namespace {

enum class ShareKind { age_band, age_band_nmds, tenure };

struct ShareIndicator {
  const char* name;
  ShareKind kind;
};

constexpr ShareIndicator kShares[] = {{"age_band_share", ShareKind::age_band},
                                      {"age_band_nmds_share", ShareKind::age_band_nmds},
                                      {"tenure_share", ShareKind::tenure}};

// Short names a commissioner writes, for the headcount-equivalent forms the
// summary table shows.
constexpr std::pair<const char*, const char*> kAliases[] = {
    {"posts", "posts_hc"}, {"vacancies", "vacancies_hc"}, {"gap", "gap_fte"}};

std::string canonical(const std::string& name) {
  for (const auto& [alias, key] : kAliases) {
    if (name == alias) return key;
  }
  return name;
}

const Measure* find_measure(const std::string& name) {
  const std::string key = canonical(name);
  for (const Measure& m : summary_measures()) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

std::optional<ShareKind> find_share(const std::string& name) {
  for (const auto& s : kShares) {
    if (name == s.name) return s.kind;
  }
  return std::nullopt;
}

// Measures that are flows or money over the year to the census: the first
// year has none.
bool is_flow(const Measure& m) {
  static const std::vector<std::string> stocks = {"headcount",
                                                  "fte",
                                                  "posts_hc",
                                                  "posts_fte",
                                                  "vacancies_hc",
                                                  "vacancies_fte",
                                                  "vacancy_rate",
                                                  "gap_fte",
                                                  "retirement_outlook_5",
                                                  "retirement_outlook_10"};
  for (const auto& s : stocks) {
    if (m.key == s) return false;
  }
  return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : s) {
    if (c == sep) {
      out.emplace_back(config::trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.emplace_back(config::trim(cur));
  return out;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// What a query needs of the run: labels, bands and years.
struct Frame {
  const Dimensions& dims;
  const AgeBands& age_band;
  const AgeBands& age_band_nmds;
  int first_year;
  int last_year;
};

// The results file's labels (0-1, 1-3, ..., 20+), which targets name.
std::vector<std::string> tenure_labels(const Dimensions& d) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(d.n_bands()));
  for (int k = 0; k < d.n_bands(); ++k) out.push_back(io::tenure_band_label(d, k));
  return out;
}

std::vector<std::string> band_labels(const Frame& f, ShareKind kind) {
  switch (kind) {
    case ShareKind::age_band:
      return f.age_band.labels;
    case ShareKind::age_band_nmds:
      return f.age_band_nmds.labels;
    case ShareKind::tenure:
      return tenure_labels(f.dims);
  }
  return {};
}

int index_of(const std::vector<std::string>& labels, const std::string& name) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::string check(const IndicatorQuery& q, const Frame& f) {
  const Measure* m = find_measure(q.indicator);
  const auto share = find_share(q.indicator);
  if (m == nullptr && !share) {
    return "unknown indicator '" + q.indicator + "'" +
           config::did_you_mean(q.indicator, indicator_names()) + " (one of " +
           join(indicator_names(), ", ") + ")";
  }
  if (q.year < f.first_year || q.year > f.last_year) {
    return "year " + std::to_string(q.year) + " is outside the run (" +
           std::to_string(f.first_year) + "-" + std::to_string(f.last_year) + ")";
  }
  if (m != nullptr && is_flow(*m) && q.year == f.first_year) {
    return q.indicator + " is a flow over the year to the census; the first year " +
           std::to_string(f.first_year) + " has none";
  }
  for (const auto& r : q.roles) {
    if (!f.dims.find_role(r)) {
      return "unknown role '" + r + "'" + config::did_you_mean(r, f.dims.roles);
    }
  }
  for (const auto& s : q.sectors) {
    if (!f.dims.find_sector(s)) {
      return "unknown sector '" + s + "'" + config::did_you_mean(s, f.dims.sectors);
    }
  }
  if (share) {
    const auto labels = band_labels(f, *share);
    if (q.band.empty()) {
      return q.indicator + " needs band=LABEL (one of " + join(labels, ", ") + ")";
    }
    if (index_of(labels, q.band) < 0) {
      return "unknown band '" + q.band + "' of " + q.indicator + " (one of " + join(labels, ", ") +
             ")";
    }
  } else if (!q.band.empty()) {
    return "band= applies to the share indicators only (age_band_share, age_band_nmds_share, "
           "tenure_share)";
  }
  if (m != nullptr && m->key == "training_cost" && (!q.roles.empty() || !q.sectors.empty())) {
    return "training_cost has no role or sector (programmes are not split by them)";
  }
  return "";
}

bool picks(const std::vector<std::string>& chosen, const std::string& label) {
  if (chosen.empty()) return true;
  for (const auto& c : chosen) {
    if (c == label) return true;
  }
  return false;
}

}  // namespace

std::string IndicatorQuery::text() const {
  std::string out = indicator + "[" + std::to_string(year);
  if (!roles.empty()) out += ", role=" + join(roles, "|");
  if (!sectors.empty()) out += ", sector=" + join(sectors, "|");
  if (!band.empty()) out += ", band=" + band;
  return out + "]";
}

const std::vector<std::string>& indicator_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Measure& m : summary_measures()) out.emplace_back(m.key);
    for (const auto& [alias, key] : kAliases) out.emplace_back(alias);
    for (const auto& s : kShares) out.emplace_back(s.name);
    return out;
  }();
  return names;
}

std::string indicator_unit(const IndicatorQuery& query) {
  if (const Measure* m = find_measure(query.indicator)) return std::string(m->unit);
  return "1";
}

bool scales_with_coverage(const IndicatorQuery& query) {
  const Measure* m = find_measure(query.indicator);
  return m != nullptr && m->scales_with_coverage;
}

IndicatorQuery parse_indicator_query(std::string_view text) {
  const std::string written(text);
  const auto refuse = [&](const std::string& rule) {
    throw UsageError("indicator '" + written + "': " + rule +
                     " (write it as name[year] or name[year, role=a|b, sector=c, band=x])");
  };
  const std::size_t open = text.find('[');
  const std::size_t close = text.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    refuse("expected a name and [year]");
  }
  if (!config::trim(text.substr(close + 1)).empty()) refuse("text after ']'");
  IndicatorQuery q;
  q.indicator = std::string(config::trim(text.substr(0, open)));
  if (q.indicator.empty()) refuse("the indicator name is missing");
  const auto parts = split(std::string(text.substr(open + 1, close - open - 1)), ',');
  try {
    std::size_t used = 0;
    q.year = std::stoi(parts[0], &used);
    if (used != parts[0].size()) refuse("the first item must be the census year");
  } catch (const std::logic_error&) {
    refuse("the first item must be the census year, not '" + parts[0] + "'");
  }
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::size_t eq = parts[i].find('=');
    if (eq == std::string::npos) refuse("'" + parts[i] + "' is not key=value");
    const std::string key(config::trim(std::string_view(parts[i]).substr(0, eq)));
    const std::string value(config::trim(std::string_view(parts[i]).substr(eq + 1)));
    if (value.empty()) refuse(key + "= has no value");
    if (key == "role") {
      q.roles = split(value, '|');
    } else if (key == "sector") {
      q.sectors = split(value, '|');
    } else if (key == "band") {
      q.band = value;
    } else {
      refuse("unknown key '" + key + "' (role, sector or band)");
    }
  }
  return q;
}

std::string check_query(const IndicatorQuery& query, const Scenario& scenario) {
  const Frame f{scenario.dims, scenario.outputs.age_band, scenario.outputs.age_band_nmds,
                scenario.time.start_year, scenario.time.end_year};
  return check(query, f);
}

double evaluate(const IndicatorQuery& query, const Results& results) {
  if (results.years.empty()) throw UsageError(query.text() + ": the results have no years");
  const Frame f{results.dims, results.age_band, results.age_band_nmds, results.years.front().year,
                results.years.back().year};
  if (const std::string rule = check(query, f); !rule.empty()) {
    throw UsageError(query.text() + ": " + rule);
  }
  const YearResult& y = results.at_year(query.year);
  if (!y.recorded) {
    throw UsageError(query.text() + ": the run has not reached " + std::to_string(query.year));
  }
  const Dimensions& d = results.dims;
  const auto selected = [&](int rs) {
    return picks(query.roles, d.roles[static_cast<std::size_t>(rs / d.n_sectors())]) &&
           picks(query.sectors, d.sectors[static_cast<std::size_t>(rs % d.n_sectors())]);
  };
  if (const Measure* m = find_measure(query.indicator)) {
    return aggregate_cells(d, y, selected, "query").*(m->field);
  }
  const ShareKind kind = *find_share(query.indicator);
  const int band = index_of(band_labels(f, kind), query.band);
  double in_band = 0.0;
  double all = 0.0;
  if (kind == ShareKind::tenure) {
    for (int rs = 0; rs < d.n_role_sectors(); ++rs) {
      if (!selected(rs)) continue;
      in_band += y.tenure_profile(rs, band);
      all += y.tenure_profile.row(rs).sum();
    }
  } else {
    const Eigen::ArrayXXd bands = age_band_profile(
        y, d, kind == ShareKind::age_band ? results.age_band : results.age_band_nmds);
    for (int rs = 0; rs < d.n_role_sectors(); ++rs) {
      if (!selected(rs)) continue;
      in_band += bands(rs, band);
      all += bands.row(rs).sum();
    }
  }
  return all > 0.0 ? in_band / all : std::nan("");
}

}  // namespace staffsim
