#pragma once
// Drains the outbox to imhere-server and pulls changes back (DESIGN §5).
//
// One round: up to k_syncBatchEvents outbox events and the pull cursor go out;
// the reply's acks, changes, cursor and clock offset are applied in one
// transaction. An outbox row is deleted only when its ack (stored or
// duplicate) arrives; a rejected event is moved aside with its reason and not
// resent. Failures back off exponentially with jitter up to k_backoffMaxMs.
// The clock offset is measured from every reply (server_time against the
// request's midpoint on the kiosk's clock) and fed to the OffsetClock.
//
// Thread rules: lives on the sync thread, with its own KioskStore connection
// and transport; slots are called through queued connections; signals are
// emitted on the sync thread.

#include "httptransport.h"
#include "kioskstore.h"

#include "core/clock.h"

#include <QObject>
#include <QTimer>

namespace imhere::kiosk {

class SyncClient : public QObject {
    Q_OBJECT
public:
    SyncClient(KioskStore& store, HttpTransport& transport, const Clock& systemClock, OffsetClock& serverClock,
               QObject* parent = nullptr);

    [[nodiscard]] bool online() const { return m_online; }
    [[nodiscard]] qint64 queueLength() const { return m_queueLength; }
    // When the next round is due, from now; -1 when none is scheduled.
    [[nodiscard]] qint64 nextAttemptInMs() const;
    // The delay the next round was scheduled with (the backoff after a failure).
    [[nodiscard]] qint64 scheduledDelayMs() const { return m_scheduledDelayMs; }
    [[nodiscard]] int consecutiveFailures() const { return m_failures; }

    // The delay after `failures` failed rounds in a row: 1 s, 2 s, 4 s ... up
    // to the cap, each drawn uniformly from its upper half so that kiosks
    // restarted together do not retry together.
    [[nodiscard]] static qint64 backoffMs(int failures);

public Q_SLOTS:
    // Loads the stored clock offset and starts syncing.
    void start();
    void stop();
    // Runs one round now (blocking on the network, bounded by timeouts).
    // Returns true when the server answered and the reply was applied.
    bool syncNow();
    // Something entered the outbox: send it soon unless backing off.
    void syncSoon();

Q_SIGNALS:
    void onlineChanged(bool online);
    void queueLengthChanged(qint64 length);
    // A reply changed the local roster, windows or identity.
    void changesApplied();
    void problem(const QString& message);

private:
    void schedule(qint64 delayMs);
    void fail(const QString& message);
    void setOnline(bool online);
    void updateQueueLength();

    KioskStore& m_store;
    HttpTransport& m_transport;
    const Clock& m_systemClock;
    OffsetClock& m_serverClock;
    QTimer m_timer;
    bool m_running = false;
    bool m_online = false;
    qint64 m_queueLength = 0;
    int m_failures = 0;
    qint64 m_scheduledDelayMs = -1;
    std::size_t m_batchLimit;
};

} // namespace imhere::kiosk
