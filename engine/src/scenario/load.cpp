// Loading a scenario (DESIGN.md 3): read the file, resolve `extends:` (each
// parent loaded the same way, merged left to right, then the child), apply
// the file's `overrides:` block, then the `--set` overrides; build and
// validate the typed Scenario from the merged tree.
#include <algorithm>
#include <string>
#include <vector>

#include "scenario/calibration_load.hpp"
#include "scenario/config_tree.hpp"
#include "scenario/uncertainty.hpp"

namespace staffsim::config {

namespace {

// The same file however it is named, for cycle detection.
std::filesystem::path identity(const std::filesystem::path& p) {
  std::error_code ec;
  std::filesystem::path c = std::filesystem::weakly_canonical(p, ec);
  return ec ? std::filesystem::absolute(p).lexically_normal() : c;
}

// Takes `key` out of a map (consumed keys are not part of the merged tree).
NodePtr take(Node& map, std::string_view key) {
  for (std::size_t i = 0; i < map.entries.size(); ++i) {
    if (map.entries[i].first != key) continue;
    NodePtr value = map.entries[i].second;
    map.entries.erase(map.entries.begin() + static_cast<std::ptrdiff_t>(i));
    if (i < map.key_locations.size()) {
      map.key_locations.erase(map.key_locations.begin() + static_cast<std::ptrdiff_t>(i));
    }
    return value;
  }
  return nullptr;
}

// "; did you mean 'base.yaml'?" from the YAML files beside a missing parent.
std::string suggest_file(const std::filesystem::path& missing) {
  std::vector<std::string> names;
  std::error_code ec;
  const std::filesystem::path dir =
      missing.parent_path().empty() ? std::filesystem::path(".") : missing.parent_path();
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    if (ext == ".yaml" || ext == ".yml") names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return did_you_mean(missing.filename().string(), names);
}

class Loader {
 public:
  explicit Loader(Diagnostics& diags) : diags_(diags) {}
  bool failed = false;

  // One file with its parents merged in and its `overrides:` applied.
  NodePtr load(const std::filesystem::path& file, bool top) {
    stack_ids_.push_back(identity(file));
    stack_names_.push_back(file.generic_string());
    NodePtr result = load_inner(file, top);
    stack_ids_.pop_back();
    stack_names_.pop_back();
    return result;
  }

 private:
  Diagnostics& diags_;
  std::vector<std::filesystem::path> stack_ids_;
  std::vector<std::string> stack_names_;

  NodePtr load_inner(const std::filesystem::path& file, bool top) {
    NodePtr tree = parse_yaml_file(file, diags_);
    if (!tree) {
      failed = true;
      return nullptr;
    }
    if (!tree->is_map()) {
      diags_.error(tree->loc, "", to_flow(*tree),
                   "a scenario file must be a map of keys, starting with `staffsim_scenario: 1`");
      failed = true;
      return nullptr;
    }
    check_version(*tree, file, top);
    const NodePtr extends = take(*tree, "extends");
    const NodePtr overrides = take(*tree, "overrides");

    std::vector<NodePtr> parents;
    for (const NodePtr& target : extends_targets(extends)) {
      if (NodePtr parent = load_parent(file, *target)) parents.push_back(parent);
    }
    NodePtr merged = tree;
    if (!parents.empty()) {
      NodePtr acc = parents.front();
      for (std::size_t i = 1; i < parents.size(); ++i) acc = merge(acc, parents[i], "", diags_);
      merged = merge(acc, tree, "", diags_);
      merged->loc = tree->loc;  // the file itself, for "missing key" messages
      merged->base_dir = tree->base_dir;
    }
    apply_block(merged, overrides);
    return merged;
  }

  // `staffsim_scenario: 1` is required in the top file and, where a parent
  // states it, must be 1 there too.
  void check_version(const Node& tree, const std::filesystem::path& file, bool top) {
    const Node* v = tree.get("staffsim_scenario");
    if (v == nullptr) {
      if (top) {
        diags_.error(Location{file.generic_string(), 1, 1}, "staffsim_scenario", "",
                     "missing: a scenario file starts with `staffsim_scenario: 1` "
                     "(the input format version)");
      }
      return;
    }
    if (!v->is_scalar() || v->quoted || v->scalar != "1") {
      diags_.error(v->loc, "staffsim_scenario", to_flow(*v),
                   "unsupported input format version: this staffsim reads version 1");
    }
  }

  // `extends:` is one file name or a list of them.
  std::vector<NodePtr> extends_targets(const NodePtr& extends) {
    if (!extends || extends->is_null()) return {};
    if (extends->is_scalar()) return {extends};
    if (extends->is_seq()) {
      std::vector<NodePtr> out;
      for (const auto& item : extends->items) {
        if (item->is_scalar()) {
          out.push_back(item);
        } else {
          diags_.error(item->loc, "extends", to_flow(*item), "expected a file name");
        }
      }
      return out;
    }
    diags_.error(extends->loc, "extends", to_flow(*extends),
                 "expected a file name or a list of file names");
    return {};
  }

  // A parent is named relative to the file that names it; a missing parent or
  // a cycle is reported at the `extends` entry.
  NodePtr load_parent(const std::filesystem::path& child, const Node& target) {
    const std::filesystem::path path = (child.parent_path() / target.scalar).lexically_normal();
    const std::filesystem::path id = identity(path);
    for (std::size_t i = 0; i < stack_ids_.size(); ++i) {
      if (stack_ids_[i] != id) continue;
      std::string chain;
      for (std::size_t j = i; j < stack_names_.size(); ++j) chain += stack_names_[j] + " -> ";
      diags_.error(target.loc, "extends", target.scalar,
                   "a cycle in extends: " + chain + path.generic_string());
      failed = true;
      return nullptr;
    }
    try {
      return load(path, false);
    } catch (const IoError& e) {
      diags_.error(target.loc, "extends", target.scalar,
                   std::string(e.what()) + suggest_file(path));
      failed = true;
    }
    return nullptr;
  }

  // `overrides:` applies last in its file, each entry at its YAML position.
  void apply_block(const NodePtr& tree, const NodePtr& overrides) {
    if (!overrides || overrides->is_null()) return;
    if (!overrides->is_map()) {
      diags_.error(overrides->loc, "overrides", to_flow(*overrides),
                   "expected a map of `path: value` pairs");
      return;
    }
    for (const auto& [path, value] : overrides->entries) {
      apply_override(tree, path, value, diags_);
    }
  }
};

}  // namespace

NodePtr load_merged(const std::filesystem::path& file, const std::vector<Override>& sets,
                    Diagnostics& diags, std::vector<std::pair<std::string, std::string>>& inputs) {
  Loader loader(diags);
  NodePtr root = loader.load(file, true);
  for (const auto& [name, digest] : diags.inputs()) {
    bool seen = false;
    for (const auto& [n, d] : inputs) seen = seen || n == name;
    if (!seen) inputs.emplace_back(name, digest);
  }
  if (loader.failed || !root) return nullptr;
  for (const Override& set : sets) {
    const NodePtr value = parse_yaml_value(set.value, Location{"--set", 0, 0}, diags);
    if (value) apply_override(root, set.path, value, diags);
  }
  return root;
}

}  // namespace staffsim::config

namespace staffsim {

namespace {

// The merged tree, or a ScenarioError when a scenario file could not be read
// or parsed (building on a broken tree would only add noise).
config::NodePtr merged_or_throw(const std::filesystem::path& file,
                                const std::vector<Override>& sets, config::Diagnostics& diags) {
  std::vector<std::pair<std::string, std::string>> inputs;
  config::NodePtr root = config::load_merged(file, sets, diags, inputs);
  if (!root) {
    diags.throw_if_errors();
    throw ScenarioError("cannot load scenario '" + file.generic_string() + "'");
  }
  return root;
}

// The merged tree without its `uncertainty:` and `calibration:` blocks (the
// parameters every draw and every trial of a fit starts from), sharing
// everything else with `root`.
config::NodePtr parameters_only(const config::NodePtr& root) {
  if (!root || (root->get("uncertainty") == nullptr && root->get("calibration") == nullptr)) {
    return root;
  }
  auto out = std::make_shared<config::Node>(*root);
  for (std::size_t i = out->entries.size(); i-- > 0;) {
    const std::string& key = out->entries[i].first;
    if (key != "uncertainty" && key != "calibration") continue;
    out->entries.erase(out->entries.begin() + static_cast<std::ptrdiff_t>(i));
    if (i < out->key_locations.size()) {
      out->key_locations.erase(out->key_locations.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  return out;
}

// The scenario with its uncertainty and calibration blocks, validated
// together: the blocks are taken out of the merged tree (after extends,
// overrides and --set) and checked against the rest.
Scenario build_all(const config::NodePtr& root, config::Diagnostics& diags) {
  const config::NodePtr params = parameters_only(root);
  auto cache = std::make_shared<config::CsvCache>();
  Scenario sc = config::build_scenario(params, diags, cache.get());
  const bool valid = !diags.has_errors();
  // Uncertainty first: its probes may read further tables (a discrete choice
  // of files) into the cache before it is frozen; calibration only changes
  // numbers.
  sc.uncertainty =
      config::build_uncertainty(root->get_ptr("uncertainty"), params, valid, cache, diags);
  sc.calibration =
      config::build_calibration(root->get_ptr("calibration"), params, sc, valid, cache, diags);
  return sc;
}

}  // namespace

Scenario load_scenario(const std::filesystem::path& file, const std::vector<Override>& sets) {
  config::Diagnostics diags;
  const config::NodePtr root = merged_or_throw(file, sets, diags);
  Scenario sc = build_all(root, diags);
  diags.throw_if_errors();
  sc.file = file;
  if (sc.name.empty()) sc.name = file.stem().string();
  sc.input_sha256 = diags.inputs();
  sc.resolved_yaml = config::to_yaml(*root, false);
  sc.warnings = diags.warnings();
  return sc;
}

// Invalid input fails here as it does in `run` (exit 3): the tree is built
// and validated before it is shown.
std::string show_scenario(const std::filesystem::path& file, const std::vector<Override>& sets) {
  config::Diagnostics diags;
  const config::NodePtr root = merged_or_throw(file, sets, diags);
  (void)build_all(root, diags);
  diags.throw_if_errors();
  return config::to_yaml(*root, true);
}

}  // namespace staffsim
