// espeak-ng through the engine thread: each kiosk language speaks, the fallback is said, the rate is obeyed.
#include "kiosk/speech/synthesizer.h"
#include "tests/speech/sound_checks.h"

#include <catch2/catch.hpp>

#include <string>

using namespace kiosk::speech;

TEST_CASE("French and Arabic utterances synthesise to non-silent PCM")
{
    auto french = synthesize("Touchez l'écran pour commencer.", "fr");
    REQUIRE(french);
    CHECK(french->sample_rate == 22050);
    CHECK_FALSE(french->voice.fell_back);
    CHECK(french->voice.language == "fr");
    // More than half a second of sound, at a level well above silence.
    CHECK(french->samples.size() > std::size_t(french->sample_rate / 2));
    CHECK(kiosk::tests::rms(french->samples) > 0.02);

    auto arabic = synthesize("مرحبا، المس الشاشة للبدء.", "ar");
    REQUIRE(arabic);
    CHECK_FALSE(arabic->voice.fell_back);
    CHECK(arabic->voice.language == "ar");
    CHECK(arabic->samples.size() > std::size_t(arabic->sample_rate / 2));
    CHECK(kiosk::tests::rms(arabic->samples) > 0.02);
}

TEST_CASE("Every kiosk language has an espeak-ng voice that speaks")
{
    auto language = GENERATE(from_range(spoken_languages()));
    CAPTURE(std::string(language));
    auto choice = voice_for(language);
    CHECK_FALSE(choice.fell_back);
    CHECK(choice.language == language);
    // The same digits in every language: what matters is that this language's own voice made sound.
    auto speech = synthesize("1 2 3", language);
    REQUIRE(speech);
    CHECK_FALSE(speech->voice.fell_back);
    CHECK(speech->voice.voice == choice.voice);
    CHECK(kiosk::tests::rms(speech->samples) > 0.02);
}

TEST_CASE("An unknown language falls back to French and says so")
{
    for (std::string_view code : { "xx", "", "de", "FR" }) {
        CAPTURE(std::string(code));
        auto choice = voice_for(code);
        CHECK(choice.fell_back);
        CHECK(choice.language == "fr");
    }
    auto speech = synthesize("Bonjour", "xx");
    REQUIRE(speech);
    CHECK(speech->voice.fell_back);
    CHECK(speech->voice.language == "fr");
    CHECK(kiosk::tests::rms(speech->samples) > 0.02);
}

TEST_CASE("A faster speech rate gives a shorter utterance")
{
    std::string text = "Votre document a bien été imprimé. Vous pouvez le prendre dans le bac.";
    auto slow = synthesize(text, "fr", 100);
    auto fast = synthesize(text, "fr", 300);
    REQUIRE(slow);
    REQUIRE(fast);
    // Three times the words per minute: well under two thirds of the length (pauses do not scale exactly).
    CHECK(fast->samples.size() * 3 < slow->samples.size() * 2);
}

TEST_CASE("Synthesis outside the engine thread is refused, not raced")
{
    ChunkSink sink = [](std::span<std::int16_t const>) { return true; };
    auto outcome = synthesize_on_engine("Bonjour", "fr", default_rate_wpm, sink);
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().code == kiosk::ErrorCode::internal);
}
