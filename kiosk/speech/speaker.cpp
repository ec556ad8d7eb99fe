// The Speaker: a queue of utterances served by the speech engine thread, a ring of samples drained by SDL's audio
// thread, and the numbered WAV files of the output directory.
#include "kiosk/speech/speaker.h"

#include "kiosk/speech/wav.h"

#include <algorithm>
#include <cstdio>
#include <string.h>

namespace kiosk::speech {

namespace {

// Samples of speech kept ahead of the device: synthesis waits when the ring is full, so a cut never has much
// to throw away and never waits on more than this.
constexpr int ring_seconds = 1;
// Samples per SDL callback: about 23 ms at 22050 Hz, the device's share of the latency to the first sound.
constexpr Uint16 device_samples = 512;
constexpr std::size_t max_reports = 32;

// Zeroes the whole buffer of a string (its capacity, not only its size) before emptying it.
void cleanse(std::string& text)
{
    text.resize(text.capacity());
    explicit_bzero(text.data(), text.size());
    text.clear();
}

// A ring that is never played into (playing off) has no buffer to zero.
void zero(std::vector<std::int16_t>& samples)
{
    if (!samples.empty())
        explicit_bzero(samples.data(), samples.size() * sizeof(std::int16_t));
}

std::chrono::microseconds since(std::chrono::steady_clock::time_point from)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - from);
}

std::filesystem::path numbered_file(std::filesystem::path const& dir, std::uint64_t number)
{
    char name[32];
    std::snprintf(name, sizeof name, "%04llu.wav", static_cast<unsigned long long>(number));
    return dir / name;
}

} // namespace

Result<std::unique_ptr<Speaker>> Speaker::create(SpeakerOptions options)
{
    int sample_rate = TRY(engine_sample_rate());
    if (options.output_dir && !std::filesystem::is_directory(*options.output_dir))
        return make_error(ErrorCode::io, "speech output " + options.output_dir->string() + " is not a directory");
    std::unique_ptr<Speaker> speaker(new Speaker(std::move(options), sample_rate));
    if (speaker->m_options.play)
        TRY(speaker->open_device());
    return speaker;
}

Speaker::Speaker(SpeakerOptions options, int sample_rate)
    : m_options(std::move(options))
    , m_sample_rate(sample_rate)
    , m_rate_wpm(std::clamp(m_options.rate_wpm, min_rate_wpm, max_rate_wpm))
{
    m_tones[static_cast<int>(Tone::warning)] = make_tone(Tone::warning, sample_rate);
    m_tones[static_cast<int>(Tone::error)] = make_tone(Tone::error, sample_rate);
    m_tones[static_cast<int>(Tone::done)] = make_tone(Tone::done, sample_rate);
    if (m_options.play)
        m_ring.assign(static_cast<std::size_t>(sample_rate * ring_seconds), 0);
}

Result<void> Speaker::open_device()
{
    std::string const& driver = m_options.audio_driver;
    // The driver is chosen through SDL's hint for this start only: the hint is process-wide, and a later
    // Speaker asking for SDL's own choice must not inherit this one's.
    std::optional<std::string> previous_hint;
    if (char const* hint = SDL_GetHint(SDL_HINT_AUDIODRIVER))
        previous_hint = hint;
    if (!driver.empty())
        SDL_SetHint(SDL_HINT_AUDIODRIVER, driver.c_str());
    int started = SDL_InitSubSystem(SDL_INIT_AUDIO);
    std::string init_error = started != 0 ? SDL_GetError() : "";
    if (!driver.empty()) {
        if (previous_hint)
            SDL_SetHint(SDL_HINT_AUDIODRIVER, previous_hint->c_str());
        else
            SDL_ResetHint(SDL_HINT_AUDIODRIVER);
    }
    if (started != 0)
        return make_error(ErrorCode::not_found, "no audio output: " + init_error);
    m_sdl_audio_started = true;
    char const* current = SDL_GetCurrentAudioDriver();
    if (!driver.empty() && (!current || driver != current))
        return make_error(ErrorCode::not_found,
            "audio driver '" + driver + "' asked for, but SDL audio already runs on '" + (current ? current : "")
                + "'");

    SDL_AudioSpec want {};
    want.freq = m_sample_rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = device_samples;
    want.callback = &Speaker::sdl_callback;
    want.userdata = this;
    SDL_AudioSpec have {};
    // No allowed changes: SDL converts our 16-bit mono to whatever the device wants.
    m_device = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    if (m_device == 0)
        return make_error(ErrorCode::not_found, std::string("no audio device could be opened: ") + SDL_GetError());
    SDL_PauseAudioDevice(m_device, 0);
    return {};
}

Speaker::~Speaker()
{
    {
        std::unique_lock lock(m_mutex);
        m_closing = true;
        ++m_generation;
        for (auto& pending : m_pending)
            cleanse(pending.text);
        m_pending.clear();
        cut_locked();
        m_space.notify_all();
        m_idle.wait(lock, [&] { return m_tasks == 0; });
    }
    if (m_device != 0)
        SDL_CloseAudioDevice(m_device);
    if (m_sdl_audio_started)
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    zero(m_ring);
    cleanse(m_latest);
}

Said Speaker::say(std::string_view text, std::string_view language, Priority priority)
{
    VoiceChoice choice = voice_for(language);
    auto asked = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(m_mutex);
        cleanse(m_latest);
        m_latest.assign(text);
        if (priority == Priority::interrupt) {
            ++m_generation;
            for (auto& pending : m_pending)
                cleanse(pending.text);
            m_pending.clear();
            cut_locked();
        }
        m_pending.push_back(Pending { std::string(text), choice.language, choice.fell_back, m_generation, asked });
        ++m_tasks;
    }
    if (!post_to_engine([this] { serve_next(); })) {
        std::lock_guard lock(m_mutex);
        --m_tasks;
    }
    return Said { choice.language, choice.fell_back };
}

void Speaker::tone(Tone kind)
{
    std::lock_guard lock(m_mutex);
    Entry& entry = new_entry_locked();
    entry.report.tone = kind;
    entry.report.samples = m_tones[static_cast<int>(kind)].size();
    entry.report.first_queued = std::chrono::microseconds(0);
    if (m_options.play) {
        // A tone that is still sounding is replaced, not mixed with itself.
        if (m_tone) {
            for (auto& other : m_entries) {
                if (other.report.tone && !other.synthesising && other.end == 0 && &other != &entry) {
                    other.report.cut = true;
                    other.report.samples_played = m_tone_at;
                    other.end = 1;
                }
            }
        }
        m_tone = &m_tones[static_cast<int>(kind)];
        m_tone_at = 0;
    } else {
        entry.end = 1;
    }
    if (m_options.output_dir) {
        ++m_tasks;
        std::uint64_t number = entry.report.number;
        if (!post_to_engine([this, kind, number] { write_tone_file(kind, number); }))
            --m_tasks;
    }
}

void Speaker::stop()
{
    std::lock_guard lock(m_mutex);
    ++m_generation;
    for (auto& pending : m_pending)
        cleanse(pending.text);
    m_pending.clear();
    cut_locked();
    if (m_tone) {
        for (auto& entry : m_entries) {
            if (entry.report.tone && entry.end == 0) {
                entry.report.cut = true;
                entry.report.samples_played = m_tone_at;
                entry.end = 1;
            }
        }
        m_tone = nullptr;
        m_tone_at = 0;
    }
    m_space.notify_all();
    m_idle.notify_all();
}

void Speaker::forget()
{
    stop();
    std::lock_guard lock(m_mutex);
    cleanse(m_latest);
    m_entries.clear();
    zero(m_ring);
}

void Speaker::set_rate(int wpm)
{
    std::lock_guard lock(m_mutex);
    m_rate_wpm = std::clamp(wpm, min_rate_wpm, max_rate_wpm);
}

std::string Speaker::latest() const
{
    std::lock_guard lock(m_mutex);
    return m_latest;
}

std::vector<UtteranceReport> Speaker::reports() const
{
    std::lock_guard lock(m_mutex);
    std::vector<UtteranceReport> out;
    for (auto const& entry : m_entries) {
        UtteranceReport report = entry.report;
        if (!report.tone && !report.cut && m_options.play) {
            std::uint64_t end = entry.synthesising ? m_written : entry.end;
            report.samples_played = std::min(m_read, end) - std::min(m_read, entry.start);
        } else if (report.tone && entry.end == 0 && m_options.play) {
            report.samples_played = m_tone_at;
        }
        out.push_back(report);
    }
    return out;
}

bool Speaker::wait_until_idle(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_idle.wait_for(lock, timeout, [&] { return idle_locked(); });
}

bool Speaker::idle_locked() const
{
    return m_pending.empty() && m_tasks == 0 && m_written == m_read && !m_tone;
}

Speaker::Entry& Speaker::new_entry_locked()
{
    while (m_entries.size() >= max_reports && !m_entries.front().synthesising)
        m_entries.pop_front();
    Entry& entry = m_entries.emplace_back();
    entry.report.number = m_next_number++;
    return entry;
}

void Speaker::cut_locked()
{
    for (auto& entry : m_entries) {
        if (entry.report.tone || entry.report.cut)
            continue;
        std::uint64_t end = entry.synthesising ? m_written : entry.end;
        if (entry.synthesising || end > m_read) {
            entry.report.cut = true;
            entry.report.samples_played = std::min(m_read, end) - std::min(m_read, entry.start);
        }
    }
    if (!m_ring.empty()) {
        for (std::uint64_t at = m_read; at < m_written; ++at)
            m_ring[at % m_ring.size()] = 0;
    }
    m_read = m_written;
    m_space.notify_all();
}

// Engine thread: speaks the next waiting utterance, if a cut has not dropped it.
void Speaker::serve_next()
{
    Pending item;
    std::uint64_t number = 0;
    std::uint64_t start = 0;
    int rate = 0;
    {
        std::lock_guard lock(m_mutex);
        if (m_closing || m_pending.empty()) {
            --m_tasks;
            m_idle.notify_all();
            return;
        }
        item = std::move(m_pending.front());
        m_pending.pop_front();
        Entry& entry = new_entry_locked();
        entry.report.language = item.language;
        entry.report.fell_back = item.fell_back;
        entry.synthesising = true;
        entry.start = m_written;
        entry.asked = item.asked;
        number = entry.report.number;
        start = entry.start;
        rate = m_rate_wpm;
    }

    std::optional<WavWriter> wav;
    std::optional<Error> error;
    if (m_options.output_dir) {
        auto writer = WavWriter::create(numbered_file(*m_options.output_dir, number), m_sample_rate);
        if (writer)
            wav.emplace(std::move(*writer));
        else
            error = writer.error();
    }
    std::uint64_t handed = 0;
    ChunkSink sink = [&](std::span<std::int16_t const> chunk) {
        std::size_t accepted = push(chunk, item.generation, number);
        if (wav && accepted > 0) {
            if (auto written = wav->append(chunk.first(accepted)); !written) {
                error = written.error();
                wav.reset();
            }
        }
        handed += accepted;
        return accepted == chunk.size();
    };
    auto outcome = synthesize_on_engine(item.text, item.language, rate, sink);
    cleanse(item.text);
    if (wav) {
        if (auto finished = wav->finish(); !finished && !error)
            error = finished.error();
    }

    std::lock_guard lock(m_mutex);
    for (auto& entry : m_entries) {
        if (entry.report.number != number)
            continue;
        entry.synthesising = false;
        entry.end = m_options.play ? start + handed : start;
        entry.report.samples = handed;
        if (outcome) {
            entry.report.language = outcome->voice.language;
            entry.report.fell_back = outcome->voice.fell_back || item.fell_back;
            if (outcome->stopped)
                entry.report.cut = true;
        } else if (!error) {
            error = outcome.error();
        }
        entry.report.error = error;
    }
    --m_tasks;
    m_idle.notify_all();
}

// Engine thread: hands samples to the ring (waiting for room), or only counts them when nothing plays.
// Returns how many were taken; fewer than given when the utterance was cut.
std::size_t Speaker::push(std::span<std::int16_t const> samples, std::uint64_t generation, std::uint64_t number)
{
    std::unique_lock lock(m_mutex);
    std::size_t taken = 0;
    auto note_first = [&] {
        for (auto& entry : m_entries) {
            if (entry.report.number == number && !entry.report.first_queued)
                entry.report.first_queued = since(entry.asked);
        }
    };
    if (!m_options.play) {
        if (generation != m_generation || m_closing)
            return 0;
        note_first();
        return samples.size();
    }
    while (taken < samples.size()) {
        m_space.wait(
            lock, [&] { return generation != m_generation || m_closing || m_written - m_read < m_ring.size(); });
        if (generation != m_generation || m_closing)
            break;
        std::size_t room = m_ring.size() - static_cast<std::size_t>(m_written - m_read);
        std::size_t count = std::min(room, samples.size() - taken);
        for (std::size_t i = 0; i < count; ++i)
            m_ring[(m_written + i) % m_ring.size()] = samples[taken + i];
        if (taken == 0)
            note_first();
        m_written += count;
        taken += count;
    }
    return taken;
}

// Engine thread: the tone's WAV file, numbered in the order the tone was asked for.
void Speaker::write_tone_file(Tone kind, std::uint64_t number)
{
    auto written
        = write_wav(numbered_file(*m_options.output_dir, number), m_sample_rate, m_tones[static_cast<int>(kind)]);
    std::lock_guard lock(m_mutex);
    if (!written) {
        for (auto& entry : m_entries) {
            if (entry.report.number == number)
                entry.report.error = written.error();
        }
    }
    --m_tasks;
    m_idle.notify_all();
}

void Speaker::sdl_callback(void* self, std::uint8_t* stream, int bytes)
{
    static_cast<Speaker*>(self)->fill(stream, bytes);
}

// SDL's audio thread: the next samples of speech, each zeroed in the ring once taken, with the tone mixed over them.
void Speaker::fill(std::uint8_t* stream, int bytes)
{
    auto* out = reinterpret_cast<std::int16_t*>(stream);
    std::size_t count = static_cast<std::size_t>(bytes) / sizeof(std::int16_t);
    std::lock_guard lock(m_mutex);
    bool was_busy = !idle_locked();
    std::size_t take = std::min<std::uint64_t>(count, m_written - m_read);
    for (std::size_t i = 0; i < take; ++i) {
        auto& slot = m_ring[(m_read + i) % m_ring.size()];
        out[i] = slot;
        slot = 0;
    }
    std::fill(out + take, out + count, 0);
    if (take > 0) {
        for (auto& entry : m_entries) {
            if (!entry.report.tone && !entry.report.first_played && entry.start >= m_read
                && entry.start < m_read + take)
                entry.report.first_played = since(entry.asked);
        }
    }
    m_read += take;

    if (m_tone) {
        std::size_t mix = std::min(count, m_tone->size() - m_tone_at);
        for (std::size_t i = 0; i < mix; ++i) {
            int sum = out[i] + (*m_tone)[m_tone_at + i];
            out[i] = static_cast<std::int16_t>(std::clamp(sum, -32768, 32767));
        }
        m_tone_at += mix;
        if (m_tone_at == m_tone->size()) {
            for (auto& entry : m_entries) {
                if (entry.report.tone && entry.end == 0) {
                    entry.report.samples_played = m_tone_at;
                    entry.end = 1;
                }
            }
            m_tone = nullptr;
            m_tone_at = 0;
        }
    }
    if (take > 0)
        m_space.notify_all();
    if (was_busy && idle_locked())
        m_idle.notify_all();
}

} // namespace kiosk::speech
