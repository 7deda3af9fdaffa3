#pragma once
// Camera frames → QR decoding → badge tokens, on one worker thread.
//
// A camera delivers 15–30 frames a second and a decode can take longer than
// a frame interval, so frames are never queued: the pipeline holds at most
// one waiting frame (a single-slot mailbox). A frame that arrives while
// another is waiting replaces it, and the replaced one is counted as
// dropped; the worker always decodes the freshest frame. Decoded text that is
// not a badge token (imhere:b1:..., credentialformat.h) is counted and
// ignored. A badge held in view is one read: the same token is reported again
// only after it has been out of sight for the configured gap.
//
// Thread rules: start(), stop() and the destructor on the owner's thread;
// submit() and counters() from any thread (the camera's video thread). The
// token handler runs on the worker thread.

#include <QImage>
#include <QVideoFrame>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>

namespace imhere::hardware {

using VideoInput = std::variant<QVideoFrame, QImage>;

class QrDecodePipeline {
public:
    // Returns the text of a QR code in the frame, if any.
    using Decoder = std::function<std::optional<std::string>(const VideoInput&)>;
    using TokenHandler = std::function<void(std::string token)>;

    struct Counters {
        std::uint64_t submitted = 0; // frames accepted while running
        std::uint64_t decoded = 0;   // frames the decoder looked at
        std::uint64_t dropped = 0;   // frames replaced before the decoder was free
        std::uint64_t ignored = 0;   // QR codes that are not badge tokens
        std::uint64_t tokens = 0;    // badge tokens handed on
    };

    // `decoder` defaults to ZXing (decodeQrText); tests pass their own to
    // hold the worker busy. `sameBadgeGap` defaults to k_qrSameBadgeGap.
    explicit QrDecodePipeline(TokenHandler onToken, Decoder decoder = {},
                              std::optional<std::chrono::milliseconds> sameBadgeGap = std::nullopt);
    ~QrDecodePipeline();
    QrDecodePipeline(const QrDecodePipeline&) = delete;
    QrDecodePipeline& operator=(const QrDecodePipeline&) = delete;

    void start();
    // Joins the worker; a waiting frame is discarded. Safe to call twice.
    void stop();
    // Hands a frame to the worker without blocking on decoding. Frames
    // submitted while stopped are not accepted.
    void submit(VideoInput frame);
    [[nodiscard]] Counters counters() const;

private:
    void run();
    void handleText(std::optional<std::string> text);

    TokenHandler m_onToken;
    Decoder m_decode;
    std::chrono::steady_clock::duration m_sameBadgeGap;
    std::thread m_worker;

    // Shared with submit(); guarded by m_mutex.
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<VideoInput> m_waiting;
    bool m_running = false;
    Counters m_counters;

    // Worker thread only.
    std::string m_lastToken;
    std::chrono::steady_clock::time_point m_lastTokenSeen;
};

} // namespace imhere::hardware
