// The WAV writer: a RIFF header that sox and the byte layout agree on.
#include "kiosk/speech/wav.h"
#include "tests/speech/sound_checks.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <numbers>
#include <vector>

using namespace kiosk::speech;

namespace {

std::uint32_t u32_at(std::vector<char> const& bytes, std::size_t at)
{
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = (value << 8) | static_cast<std::uint8_t>(bytes[at + i]);
    return value;
}

} // namespace

TEST_CASE("A WAV file has a correct RIFF header and sox reads its samples")
{
    kiosk::tests::TempDir dir("kiosk-speech");
    std::vector<std::int16_t> samples(11025);
    for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = static_cast<std::int16_t>(16000 * std::sin(2 * std::numbers::pi * 440 * i / 22050.0));
    auto path = dir.path() / "0001.wav";
    REQUIRE(write_wav(path, 22050, samples));

    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() == 44 + samples.size() * 2);
    CHECK(std::memcmp(bytes.data(), "RIFF", 4) == 0);
    CHECK(u32_at(bytes, 4) == bytes.size() - 8);
    CHECK(std::memcmp(bytes.data() + 8, "WAVEfmt ", 8) == 0);
    CHECK(u32_at(bytes, 24) == 22050);
    CHECK(std::memcmp(bytes.data() + 36, "data", 4) == 0);
    CHECK(u32_at(bytes, 40) == samples.size() * 2);

    auto stats = kiosk::tests::sox_stat(path);
    REQUIRE(stats.contains("Samples read"));
    CHECK(stats["Samples read"] == samples.size());
    CHECK(stats["Maximum amplitude"] == Approx(16000.0 / 32768).epsilon(0.01));
    CHECK(stats["RMS amplitude"] == Approx(16000.0 / 32768 / std::sqrt(2)).epsilon(0.02));
}

TEST_CASE("A WAV file is never written over an existing one")
{
    kiosk::tests::TempDir dir("kiosk-speech");
    std::int16_t const one[] = { 1 };
    REQUIRE(write_wav(dir.path() / "0001.wav", 22050, one));
    auto again = write_wav(dir.path() / "0001.wav", 22050, one);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == kiosk::ErrorCode::io);
}
