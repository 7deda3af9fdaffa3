// Command-line parsing, INI files, setting precedence and roster CSV checks.

#include "sync-server/cli/options.h"
#include "sync-server/cli/rostercsv.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace imhere::server;
using namespace imhere::server::cli;

TEST(CommandLine, SplitsWordsOptionsAndFlags)
{
    auto line = parseCommandLine({"kiosk", "add", "--name", "Door", "--course", "a", "--course=b", "--help"},
                                 {"help"});
    ASSERT_TRUE(line);
    EXPECT_EQ(line->words, (std::vector<std::string>{"kiosk", "add"}));
    EXPECT_EQ(line->all("course"), (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(line->has("help"));
    EXPECT_FALSE(parseCommandLine({"serve", "--db"}, {}).has_value());
}

TEST(Ini, ReadsSectionsAndNamesTheBadLine)
{
    auto ini = parseIni("# comment\n[server]\ndb = /var/lib/imhere.db\n listen=0.0.0.0:80 \n");
    ASSERT_TRUE(ini);
    EXPECT_EQ(ini->at("server.db"), "/var/lib/imhere.db");
    EXPECT_EQ(ini->at("server.listen"), "0.0.0.0:80");
    auto bad = parseIni("[server]\ndb = x\nnonsense\n");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("line 3"), std::string::npos);
}

TEST(Settings, CommandLineBeatsEnvironmentBeatsConfigFile)
{
    const std::string path = ::testing::TempDir() + "/imhere-settings.ini";
    {
        std::FILE* f = std::fopen(path.c_str(), "w");
        std::fputs("[server]\nlisten = 10.0.0.1:1\nthreads = 3\ndb = from-file.db\n", f);
        std::fclose(f);
    }
    setenv("IMHERE_THREADS", "9", 1);
    setenv("IMHERE_DB", "from-env.db", 1);
    auto line = parseCommandLine({"serve", "--config", path, "--db", "from-cli.db"}, {});
    auto settings = Settings::load(*line);
    ASSERT_TRUE(settings);
    EXPECT_EQ(settings->get("db"), "from-cli.db");
    EXPECT_EQ(settings->get("threads"), "9");
    EXPECT_EQ(settings->get("listen"), "10.0.0.1:1");
    EXPECT_FALSE(settings->get("nothing").has_value());
    unsetenv("IMHERE_THREADS");
    unsetenv("IMHERE_DB");
    EXPECT_FALSE(Settings::load(*parseCommandLine({"serve", "--config", "/no/such/file"}, {})));
}

TEST(RosterCsv, ReadsQuotedFieldsAndAnyColumnOrder)
{
    const Roster r = parseRoster("email,display_name,role,github\n"
                                 "zoe@example.org,\"Ağaoğlu, Zoë\",student,zoe-a\n"
                                 "tomas@example.org,\"Tomás \"\"Tom\"\" O'Neill\",ta,\n");
    ASSERT_TRUE(r.problems.empty()) << r.problems[0].message;
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].displayName, "Ağaoğlu, Zoë");
    EXPECT_EQ(r.rows[0].github, "zoe-a");
    EXPECT_EQ(r.rows[1].displayName, "Tomás \"Tom\" O'Neill");
    EXPECT_EQ(r.rows[1].role, Role::Ta);
    EXPECT_FALSE(r.rows[1].github.has_value());
}

TEST(RosterCsv, ReportsEveryBadRowWithItsLineNumber)
{
    const Roster r = parseRoster("display_name,email,role\n"
                                 "Good One,good@example.org,student\n"
                                 ",empty@example.org,student\n"
                                 "No Email,not-an-email,student\n"
                                 "Bad Role,role@example.org,headmaster\n"
                                 "Twice,good@example.org,student\n"
                                 "Too,many,fields,here\n"
                                 "Bad \xff UTF,utf@example.org,student\n");
    ASSERT_EQ(r.problems.size(), 6u);
    std::vector<int> lines;
    for (const auto& p : r.problems)
        lines.push_back(p.line);
    EXPECT_EQ(lines, (std::vector<int>{3, 4, 5, 6, 7, 8}));
}

TEST(RosterCsv, ABadHeaderIsReported)
{
    EXPECT_FALSE(parseRoster("").problems.empty());
    EXPECT_FALSE(parseRoster("name,email\nA,a@example.org\n").problems.empty());
    EXPECT_FALSE(parseRoster("display_name,email,role,shoe_size\n").problems.empty());
}
