// `extends:` merging (engine/src/scenario/merge.cpp, load.cpp), DESIGN.md 3:
// maps deep-merge, named lists merge by name (append, remove), other lists are
// replaced, `key: null` deletes, a kind change is an error naming both places,
// a cycle is an error naming the chain, parents merge left to right then the
// child, overrides apply last, and every value keeps its own location.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenario/config_tree.hpp"
#include "support/cli_runner.hpp"

namespace fs = std::filesystem;
using staffsim::config::Diagnostics;
using staffsim::config::Node;
using staffsim::config::NodePtr;

namespace {

class Merging : public ::testing::Test {
 protected:
  // A fresh folder per test, removed afterwards.
  staffsim::testing::TempDir tmp_;
  const fs::path dir_ = tmp_.path();

  fs::path write(const std::string& name, const std::string& text) {
    return tmp_.write(name, text);
  }
  NodePtr parse(const std::string& name, const std::string& text) {
    NodePtr n = staffsim::config::parse_yaml_file(write(name, text), diags_);
    EXPECT_TRUE(n) << name;
    return n;
  }
  NodePtr load(const fs::path& top, const std::vector<staffsim::Override>& sets = {}) {
    return staffsim::config::load_merged(top, sets, diags_, inputs_);
  }
  std::string name(const std::string& file) const { return (dir_ / file).generic_string(); }
  std::string problems() const {
    std::string out;
    for (const auto& d : diags_.all()) out += d.format() + "\n";
    return out;
  }

  Diagnostics diags_;
  std::vector<std::pair<std::string, std::string>> inputs_;
};

std::vector<std::string> keys(const Node& map) {
  std::vector<std::string> out;
  for (const auto& [k, v] : map.entries) out.push_back(k);
  return out;
}

std::vector<std::string> names(const Node& seq) {
  std::vector<std::string> out;
  for (const auto& item : seq.items) out.push_back(item->get("name")->scalar);
  return out;
}

}  // namespace

TEST_F(Merging, MapsDeepMergeAndValuesKeepTheirOwnLocation) {
  const NodePtr parent = parse("p.yaml", "a:\n  x: 1\n  y: 2\nb: 3\n");
  const NodePtr child = parse("c.yaml", "a:\n  y: 20\n  z: 30\n");
  const NodePtr m = staffsim::config::merge(parent, child, "", diags_);
  EXPECT_TRUE(diags_.all().empty()) << problems();
  EXPECT_EQ(keys(*m), (std::vector<std::string>{"a", "b"}));
  const Node* a = m->get("a");
  EXPECT_EQ(keys(*a), (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(a->get("x")->scalar, "1");
  EXPECT_EQ(a->get("x")->loc.file, name("p.yaml"));
  EXPECT_EQ(a->get("x")->loc.line, 2);
  EXPECT_EQ(a->get("y")->scalar, "20");
  EXPECT_EQ(a->get("y")->loc.file, name("c.yaml"));
  EXPECT_EQ(a->get("y")->loc.line, 2);
  EXPECT_EQ(a->get("y")->loc.column, 6);
  EXPECT_EQ(a->key_location("y").file, name("c.yaml"));
  EXPECT_EQ(a->get("z")->loc.line, 3);
  EXPECT_EQ(m->get("b")->loc.file, name("p.yaml"));
  // The inputs are not changed.
  EXPECT_EQ(parent->get("a")->get("y")->scalar, "2");
  EXPECT_EQ(child->get("a")->get("x"), nullptr);
}

TEST_F(Merging, NullDeletesAKey) {
  const NodePtr parent = parse("p.yaml", "a: {x: 1, y: 2}\nb: 3\nc: 4\n");
  const NodePtr child = parse("c.yaml", "a: {x: null}\nb: ~\nd: null\n");
  const NodePtr m = staffsim::config::merge(parent, child, "", diags_);
  EXPECT_EQ(keys(*m), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(keys(*m->get("a")), (std::vector<std::string>{"y"}));
}

TEST_F(Merging, NamedListsMergeByNameAppendAndRemove) {
  const NodePtr parent = parse("p.yaml",
                               "sources:\n"
                               "  - {name: school_leavers, cap: 10, ages: {16-18: 1}}\n"
                               "  - {name: international, cap: 50}\n"
                               "  - {name: returners}\n");
  const NodePtr child = parse("c.yaml",
                              "sources:\n"
                              "  - {name: international, cap: 20}\n"
                              "  - {name: school_leavers, remove: true}\n"
                              "  - {name: agency, cap: 5}\n");
  const NodePtr m = staffsim::config::merge(parent, child, "", diags_);
  EXPECT_TRUE(diags_.all().empty()) << problems();
  const Node* sources = m->get("sources");
  EXPECT_EQ(names(*sources), (std::vector<std::string>{"international", "returners", "agency"}));
  EXPECT_EQ(sources->items[0]->get("cap")->scalar, "20");
  EXPECT_EQ(sources->items[0]->get("cap")->loc.file, name("c.yaml"));
  EXPECT_EQ(sources->items[1]->loc.file, name("p.yaml"));
  EXPECT_EQ(sources->items[2]->get("cap")->scalar, "5");
}

TEST_F(Merging, ChildItemDeepMergesIntoTheParentItem) {
  const NodePtr parent = parse("p.yaml", "l:\n  - {name: a, cap: 1, ages: {x: 1, y: 2}}\n");
  const NodePtr child = parse("c.yaml", "l:\n  - {name: a, ages: {y: 3}, remove: false}\n");
  const NodePtr m = staffsim::config::merge(parent, child, "", diags_);
  const Node* a = m->get("l")->items[0].get();
  EXPECT_EQ(keys(*a), (std::vector<std::string>{"name", "cap", "ages"}));
  EXPECT_EQ(a->get("ages")->get("x")->scalar, "1");
  EXPECT_EQ(a->get("ages")->get("y")->scalar, "3");
}

TEST_F(Merging, RemovingAnUnknownItemIsAnError) {
  const NodePtr parent = parse("p.yaml", "l:\n  - {name: alpha}\n  - {name: beta}\n");
  const NodePtr child = parse("c.yaml", "l:\n  - {name: alpah, remove: true}\n");
  (void)staffsim::config::merge(parent, child, "supply", diags_);
  ASSERT_EQ(diags_.all().size(), 1u);
  EXPECT_EQ(diags_.all()[0].path, "supply.l[alpah]");
  EXPECT_EQ(diags_.all()[0].line, 2);
  EXPECT_EQ(diags_.all()[0].rule,
            "no item named 'alpah' to remove in supply.l; items: alpha, beta; did you mean "
            "'alpha'?");
}

TEST_F(Merging, OtherListsAreReplacedWhole) {
  const NodePtr parent = parse("p.yaml", "a: [1, 2, 3]\nb:\n  - {name: x}\n  - {cap: 1}\n");
  const NodePtr child = parse("c.yaml", "a: [4]\nb:\n  - {name: y}\n");
  const NodePtr m = staffsim::config::merge(parent, child, "", diags_);
  ASSERT_EQ(m->get("a")->items.size(), 1u);
  EXPECT_EQ(m->get("a")->items[0]->scalar, "4");
  EXPECT_EQ(names(*m->get("b")), (std::vector<std::string>{"y"}));  // parent not all named
}

TEST_F(Merging, ChangingAValuesKindIsAnErrorNamingBothLocations) {
  const NodePtr parent = parse("p.yaml", "supply:\n  turnover:\n    base: {default: 0.2}\n");
  const NodePtr child = parse("c.yaml", "supply:\n  turnover:\n    base: [0.2]\n");
  (void)staffsim::config::merge(parent, child, "", diags_);
  ASSERT_EQ(diags_.all().size(), 1u);
  const auto& d = diags_.all()[0];
  EXPECT_EQ(d.path, "supply.turnover.base");
  EXPECT_EQ(d.file, name("c.yaml"));
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.column, 11);
  EXPECT_EQ(d.rule, "a list cannot replace the map written at " + name("p.yaml") +
                        ":3:11 (merging keeps a value's kind: map, list or scalar)");
}

TEST_F(Merging, ParentsMergeLeftToRightThenTheChild) {
  write("p1.yaml", "v: 1\nonly1: a\nw: 1\n");
  write("p2.yaml", "v: 2\nonly2: b\nw: 2\n");
  const fs::path top = write("c.yaml", "staffsim_scenario: 1\nextends: [p1.yaml, p2.yaml]\nw: 3\n");
  const NodePtr m = load(top);
  ASSERT_TRUE(m) << problems();
  EXPECT_TRUE(diags_.all().empty()) << problems();
  EXPECT_EQ(keys(*m), (std::vector<std::string>{"v", "only1", "w", "only2", "staffsim_scenario"}));
  EXPECT_EQ(m->get("v")->scalar, "2");
  EXPECT_EQ(m->get("v")->loc.file, name("p2.yaml"));
  EXPECT_EQ(m->get("w")->scalar, "3");
  EXPECT_EQ(m->get("w")->loc.file, name("c.yaml"));
  EXPECT_EQ(m->get("only1")->loc.file, name("p1.yaml"));
  EXPECT_EQ(m->loc.file, name("c.yaml"));
}

TEST_F(Merging, ExtendsIsRelativeToTheFileThatNamesIt) {
  write("common/defaults.yaml", "table: shared.csv\nx: 1\n");
  write("base/base.yaml", "extends: ../common/defaults.yaml\ny: 2\n");
  const fs::path top =
      write("variants/v.yaml", "staffsim_scenario: 1\nextends: ../base/base.yaml\n");
  const NodePtr m = load(top);
  ASSERT_TRUE(m) << problems();
  EXPECT_EQ(m->get("x")->scalar, "1");
  EXPECT_EQ(m->get("y")->scalar, "2");
  EXPECT_EQ(m->get("table")->loc.file, name("common/defaults.yaml"));
  EXPECT_EQ(m->get("table")->base_dir, dir_ / "common");
  EXPECT_EQ(inputs_.size(), 3u);
  for (const auto& [file, digest] : inputs_) EXPECT_EQ(digest, staffsim::config::sha256_file(file));
}

TEST_F(Merging, ACycleIsAnErrorNamingTheChain) {
  write("a.yaml", "staffsim_scenario: 1\nextends: b.yaml\n");
  write("b.yaml", "extends: [c.yaml]\n");
  write("c.yaml", "extends: a.yaml\n");
  EXPECT_EQ(load(dir_ / "a.yaml"), nullptr);
  ASSERT_EQ(diags_.all().size(), 1u) << problems();
  const auto& d = diags_.all()[0];
  EXPECT_EQ(d.file, name("c.yaml"));
  EXPECT_EQ(d.line, 1);
  EXPECT_EQ(d.column, 10);
  EXPECT_EQ(d.rule, "a cycle in extends: " + name("a.yaml") + " -> " + name("b.yaml") + " -> " +
                        name("c.yaml") + " -> " + name("a.yaml"));
}

TEST_F(Merging, ASharedGrandparentIsNotACycle) {
  write("base.yaml", "x: 1\n");
  write("l.yaml", "extends: base.yaml\nl: 1\n");
  write("r.yaml", "extends: base.yaml\nr: 1\n");
  const NodePtr m = load(write("top.yaml", "staffsim_scenario: 1\nextends: [l.yaml, r.yaml]\n"));
  ASSERT_TRUE(m) << problems();
  EXPECT_TRUE(diags_.all().empty()) << problems();
  EXPECT_EQ(keys(*m), (std::vector<std::string>{"x", "l", "r", "staffsim_scenario"}));
}

TEST_F(Merging, AMissingParentIsReportedAtTheExtendsEntry) {
  write("base.yaml", "x: 1\n");
  const fs::path top = write("top.yaml", "staffsim_scenario: 1\nextends:\n  - bsae.yaml\n");
  EXPECT_EQ(load(top), nullptr);
  ASSERT_EQ(diags_.all().size(), 1u) << problems();
  EXPECT_EQ(diags_.all()[0].format(),
            name("top.yaml") + ":3:5: extends = bsae.yaml: cannot read scenario file '" +
                name("bsae.yaml") + "': No such file or directory; did you mean 'base.yaml'?");
}

TEST_F(Merging, AMissingTopFileIsAnIoError) {
  EXPECT_THROW((void)load(dir_ / "none.yaml"), staffsim::IoError);
}

TEST_F(Merging, TheFormatVersionIsRequiredInTheTopFileAndMustBe1) {
  EXPECT_TRUE(load(write("nov.yaml", "x: 1\n")));
  ASSERT_EQ(diags_.all().size(), 1u);
  EXPECT_EQ(diags_.all()[0].format(),
            name("nov.yaml") +
                ":1:1: staffsim_scenario: missing: a scenario file starts with "
                "`staffsim_scenario: 1` (the input format version)");
  diags_ = Diagnostics();
  write("parent.yaml", "staffsim_scenario: 2\n");
  EXPECT_TRUE(load(write("v.yaml", "staffsim_scenario: 1\nextends: parent.yaml\n")));
  ASSERT_EQ(diags_.all().size(), 1u);
  EXPECT_EQ(diags_.all()[0].file, name("parent.yaml"));
  EXPECT_EQ(diags_.all()[0].rule,
            "unsupported input format version: this staffsim reads version 1");
}

TEST_F(Merging, OverridesApplyAfterMergingThenTheSets) {
  write("base.yaml",
        "staffsim_scenario: 1\n"
        "supply:\n"
        "  turnover: {base: 0.2, unit: hazard}\n"
        "  recruitment:\n"
        "    sources: [{name: international, cap: 50}]\n");
  const fs::path top = write("v.yaml",
                             "staffsim_scenario: 1\n"
                             "extends: base.yaml\n"
                             "supply: {turnover: {base: 0.25}}\n"
                             "overrides:\n"
                             "  supply.turnover.base: 0.3\n"
                             "  supply.recruitment.sources[international].cap: 80\n"
                             "  supply.turnover.unit[care_worker,private]: probability\n");
  const NodePtr m = load(top, {{"supply.recruitment.sources[international].cap", "90"}});
  ASSERT_TRUE(m) << problems();
  EXPECT_TRUE(diags_.all().empty()) << problems();
  EXPECT_EQ(m->get("extends"), nullptr);
  EXPECT_EQ(m->get("overrides"), nullptr);
  EXPECT_EQ(m->get("staffsim_scenario")->scalar, "1");
  const Node* base = m->get("supply")->get("turnover")->get("base");
  EXPECT_EQ(base->scalar, "0.3");
  EXPECT_EQ(base->loc.file, name("v.yaml"));
  EXPECT_EQ(base->loc.line, 5);
  EXPECT_EQ(base->loc.column, 25);
  const Node* cap = m->get("supply")->get("recruitment")->get("sources")->items[0]->get("cap");
  EXPECT_EQ(cap->scalar, "90");
  EXPECT_EQ(cap->loc.file, "--set");
  const Node* unit = m->get("supply")->get("turnover")->get("unit");
  ASSERT_EQ(unit->cell_overrides.size(), 1u);
  EXPECT_EQ(unit->cell_overrides[0].value->loc.line, 7);
}

TEST_F(Merging, BadOverridesAndSetsAreReportedWithTheirLocations) {
  const fs::path top = write("v.yaml",
                             "staffsim_scenario: 1\n"
                             "supply: {turnover: {base: 0.25}}\n"
                             "overrides:\n"
                             "  supply.turnvoer.base: 0.3\n");
  const NodePtr m = load(top, {{"supply.turnover.base", "[0.1"}, {"a..b", "1"}});
  ASSERT_TRUE(m);
  ASSERT_EQ(diags_.all().size(), 3u) << problems();
  EXPECT_EQ(diags_.all()[0].format(),
            name("v.yaml") +
                ":4:25: supply.turnvoer.base = 0.3: unknown key 'turnvoer' in supply; did you "
                "mean 'turnover'?");
  EXPECT_EQ(diags_.all()[1].file, "--set");
  EXPECT_EQ(diags_.all()[2].format(), "--set: bad path 'a..b': empty segment at character 3");
  EXPECT_EQ(m->get("supply")->get("turnover")->get("base")->scalar, "0.25");
}

TEST_F(Merging, ASyntaxErrorInAParentStopsTheMerge) {
  write("p.yaml", "a: [1\n");
  EXPECT_EQ(load(write("c.yaml", "staffsim_scenario: 1\nextends: p.yaml\n")), nullptr);
  ASSERT_TRUE(diags_.has_errors());
  EXPECT_EQ(diags_.all()[0].file, name("p.yaml"));
  EXPECT_NE(diags_.all()[0].rule.find("YAML syntax error"), std::string::npos);
}
