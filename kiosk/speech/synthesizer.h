// Text to 16-bit mono PCM with espeak-ng. espeak-ng keeps global state and is not thread-safe, so every call into it
// runs on one engine thread of the process; these functions hand work to that thread.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/speech/voices.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace kiosk::speech {

// espeak-ng's words per minute: its own default is 175; the kiosk speaks a little slower for its residents.
constexpr int default_rate_wpm = 160;
constexpr int min_rate_wpm = 80;
constexpr int max_rate_wpm = 450;

// The engine's sample rate (espeak-ng: 22050 Hz). The first call starts the engine thread and espeak-ng and
// waits for them: an error if espeak-ng or its data cannot be loaded (remembered for later calls).
Result<int> engine_sample_rate();

struct Synthesis {
    std::vector<std::int16_t> samples;
    int sample_rate = 0;
    VoiceChoice voice;
};

// The whole utterance at once, synthesised on the engine thread while the caller waits.
Result<Synthesis> synthesize(std::string_view text, std::string_view language, int rate_wpm = default_rate_wpm);

// Runs task on the engine thread after the tasks posted before it. Tasks must not throw.
// Returns an error, and drops the task, when the engine could not start.
Result<void> post_to_engine(std::function<void()> task);

// Called on the engine thread with each chunk of samples as espeak-ng produces it; false stops the synthesis.
// The chunk's memory is espeak-ng's and is zeroed once the sink returns.
using ChunkSink = std::function<bool(std::span<std::int16_t const>)>;

struct StreamOutcome {
    VoiceChoice voice;
    std::size_t samples = 0;
    bool stopped = false; // the sink returned false before the end
};

// Only from a task on the engine thread: synthesises text, handing each chunk to sink as it comes.
Result<StreamOutcome> synthesize_on_engine(
    std::string_view text, std::string_view language, int rate_wpm, ChunkSink const& sink);

} // namespace kiosk::speech
