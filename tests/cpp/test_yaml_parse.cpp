// YAML to located tree and back (engine/src/scenario/yaml_parse.cpp,
// yaml_emit.cpp): every key and value knows its file:line:column, quoted
// scalars stay strings, syntax errors and duplicate keys are reported where
// they are, and the emitter writes YAML that reads back the same.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenario/config_tree.hpp"
#include "support/cli_runner.hpp"

namespace fs = std::filesystem;
using staffsim::config::Diagnostics;
using staffsim::config::Location;
using staffsim::config::Node;
using staffsim::config::NodePtr;

namespace {

// A fresh folder per test, removed afterwards.
class YamlParse : public ::testing::Test {
 protected:
  // A fresh folder per test, removed afterwards.
  staffsim::testing::TempDir tmp_;
  const fs::path dir_ = tmp_.path();

  fs::path write(const std::string& name, const std::string& text) {
    return tmp_.write(name, text);
  }
};

std::string errors_of(const Diagnostics& d) {
  std::string out;
  for (const auto& p : d.all()) out += p.format() + "\n";
  return out;
}

}  // namespace

TEST_F(YamlParse, KeysAndValuesCarryOneBasedLocations) {
  const fs::path f = write("s.yaml",
                           "staffsim_scenario: 1\n"
                           "supply:\n"
                           "  turnover:\n"
                           "    base: 0.25\n"
                           "  list:\n"
                           "    - a\n"
                           "    - {name: b, cap: 3}\n");
  Diagnostics diags;
  const NodePtr root = staffsim::config::parse_yaml_file(f, diags);
  ASSERT_TRUE(root);
  EXPECT_TRUE(diags.all().empty()) << errors_of(diags);
  const std::string file = f.generic_string();

  const Node* base = root->get("supply")->get("turnover")->get("base");
  ASSERT_NE(base, nullptr);
  EXPECT_TRUE(base->is_scalar());
  EXPECT_EQ(base->scalar, "0.25");
  EXPECT_EQ(base->loc.file, file);
  EXPECT_EQ(base->loc.line, 4);
  EXPECT_EQ(base->loc.column, 11);
  const Location key = root->get("supply")->get("turnover")->key_location("base");
  EXPECT_EQ(key.line, 4);
  EXPECT_EQ(key.column, 5);
  EXPECT_EQ(root->key_location("supply").line, 2);
  EXPECT_EQ(root->key_location("supply").column, 1);

  const Node* list = root->get("supply")->get("list");
  ASSERT_TRUE(list->is_seq());
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0]->loc.line, 6);
  EXPECT_EQ(list->items[0]->loc.column, 7);
  const Node* cap = list->items[1]->get("cap");
  EXPECT_EQ(cap->scalar, "3");
  EXPECT_EQ(cap->loc.line, 7);
  EXPECT_EQ(cap->loc.column, 22);
  EXPECT_EQ(base->base_dir, f.parent_path());
}

TEST_F(YamlParse, QuotedScalarsAreMarked) {
  const fs::path f = write("q.yaml",
                           "plain: 1\n"
                           "single: '1'\n"
                           "double: \"x\"\n"
                           "tagged: !!str 5\n"
                           "block: |\n"
                           "  text\n");
  Diagnostics diags;
  const NodePtr root = staffsim::config::parse_yaml_file(f, diags);
  ASSERT_TRUE(root);
  EXPECT_FALSE(root->get("plain")->quoted);
  EXPECT_TRUE(root->get("single")->quoted);
  EXPECT_EQ(root->get("single")->scalar, "1");
  EXPECT_TRUE(root->get("double")->quoted);
  EXPECT_TRUE(root->get("tagged")->quoted);
  EXPECT_TRUE(root->get("block")->quoted);
  EXPECT_EQ(root->get("block")->scalar, "text\n");
}

TEST_F(YamlParse, EmptyValueIsNullLocatedAtItsKey) {
  const fs::path f = write("n.yaml", "a:\nb: ~\nc: 2\n");
  Diagnostics diags;
  const NodePtr root = staffsim::config::parse_yaml_file(f, diags);
  ASSERT_TRUE(root);
  EXPECT_TRUE(root->get("a")->is_null());
  EXPECT_EQ(root->get("a")->loc.line, 1);
  EXPECT_EQ(root->get("a")->loc.column, 1);
  EXPECT_TRUE(root->get("b")->is_null());
  EXPECT_EQ(root->get("b")->loc.line, 2);
  EXPECT_EQ(root->get("b")->loc.column, 4);
}

TEST_F(YamlParse, SyntaxErrorIsReportedAtItsPosition) {
  const fs::path f = write("bad.yaml", "a: 1\nb: c: d\n");
  Diagnostics diags;
  EXPECT_EQ(staffsim::config::parse_yaml_file(f, diags), nullptr);
  ASSERT_EQ(diags.all().size(), 1u);
  const auto& d = diags.all()[0];
  EXPECT_EQ(d.file, f.generic_string());
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 5);
  EXPECT_NE(d.rule.find("YAML syntax error: illegal map value"), std::string::npos) << d.rule;
  EXPECT_TRUE(diags.has_errors());
}

TEST_F(YamlParse, DuplicateKeyIsAnErrorAtTheSecondOccurrence) {
  const fs::path f = write("dup.yaml", "time:\n  start_year: 2010\n  start_year: 2011\n");
  Diagnostics diags;
  const NodePtr root = staffsim::config::parse_yaml_file(f, diags);
  ASSERT_TRUE(root);
  ASSERT_EQ(diags.all().size(), 1u);
  const auto& d = diags.all()[0];
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.column, 3);
  EXPECT_EQ(d.path, "time.start_year");
  EXPECT_EQ(d.rule, "duplicate key 'start_year' (first written at " + f.generic_string() + ":2:3)");
  EXPECT_EQ(root->get("time")->get("start_year")->scalar, "2010");  // the first one is kept
}

TEST_F(YamlParse, MissingFileIsAnIoError) {
  Diagnostics diags;
  const fs::path f = dir_ / "nope.yaml";
  try {
    (void)staffsim::config::parse_yaml_file(f, diags);
    FAIL() << "expected IoError";
  } catch (const staffsim::IoError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot read scenario file '" + f.generic_string() + "': No such file or directory");
  }
}

TEST_F(YamlParse, EmptyFileIsAnEmptyMapAndInputIsRecorded) {
  const fs::path f = write("empty.yaml", "");
  Diagnostics diags;
  const NodePtr root = staffsim::config::parse_yaml_file(f, diags);
  ASSERT_TRUE(root);
  EXPECT_TRUE(root->is_map());
  EXPECT_TRUE(root->entries.empty());
  ASSERT_EQ(diags.inputs().size(), 1u);
  EXPECT_EQ(diags.inputs()[0].first, f.generic_string());
  EXPECT_EQ(diags.inputs()[0].second,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(YamlValue, CommandLineValuesAreLocatedAtTheSetOption) {
  Diagnostics diags;
  const Location at{"--set", 0, 0};
  const NodePtr num = staffsim::config::parse_yaml_value("0.3", at, diags);
  ASSERT_TRUE(num);
  EXPECT_TRUE(num->is_scalar());
  EXPECT_EQ(num->scalar, "0.3");
  EXPECT_FALSE(num->quoted);
  EXPECT_EQ(num->loc.file, "--set");

  const NodePtr list = staffsim::config::parse_yaml_value("[a, 'b']", at, diags);
  ASSERT_TRUE(list && list->is_seq());
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_TRUE(list->items[1]->quoted);
  EXPECT_EQ(list->items[1]->loc.file, "--set");

  const NodePtr empty = staffsim::config::parse_yaml_value("", at, diags);
  ASSERT_TRUE(empty && empty->is_scalar());
  EXPECT_EQ(empty->scalar, "");
  EXPECT_TRUE(diags.all().empty());

  EXPECT_EQ(staffsim::config::parse_yaml_value("[a", at, diags), nullptr);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].format().rfind("--set: ", 0), 0u) << diags.all()[0].format();
  EXPECT_NE(diags.all()[0].rule.find("cannot parse the value as YAML"), std::string::npos);
}

TEST_F(YamlParse, EmittedYamlReadsBackTheSame) {
  const fs::path f = write("r.yaml",
                           "name: \"1\"\n"
                           "label: 'yes'\n"
                           "note: 'a: b # c'\n"
                           "ages: {\"70+\": 0.5, 18-29: 0.1}\n"
                           "list:\n"
                           "  - name: x\n"
                           "    cap: 3\n"
                           "  - [1, 2]\n"
                           "empty: []\n"
                           "multi: |\n"
                           "  line one\n"
                           "  line \"two\"\n"
                           "tail: \"no break\\n\\nend\"\n"
                           "source: \"002:270\"\n");
  Diagnostics diags;
  const NodePtr root = staffsim::config::parse_yaml_file(f, diags);
  ASSERT_TRUE(root);
  const std::string text = staffsim::config::to_yaml(*root, false);
  EXPECT_NE(text.find("name: \"1\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("list:\n  - name: x\n    cap: 3\n  -\n    - 1\n"), std::string::npos) << text;

  EXPECT_NE(text.find("multi: |\n  line one\n  line \"two\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tail: |-\n  no break\n\n  end\n"), std::string::npos) << text;
  EXPECT_NE(text.find("source: \"002:270\"\n"), std::string::npos) << text;

  const fs::path g = write("again.yaml", text);
  const NodePtr back = staffsim::config::parse_yaml_file(g, diags);
  ASSERT_TRUE(back) << text << errors_of(diags);
  EXPECT_EQ(staffsim::config::to_yaml(*back, false), text);
  EXPECT_TRUE(back->get("name")->quoted);
  EXPECT_EQ(back->get("label")->scalar, "yes");
  EXPECT_TRUE(back->get("label")->quoted);
  EXPECT_EQ(back->get("note")->scalar, "a: b # c");
  EXPECT_EQ(back->get("multi")->scalar, "line one\nline \"two\"\n");
  EXPECT_EQ(back->get("tail")->scalar, "no break\n\nend");
  EXPECT_EQ(back->get("source")->scalar, "002:270");
  EXPECT_EQ(back->get("ages")->get("70+")->scalar, "0.5");
  EXPECT_TRUE(back->get("empty")->is_seq());
}

TEST_F(YamlParse, AnnotatedYamlNamesWhereEachScalarCameFrom) {
  const fs::path f = write("a.yaml", "supply:\n  base: 0.25\n  list: [a]\n");
  Diagnostics diags;
  const NodePtr root = staffsim::config::parse_yaml_file(f, diags);
  ASSERT_TRUE(root);
  const Node* supply = root->get("supply");
  auto value = std::make_shared<Node>();
  value->kind = Node::Kind::scalar;
  value->scalar = "0.3";
  value->loc = Location{"--set", 0, 0};
  supply->get_ptr("base")->cell_overrides.push_back({{"care_worker", "private"}, value, "p"});
  const std::string text = staffsim::config::to_yaml(*root, true);
  const std::string file = f.generic_string();
  EXPECT_EQ(text,
            "supply:\n"
            "  base: 0.25  # " +
                file +
                ":2:9\n"
                "  # override [care_worker,private] = 0.3 (from --set)\n"
                "  list:\n"
                "    - a  # " +
                file + ":3:10\n");
  const std::string plain = staffsim::config::to_yaml(*root, false);
  EXPECT_EQ(plain.find("# " + file), std::string::npos);
  EXPECT_NE(plain.find("# override [care_worker,private] = 0.3 (from --set)"), std::string::npos);
}
