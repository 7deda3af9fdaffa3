#include "nfcreader.h"

#include "hardwarelimits.h"
#include "nfchandles.h"
#include "serialline.h"

#include <nfc/nfc.h>

namespace imhere::hardware {

namespace {

// After an abort request the poll gets this long to return on its own before
// the serial line is cut (libnfc's ACK wait cannot be aborted).
constexpr auto k_abortGrace = std::chrono::milliseconds(300);

} // namespace

NfcReader::NfcReader(QString connstring, QObject* parent)
    : BadgeReader(parent), m_connstring(std::move(connstring))
{
}

NfcReader::~NfcReader()
{
    stop();
}

QString NfcReader::description() const
{
    return m_connstring.isEmpty() ? QStringLiteral("NFC (libnfc default device)")
                                  : QStringLiteral("NFC %1").arg(m_connstring);
}

void NfcReader::start()
{
    if (m_worker.joinable()) {
        return;
    }
    m_stop.clear();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    m_worker = std::thread([this] { run(); });
    m_watchdog = std::thread([this] { watch(); });
}

void NfcReader::stop()
{
    if (!m_worker.joinable()) {
        return;
    }
    m_stop.notify();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_pollDeadline = std::chrono::steady_clock::now(); // end a running poll now
    }
    m_changed.notify_all();
    m_worker.join();
    m_watchdog.join();
    postReady(false);
}

void NfcReader::abortPoll(bool cut)
{
    // Called with m_mutex held, while the worker is inside a poll.
    if (m_device == nullptr) {
        return;
    }
    if (!cut) {
        nfc_abort_command(m_device);
    } else if (m_serialFd >= 0) {
        cutLine(m_serialFd, m_worker.native_handle());
    }
}

void NfcReader::watch()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        if (m_stopping && m_device == nullptr) {
            return;
        }
        if (!m_pollDeadline) {
            m_changed.wait_for(lock, limits::k_stopPollInterval);
            continue;
        }
        const auto deadline = *m_pollDeadline;
        if (std::chrono::steady_clock::now() < deadline) {
            m_changed.wait_until(lock, deadline);
            continue; // re-check: the poll may have ended or the deadline moved
        }
        // The poll overran: ask libnfc to abort, then cut the line if the
        // driver is stuck where an abort cannot reach (the ACK wait).
        m_pollOverran = !m_stopping;
        abortPoll(false);
        m_changed.wait_for(lock, k_abortGrace, [&] { return !m_pollDeadline || *m_pollDeadline != deadline; });
        if (m_pollDeadline && *m_pollDeadline == deadline) {
            abortPoll(true);
            m_pollDeadline.reset(); // one cut per poll
        }
    }
}

void NfcReader::run()
{
    nfc_context* rawContext = nullptr;
    nfc_init(&rawContext);
    NfcContextPtr context(rawContext);
    if (!context) {
        postError(QStringLiteral("NFC: libnfc could not start (out of memory or a broken libnfc.conf)"));
        return;
    }
    const std::string connstring = m_connstring.toStdString();
    const std::string serialPath = serialPathOf(connstring);
    std::string lastError;
    const auto report = [&](const std::string& message) {
        if (message != lastError) {
            lastError = message;
            postError(QStringLiteral("NFC: %1").arg(QString::fromStdString(message)));
        }
    };

    while (!m_stop.isSet()) {
        const auto fdsBefore = openFds();
        NfcDevicePtr device(nfc_open(context.get(), connstring.empty() ? nullptr : connstring.c_str()));
        if (!device) {
            report(connstring.empty() ? "no NFC reader found (check the cable, udev permissions and libnfc.conf)"
                                      : "no NFC reader answers at " + connstring
                                            + " (check the cable, the port and udev permissions)");
        } else if (nfc_initiator_init(device.get()) < 0) {
            report(std::string("reader did not initialise: ") + nfc_strerror(device.get()));
        } else {
            lastError.clear();
            {
                std::lock_guard lock(m_mutex);
                m_device = device.get();
                m_serialFd = serialPath.empty() ? -1 : findNewFdFor(serialPath, fdsBefore);
            }
            postReady(true);
            pollDevice(device.get());
            postReady(false);
            {
                std::lock_guard lock(m_mutex);
                m_device = nullptr;
                m_serialFd = -1;
            }
        }
        device.reset();
        if (m_stop.waitFor(limits::k_reconnectInterval)) {
            break;
        }
    }
    std::lock_guard lock(m_mutex);
    m_changed.notify_all();
}

void NfcReader::pollDevice(nfc_device* device)
{
    const nfc_modulation typeA{NMT_ISO14443A, NBR_106};
    std::optional<QByteArray> present; // the card on the reader, if any
    while (!m_stop.isSet()) {
        {
            std::lock_guard lock(m_mutex);
            m_pollDeadline = std::chrono::steady_clock::now() + limits::k_nfcPollDeadline;
            m_pollOverran = false;
        }
        m_changed.notify_all();
        nfc_target target{};
        const int found = nfc_initiator_poll_target(device, &typeA, 1, limits::k_nfcPollCount,
                                                    limits::k_nfcPollPeriodUnits, &target);
        bool overran = false;
        {
            std::lock_guard lock(m_mutex);
            m_pollDeadline.reset();
            overran = m_pollOverran;
        }
        m_changed.notify_all();
        if (m_stop.isSet()) {
            return;
        }
        if (overran) {
            postError(QStringLiteral("NFC: the reader stopped answering; reopening it"));
            return;
        }
        if (found < 0) {
            postError(QStringLiteral("NFC: %1; reopening the reader").arg(QString::fromLocal8Bit(nfc_strerror(device))));
            return;
        }
        if (found == 0) {
            present.reset();
            continue;
        }
        const auto& info = target.nti.nai;
        if (info.szUidLen < limits::k_nfcMinUidBytes || info.szUidLen > limits::k_nfcMaxUidBytes) {
            continue; // a collision or a malformed answer; the next poll retries
        }
        QByteArray uid(reinterpret_cast<const char*>(info.abtUid), static_cast<qsizetype>(info.szUidLen));
        if (present != uid) {
            present = uid;
            postRead(BadgeRead{uid, BadgeSource::Nfc});
        }
        // Release the card so the next poll sees whether it is still there.
        nfc_initiator_deselect_target(device);
    }
}

} // namespace imhere::hardware
