// The earcons: audible, short, distinct, and without clicks at their ends.
#include "kiosk/speech/tones.h"
#include "tests/speech/sound_checks.h"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace kiosk::speech;

TEST_CASE("A tone is not silent and is short")
{
    auto kind = GENERATE(Tone::warning, Tone::error, Tone::done);
    CAPTURE(std::string(to_string(kind)));
    int const rate = 22050;
    auto samples = make_tone(kind, rate);
    REQUIRE_FALSE(samples.empty());
    CHECK(samples.size() < std::size_t(rate / 2)); // under half a second
    CHECK(kiosk::tests::rms(samples) > 0.1);
    // Faded in and out: no step from or to silence.
    CHECK(std::abs(samples.front()) < 200);
    CHECK(std::abs(samples.back()) < 200);
}

TEST_CASE("The three tones sound different")
{
    auto warning = make_tone(Tone::warning, 22050);
    auto error = make_tone(Tone::error, 22050);
    auto done = make_tone(Tone::done, 22050);
    CHECK(warning != error);
    CHECK(error != done);
    CHECK(done != warning);
}
