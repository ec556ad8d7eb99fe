// The audit log's hash chain: its key, the MAC of each line, and the check that names the first broken line.
//
// Each line of the log is one JSON object that ends with two members the kiosk adds:
//     {"ts":"2026-12-01T09:30:00.000Z","event":"wipe","session":"…","ok":true,"seq":41,"mac":"<64 hex>"}
// - "seq" counts the lines of the chain from 1, across restarts and retention.
// - "mac" is HMAC-SHA-256, keyed by the 32 bytes of the key file, over
//       PREV "\n" CONTENT
//   where PREV is the previous line's mac as 64 lower-case hex characters (64 '0' before the first line), and
//   CONTENT is this line's bytes exactly as written, with the `,"mac":"…"` member taken out: it ends with
//   `"seq":41}`. Nothing is re-encoded, so the check needs no canonical JSON.
// So editing a byte of a line breaks its mac; deleting, moving or inserting a line breaks the next mac and shows in
// "seq"; and no line can be made without the key. Deleting the whole log, or whole lines at its end, is not seen
// by the chain alone (README.md, "The audit chain").
//
// Three marker lines keep the chain honest where the file itself changes:
// - "audit_retention" opens a file whose oldest lines were dropped: {"dropped":N,"before":"<ts>",
//   "last_dropped_mac":"<hex>","dropped_chain":"intact"|"broken"}. It is MACed over last_dropped_mac, carries the
//   last dropped line's seq, and stands in for that line: the next line continues from last_dropped_mac. Only a
//   first line may be one; without it, the first line must continue from 64 '0' with seq 1.
// - "audit_torn_line" follows a line that a power cut left without its end: {"bytes":N,"sha256":"<hex>"} of that
//   line. It continues the chain from the last whole line, so the torn bytes stay in the log, vouched for.
// - "audit_lines_missing" says a running kiosk found the log ending before the line it last wrote (cut, deleted, or
//   an older copy put back): {"written_seq":N,"found_seq":M}. It continues from what it found, and the check stops
//   there: the log is not whole.
#pragma once

#include "kiosk/core/error.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

constexpr size_t audit_key_bytes = 32;
using AuditKey = std::array<unsigned char, audit_key_bytes>;

// What comes before the first line of a log.
inline constexpr std::string_view audit_genesis_mac
    = "0000000000000000000000000000000000000000000000000000000000000000";

// The key file beside a log: audit.key in the same directory.
std::filesystem::path audit_key_path(std::filesystem::path const& log);

// Reads a key file: exactly 32 bytes, a regular file, and unless only checking, no access for others (whoever reads
// it can forge lines). ErrorCode::io when it cannot be read, config_invalid when it is not a key the kiosk would use.
enum class AuditKeyUse { write, check };
Result<AuditKey> load_audit_key(std::filesystem::path const& path, AuditKeyUse use = AuditKeyUse::write);
// Reads the key file, or creates it with 32 random bytes, mode 0640, when there is none. The bytes are written to a
// temporary file first and linked in place, so a second process never reads a half-written key.
Result<AuditKey> load_or_create_audit_key(std::filesystem::path const& path);

// The mac of a line (64 lower-case hex characters): HMAC-SHA-256(key, prev "\n" content).
std::string audit_mac(AuditKey const& key, std::string_view prev_mac, std::string_view content);

// Where a chain stands after a line: the mac the next line continues from, and the seq it follows.
struct AuditChainHead {
    std::string mac { audit_genesis_mac };
    uint64_t seq = 0;
};

// Turns a JSON object (as JsonWriter makes it, ending in '}') into the next line of the chain, without the
// newline, and moves head on to it.
std::string chain_audit_line(AuditKey const& key, AuditChainHead& head, std::string_view object);

// The retention marker that opens a trimmed log: MACed over the last dropped line's mac and carrying its seq.
std::string audit_retention_line(AuditKey const& key, AuditChainHead const& last_dropped, std::string_view object);

// A line of the log taken apart; nullopt when it is not a chained line (malformed JSON, no seq or mac).
struct AuditLineParts {
    std::string content; // what the mac covers
    std::string mac;
    uint64_t seq = 0;
    std::string event;
    std::optional<std::chrono::system_clock::time_point> ts;
};
std::optional<AuditLineParts> parse_audit_line(std::string_view line);

// The head after a line that checked: its own mac, or for a retention marker the last dropped line's.
AuditChainHead audit_head_after(AuditLineParts const& parts, std::string_view line);

struct AuditVerified {
    uint64_t lines = 0;
    uint64_t dropped = 0; // lines that retention dropped before the first line, as its marker says
    std::vector<uint64_t> torn_lines; // line numbers of lines a power cut tore, each vouched for by a marker
    AuditChainHead head; // where the chain ends
};
struct AuditBreak {
    uint64_t line = 0;
    std::string why;
};
// Checks every line of a log against the key; the first line that does not hold is the break.
std::expected<AuditVerified, AuditBreak> verify_audit_chain(std::istream& log, AuditKey const& key);

// SHA-256 as lower-case hex: how a torn line's marker names the bytes it vouches for.
std::string audit_sha256(std::string_view bytes);

// The timestamp format of the log: 2026-12-01T09:30:00.000Z.
std::string audit_timestamp(std::chrono::system_clock::time_point when);

} // namespace kiosk::core
