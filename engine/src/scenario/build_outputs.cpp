// `outputs` (DESIGN.md 2.6, 2.7): the two age band sets of the age profile
// (never one dimension) and the shortfall threshold x of P(vacancy rate > x)
// and P(gap < -x posts). Always filled: defaults when absent.
#include <algorithm>
#include <set>

#include "scenario/build_support.hpp"
#include "scenario/output_defaults.hpp"

namespace staffsim::config {

namespace {

const std::vector<std::string> kAgeBand{"16-24", "25-34", "35-44", "45-54", "55-64", "65+"};
// NMDS-SC labels its first band 18-29 whatever the youngest age recorded.
const std::vector<std::string> kAgeBandNmds{"18-29", "30-39", "40-49", "50-59", "60-69", "70+"};

constexpr Domain kThreshold{0.0, true, 1.0, false, "a shortfall threshold must be in [0, 1)"};

// Defaults fit any ages: bands wholly outside [min_age, max_age] are dropped,
// the first kept band starts at min_age and the last ends at max_age (so
// "18-29" holds min_age-29, as in NMDS-SC).
AgeBands default_bands(const std::vector<std::string>& labels, const Dimensions& dims) {
  AgeBands out;
  for (const auto& label : labels) {
    const AgeRange r = *parse_age_range(label, dims.max_age);
    const int lo = std::max(r.lo, dims.min_age);
    const int hi = std::min(r.hi, dims.max_age);
    if (lo > hi) continue;
    out.labels.push_back(label);
    out.ranges.emplace_back(lo, hi);
  }
  if (out.ranges.empty()) {  // every age below the first default band
    out.labels.push_back(std::to_string(dims.min_age) + "-" + std::to_string(dims.max_age));
    out.ranges.emplace_back(dims.min_age, dims.max_age);
  }
  out.ranges.front().first = dims.min_age;
  out.ranges.back().second = dims.max_age;
  return out;
}

// Written bands: distinct labels, ranges in increasing order, clipped to
// [min_age, max_age] (the first may start below min_age), disjoint and
// together covering every age, so the profile counts everyone once.
std::optional<AgeBands> read_bands(const Node& n, const std::string& path, BuildContext& ctx) {
  const auto labels = read_label_list(n, path, ctx);
  if (!labels) return std::nullopt;
  const Dimensions& dims = ctx.dims;
  AgeBands out;
  std::set<std::string> seen;
  bool ok = !labels->empty();
  if (labels->empty()) report(ctx, n.loc, path, "[]", "at least one age band");
  int next = dims.min_age;  // the youngest age no band covers yet
  for (std::size_t i = 0; i < labels->size(); ++i) {
    const std::string& label = (*labels)[i];
    const std::string p = path + "[" + std::to_string(i) + "]";
    const Location at = n.items[i]->loc;
    const auto r = parse_age_range(label, dims.max_age);
    if (!r) {
      report(ctx, at, p, label, "expected an age range like 16-24, 65+ or 45");
      ok = false;
      continue;
    }
    const int lo = std::max(r->lo, dims.min_age);
    const int hi = std::min(r->hi, dims.max_age);
    if (!seen.insert(label).second) {
      report(ctx, at, p, label, "duplicate age band");
      ok = false;
    } else if (lo > hi) {
      report(ctx, at, p, label,
             "a band must overlap [min_age, max_age] = [" + std::to_string(dims.min_age) + ", " +
                 std::to_string(dims.max_age) + "]");
      ok = false;
    } else if (lo < next) {
      report(ctx, at, p, label, "bands must be disjoint and in increasing order of age");
      ok = false;
    } else if (lo > next) {
      report(ctx, at, p, label,
             "bands must cover every age from min_age to max_age: ages " + std::to_string(next) +
                 "-" + std::to_string(lo - 1) + " are in no band");
      ok = false;
    }
    next = std::max(next, hi + 1);
    out.labels.push_back(label);
    out.ranges.emplace_back(lo, hi);
  }
  if (ok && next <= dims.max_age) {
    report(ctx, n.loc, path, "",
           "bands must cover every age from min_age to max_age: ages " + std::to_string(next) +
               "-" + std::to_string(dims.max_age) + " are in no band");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

// DESIGN.md 2.6 defaults, for load_scenario and for scenarios built in code.
Outputs default_outputs(const Dimensions& dims) {
  Outputs out;
  out.age_band = default_bands(kAgeBand, dims);
  out.age_band_nmds = default_bands(kAgeBandNmds, dims);
  return out;
}

// Each key has a default (DESIGN.md 2.6, 2.7).
void build_outputs(const Node& root, Scenario& sc, BuildContext& ctx) {
  sc.outputs = default_outputs(sc.dims);
  const Node* o = optional_key(root, "outputs");
  if (o == nullptr || !expect_map(*o, "outputs", ctx)) return;
  check_keys(*o, "outputs", {"age_bands", "age_bands_nmds", "shortfall_threshold"}, ctx);
  if (const Node* n = optional_key(*o, "age_bands")) {
    if (auto b = read_bands(*n, "outputs.age_bands", ctx)) sc.outputs.age_band = std::move(*b);
  }
  if (const Node* n = optional_key(*o, "age_bands_nmds")) {
    if (auto b = read_bands(*n, "outputs.age_bands_nmds", ctx)) {
      sc.outputs.age_band_nmds = std::move(*b);
    }
  }
  if (const Node* n = optional_key(*o, "shortfall_threshold")) {
    const auto v = read_in(*n, "outputs.shortfall_threshold", kThreshold, ctx);
    if (v) sc.outputs.shortfall_threshold = *v;
  }
}

}  // namespace staffsim::config
