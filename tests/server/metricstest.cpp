// The Prometheus text format as observe/metrics.h writes it: HELP and TYPE
// lines, labels escaped, histogram buckets cumulative with +Inf, _sum and
// _count, numbers that read back exactly.

#include "sync-server/observe/metrics.h"
#include "sync-server/observe/servermetrics.h"

#include "tests/support/qtestsupport.h"

#include <QTest>

using namespace imhere::server::observe;

class MetricsTest : public QObject {
    Q_OBJECT

private slots:
    void countersAndGaugesWithEscapedLabels();
    void histogramBucketsAreCumulative();
    void numbersReadBackExactly();
    void routeGroups();
};

void MetricsTest::countersAndGaugesWithEscapedLabels()
{
    MetricsRegistry registry;
    auto& requests = registry.counter("demo_requests_total", "Requests.", {"path"});
    auto& temperature = registry.gauge("demo_temperature_celsius", "Temperature.");
    requests.with({R"(a"b\c)" "\n"}).add(3);
    requests.with({"plain"}).add();
    temperature.with({}).set(-1.5);
    QCOMPARE(registry.render(), std::string("# HELP demo_requests_total Requests.\n"
                                            "# TYPE demo_requests_total counter\n"
                                            "demo_requests_total{path=\"a\\\"b\\\\c\\n\"} 3\n"
                                            "demo_requests_total{path=\"plain\"} 1\n"
                                            "# HELP demo_temperature_celsius Temperature.\n"
                                            "# TYPE demo_temperature_celsius gauge\n"
                                            "demo_temperature_celsius -1.5\n"));
}

void MetricsTest::histogramBucketsAreCumulative()
{
    MetricsRegistry registry;
    auto& latency = registry.histogram("demo_seconds", "Latency.", {"group"}, {0.1, 1});
    auto& api = latency.with({"api"});
    for (const double v : {0.05, 0.1, 0.5, 7.0})
        api.observe(v);
    QCOMPARE(registry.render(), std::string("# HELP demo_seconds Latency.\n"
                                            "# TYPE demo_seconds histogram\n"
                                            "demo_seconds_bucket{group=\"api\",le=\"0.1\"} 2\n"
                                            "demo_seconds_bucket{group=\"api\",le=\"1\"} 3\n"
                                            "demo_seconds_bucket{group=\"api\",le=\"+Inf\"} 4\n"
                                            "demo_seconds_sum{group=\"api\"} 7.65\n"
                                            "demo_seconds_count{group=\"api\"} 4\n"));
}

void MetricsTest::numbersReadBackExactly()
{
    QCOMPARE(formatValue(1796544545.583), "1796544545.583");
    QCOMPARE(formatValue(42), "42");
    QCOMPARE(formatValue(0.001), "0.001");
    QCOMPARE(formatValue(1.0 / 0.0), "+Inf");
}

void MetricsTest::routeGroups()
{
    QCOMPARE(ServerMetrics::routeGroup("/api/v1/kiosk/sync"), "sync");
    QCOMPARE(ServerMetrics::routeGroup("/api/v1/windows/{window}/check-ins"), "api");
    QCOMPARE(ServerMetrics::routeGroup("/q/{code}"), "remote");
    QCOMPARE(ServerMetrics::routeGroup("/courses/{course}"), "pages");
    QCOMPARE(ServerMetrics::routeGroup("/healthz"), "health");
    QCOMPARE(ServerMetrics::routeGroup(""), "unrouted");
}

QTEST_GUILESS_MAIN(MetricsTest)
#include "metricstest.moc"
