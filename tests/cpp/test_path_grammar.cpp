// The path grammar of DESIGN.md 2.7 and overrides applied with it
// (engine/src/scenario/overrides.cpp): segments and selectors, malformed paths
// with the character where they go wrong, map keys, list items by name, cell
// selectors recorded for the builder, unknown keys with a did-you-mean.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenario/config_tree.hpp"

using staffsim::config::Diagnostics;
using staffsim::config::Location;
using staffsim::config::Node;
using staffsim::config::NodePtr;
using staffsim::config::PathSegment;

namespace {

const Location kSet{"--set", 0, 0};

std::vector<PathSegment> parse_ok(const std::string& path) {
  Diagnostics diags;
  auto segs = staffsim::config::parse_path(path, kSet, diags);
  EXPECT_TRUE(diags.all().empty()) << path << ": " << diags.all()[0].format();
  return segs;
}

// The one error parse_path reports for a malformed path.
std::string parse_error(const std::string& path) {
  Diagnostics diags;
  const Location at{"s.yaml", 3, 5};
  const auto segs = staffsim::config::parse_path(path, at, diags);
  EXPECT_TRUE(segs.empty()) << path;
  if (diags.all().size() != 1) return "<" + std::to_string(diags.all().size()) + " problems>";
  EXPECT_EQ(diags.all()[0].line, 3);
  return diags.all()[0].rule;
}

NodePtr value(const std::string& text, const Location& at = kSet) {
  Diagnostics diags;
  NodePtr v = staffsim::config::parse_yaml_value(text, at, diags);
  EXPECT_TRUE(v) << text;
  return v;
}

// A small scenario tree built through the YAML parser of --set values.
NodePtr scenario() {
  return value(
      "{supply: {turnover: {base: 0.25, unit: hazard},"
      " recruitment: {sources: [{name: school_leavers, cap: 10},"
      " {name: international, cap: 50}, {name: returners}]}},"
      " levers: {prevention_older: {path: {to_value: 0.9}}}}",
      Location{"base.yaml", 1, 1});
}

}  // namespace

TEST(PathGrammar, ParsesSegmentsAndSelectors) {
  auto segs = parse_ok("supply.turnover.base[care_worker,private]");
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[0].name, "supply");
  EXPECT_TRUE(segs[0].selectors.empty());
  EXPECT_EQ(segs[2].name, "base");
  EXPECT_EQ(segs[2].selectors, (std::vector<std::string>{"care_worker", "private"}));

  segs = parse_ok("levers.prevention_older.path.to_value");
  ASSERT_EQ(segs.size(), 4u);
  EXPECT_EQ(segs[3].name, "to_value");

  segs = parse_ok("supply.recruitment.sources[international].cap");
  ASSERT_EQ(segs.size(), 4u);
  EXPECT_EQ(segs[2].selectors, (std::vector<std::string>{"international"}));
  EXPECT_EQ(segs[3].name, "cap");

  segs = parse_ok("a[x|y,*].b");
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].selectors, (std::vector<std::string>{"x|y", "*"}));
}

TEST(PathGrammar, LabelsMayBeNumbersAndRanges) {
  EXPECT_EQ(parse_ok("retirement.by_age[70+]")[1].selectors[0], "70+");
  EXPECT_EQ(parse_ok("x[18-29|30-39]")[0].selectors[0], "18-29|30-39");
  EXPECT_EQ(parse_ok("x[0.5-2]")[0].selectors[0], "0.5-2");
  EXPECT_EQ(parse_ok("posts.total[2010]")[1].selectors[0], "2010");
  // Blanks around selectors are tolerated.
  EXPECT_EQ(parse_ok("base[care_worker, private]")[0].selectors[1], "private");
}

TEST(PathGrammar, MalformedPathsNameThePosition) {
  EXPECT_EQ(parse_error("a..b"), "bad path 'a..b': empty segment at character 3");
  EXPECT_EQ(parse_error(".a"), "bad path '.a': empty segment at character 1");
  EXPECT_EQ(parse_error("a."), "bad path 'a.': empty segment at character 3");
  EXPECT_EQ(parse_error(""), "bad path '': empty path");
  EXPECT_EQ(parse_error("a[x"), "bad path 'a[x': unclosed '[' at character 2");
  EXPECT_EQ(parse_error("a[]"), "bad path 'a[]': empty selector at character 3");
  EXPECT_EQ(parse_error("a[x,]"), "bad path 'a[x,]': empty selector at character 5");
  EXPECT_EQ(parse_error("a[x|*]"),
            "bad path 'a[x|*]': '*' cannot be combined with other labels at character 5");
  EXPECT_EQ(parse_error("a[x||y]"), "bad path 'a[x||y]': empty label at character 5");
  EXPECT_EQ(parse_error("a[x]b"),
            "bad path 'a[x]b': expected '.' after ']', found 'b' at character 5");
  EXPECT_EQ(parse_error("a-b.c"), "bad path 'a-b.c': 'a-b' is not a name at character 2");
  EXPECT_EQ(parse_error("a[x y]"), "bad path 'a[x y]': bad label 'x y' at character 3");
  EXPECT_EQ(parse_error("a[1-]"), "bad path 'a[1-]': bad label '1-' at character 3");
}

TEST(PathGrammar, QuotedKeysNameAnyMapKey) {
  // Age bands and tenure ranges are map keys that are not names.
  auto segs = parse_ok("supply.turnover.age_factor.bands.\"18-29\"");
  ASSERT_EQ(segs.size(), 5u);
  EXPECT_EQ(segs[4].name, "18-29");
  segs = parse_ok("sources[school].ages.\"18-24\"");
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[2].name, "18-24");
  EXPECT_EQ(parse_error("bands.\"18-29"), "bad path 'bands.\"18-29': unclosed '\"' at character 7");
  EXPECT_EQ(parse_error("bands.\"\""), "bad path 'bands.\"\"': empty quoted key at character 7");
  EXPECT_EQ(parse_error("bands.\"18\"x"),
            "bad path 'bands.\"18\"x': expected '.' or '[' after a quoted key, found 'x' at "
            "character 11");
  // Paths the engine writes (messages, calibrated overrides) quote such keys.
  EXPECT_EQ(staffsim::config::join_key("bands", "18-29"), "bands.\"18-29\"");
  EXPECT_EQ(staffsim::config::join_key("bands", "care_worker"), "bands.care_worker");
  const NodePtr root = value("{bands: {\"18-29\": 1.5, \"30-39\": 1.2}}", Location{"b.yaml", 1, 1});
  Diagnostics diags;
  staffsim::config::apply_override(root, "bands.\"18-29\"", value("2.5"), diags);
  EXPECT_TRUE(diags.all().empty());
  EXPECT_EQ(root->get("bands")->get("18-29")->scalar, "2.5");
}

TEST(ApplyOverride, ReplacesAMapValueAndKeepsTheOverrideLocation) {
  NodePtr root = scenario();
  Diagnostics diags;
  staffsim::config::apply_override(root, "supply.turnover.base", value("0.3"), diags);
  EXPECT_TRUE(diags.all().empty());
  const Node* base = root->get("supply")->get("turnover")->get("base");
  EXPECT_EQ(base->scalar, "0.3");
  EXPECT_EQ(base->loc.file, "--set");
}

TEST(ApplyOverride, CreatesAMissingLastKeyInAnExistingMap) {
  NodePtr root = scenario();
  Diagnostics diags;
  staffsim::config::apply_override(root, "supply.turnover.base_is", value("stock_average"), diags);
  EXPECT_TRUE(diags.all().empty());
  const Node* turnover = root->get("supply")->get("turnover");
  ASSERT_NE(turnover->get("base_is"), nullptr);
  EXPECT_EQ(turnover->get("base_is")->scalar, "stock_average");
  EXPECT_EQ(turnover->entries.back().first, "base_is");
}

TEST(ApplyOverride, NullDeletesTheKey) {
  NodePtr root = scenario();
  Diagnostics diags;
  staffsim::config::apply_override(root, "supply.turnover.unit", value("null"), diags);
  EXPECT_TRUE(diags.all().empty());
  EXPECT_EQ(root->get("supply")->get("turnover")->get("unit"), nullptr);
}

TEST(ApplyOverride, UnknownIntermediateKeyIsAnErrorWithDidYouMean) {
  NodePtr root = scenario();
  Diagnostics diags;
  staffsim::config::apply_override(root, "supply.turnvoer.base", value("0.3"), diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].format(),
            "--set: supply.turnvoer.base = 0.3: unknown key 'turnvoer' in supply; did you mean "
            "'turnover'?");
  diags = Diagnostics();
  staffsim::config::apply_override(root, "suply.turnover", value("1"), diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].rule, "unknown key 'suply' at the top level; did you mean 'supply'?");
}

TEST(ApplyOverride, SelectorOnAListPicksItemsByName) {
  NodePtr root = scenario();
  Diagnostics diags;
  staffsim::config::apply_override(root, "supply.recruitment.sources[international].cap",
                                   value("100"), diags);
  EXPECT_TRUE(diags.all().empty());
  const auto& items = root->get("supply")->get("recruitment")->get("sources")->items;
  EXPECT_EQ(items[1]->get("cap")->scalar, "100");
  EXPECT_EQ(items[0]->get("cap")->scalar, "10");
  // A missing key in the item is created; '|' and '*' pick several items.
  staffsim::config::apply_override(root, "supply.recruitment.sources[school_leavers|returners].cap",
                                   value("7"), diags);
  EXPECT_EQ(items[0]->get("cap")->scalar, "7");
  EXPECT_EQ(items[2]->get("cap")->scalar, "7");
  EXPECT_EQ(items[1]->get("cap")->scalar, "100");
  staffsim::config::apply_override(root, "supply.recruitment.sources[*].cap", value("1"), diags);
  for (const auto& item : items) EXPECT_EQ(item->get("cap")->scalar, "1");
  EXPECT_TRUE(diags.all().empty());
}

TEST(ApplyOverride, UnknownItemNameListsTheItems) {
  NodePtr root = scenario();
  Diagnostics diags;
  staffsim::config::apply_override(root, "supply.recruitment.sources[internatonal].cap",
                                   value("100"), diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].rule,
            "no item named 'internatonal' in supply.recruitment.sources; items: school_leavers, "
            "international, returners; did you mean 'international'?");
}

TEST(ApplyOverride, CellSelectorIsRecordedOnTheParameter) {
  NodePtr root = scenario();
  Diagnostics diags;
  const Location at{"variant.yaml", 12, 47};
  staffsim::config::apply_override(root, "supply.turnover.base[care_worker,private|nhs]",
                                   value("0.3", at), diags);
  EXPECT_TRUE(diags.all().empty());
  const Node* base = root->get("supply")->get("turnover")->get("base");
  EXPECT_EQ(base->scalar, "0.25");  // unchanged: the builder applies the cell override
  ASSERT_EQ(base->cell_overrides.size(), 1u);
  const auto& cell = base->cell_overrides[0];
  EXPECT_EQ(cell.selectors, (std::vector<std::string>{"care_worker", "private|nhs"}));
  EXPECT_EQ(cell.value->scalar, "0.3");
  EXPECT_EQ(cell.value->loc.file, "variant.yaml");
  EXPECT_EQ(cell.value->loc.line, 12);
  EXPECT_EQ(cell.path, "supply.turnover.base[care_worker,private|nhs]");
}

TEST(ApplyOverride, SelectorsMustEndThePathUnlessOnAList) {
  NodePtr root = scenario();
  Diagnostics diags;
  staffsim::config::apply_override(root, "supply.turnover[x].base", value("1"), diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].rule,
            "'supply.turnover' is a map: cell selectors [...] must end the path");
}

TEST(ApplyOverride, CannotDescendThroughAScalarOrAnUnselectedList) {
  NodePtr root = scenario();
  Diagnostics diags;
  staffsim::config::apply_override(root, "supply.turnover.base.x", value("1"), diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].rule,
            "'supply.turnover.base' is a scalar, not a map: it has no key 'x'");
  diags = Diagnostics();
  staffsim::config::apply_override(root, "supply.recruitment.sources.cap", value("1"), diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].rule,
            "'supply.recruitment.sources' is a list: pick items by name, e.g. "
            "supply.recruitment.sources[school_leavers].cap");
}

TEST(ApplyOverride, MalformedPathIsReportedAtTheValue) {
  NodePtr root = scenario();
  Diagnostics diags;
  staffsim::config::apply_override(root, "supply..base", value("1"), diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].format(),
            "--set: bad path 'supply..base': empty segment at character 8");
}

TEST(DidYouMean, SuggestsTheClosestCandidate) {
  const std::vector<std::string> keys{"turnover", "retirement", "destinations", "training"};
  EXPECT_EQ(staffsim::config::did_you_mean("turnvoer", keys), "; did you mean 'turnover'?");
  EXPECT_EQ(staffsim::config::did_you_mean("Training", keys), "; did you mean 'training'?");
  EXPECT_EQ(staffsim::config::did_you_mean("retire", keys), "; did you mean 'retirement'?");
  EXPECT_EQ(staffsim::config::did_you_mean("salary", keys), "");
  EXPECT_EQ(staffsim::config::did_you_mean("ab", {"xy"}), "");
  EXPECT_EQ(staffsim::config::did_you_mean("turnover", keys), "");
}
