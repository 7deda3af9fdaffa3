#include "syncclient.h"
#include "kiosklimits.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>

namespace imhere::kiosk {

namespace {

Q_LOGGING_CATEGORY(lcSync, "imhere.kiosk.sync")

constexpr long k_httpOk = 200;
constexpr long k_httpUnauthorized = 401;
constexpr long k_httpTooLarge = 413;

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

std::string syncUrl(std::string base)
{
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/api/v1/kiosk/sync";
}

} // namespace

SyncClient::SyncClient(KioskStore& store, HttpTransport& transport, const Clock& systemClock,
                       OffsetClock& serverClock, QObject* parent)
    : QObject(parent), m_store(store), m_transport(transport), m_systemClock(systemClock),
      m_serverClock(serverClock), m_timer(this), m_batchLimit(limits::k_syncBatchEvents)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { syncNow(); });
}

qint64 SyncClient::backoffMs(int failures)
{
    if (failures <= 0)
        return 0;
    const int doublings = std::min(failures - 1, 16);
    const qint64 ceiling = std::min<qint64>(limits::k_backoffInitialMs << doublings, limits::k_backoffMaxMs);
    const qint64 floor = ceiling / 2;
    return floor + QRandomGenerator::global()->bounded(ceiling - floor + 1);
}

qint64 SyncClient::nextAttemptInMs() const
{
    return m_timer.isActive() ? m_timer.remainingTime() : -1;
}

void SyncClient::start()
{
    if (auto offset = m_store.clockOffsetMs())
        m_serverClock.setOffsetMs(*offset);
    m_running = true;
    updateQueueLength();
    schedule(0);
}

void SyncClient::stop()
{
    m_running = false;
    m_timer.stop();
}

void SyncClient::syncSoon()
{
    updateQueueLength();
    if (!m_running || m_failures > 0)
        return; // a backoff is running; the queue drains when it ends
    if (!m_timer.isActive() || m_timer.remainingTime() > limits::k_syncSoonMs)
        schedule(limits::k_syncSoonMs);
}

void SyncClient::schedule(qint64 delayMs)
{
    if (!m_running)
        return;
    m_scheduledDelayMs = delayMs;
    m_timer.start(static_cast<int>(delayMs));
}

void SyncClient::setOnline(bool online)
{
    if (online == m_online)
        return;
    m_online = online;
    Q_EMIT onlineChanged(online);
}

void SyncClient::updateQueueLength()
{
    auto length = m_store.outboxLength();
    if (!length || *length == m_queueLength)
        return;
    m_queueLength = *length;
    Q_EMIT queueLengthChanged(m_queueLength);
}

void SyncClient::fail(const QString& message)
{
    ++m_failures;
    setOnline(false);
    const qint64 delay = backoffMs(m_failures);
    qCInfo(lcSync).noquote() << message << "- retrying in" << delay << "ms";
    Q_EMIT problem(message);
    schedule(delay);
}

bool SyncClient::syncNow()
{
    auto credentials = m_store.credentials();
    auto cursor = m_store.cursor();
    auto batch = m_store.outboxBatch(m_batchLimit);
    if (!credentials || !*credentials || !cursor || !batch) {
        fail(QStringLiteral("the kiosk has no server credentials or cannot read its store"));
        return false;
    }
    sync::SyncRequest request;
    request.kioskTimeMs = m_systemClock.nowMs();
    request.cursor = *cursor;
    // For the server's metrics: how far behind this kiosk is.
    if (auto waiting = m_store.outboxLength())
        request.outbox = *waiting;
    for (const auto& row : *batch) {
        auto event = sync::decodeEvent(row.json);
        if (!event) {
            // Kept aside like a refused event: left in the outbox, a whole batch
            // of these would stop every event behind them from being sent.
            qCWarning(lcSync) << "unreadable outbox event kept aside:" << q(row.id) << q(event.error().message);
            if (auto kept = m_store.setAside(row.id, "unreadable: " + event.error().message, m_serverClock.nowMs());
                !kept)
                qCWarning(lcSync) << "cannot keep it aside:" << q(kept.error().message);
            continue;
        }
        request.events.emplace_back(std::move(*event));
    }

    const std::int64_t sentAt = m_systemClock.nowMs();
    auto reply = m_transport.post({syncUrl((*credentials)->serverUrl), (*credentials)->token, sync::encode(request)});
    const std::int64_t receivedAt = m_systemClock.nowMs();
    if (!reply) {
        fail(QStringLiteral("server unreachable: %1").arg(q(reply.error().message)));
        return false;
    }
    if (reply->status == k_httpTooLarge && m_batchLimit > 1)
        m_batchLimit = std::max<std::size_t>(1, m_batchLimit / 2); // the next batch is smaller
    if (reply->status != k_httpOk) {
        fail(reply->status == k_httpUnauthorized
                 ? QStringLiteral("the server refused this kiosk's token (401)")
                 : QStringLiteral("the server answered %1").arg(reply->status));
        return false;
    }
    auto response = sync::decodeResponse(reply->body);
    if (!response) {
        fail(QStringLiteral("unreadable reply: %1").arg(q(response.error().message)));
        return false;
    }

    const std::int64_t offset = response->serverTimeMs - (sentAt + receivedAt) / 2;
    if (std::abs(offset) > limits::k_skewLogMs)
        qCWarning(lcSync) << "kiosk clock is off by" << offset << "ms; using server time";
    if (auto applied = m_store.applySync(*response, offset, m_serverClock.nowMs()); !applied) {
        fail(QStringLiteral("cannot store the reply: %1").arg(q(applied.error().message)));
        return false;
    }
    m_serverClock.setOffsetMs(offset);
    m_failures = 0;
    m_batchLimit = limits::k_syncBatchEvents;
    setOnline(true);
    updateQueueLength();
    const bool changed = response->kiosk || !response->changes.people.empty() ||
                         !response->changes.badges.empty() || !response->changes.courses.empty() ||
                         !response->changes.windows.empty() || !response->changes.enrollments.empty() ||
                         !response->changes.checkIns.empty();
    if (changed)
        Q_EMIT changesApplied();
    const bool moreToSend = m_queueLength > 0 && !response->acks.empty();
    schedule(response->more || moreToSend ? 0 : limits::k_pollIntervalMs);
    return true;
}

} // namespace imhere::kiosk
