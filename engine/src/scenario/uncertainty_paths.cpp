// Paths of `uncertainty:` entries (DESIGN.md 2.7 grammar, as overrides.cpp
// reads it): what a path selects in the merged tree, without changing it,
// and copy-on-write edits of the tree for one draw.
#include <string>
#include <vector>

#include "scenario/uncertainty.hpp"

namespace staffsim::config {

namespace {

std::string item_name(const NodePtr& item) {
  const Node* name = item && item->is_map() ? item->get("name") : nullptr;
  return name != nullptr && name->is_scalar() ? name->scalar : "";
}

// Thrown inside the walk only: the rule of the first problem.
struct Fail {
  std::string rule;
};

struct Resolver {
  const std::vector<PathSegment>& segs;
  std::vector<UncertainTarget> out;

  void walk(const Node& node, std::size_t i, std::vector<std::size_t>& steps,
            const std::string& here) {
    const PathSegment& seg = segs[i];
    const bool last = i + 1 == segs.size();
    if (!node.is_map()) {
      throw Fail{"'" + (here.empty() ? std::string("the scenario") : here) + "' is a " +
                 kind_name(node.kind) + ", not a map: it has no key '" + seg.name + "'"};
    }
    std::size_t at = node.entries.size();
    std::vector<std::string> keys;
    for (std::size_t j = 0; j < node.entries.size(); ++j) {
      keys.push_back(node.entries[j].first);
      if (node.entries[j].first == seg.name) at = j;
    }
    if (at == node.entries.size() || !node.entries[at].second ||
        node.entries[at].second->is_null()) {
      throw Fail{"unknown key '" + seg.name + "' " +
                 (here.empty() ? std::string("at the top level") : "in " + here) +
                 did_you_mean(seg.name, keys)};
    }
    const Node& child = *node.entries[at].second;
    const std::string path = join_key(here, seg.name);
    steps.push_back(at);
    if (seg.selectors.empty()) {
      if (last) {
        out.push_back(UncertainTarget{steps, path, {}, {}});
      } else if (child.is_seq()) {
        throw Fail{"'" + path + "' is a list: pick items by name, e.g. " + path + "[name]." +
                   segs[i + 1].name};
      } else {
        walk(child, i + 1, steps, path);
      }
    } else if (child.is_seq()) {
      items(child, i, steps, path);
    } else if (last) {
      out.push_back(UncertainTarget{steps, path, seg.selectors, {}});
    } else {
      throw Fail{"'" + path + "' is a " + std::string(kind_name(child.kind)) +
                 ": cell selectors [...] must end the path"};
    }
    steps.pop_back();
  }

  // A selector on a list picks its items by `name`.
  void items(const Node& seq, std::size_t i, std::vector<std::size_t>& steps,
             const std::string& path) {
    const PathSegment& seg = segs[i];
    if (seg.selectors.size() != 1) {
      throw Fail{"'" + path + "' is a list: it takes one selector (item names), not " +
                 std::to_string(seg.selectors.size())};
    }
    const std::string& sel = seg.selectors[0];
    std::vector<std::string> names;
    bool any = false;
    for (std::size_t j = 0; j < seq.items.size(); ++j) {
      const std::string name = item_name(seq.items[j]);
      if (name.empty()) continue;
      names.push_back(name);
      if (!matches(sel, name)) continue;
      any = true;
      const std::string item_path = path + "[" + name + "]";
      steps.push_back(j);
      if (i + 1 == segs.size()) {
        out.push_back(UncertainTarget{steps, item_path, {}, {}});
      } else {
        walk(*seq.items[j], i + 1, steps, item_path);
      }
      steps.pop_back();
    }
    if (!any) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      throw Fail{"no item named '" + sel + "' in " + path + "; items: " + list +
                 did_you_mean(sel.substr(0, sel.find('|')), names)};
    }
  }
};

}  // namespace

std::optional<std::vector<UncertainTarget>> resolve_targets(const Node& root,
                                                            const std::string& path,
                                                            std::string& rule) {
  Diagnostics parse_problems;
  const std::vector<PathSegment> segs = parse_path(path, Location{}, parse_problems);
  if (segs.empty()) {
    rule = parse_problems.all().empty() ? "bad path" : parse_problems.all().front().rule;
    return std::nullopt;
  }
  Resolver r{segs, {}};
  std::vector<std::size_t> steps;
  try {
    r.walk(root, 0, steps, "");
  } catch (const Fail& f) {
    rule = f.rule;
    return std::nullopt;
  }
  return std::move(r.out);
}

const Node& node_at(const Node& root, const std::vector<std::size_t>& steps) {
  const Node* n = &root;
  for (const std::size_t s : steps) {
    n = n->is_map() ? n->entries[s].second.get() : n->items[s].get();
  }
  return *n;
}

namespace {
NodePtr edit_from(const NodePtr& node, const std::vector<std::size_t>& steps, std::size_t i,
                  const std::function<NodePtr(const NodePtr&)>& edit) {
  if (i == steps.size()) return edit(node);
  auto copy = std::make_shared<Node>(*node);  // children stay shared
  NodePtr& child = copy->is_map() ? copy->entries[steps[i]].second : copy->items[steps[i]];
  child = edit_from(child, steps, i + 1, edit);
  return copy;
}
}  // namespace

NodePtr edit_at(const NodePtr& root, const std::vector<std::size_t>& steps,
                const std::function<NodePtr(const NodePtr&)>& edit) {
  return edit_from(root, steps, 0, edit);
}

}  // namespace staffsim::config
