// RIFF/WAVE writer for the speech output directory.
#include "kiosk/speech/wav.h"

#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <string>

namespace kiosk::speech {

namespace {

void put_u16(std::uint8_t* at, std::uint16_t value)
{
    at[0] = value & 0xff;
    at[1] = value >> 8;
}

void put_u32(std::uint8_t* at, std::uint32_t value)
{
    for (int i = 0; i < 4; ++i)
        at[i] = (value >> (8 * i)) & 0xff;
}

// The canonical 44-byte header of PCM: RIFF, "fmt " (16 bytes, format 1), "data".
std::array<std::uint8_t, 44> header(int sample_rate, std::uint32_t data_bytes)
{
    std::array<std::uint8_t, 44> h {};
    std::memcpy(h.data(), "RIFF", 4);
    put_u32(h.data() + 4, 36 + data_bytes);
    std::memcpy(h.data() + 8, "WAVEfmt ", 8);
    put_u32(h.data() + 16, 16);
    put_u16(h.data() + 20, 1); // PCM
    put_u16(h.data() + 22, 1); // mono
    put_u32(h.data() + 24, sample_rate);
    put_u32(h.data() + 28, sample_rate * 2); // bytes per second
    put_u16(h.data() + 32, 2); // block align
    put_u16(h.data() + 34, 16); // bits per sample
    std::memcpy(h.data() + 36, "data", 4);
    put_u32(h.data() + 40, data_bytes);
    return h;
}

Error io_error(std::filesystem::path const& path, std::string_view what)
{
    return Error { ErrorCode::io, std::string(what) + " " + path.string() + ": " + std::strerror(errno) };
}

} // namespace

Result<WavWriter> WavWriter::create(std::filesystem::path const& path, int sample_rate)
{
    std::FILE* file = std::fopen(path.c_str(), "wbx");
    if (!file)
        return std::unexpected(io_error(path, "cannot create"));
    auto h = header(sample_rate, 0);
    if (std::fwrite(h.data(), 1, h.size(), file) != h.size()) {
        auto error = io_error(path, "cannot write");
        std::fclose(file);
        return std::unexpected(error);
    }
    WavWriter writer(file, path);
    writer.m_rate = sample_rate;
    return writer;
}

WavWriter::WavWriter(WavWriter&& other) noexcept
    : m_file(std::exchange(other.m_file, nullptr))
    , m_path(std::move(other.m_path))
    , m_samples(other.m_samples)
    , m_rate(other.m_rate)
{
}

WavWriter::~WavWriter()
{
    if (m_file)
        std::fclose(m_file);
}

Result<void> WavWriter::append(std::span<std::int16_t const> samples)
{
    static_assert(std::endian::native == std::endian::little, "WAV samples are little-endian");
    if (!m_file)
        return make_error(ErrorCode::internal, "WAV writer already finished");
    if (std::fwrite(samples.data(), sizeof(std::int16_t), samples.size(), m_file) != samples.size())
        return std::unexpected(io_error(m_path, "cannot write"));
    m_samples += samples.size();
    return {};
}

Result<void> WavWriter::finish()
{
    if (!m_file)
        return make_error(ErrorCode::internal, "WAV writer already finished");
    auto h = header(m_rate, static_cast<std::uint32_t>(m_samples * 2));
    bool ok = std::fseek(m_file, 0, SEEK_SET) == 0 && std::fwrite(h.data(), 1, h.size(), m_file) == h.size();
    ok = std::fclose(std::exchange(m_file, nullptr)) == 0 && ok;
    if (!ok)
        return std::unexpected(io_error(m_path, "cannot finish"));
    return {};
}

Result<void> write_wav(std::filesystem::path const& path, int sample_rate, std::span<std::int16_t const> samples)
{
    auto writer = TRY(WavWriter::create(path, sample_rate));
    TRY(writer.append(samples));
    return writer.finish();
}

} // namespace kiosk::speech
