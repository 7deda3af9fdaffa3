#include "qrdecodepipeline.h"

#include "credentialformat.h"
#include "hardwarelimits.h"
#include "qrframedecoder.h"

namespace imhere::hardware {

namespace {

std::optional<std::string> decodeWithZxing(const VideoInput& input)
{
    return std::visit([](const auto& frame) { return decodeQrText(frame); }, input);
}

} // namespace

QrDecodePipeline::QrDecodePipeline(TokenHandler onToken, Decoder decoder,
                                   std::optional<std::chrono::milliseconds> sameBadgeGap)
    : m_onToken(std::move(onToken)),
      m_decode(decoder ? std::move(decoder) : Decoder(decodeWithZxing)),
      m_sameBadgeGap(sameBadgeGap.value_or(limits::k_qrSameBadgeGap))
{
}

QrDecodePipeline::~QrDecodePipeline()
{
    stop();
}

void QrDecodePipeline::start()
{
    if (m_worker.joinable()) {
        return;
    }
    {
        const std::lock_guard lock(m_mutex);
        m_running = true;
    }
    m_lastToken.clear();
    m_worker = std::thread([this] { run(); });
}

void QrDecodePipeline::stop()
{
    if (!m_worker.joinable()) {
        return;
    }
    {
        const std::lock_guard lock(m_mutex);
        m_running = false;
        m_waiting.reset();
    }
    m_wake.notify_one();
    m_worker.join();
}

void QrDecodePipeline::submit(VideoInput frame)
{
    {
        const std::lock_guard lock(m_mutex);
        if (!m_running) {
            return;
        }
        ++m_counters.submitted;
        if (m_waiting) {
            ++m_counters.dropped;
        }
        m_waiting = std::move(frame);
    }
    m_wake.notify_one();
}

QrDecodePipeline::Counters QrDecodePipeline::counters() const
{
    const std::lock_guard lock(m_mutex);
    return m_counters;
}

void QrDecodePipeline::run()
{
    while (true) {
        VideoInput frame;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return !m_running || m_waiting.has_value(); });
            if (!m_running) {
                return;
            }
            frame = std::move(*m_waiting);
            m_waiting.reset();
        }
        // Decoding runs unlocked, so the mailbox keeps taking frames meanwhile.
        auto text = m_decode(frame);
        handleText(std::move(text));
    }
}

void QrDecodePipeline::handleText(std::optional<std::string> text)
{
    const auto now = std::chrono::steady_clock::now();
    const bool isToken = text && isQrBadgeToken(*text);
    const bool isNewRead = isToken && (*text != m_lastToken || now - m_lastTokenSeen > m_sameBadgeGap);
    {
        const std::lock_guard lock(m_mutex);
        ++m_counters.decoded;
        if (text && !isToken) {
            ++m_counters.ignored;
        }
        if (isNewRead) {
            ++m_counters.tokens;
        }
    }
    if (!isToken) {
        return;
    }
    m_lastTokenSeen = now;
    if (isNewRead) {
        m_lastToken = *text;
        m_onToken(std::move(*text));
    }
}

} // namespace imhere::hardware
