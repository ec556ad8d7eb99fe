// What the UI drives to speak: utterances and earcons played through SDL audio, each optionally written as a
// numbered WAV file, without ever blocking the calling (UI) thread on synthesis or on the audio device.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/speech/synthesizer.h"
#include "kiosk/speech/tones.h"

#include <SDL.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::speech {

enum class Priority {
    interrupt, // cut what is playing and drop what waits: the label of what was just touched
    queue, // after what is playing and waiting: a screen's instructions after its title
};

struct SpeakerOptions {
    // true: play through SDL's default audio device. false: only synthesise (and write the WAV files) — a
    // headless run that checks speech without a sound card.
    bool play = true;
    // The SDL audio driver to use ("dummy" for tests; "disk" writes the sound to SDL_DISKAUDIOFILE, so it
    // writes to disk). Empty: SDL's choice (SDL_AUDIODRIVER or its own order).
    std::string audio_driver;
    // Each utterance and tone also written there as 0001.wav, 0002.wav…, numbered in the order the engine takes
    // them (an utterance dropped before it started has no file). A file already there is not overwritten: that
    // utterance's report carries the error, so give each run an empty directory. Nothing is written to disk
    // without it.
    std::optional<std::filesystem::path> output_dir;
    int rate_wpm = default_rate_wpm;
};

// What say() decided at once.
struct Said {
    std::string_view language; // the language that will be spoken
    bool fell_back = false; // the requested language has no voice: French instead
};

// What became of an utterance or tone; the text is never kept here.
struct UtteranceReport {
    std::uint64_t number = 0; // its WAV file's number when an output directory is given
    std::optional<Tone> tone; // set for an earcon
    std::string_view language; // spoken in, after any fallback
    bool fell_back = false;
    bool cut = false; // interrupted (by say, stop or forget) before its last sample was played
    std::uint64_t samples = 0; // handed to the output (and written to its WAV file)
    std::uint64_t samples_played = 0; // taken by the audio device before it ended or was cut
    // From say() to its first sample put in the output's buffer, and to SDL's device taking it.
    std::optional<std::chrono::microseconds> first_queued;
    std::optional<std::chrono::microseconds> first_played;
    std::optional<Error> error; // synthesis or its WAV file failed
};

// FIXME: an open Speaker keeps SDL's audio thread feeding the device silence while nothing plays (0.2 % of a core
// and about 43 wake-ups a second on the dummy driver); SDL 2 keeps that thread running even for a paused device.
// Until it closes the device when idle, open a Speaker only while speech (or the tones) are on.
class Speaker {
public:
    // Starts the speech engine and opens the audio device. An error when espeak-ng or the device cannot be
    // opened (ErrorCode::not_found for no audio device, asset_missing for espeak-ng data) or the output
    // directory is not a directory (io). Call it from the thread that initialised SDL.
    static Result<std::unique_ptr<Speaker>> create(SpeakerOptions options);
    Speaker(Speaker const&) = delete;
    Speaker& operator=(Speaker const&) = delete;
    // Cuts any sound, waits for the engine to leave this speaker's work (at most a chunk), closes the device.
    ~Speaker();

    // All of these return at once: the work is the engine thread's and the audio device's.
    Said say(std::string_view text, std::string_view language, Priority priority = Priority::interrupt);
    void tone(Tone kind); // plays over any speech at once; never cut by say()
    void stop(); // cuts speech and tone and drops what waits; latest() stays
    // The session wipe: stop(), then forget the latest text, the reports, and zero every sample buffer.
    void forget();
    void set_rate(int wpm);

    // The text of the latest say(), for the script contract "expect speech TEXT"; empty after forget().
    std::string latest() const;
    // The reports of the latest utterances and tones (at most 32), oldest first.
    std::vector<UtteranceReport> reports() const;
    // Tests and benchmarks: waits until nothing is waiting, synthesising or playing. False on timeout.
    bool wait_until_idle(std::chrono::milliseconds timeout);

    int sample_rate() const { return m_sample_rate; }

private:
    struct Pending {
        std::string text;
        std::string_view language;
        bool fell_back = false;
        std::uint64_t generation = 0;
        std::chrono::steady_clock::time_point asked;
    };
    // A report plus where its samples sit in the stream of samples written to the ring.
    struct Entry {
        UtteranceReport report;
        std::uint64_t start = 0;
        std::uint64_t end = 0; // == start while still being synthesised
        bool synthesising = false;
        std::chrono::steady_clock::time_point asked;
    };

    explicit Speaker(SpeakerOptions options, int sample_rate);
    Result<void> open_device();

    void serve_next(); // engine thread
    void write_tone_file(Tone kind, std::uint64_t number); // engine thread
    std::size_t push(std::span<std::int16_t const> samples, std::uint64_t generation, std::uint64_t number);
    void cut_locked(); // m_mutex held
    bool idle_locked() const;
    void fill(std::uint8_t* stream, int bytes); // SDL's audio thread
    static void sdl_callback(void* self, std::uint8_t* stream, int bytes);
    Entry& new_entry_locked();

    SpeakerOptions m_options;
    int m_sample_rate = 0;
    SDL_AudioDeviceID m_device = 0;
    bool m_sdl_audio_started = false;
    std::array<std::vector<std::int16_t>, 3> m_tones;

    mutable std::mutex m_mutex;
    std::condition_variable m_space; // the ring has room, or the utterance was cut
    std::condition_variable m_idle;
    std::string m_latest;
    std::deque<Pending> m_pending;
    std::uint64_t m_generation = 0;
    int m_tasks = 0; // engine tasks posted and not finished
    bool m_closing = false;
    int m_rate_wpm;
    std::uint64_t m_next_number = 1;
    std::deque<Entry> m_entries;

    // The samples waiting for the device: a ring, so nothing is reallocated and forget() can zero all of it.
    std::vector<std::int16_t> m_ring;
    std::uint64_t m_written = 0; // samples ever put in the ring
    std::uint64_t m_read = 0; // samples ever taken from it (or skipped by a cut)
    std::vector<std::int16_t> const* m_tone = nullptr;
    std::size_t m_tone_at = 0;
};

} // namespace kiosk::speech
