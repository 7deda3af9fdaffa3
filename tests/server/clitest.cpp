// Command-line parsing, INI files, setting precedence and roster CSV checks.

#include "sync-server/cli/options.h"
#include "sync-server/cli/rostercsv.h"

#include "tests/support/qtestsupport.h"

#include <QTemporaryDir>

#include <cstdlib>

using namespace imhere::server;
using namespace imhere::server::cli;

class CliTest : public QObject {
    Q_OBJECT

private slots:
    void commandLineSplitsWordsOptionsAndFlags();
    void iniReadsSectionsAndNamesTheBadLine();
    void settingsCommandLineBeatsEnvironmentBeatsConfigFile();
    void rosterCsvReadsQuotedFieldsAndAnyColumnOrder();
    void rosterCsvReportsEveryBadRowWithItsLineNumber();
    void rosterCsvABadHeaderIsReported();
};

void CliTest::commandLineSplitsWordsOptionsAndFlags()
{
    auto line = parseCommandLine({"kiosk", "add", "--name", "Door", "--course", "a", "--course=b", "--help"},
                                 {"help"});
    QVERIFY(line);
    QCOMPARE(line->words, (std::vector<std::string>{"kiosk", "add"}));
    QCOMPARE(line->all("course"), (std::vector<std::string>{"a", "b"}));
    QVERIFY(line->has("help"));
    QVERIFY(!parseCommandLine({"serve", "--db"}, {}).has_value());
}

void CliTest::iniReadsSectionsAndNamesTheBadLine()
{
    auto ini = parseIni("# comment\n[server]\ndb = /var/lib/imhere.db\nlisten=0.0.0.0:80 \n");
    QVERIFY(ini);
    QCOMPARE(ini->at("server.db"), "/var/lib/imhere.db");
    QCOMPARE(ini->at("server.listen"), "0.0.0.0:80");
    auto bad = parseIni("[server]\ndb = x\nnonsense\n");
    QVERIFY(!bad);
    QCOMPARE_NE(bad.error().message.find("line 3"), std::string::npos);
    // An indented line continues the value above (libinih): refused rather
    // than silently replacing it.
    auto indented = parseIni("[server]\ndb = x\n listen = 0.0.0.0:80\n");
    QVERIFY(!indented);
    QCOMPARE_NE(indented.error().message.find("line 3"), std::string::npos);
}

void CliTest::settingsCommandLineBeatsEnvironmentBeatsConfigFile()
{
    const QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("imhere-settings.ini").toStdString();
    {
        std::FILE* f = std::fopen(path.c_str(), "w");
        std::fputs("[server]\nlisten = 10.0.0.1:1\nthreads = 3\ndb = from-file.db\n", f);
        std::fclose(f);
    }
    setenv("IMHERE_THREADS", "9", 1);
    setenv("IMHERE_DB", "from-env.db", 1);
    auto line = parseCommandLine({"serve", "--config", path, "--db", "from-cli.db"}, {});
    auto settings = Settings::load(*line);
    QVERIFY(settings);
    QCOMPARE(settings->get("db"), "from-cli.db");
    QCOMPARE(settings->get("threads"), "9");
    QCOMPARE(settings->get("listen"), "10.0.0.1:1");
    QVERIFY(!settings->get("nothing").has_value());
    unsetenv("IMHERE_THREADS");
    unsetenv("IMHERE_DB");
    QVERIFY(!Settings::load(*parseCommandLine({"serve", "--config", "/no/such/file"}, {})));
}

void CliTest::rosterCsvReadsQuotedFieldsAndAnyColumnOrder()
{
    const Roster r = parseRoster("email,display_name,role,github\n"
                                 "zoe@example.org,\"Ağaoğlu, Zoë\",student,zoe-a\n"
                                 "tomas@example.org,\"Tomás \"\"Tom\"\" O'Neill\",ta,\n");
    QVERIFY2(r.problems.empty(), r.problems.empty() ? "" : r.problems[0].message.c_str());
    QCOMPARE(r.rows.size(), 2u);
    QCOMPARE(r.rows[0].displayName, "Ağaoğlu, Zoë");
    QCOMPARE(r.rows[0].github, "zoe-a");
    QCOMPARE(r.rows[1].displayName, "Tomás \"Tom\" O'Neill");
    QCOMPARE_EQ(r.rows[1].role, Role::Ta);
    QVERIFY(!r.rows[1].github.has_value());
}

void CliTest::rosterCsvReportsEveryBadRowWithItsLineNumber()
{
    const Roster r = parseRoster("display_name,email,role\n"
                                 "Good One,good@example.org,student\n"
                                 ",empty@example.org,student\n"
                                 "No Email,not-an-email,student\n"
                                 "Bad Role,role@example.org,headmaster\n"
                                 "Twice,good@example.org,student\n"
                                 "Too,many,fields,here\n"
                                 "Bad \xff UTF,utf@example.org,student\n");
    QCOMPARE(r.problems.size(), 6u);
    std::vector<int> lines;
    for (const auto& p : r.problems)
        lines.push_back(p.line);
    QCOMPARE(lines, (std::vector<int>{3, 4, 5, 6, 7, 8}));
}

void CliTest::rosterCsvABadHeaderIsReported()
{
    QVERIFY(!parseRoster("").problems.empty());
    QVERIFY(!parseRoster("name,email\nA,a@example.org\n").problems.empty());
    QVERIFY(!parseRoster("display_name,email,role,shoe_size\n").problems.empty());
}

QTEST_GUILESS_MAIN(CliTest)
#include "clitest.moc"
