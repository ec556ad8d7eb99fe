// The serial MRZ framing rules described in mrz_framer.h.
#include "drivers/idreader/serial/mrz_framer.h"

#include <algorithm>

namespace kiosk::drivers {

namespace {

constexpr unsigned char stx = 0x02;
constexpr unsigned char etx = 0x03;

bool is_mrz_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
}

bool is_mrz_row(std::string const& row)
{
    return (row.size() == 30 || row.size() == 36 || row.size() == 44) && std::ranges::all_of(row, is_mrz_char);
}

// The one-row MRZ of a driving licence (ISO/IEC 18013 document code D, then BAP configuration 1).
bool is_licence_row(std::string const& row)
{
    return row.size() == 30 && row.starts_with("D1");
}

std::size_t rows_per_document(std::string const& first_row)
{
    if (is_licence_row(first_row))
        return 1;
    return first_row.size() == 30 ? 3 : 2;
}

// The row a reader meant, or an empty string when the line is not an MRZ row.
std::string normalise_row(std::string_view line)
{
    auto is_space = [](char c) { return c == ' ' || c == '\t'; };
    while (!line.empty() && is_space(line.front()))
        line.remove_prefix(1);
    while (!line.empty() && is_space(line.back()))
        line.remove_suffix(1);

    std::string upper(line);
    for (char& c : upper) {
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    }

    // `_` as the filler first: readers that print the MRZ as seen on the document pad with it.
    std::string as_filler = upper;
    std::ranges::replace(as_filler, '_', '<');
    if (is_mrz_row(as_filler))
        return as_filler;

    // Otherwise `_` padded the line to the reader's fixed width: strip it from the end.
    std::string_view trimmed = upper;
    while (!trimmed.empty() && trimmed.back() == '_')
        trimmed.remove_suffix(1);
    std::string stripped(trimmed);
    std::ranges::replace(stripped, '_', '<');
    if (is_mrz_row(stripped))
        return stripped;
    return {};
}

} // namespace

std::vector<MrzFramer::Document> MrzFramer::feed(std::span<std::byte const> bytes, Clock::time_point now)
{
    std::vector<Document> out;
    expire(now);
    for (std::byte byte : bytes)
        byte_in(static_cast<unsigned char>(byte), now, out);
    return out;
}

std::vector<MrzFramer::Document> MrzFramer::feed(std::string_view bytes, Clock::time_point now)
{
    return feed(std::as_bytes(std::span(bytes.data(), bytes.size())), now);
}

MrzFramer::Clock::time_point MrzFramer::expire(Clock::time_point now)
{
    if (m_group.empty())
        return Clock::time_point::max();
    if (now - m_group_last_row > m_grouping_delay) {
        m_group.clear();
        return Clock::time_point::max();
    }
    return m_group_last_row + m_grouping_delay;
}

void MrzFramer::reset()
{
    m_state = State::line;
    m_line.clear();
    m_frame.clear();
    m_frame_lrc = 0;
    m_group.clear();
}

void MrzFramer::byte_in(unsigned char byte, Clock::time_point now, std::vector<Document>& out)
{
    auto open_frame = [&] {
        if (!m_line.empty())
            ++m_discarded_lines;
        m_line.clear();
        m_frame.clear();
        m_frame_lrc = 0;
        m_state = State::frame;
    };

    switch (m_state) {
    case State::line:
        if (byte == stx) {
            open_frame();
        } else if (byte == '\r' || byte == '\n') {
            end_line(m_line, now, out);
            m_line.clear();
        } else if (m_line.size() >= max_line_bytes) {
            ++m_discarded_lines;
            m_line.clear();
            m_state = State::line_overflow;
        } else {
            m_line.push_back(static_cast<char>(byte));
        }
        break;
    case State::line_overflow:
        if (byte == stx)
            open_frame();
        else if (byte == '\r' || byte == '\n')
            m_state = State::line;
        break;
    case State::frame:
        if (byte == stx) {
            ++m_dropped_frames;
            open_frame();
        } else if (byte == etx) {
            m_frame_lrc ^= byte;
            m_state = State::frame_check;
        } else if (m_frame.size() >= max_frame_bytes) {
            ++m_dropped_frames;
            m_frame.clear();
            m_state = State::frame_overflow;
        } else {
            m_frame.push_back(static_cast<char>(byte));
            m_frame_lrc ^= byte;
        }
        break;
    case State::frame_overflow:
        // Already counted as dropped; wait for its end (ETX and the check byte) or a new frame.
        if (byte == stx)
            open_frame();
        else if (byte == etx)
            m_state = State::frame_skip_check;
        break;
    case State::frame_skip_check: m_state = State::line; break;
    case State::frame_check:
        m_state = State::line;
        if (byte == m_frame_lrc)
            end_frame(now, out);
        else
            ++m_dropped_frames;
        m_frame.clear();
        break;
    }
}

void MrzFramer::end_frame(Clock::time_point now, std::vector<Document>& out)
{
    std::string_view payload = m_frame;
    while (!payload.empty()) {
        auto end = payload.find_first_of("\r\n");
        end_line(payload.substr(0, end), now, out);
        if (end == std::string_view::npos)
            break;
        payload.remove_prefix(end + 1);
    }
}

void MrzFramer::end_line(std::string_view line, Clock::time_point now, std::vector<Document>& out)
{
    if (line.empty())
        return;
    std::string row = normalise_row(line);
    if (row.empty()) {
        ++m_discarded_lines;
        return;
    }
    row_in(std::move(row), now, out);
}

void MrzFramer::row_in(std::string row, Clock::time_point now, std::vector<Document>& out)
{
    if (!m_group.empty()
        && (now - m_group_last_row > m_grouping_delay || m_group.front().size() != row.size() || is_licence_row(row)))
        m_group.clear();
    m_group.push_back(std::move(row));
    m_group_last_row = now;
    if (m_group.size() == rows_per_document(m_group.front())) {
        out.push_back(std::move(m_group));
        m_group.clear();
    }
}

} // namespace kiosk::drivers
