// The engine thread that owns espeak-ng, and synthesis through its retrieval callback.
#include "kiosk/speech/synthesizer.h"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <string.h>
#include <string>
#include <thread>

namespace kiosk::speech {

namespace {

// Chunks of 20 ms: the first sound reaches the output after one chunk's synthesis, and a cut is
// noticed within one chunk.
constexpr int chunk_ms = 20;

class Engine {
public:
    static Engine& get()
    {
        // Started once and kept for the process: espeak-ng 1.51 hangs in a second espeak_Terminate after
        // being initialised again, so it is initialised and terminated exactly once.
        static Engine engine;
        return engine;
    }

    Result<int> sample_rate() const
    {
        if (m_sample_rate <= 0)
            return make_error(ErrorCode::asset_missing, m_start_error);
        return m_sample_rate;
    }

    Result<void> post(std::function<void()> task)
    {
        if (m_sample_rate <= 0)
            return make_error(ErrorCode::asset_missing, m_start_error);
        {
            std::lock_guard lock(m_mutex);
            m_tasks.push_back(std::move(task));
        }
        m_wake.notify_one();
        return {};
    }

    bool on_engine_thread() const { return std::this_thread::get_id() == m_thread.get_id(); }

    // Engine thread only.
    std::string current_voice;

private:
    Engine()
    {
        std::promise<void> started;
        auto ready = started.get_future();
        m_thread = std::thread([this, &started] {
            // DONT_EXIT: without it espeak-ng calls exit() when its data directory is missing.
            m_sample_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, chunk_ms, nullptr, espeakINITIALIZE_DONT_EXIT);
            if (m_sample_rate <= 0)
                m_start_error = "espeak-ng could not start (is espeak-ng-data installed?)";
            started.set_value();
            if (m_sample_rate > 0)
                run();
        });
        ready.wait();
    }

    ~Engine()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }

    void run()
    {
        for (;;) {
            std::function<void()> task;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_stopping || !m_tasks.empty(); });
                if (m_tasks.empty())
                    break;
                task = std::move(m_tasks.front());
                m_tasks.pop_front();
            }
            task();
        }
        espeak_Terminate();
    }

    std::thread m_thread;
    int m_sample_rate = 0;
    std::string m_start_error;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_tasks;
    bool m_stopping = false;
};

// The synthesis in progress on the engine thread (espeak-ng's callback has no user pointer in synchronous mode
// that it passes with every chunk).
struct Stream {
    ChunkSink const* sink = nullptr;
    std::size_t samples = 0;
    bool stopped = false;
};
Stream* current_stream = nullptr;

int on_chunk(short* wav, int count, espeak_EVENT*)
{
    Stream& stream = *current_stream;
    if (!wav || count <= 0)
        return stream.stopped ? 1 : 0;
    if (stream.stopped)
        return 1;
    std::span<std::int16_t const> chunk(reinterpret_cast<std::int16_t const*>(wav), static_cast<std::size_t>(count));
    bool go_on = (*stream.sink)(chunk);
    stream.samples += chunk.size();
    // The audio of an utterance may say what the resident typed: leave none of it in espeak-ng's buffer.
    std::memset(wav, 0, sizeof(short) * static_cast<std::size_t>(count));
    stream.stopped = !go_on;
    return go_on ? 0 : 1;
}

Result<VoiceChoice> select_voice(std::string_view language)
{
    Engine& engine = Engine::get();
    VoiceChoice choice = voice_for(language);
    auto use = [&](std::string_view voice) {
        if (engine.current_voice == voice)
            return true;
        if (espeak_SetVoiceByName(std::string(voice).c_str()) != EE_OK)
            return false;
        engine.current_voice = voice;
        return true;
    };
    if (use(choice.voice))
        return choice;
    // A voice listed for the kiosk but missing from this espeak-ng-data: French rather than silence.
    VoiceChoice french = voice_for("fr");
    french.fell_back = true;
    if (use(french.voice))
        return french;
    return make_error(
        ErrorCode::asset_missing, "espeak-ng has no voice '" + std::string(choice.voice) + "' nor French");
}

} // namespace

Result<int> engine_sample_rate()
{
    return Engine::get().sample_rate();
}

Result<void> post_to_engine(std::function<void()> task)
{
    return Engine::get().post(std::move(task));
}

Result<StreamOutcome> synthesize_on_engine(
    std::string_view text, std::string_view language, int rate_wpm, ChunkSink const& sink)
{
    if (!Engine::get().on_engine_thread())
        return make_error(ErrorCode::internal, "synthesize_on_engine called outside the speech engine thread");
    auto voice = TRY(select_voice(language));
    espeak_SetParameter(espeakRATE, std::clamp(rate_wpm, min_rate_wpm, max_rate_wpm), 0);
    espeak_SetSynthCallback(on_chunk);

    // FIXME: espeak-ng keeps the text it translates (and its phonemes) in internal buffers that its API cannot
    // clear; only our copy and the audio chunks are zeroed. They are overwritten by the next utterance.
    // espeak-ng wants a NUL-terminated buffer and its size including the NUL.
    std::string buffer(text);
    Stream stream { &sink };
    current_stream = &stream;
    espeak_ERROR status
        = espeak_Synth(buffer.c_str(), buffer.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, nullptr);
    current_stream = nullptr;
    explicit_bzero(buffer.data(), buffer.size());
    if (status != EE_OK)
        return make_error(ErrorCode::internal, "espeak_Synth failed with status " + std::to_string(status));
    return StreamOutcome { voice, stream.samples, stream.stopped };
}

Result<Synthesis> synthesize(std::string_view text, std::string_view language, int rate_wpm)
{
    int sample_rate = TRY(engine_sample_rate());
    std::promise<Result<Synthesis>> promise;
    auto future = promise.get_future();
    TRY(post_to_engine([&] {
        Synthesis synthesis;
        synthesis.sample_rate = sample_rate;
        ChunkSink sink = [&](std::span<std::int16_t const> chunk) {
            synthesis.samples.insert(synthesis.samples.end(), chunk.begin(), chunk.end());
            return true;
        };
        auto outcome = synthesize_on_engine(text, language, rate_wpm, sink);
        if (!outcome) {
            promise.set_value(std::unexpected(outcome.error()));
            return;
        }
        synthesis.voice = outcome->voice;
        promise.set_value(std::move(synthesis));
    }));
    return future.get();
}

} // namespace kiosk::speech
