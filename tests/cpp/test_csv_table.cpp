// CSV tables (engine/src/scenario/csv_table.cpp): RFC 4180 quoting, comment
// and blank lines skipped, rows numbered by physical line, every problem a
// diagnostic (a missing file included), and SHA-256 digests of inputs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenario/config_tree.hpp"
#include "support/cli_runner.hpp"

namespace fs = std::filesystem;
using staffsim::config::CsvTable;
using staffsim::config::Diagnostics;
using staffsim::config::Location;

namespace {

class CsvTableTest : public ::testing::Test {
 protected:
  // A fresh folder per test, removed afterwards.
  staffsim::testing::TempDir tmp_;
  const fs::path dir_ = tmp_.path();

  fs::path write(const std::string& name, const std::string& text) {
    return tmp_.write(name, text);
  }

  const Location named_at{"s.yaml", 7, 12};
};

}  // namespace

TEST_F(CsvTableTest, ReadsQuotedFieldsCommentsAndBlankLines) {
  const fs::path f = write("t.csv",
                           "# turnover by cell\n"
                           "role, sector ,value\n"
                           "\n"
                           "care_worker,private,0.25\n"
                           "  # an indented comment\n"
                           "\"manager, senior\",\"say \"\"hi\"\"\",0.1\n"
                           "x,,\" padded \"\n");
  Diagnostics diags;
  const CsvTable t = staffsim::config::read_csv(f, named_at, diags);
  EXPECT_TRUE(diags.all().empty());
  EXPECT_EQ(t.header, (std::vector<std::string>{"role", "sector", "value"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"care_worker", "private", "0.25"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"manager, senior", "say \"hi\"", "0.1"}));
  EXPECT_EQ(t.rows[2], (std::vector<std::string>{"x", "", " padded "}));
  EXPECT_EQ(t.row_numbers, (std::vector<int>{4, 6, 7}));
  EXPECT_EQ(t.display_name, f.generic_string());
}

TEST_F(CsvTableTest, ToleratesCrlfAndAMissingFinalNewline) {
  const fs::path f = write("crlf.csv", "a,b\r\n1,2\r\n\r\n3,4");
  Diagnostics diags;
  const CsvTable t = staffsim::config::read_csv(f, named_at, diags);
  EXPECT_TRUE(diags.all().empty());
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(t.row_numbers, (std::vector<int>{2, 4}));
}

TEST_F(CsvTableTest, QuotedFieldMaySpanLinesAndRowsKeepPhysicalNumbers) {
  const fs::path f = write("multi.csv", "name,note\na,\"two\nlines\"\nb,x,extra\n");
  Diagnostics diags;
  const CsvTable t = staffsim::config::read_csv(f, named_at, diags);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][1], "two\nlines");
  EXPECT_EQ(t.row_numbers[0], 2);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].format(), f.generic_string() + ":4: expected 2 fields, found 3");
}

TEST_F(CsvTableTest, WrongFieldCountIsReportedForEveryRowWithItsNumber) {
  const fs::path f = write("bad.csv",
                           "role,sector,value\n"
                           "# comment\n"
                           "care_worker,private\n"
                           "care_worker,nhs,0.2\n"
                           "manager,nhs,0.1,9\n");
  Diagnostics diags;
  const CsvTable t = staffsim::config::read_csv(f, named_at, diags);
  ASSERT_EQ(diags.all().size(), 2u);
  EXPECT_EQ(diags.all()[0].format(), f.generic_string() + ":3: expected 3 fields, found 2");
  EXPECT_EQ(diags.all()[1].format(), f.generic_string() + ":5: expected 3 fields, found 4");
  EXPECT_EQ(diags.all()[0].line, 3);
  EXPECT_EQ(diags.all()[0].column, 0);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.row_numbers[0], 4);
}

TEST_F(CsvTableTest, UnclosedQuoteIsReported) {
  const fs::path f = write("q.csv", "a,b\n1,\"open\n");
  Diagnostics diags;
  (void)staffsim::config::read_csv(f, named_at, diags);
  ASSERT_TRUE(diags.has_errors());
  EXPECT_EQ(diags.all()[0].line, 2);
  EXPECT_NE(diags.all()[0].rule.find("not closed"), std::string::npos);
}

TEST_F(CsvTableTest, MissingFileIsADiagnosticAtTheNamingValue) {
  const fs::path f = dir_ / "absent.csv";
  Diagnostics diags;
  const CsvTable t = staffsim::config::read_csv(f, named_at, diags);
  EXPECT_TRUE(t.header.empty());
  ASSERT_EQ(diags.all().size(), 1u);
  const auto& d = diags.all()[0];
  EXPECT_EQ(d.file, "s.yaml");
  EXPECT_EQ(d.line, 7);
  EXPECT_EQ(d.column, 12);
  EXPECT_EQ(d.rule, "cannot read table '" + f.generic_string() + "' (resolved to " +
                        fs::absolute(f).generic_string() + "): No such file or directory");
  EXPECT_TRUE(diags.inputs().empty());
}

TEST_F(CsvTableTest, TableWithoutHeaderIsReported) {
  const fs::path f = write("empty.csv", "# only a comment\n\n");
  Diagnostics diags;
  (void)staffsim::config::read_csv(f, named_at, diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].line, 7);
  EXPECT_NE(diags.all()[0].rule.find("has no header row"), std::string::npos);
}

TEST_F(CsvTableTest, Sha256OfKnownBytes) {
  EXPECT_EQ(staffsim::config::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const fs::path f = write("abc.txt", "abc");
  EXPECT_EQ(staffsim::config::sha256_file(f),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_THROW((void)staffsim::config::sha256_file(dir_ / "none.txt"), staffsim::IoError);
}

TEST_F(CsvTableTest, ReadingRecordsTheTableAndItsDigestOnce) {
  const fs::path f = write("d.csv", "a\n1\n");
  Diagnostics diags;
  (void)staffsim::config::read_csv(f, named_at, diags);
  (void)staffsim::config::read_csv(f, named_at, diags);
  ASSERT_EQ(diags.inputs().size(), 1u);
  EXPECT_EQ(diags.inputs()[0].first, f.generic_string());
  EXPECT_EQ(diags.inputs()[0].second, staffsim::config::sha256_file(f));
}
