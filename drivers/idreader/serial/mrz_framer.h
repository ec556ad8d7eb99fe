// Turns the byte stream of a serial MRZ reader into documents' MRZ line groups: no I/O, so it can be tested and fuzzed.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::drivers {

// The framing rules (readers differ, so the framer accepts all of these at once):
// - A line ends at CR, LF or CRLF; empty lines are ignored.
// - STX (0x02) opens an envelope that ends at ETX (0x03) followed by one check byte. The check byte is
//   assumed to be the LRC used by most serial OCR readers: the XOR of every byte after STX up to and
//   including ETX. A frame whose check byte differs is dropped whole. The envelope's payload is then split
//   into lines like the bare stream. STX inside an envelope restarts it (resynchronisation).
// - `_` is the readers' padding: first read as the `<` filler; when that does not give an MRZ length,
//   trailing `_` are stripped instead. Lower case is upper-cased; surrounding spaces are trimmed.
// - A line is an MRZ row when it is 30, 36 or 44 characters of A-Z, 0-9 and `<`; anything else is
//   discarded. Rows of one length are grouped into a document (3 of 30, 2 of 36, 2 of 44) as long as
//   each follows the previous within the grouping delay; a row of another length, or a row arriving late,
//   starts a new group and the incomplete one is dropped.
// - A row of 30 starting with `D1` is a driving licence, a document of one row: no TD1 row starts so (line 1
//   starts with A, C or I, line 2 with a birth date, line 3 with a name, which holds no digit). It is delivered
//   at once, and drops a group left incomplete before it.
// - Memory is bounded: a line longer than max_line_bytes and an envelope longer than max_frame_bytes
//   are discarded up to their end.
class MrzFramer {
public:
    using Clock = std::chrono::steady_clock;
    using Document = std::vector<std::string>;

    static constexpr std::size_t max_line_bytes = 128;
    static constexpr std::size_t max_frame_bytes = 512;

    explicit MrzFramer(std::chrono::milliseconds grouping_delay = std::chrono::milliseconds(300))
        : m_grouping_delay(grouping_delay)
    {
    }

    // Consumes bytes received at `now` and returns the documents they complete, in order.
    std::vector<Document> feed(std::span<std::byte const> bytes, Clock::time_point now);
    std::vector<Document> feed(std::string_view bytes, Clock::time_point now);

    // Drops a group whose next row is overdue; returns when the pending group expires (or max() when none).
    Clock::time_point expire(Clock::time_point now);

    // Forgets everything, as after the port was closed.
    void reset();

    // Counters for diagnostics and tests.
    std::size_t dropped_frames() const { return m_dropped_frames; }
    std::size_t discarded_lines() const { return m_discarded_lines; }

private:
    enum class State { line, line_overflow, frame, frame_overflow, frame_skip_check, frame_check };

    void byte_in(unsigned char byte, Clock::time_point now, std::vector<Document>& out);
    void end_line(std::string_view line, Clock::time_point now, std::vector<Document>& out);
    void end_frame(Clock::time_point now, std::vector<Document>& out);
    void row_in(std::string row, Clock::time_point now, std::vector<Document>& out);

    std::chrono::milliseconds m_grouping_delay;
    State m_state = State::line;
    std::string m_line;
    std::string m_frame;
    unsigned char m_frame_lrc = 0;
    Document m_group;
    Clock::time_point m_group_last_row {};
    std::size_t m_dropped_frames = 0;
    std::size_t m_discarded_lines = 0;
};

} // namespace kiosk::drivers
