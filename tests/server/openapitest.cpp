// docs/openapi.yaml and the router describe the same routes: every route is
// documented and every documented operation exists.

#include "testserver.h"

#include "tests/support/qtestsupport.h"

#include <fstream>
#include <set>

using namespace imhere::test;

namespace {

// The (METHOD path) pairs under `paths:`: paths at two spaces of indent,
// operations at four.
std::set<std::string> documentedRoutes(const std::string& file)
{
    std::ifstream in(file);
    std::set<std::string> out;
    std::string line;
    std::string path;
    bool inPaths = false;
    while (std::getline(in, line)) {
        if (line == "paths:") {
            inPaths = true;
            continue;
        }
        if (!inPaths)
            continue;
        if (!line.empty() && line[0] != ' ')
            break;
        if (line.starts_with("  /") && line.ends_with(":")) {
            path = line.substr(2, line.size() - 3);
        } else if (line.starts_with("    ") && line[4] != ' ' && line.ends_with(":")) {
            std::string method = line.substr(4, line.size() - 5);
            if (method == "get" || method == "post" || method == "put" || method == "delete" || method == "patch") {
                for (char& c : method)
                    c = static_cast<char>(c - 'a' + 'A');
                out.insert(method + " " + path);
            }
        }
    }
    return out;
}

} // namespace

class OpenApiTest : public QObject {
    Q_OBJECT

private slots:
    void specAndRouterAgree();
};

void OpenApiTest::specAndRouterAgree()
{
    const auto documented = documentedRoutes(IMHERE_OPENAPI);
    QVERIFY(!documented.empty());
    TestServer server;
    std::set<std::string> routed;
    for (const auto& route : server.router.routes())
        routed.insert(route.method + " " + route.pattern);
    for (const auto& r : routed)
        QVERIFY2(documented.contains(r), (r + " is not in docs/openapi.yaml").c_str());
    for (const auto& d : documented)
        QVERIFY2(routed.contains(d), (d + " is documented but not routed").c_str());
}

QTEST_GUILESS_MAIN(OpenApiTest)
#include "openapitest.moc"
