// The Speaker on SDL's real audio drivers ("dummy" plays in real time to nowhere, "disk" to a file): WAV files,
// interruption, queueing, tones, the wipe, and a missing device.
#include "kiosk/speech/speaker.h"
#include "kiosk/speech/synthesizer.h"
#include "tests/speech/sound_checks.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>
#include <unistd.h>

using namespace kiosk::speech;
using namespace std::chrono_literals;

namespace {

// A safety net for a hung engine, not a timing requirement.
constexpr auto patience = 60s;

// About ten seconds of French: long enough that a second say() certainly comes before its end.
constexpr char const* long_french
    = "Bienvenue à l'espace France Services. Vous pouvez scanner un document, faire une copie, imprimer un "
      "formulaire, ou aller sur le site d'un organisme. Un agent peut vous aider à tout moment. Touchez l'écran "
      "pour commencer.";

std::unique_ptr<Speaker> dummy_speaker(std::optional<std::filesystem::path> output_dir = {})
{
    SpeakerOptions options;
    options.audio_driver = "dummy";
    options.output_dir = std::move(output_dir);
    auto speaker = Speaker::create(options);
    if (!speaker)
        FAIL("Speaker::create: " << speaker.error().detail);
    return std::move(*speaker);
}

// Waits until the latest utterance's first samples are in the device's hands.
bool wait_until_sounding(Speaker& speaker)
{
    auto give_up = std::chrono::steady_clock::now() + patience;
    while (std::chrono::steady_clock::now() < give_up) {
        auto reports = speaker.reports();
        if (!reports.empty() && reports.back().first_played)
            return true;
        std::this_thread::sleep_for(1ms);
    }
    return false;
}

// Samples in a WAV file, from sox; -1 when sox cannot read it.
double wav_samples(std::filesystem::path const& file)
{
    auto stats = kiosk::tests::sox_stat(file);
    return stats.contains("Samples read") ? stats["Samples read"] : -1;
}

} // namespace

TEST_CASE("Each utterance is played and written as a numbered WAV file that sox finds not silent")
{
    kiosk::tests::TempDir dir("kiosk-speech");
    auto speaker = dummy_speaker(dir.path());
    auto said = speaker->say("Voulez-vous imprimer ce document ?", "fr");
    CHECK(said.language == "fr");
    CHECK_FALSE(said.fell_back);
    speaker->say("هل تريد طباعة هذه الوثيقة؟", "ar", Priority::queue);
    REQUIRE(speaker->wait_until_idle(patience));

    for (char const* name : { "0001.wav", "0002.wav" }) {
        CAPTURE(name);
        auto stats = kiosk::tests::sox_stat(dir.path() / name);
        REQUIRE(stats.contains("Samples read"));
        CHECK(stats["Samples read"] > 11025);
        CHECK(stats["RMS amplitude"] > 0.02);
        CHECK(stats["Maximum amplitude"] > 0.2);
    }
    CHECK_FALSE(std::filesystem::exists(dir.path() / "0003.wav"));

    auto reports = speaker->reports();
    REQUIRE(reports.size() == 2);
    CHECK(reports[0].language == "fr");
    CHECK(reports[1].language == "ar");
    for (auto const& report : reports) {
        CHECK_FALSE(report.cut);
        CHECK_FALSE(report.error);
        // Everything handed to the device was taken by it, and the file holds the same samples.
        CHECK(report.samples > 0);
        CHECK(report.samples_played == report.samples);
        CHECK(report.first_queued);
        CHECK(report.first_played);
    }
    CHECK(wav_samples(dir.path() / "0001.wav") == reports[0].samples);
    CHECK(speaker->latest() == "هل تريد طباعة هذه الوثيقة؟");
}

TEST_CASE("A new utterance cuts the one playing at once")
{
    kiosk::tests::TempDir dir("kiosk-speech");
    auto full = synthesize(long_french, "fr");
    REQUIRE(full);
    auto speaker = dummy_speaker(dir.path());
    speaker->say(long_french, "fr");
    // As a resident tapping a second control: once the first label is sounding.
    REQUIRE(wait_until_sounding(*speaker));
    speaker->say("Imprimer", "fr");
    REQUIRE(speaker->wait_until_idle(patience));

    auto reports = speaker->reports();
    REQUIRE(reports.size() == 2);
    // The engine says the long one was cut; it and its file are shorter than its whole synthesis, and the
    // device took no more of it than it was given.
    CHECK(reports[0].cut);
    CHECK(reports[0].samples < full->samples.size());
    CHECK(reports[0].samples_played <= reports[0].samples);
    CHECK(wav_samples(dir.path() / "0001.wav") == reports[0].samples);
    CHECK(wav_samples(dir.path() / "0001.wav") < full->samples.size());

    CHECK_FALSE(reports[1].cut);
    CHECK(reports[1].samples > 0);
    CHECK(reports[1].samples_played == reports[1].samples);
    CHECK(wav_samples(dir.path() / "0002.wav") == reports[1].samples);
    CHECK(speaker->latest() == "Imprimer");
}

TEST_CASE("An utterance dropped while waiting is never spoken nor written")
{
    kiosk::tests::TempDir dir("kiosk-speech");
    auto speaker = dummy_speaker(dir.path());
    speaker->say(long_french, "fr");
    REQUIRE(wait_until_sounding(*speaker));
    speaker->say("Martine Dupont", "fr", Priority::queue);
    speaker->say("Retour", "fr");
    REQUIRE(speaker->wait_until_idle(patience));
    auto reports = speaker->reports();
    REQUIRE(reports.size() == 2);
    CHECK(reports[0].cut);
    CHECK_FALSE(reports[1].cut);
    CHECK(wav_samples(dir.path() / "0002.wav") == reports[1].samples);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "0003.wav"));
}

TEST_CASE("Queued utterances are spoken one after another, uncut")
{
    auto speaker = dummy_speaker();
    speaker->say("Scanner", "fr");
    speaker->say("Posez la feuille sur la vitre.", "fr", Priority::queue);
    speaker->say("Place the sheet on the glass.", "en", Priority::queue);
    REQUIRE(speaker->wait_until_idle(patience));
    auto reports = speaker->reports();
    REQUIRE(reports.size() == 3);
    for (auto const& report : reports) {
        CHECK_FALSE(report.cut);
        CHECK(report.samples_played == report.samples);
    }
    CHECK(reports[2].language == "en");
    CHECK(speaker->latest() == "Place the sheet on the glass.");
}

TEST_CASE("stop() cuts the speech and keeps the latest text")
{
    auto speaker = dummy_speaker();
    speaker->say(long_french, "fr");
    REQUIRE(wait_until_sounding(*speaker));
    speaker->say("Martine Dupont", "fr", Priority::queue);
    speaker->stop();
    REQUIRE(speaker->wait_until_idle(patience));
    CHECK(speaker->latest() == "Martine Dupont");
    // The long one cut, the queued one never started.
    auto reports = speaker->reports();
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].cut);
}

TEST_CASE("forget() leaves no latest text and no reports, and the Speaker still speaks")
{
    auto speaker = dummy_speaker();
    speaker->say("Martine Dupont", "fr");
    REQUIRE(wait_until_sounding(*speaker));
    speaker->say("12 rue des Lilas", "fr", Priority::queue);
    speaker->forget();
    REQUIRE(speaker->wait_until_idle(patience));
    CHECK(speaker->latest().empty());
    CHECK(speaker->reports().empty());

    // Still usable after the wipe, for the next resident.
    speaker->say("Bonjour", "fr");
    REQUIRE(speaker->wait_until_idle(patience));
    CHECK(speaker->latest() == "Bonjour");
    REQUIRE(speaker->reports().size() == 1);
    CHECK_FALSE(speaker->reports()[0].cut);
}

TEST_CASE("An unknown language is spoken in French, and the Speaker says so")
{
    auto speaker = dummy_speaker();
    auto said = speaker->say("Bonjour", "de");
    CHECK(said.fell_back);
    CHECK(said.language == "fr");
    REQUIRE(speaker->wait_until_idle(patience));
    REQUIRE(speaker->reports().size() == 1);
    CHECK(speaker->reports()[0].fell_back);
    CHECK(speaker->reports()[0].language == "fr");
    CHECK(speaker->reports()[0].samples > 0);
}

TEST_CASE("A tone sounds over speech without cutting it, and is written as a short, not silent WAV")
{
    kiosk::tests::TempDir dir("kiosk-speech");
    auto speaker = dummy_speaker(dir.path());
    speaker->say("Le document est imprimé.", "fr");
    speaker->tone(Tone::done);
    REQUIRE(speaker->wait_until_idle(patience));

    auto reports = speaker->reports();
    REQUIRE(reports.size() == 2);
    auto speech = reports[0].tone ? reports[1] : reports[0];
    auto tone = reports[0].tone ? reports[0] : reports[1];
    CHECK_FALSE(speech.cut);
    REQUIRE(tone.tone == Tone::done);
    CHECK_FALSE(tone.cut);
    CHECK(tone.samples_played == tone.samples);

    auto stats = kiosk::tests::sox_stat(dir.path() / ("000" + std::to_string(tone.number) + ".wav"));
    REQUIRE(stats.contains("Samples read"));
    CHECK(stats["Samples read"] == tone.samples);
    CHECK(stats["Samples read"] < speaker->sample_rate() / 2);
    CHECK(stats["RMS amplitude"] > 0.1);
}

TEST_CASE("Without an output directory the Speaker writes nothing to disk")
{
    kiosk::tests::TempDir dir("kiosk-speech");
    auto previous = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    {
        auto speaker = dummy_speaker();
        speaker->say("Martine Dupont", "fr");
        speaker->tone(Tone::warning);
        REQUIRE(speaker->wait_until_idle(patience));
        CHECK(speaker->reports().size() == 2);
    }
    std::filesystem::current_path(previous);
    CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("With playing off, utterances are only synthesised and written")
{
    kiosk::tests::TempDir dir("kiosk-speech");
    SpeakerOptions options;
    options.play = false;
    options.output_dir = dir.path();
    auto speaker = Speaker::create(options);
    REQUIRE(speaker);
    (*speaker)->say("Numérisation terminée.", "fr");
    REQUIRE((*speaker)->wait_until_idle(patience));
    auto reports = (*speaker)->reports();
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].samples > 0);
    CHECK(reports[0].samples_played == 0);
    auto stats = kiosk::tests::sox_stat(dir.path() / "0001.wav");
    CHECK(stats["Samples read"] == reports[0].samples);
    CHECK(stats["RMS amplitude"] > 0.02);
}

TEST_CASE("SDL's disk driver receives the spoken samples")
{
    kiosk::tests::TempDir dir("kiosk-speech");
    auto raw = dir.path() / "device.raw";
    ::setenv("SDL_DISKAUDIOFILE", raw.c_str(), 1);
    {
        SpeakerOptions options;
        options.audio_driver = "disk";
        auto speaker = Speaker::create(options);
        REQUIRE(speaker);
        (*speaker)->say("Bonjour", "fr");
        REQUIRE((*speaker)->wait_until_idle(patience));
    }
    ::unsetenv("SDL_DISKAUDIOFILE");
    std::ifstream in(raw, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t loud = 0;
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
        auto sample = static_cast<std::int16_t>(static_cast<std::uint8_t>(bytes[i]) | (bytes[i + 1] << 8));
        loud += std::abs(sample) > 3000;
    }
    CHECK(loud > 100);
}

TEST_CASE("No audio device is an error from create(), not a crash")
{
    SpeakerOptions options;
    options.audio_driver = "no-such-driver";
    auto speaker = Speaker::create(options);
    REQUIRE_FALSE(speaker);
    CHECK(speaker.error().code == kiosk::ErrorCode::not_found);
    CHECK_FALSE(speaker.error().detail.empty());

    // The failed choice is not left behind for the next Speaker, which takes SDL's own (here SDL_AUDIODRIVER).
    ::setenv("SDL_AUDIODRIVER", "dummy", 1);
    options.audio_driver.clear();
    auto next = Speaker::create(options);
    ::unsetenv("SDL_AUDIODRIVER");
    REQUIRE(next);
    CHECK(std::string(SDL_GetCurrentAudioDriver()) == "dummy");
    next->reset();

    kiosk::tests::TempDir dir("kiosk-speech");
    options.audio_driver = "dummy";
    options.output_dir = dir.path() / "missing";
    auto no_dir = Speaker::create(options);
    REQUIRE_FALSE(no_dir);
    CHECK(no_dir.error().code == kiosk::ErrorCode::io);
}

TEST_CASE("set_rate() changes the speed of the next utterance")
{
    SpeakerOptions options;
    options.play = false;
    auto speaker = Speaker::create(options);
    REQUIRE(speaker);
    std::string text = "Votre session se termine dans une minute.";
    (*speaker)->set_rate(300);
    (*speaker)->say(text, "fr");
    REQUIRE((*speaker)->wait_until_idle(patience));
    (*speaker)->set_rate(100);
    (*speaker)->say(text, "fr");
    REQUIRE((*speaker)->wait_until_idle(patience));
    auto reports = (*speaker)->reports();
    REQUIRE(reports.size() == 2);
    // Three times the words per minute: well under two thirds of the length (pauses do not scale exactly).
    CHECK(reports[0].samples * 3 < reports[1].samples * 2);
}

TEST_CASE("stop() cuts a tone that is sounding")
{
    auto speaker = dummy_speaker();
    speaker->tone(Tone::warning);
    speaker->stop();
    REQUIRE(speaker->wait_until_idle(patience));
    auto reports = speaker->reports();
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].tone == Tone::warning);
    CHECK(reports[0].cut);
    CHECK(reports[0].samples_played < reports[0].samples);
}
