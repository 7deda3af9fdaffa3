// A kiosk's check-in path as a process of its own, for the kill test
// (kioskkilltest.cpp): opens the kiosk store file, taps the badges on lines
// FROM .. TO - 1 of UIDS (one UID in hex a line) through the real
// CheckInService, and after each tap's feedback (emitted only once the
// check-in is durable) prints "LINE KIND" on stdout, flushed. The test
// SIGKILLs it at random moments.
//
//   imhere-e2e-tapwriter STORE UIDS FROM TO
#include "tests/kiosk/testsupport.h"

#include "kiosk/checkinservice.h"

#include "core/clock.h"

#include <QCoreApplication>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace imhere;
using namespace imhere::kiosk;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s STORE UIDS FROM TO\n", argv[0]);
        return 2;
    }
    QFile file(QString::fromLocal8Bit(argv[2]));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "tapwriter: cannot read %s\n", argv[2]);
        return 1;
    }
    const QList<QByteArray> uids = file.readAll().split('\n');
    auto store = KioskStore::open(argv[1]);
    if (!store) {
        std::fprintf(stderr, "tapwriter: %s\n", store.error().message.c_str());
        return 1;
    }
    const long from = std::atol(argv[3]);
    const long to = std::min(std::atol(argv[4]), static_cast<long>(uids.size()));
    SystemClock clock;
    CheckInService service(*store, clock);
    long current = from;
    QObject::connect(&service, &CheckInService::feedback, [&](const TapFeedback& feedback) {
        std::printf("%ld %d\n", current, static_cast<int>(feedback.kind));
        std::fflush(stdout);
    });
    for (; current < to; ++current)
        service.handleRead(test::tap(QByteArray::fromHex(uids[static_cast<qsizetype>(current)])));
    return 0;
}
