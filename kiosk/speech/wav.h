// 16-bit mono PCM written as a RIFF/WAVE file, streamed: the header's sizes are filled in when it is closed.
#pragma once

#include "kiosk/core/error.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>

namespace kiosk::speech {

class WavWriter {
public:
    static Result<WavWriter> create(std::filesystem::path const& path, int sample_rate);
    WavWriter(WavWriter&& other) noexcept;
    WavWriter& operator=(WavWriter&&) = delete;
    WavWriter(WavWriter const&) = delete;
    ~WavWriter();

    Result<void> append(std::span<std::int16_t const> samples);
    // Writes the RIFF and data sizes and closes the file; a writer not finished leaves a header saying 0 samples.
    Result<void> finish();
    std::uint64_t samples() const { return m_samples; }

private:
    WavWriter(std::FILE* file, std::filesystem::path path)
        : m_file(file)
        , m_path(std::move(path))
    {
    }
    std::FILE* m_file = nullptr;
    std::filesystem::path m_path;
    std::uint64_t m_samples = 0;
    int m_rate = 0;
};

// A whole buffer at once.
Result<void> write_wav(std::filesystem::path const& path, int sample_rate, std::span<std::int16_t const> samples);

} // namespace kiosk::speech
