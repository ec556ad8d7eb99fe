// Tests of the audit log and its chain: real files in a fresh directory, tampered with as someone without the key
// would, each change found by the check at the right line.
#include "kiosk/core/audit_log.h"
#include "kiosk/core/usage_counts.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <mutex>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace kiosk::core;

namespace {

class AuditDir {
public:
    AuditDir()
    {
        std::string pattern = "/tmp/kiosk-audit-XXXXXX";
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        m_path = pattern;
    }
    AuditDir(AuditDir const&) = delete;
    AuditDir& operator=(AuditDir const&) = delete;
    ~AuditDir() { std::filesystem::remove_all(m_path); }
    std::filesystem::path const& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

std::string read_text(std::filesystem::path const& path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

void write_text(std::filesystem::path const& path, std::string const& text)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::vector<std::string> read_lines(std::filesystem::path const& path)
{
    std::vector<std::string> lines;
    std::istringstream text(read_text(path));
    for (std::string line; std::getline(text, line);)
        lines.push_back(line);
    return lines;
}

void write_lines(std::filesystem::path const& path, std::vector<std::string> const& lines)
{
    std::string text;
    for (auto const& line : lines)
        text += line + "\n";
    write_text(path, text);
}

std::expected<AuditVerified, AuditBreak> verify(std::filesystem::path const& log)
{
    auto key = load_audit_key(audit_key_path(log));
    REQUIRE(key);
    std::ifstream in(log, std::ios::binary);
    return verify_audit_chain(in, *key);
}

// Six lines, each with its number in "n".
std::filesystem::path six_lines(AuditDir const& dir, ManualClock const& clock)
{
    auto path = dir.path() / "audit.jsonl";
    auto log = AuditLog::open(path, clock);
    REQUIRE(log);
    for (int64_t n = 1; n <= 6; ++n)
        log->record("step", { { "n", n } });
    return path;
}

} // namespace

TEST_CASE("audit records are appended as JSON lines with a timestamp, a sequence number and a mac")
{
    AuditDir dir;
    ManualClock clock;
    auto path = dir.path() / "sub" / "audit.jsonl";
    {
        auto log = AuditLog::open(path, clock);
        REQUIRE(log);
        log->record("session_start", { { "session", "abc" }, { "pages", int64_t(3) }, { "ok", true } });
        log->record("wipe");
        CHECK(log->recent().size() == 2);
        CHECK(log->write_failures() == 0);
    }
    auto lines = read_lines(path);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].starts_with(R"({"ts":")"));
    CHECK(lines[0].find(R"("event":"session_start","session":"abc","pages":3,"ok":true,"seq":1,"mac":")")
        != std::string::npos);
    CHECK(lines[1].find(R"("event":"wipe","seq":2,"mac":")") != std::string::npos);
    auto verified = verify(path);
    REQUIRE(verified);
    CHECK(verified->lines == 2);
}

TEST_CASE("an audit log that cannot be opened is an error, an empty path keeps lines in memory")
{
    ManualClock clock;
    CHECK_FALSE(AuditLog::open("/proc/kiosk-cannot-write/audit.jsonl", clock));
    auto memory = AuditLog::open("", clock);
    REQUIRE(memory);
    memory->record("x");
    CHECK(memory->recent().size() == 1);
}

TEST_CASE("counts are written as one nested object")
{
    ManualClock clock;
    auto memory = AuditLog::open("", clock);
    REQUIRE(memory);
    std::vector<std::pair<std::string, int64_t>> partners { { "caf", 2 }, { "cpam", 1 } };
    memory->record("usage", { { "partners", AuditCounts { partners } }, { "forms", AuditCounts {} } });
    CHECK(memory->recent().back().ends_with(R"("event":"usage","partners":{"caf":2,"cpam":1},"forms":{}})"));
}

TEST_CASE("an observer is told of each event after its line is recorded, from any thread, until it is removed")
{
    ManualClock clock;
    auto memory = AuditLog::open("", clock);
    REQUIRE(memory);
    std::mutex mutex;
    std::vector<std::string> seen;
    memory->set_observer([&](std::string_view event, std::initializer_list<AuditField> fields) {
        // The line is already there when the observer hears of it.
        CHECK(memory->recent().size() >= 1);
        std::string text(event);
        for (auto const& [name, value] : fields) {
            text += " " + std::string(name) + "=";
            if (auto const* s = std::get_if<std::string_view>(&value))
                text += *s;
            else if (auto const* n = std::get_if<int64_t>(&value))
                text += std::to_string(*n);
        }
        std::lock_guard lock(mutex);
        seen.push_back(text);
    });
    memory->record("wipe", { { "ok", true } });
    memory->record("scan_end", { { "pages", int64_t(3) }, { "result", "ok" } });
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i)
                memory->record("tick");
        });
    for (auto& thread : threads)
        thread.join();
    {
        std::lock_guard lock(mutex);
        REQUIRE(seen.size() == 202);
        CHECK(seen[0] == "wipe ok=");
        CHECK(seen[1] == "scan_end pages=3 result=ok");
    }
    memory->set_observer({});
    memory->record("after");
    std::lock_guard lock(mutex);
    CHECK(seen.size() == 202);
}

TEST_CASE("the key is created beside the log, 32 bytes and closed to others, and refused when others may read it")
{
    AuditDir dir;
    ManualClock clock;
    auto path = dir.path() / "audit.jsonl";
    REQUIRE(AuditLog::open(path, clock));
    struct stat st { };
    REQUIRE(::stat((dir.path() / "audit.key").c_str(), &st) == 0);
    CHECK(st.st_size == 32);
    CHECK((st.st_mode & 07) == 0);
    CHECK((st.st_mode & 0777 & ~0640) == 0);
    auto first = read_text(dir.path() / "audit.key");
    REQUIRE(AuditLog::open(path, clock));
    CHECK(read_text(dir.path() / "audit.key") == first); // a second open keeps the key

    ::chmod((dir.path() / "audit.key").c_str(), 0644);
    auto refused = AuditLog::open(path, clock);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().detail.find("open to others") != std::string::npos);
}

TEST_CASE("the chain goes on across a reopen")
{
    AuditDir dir;
    ManualClock clock;
    auto path = six_lines(dir, clock);
    {
        auto log = AuditLog::open(path, clock);
        REQUIRE(log);
        log->record("after_restart");
    }
    auto verified = verify(path);
    REQUIRE(verified);
    CHECK(verified->lines == 7);
    CHECK(verified->head.seq == 7);
    CHECK(read_lines(path).back().find(R"("seq":7,)") != std::string::npos);
}

TEST_CASE("verify names the first line a change without the key broke, and why")
{
    AuditDir dir;
    ManualClock clock;
    auto path = six_lines(dir, clock);
    REQUIRE(verify(path));
    auto lines = read_lines(path);
    struct Case {
        char const* name;
        std::function<void(std::vector<std::string>&)> change;
        uint64_t line;
        char const* why;
    };
    auto c = GENERATE_COPY(values<Case>({
        { "one byte of a value edited", [](auto& l) { l[2].replace(l[2].find(R"("n":3)"), 5, R"("n":4)"); }, 3,
            "edited or bad mac" },
        { "one byte of a mac edited",
            [](auto& l) {
                char& digit = l[2][l[2].size() - 3];
                digit = digit == '0' ? '1' : '0';
            },
            3, "edited or bad mac" },
        { "a line deleted", [](auto& l) { l.erase(l.begin() + 2); }, 3, "missing line" },
        { "the first line deleted", [](auto& l) { l.erase(l.begin()); }, 1, "missing line" },
        { "two lines swapped", [](auto& l) { std::swap(l[2], l[3]); }, 3, "missing line" },
        { "an earlier line copied in", [](auto& l) { l.insert(l.begin() + 4, l[1]); }, 5, "out of order" },
        { "a line made up with the next seq",
            [](auto& l) {
                auto forged = l[5];
                forged.replace(forged.find(R"("seq":6)"), 7, R"("seq":7)");
                l.push_back(forged);
            },
            7, "edited or bad mac" },
        { "a line replaced by garbage", [](auto& l) { l[1] = "{\"ts\":garbage"; }, 2, "malformed JSON" },
        { "a line without its chain", [](auto& l) { l[4] = R"({"ts":"x","event":"step"})"; }, 5, "did not chain" },
    }));
    SECTION(c.name)
    {
        auto changed = lines;
        c.change(changed);
        write_lines(path, changed);
        auto verified = verify(path);
        REQUIRE_FALSE(verified);
        CHECK(verified.error().line == c.line);
        CHECK_THAT(verified.error().why, Catch::Contains(c.why));
    }
}

TEST_CASE("a log cut in the middle of a line is reported as torn at that line")
{
    AuditDir dir;
    ManualClock clock;
    auto path = six_lines(dir, clock);
    auto text = read_text(path);
    write_text(path, text.substr(0, text.size() - 20));
    auto verified = verify(path);
    REQUIRE_FALSE(verified);
    CHECK(verified.error().line == 6);
    CHECK_THAT(verified.error().why, Catch::StartsWith("torn"));
}

TEST_CASE("after a power cut tore the last line, the next open marks it and the chain goes on")
{
    AuditDir dir;
    ManualClock clock;
    auto path = six_lines(dir, clock);
    auto text = read_text(path);
    std::string torn = R"({"ts":"2026-12-01T10:00:00.000Z","event":"st)";
    write_text(path, text + torn);
    {
        auto log = AuditLog::open(path, clock);
        REQUIRE(log);
        log->record("after_power_cut");
    }
    auto lines = read_lines(path);
    REQUIRE(lines.size() == 9);
    CHECK(lines[6] == torn); // kept, not hidden
    CHECK(lines[7].find(R"("event":"audit_torn_line","bytes":)" + std::to_string(torn.size())) != std::string::npos);
    auto verified = verify(path);
    REQUIRE(verified);
    CHECK(verified->lines == 9);
    CHECK(verified->torn_lines == std::vector<uint64_t> { 7 });

    SECTION("the torn bytes cannot be changed afterwards")
    {
        lines[6][10] = 'X';
        write_lines(path, lines);
        auto changed = verify(path);
        REQUIRE_FALSE(changed);
        CHECK(changed.error().line == 7);
        CHECK(changed.error().why == "malformed JSON");
    }
    SECTION("a torn marker cannot be moved onto another malformed line")
    {
        lines.erase(lines.begin() + 6);
        lines.insert(lines.begin() + 6, "not json");
        write_lines(path, lines);
        auto changed = verify(path);
        REQUIRE_FALSE(changed);
        CHECK(changed.error().line == 7);
    }
}

TEST_CASE("a last line whose only missing byte is the newline just gets it")
{
    AuditDir dir;
    ManualClock clock;
    auto path = six_lines(dir, clock);
    auto text = read_text(path);
    write_text(path, text.substr(0, text.size() - 1));
    {
        auto log = AuditLog::open(path, clock);
        REQUIRE(log);
        log->record("after");
    }
    auto verified = verify(path);
    REQUIRE(verified);
    CHECK(verified->lines == 7);
    CHECK(verified->torn_lines.empty());
}

TEST_CASE("a wrong key fails at the first line")
{
    AuditDir dir;
    ManualClock clock;
    auto path = six_lines(dir, clock);
    AuditKey other {};
    other.fill(7);
    std::ifstream in(path, std::ios::binary);
    auto verified = verify_audit_chain(in, other);
    REQUIRE_FALSE(verified);
    CHECK(verified.error().line == 1);
    CHECK_THAT(verified.error().why, Catch::Contains("not the key"));
}

TEST_CASE("retention drops old lines behind a chained marker, and the log still verifies")
{
    AuditDir dir;
    ManualClock clock;
    auto path = six_lines(dir, clock);
    clock.advance(std::chrono::days(95));
    {
        auto log = AuditLog::open(path, clock, { .retention_days = 100 });
        REQUIRE(log);
        log->record("recent", { { "n", int64_t(7) } });
        log->record("recent", { { "n", int64_t(8) } });
    }
    CHECK(read_lines(path).size() == 8); // nothing old enough yet

    // Ten days later, with a 90-day retention: the six first lines (105 days old) go, the two recent ones stay.
    clock.advance(std::chrono::days(10));
    auto before = read_lines(path);
    {
        auto log = AuditLog::open(path, clock, { .retention_days = 90 });
        REQUIRE(log);
        log->record("after_retention");
    }
    auto lines = read_lines(path);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].find(R"("event":"audit_retention","dropped":6,)") != std::string::npos);
    CHECK(lines[0].find(R"("dropped_chain":"intact","seq":6,)") != std::string::npos);
    CHECK(lines[1] == before[6]); // kept lines are copied byte for byte
    CHECK(lines[2] == before[7]);
    auto verified = verify(path);
    REQUIRE(verified);
    CHECK(verified->dropped == 6);
    CHECK(verified->head.seq == 9);

    SECTION("removing the marker shows")
    {
        lines.erase(lines.begin());
        write_lines(path, lines);
        auto changed = verify(path);
        REQUIRE_FALSE(changed);
        CHECK(changed.error().line == 1);
        CHECK_THAT(changed.error().why, Catch::Contains("missing line"));
    }
    SECTION("dropping a kept line behind the marker shows")
    {
        lines.erase(lines.begin() + 1);
        write_lines(path, lines);
        auto changed = verify(path);
        REQUIRE_FALSE(changed);
        CHECK(changed.error().line == 2);
    }
    SECTION("a later retention that drops everything, the old marker included, still verifies")
    {
        clock.advance(std::chrono::days(200));
        {
            auto log = AuditLog::open(path, clock, { .retention_days = 90 });
            REQUIRE(log);
            log->record("much_later");
        }
        auto again = read_lines(path);
        REQUIRE(again.size() == 2);
        CHECK(again[0].find(R"("event":"audit_retention","dropped":4,)") != std::string::npos);
        auto later = verify(path);
        REQUIRE(later);
        CHECK(later->head.seq == 10);
    }
}

TEST_CASE("a retention marker records a dropped part that did not verify")
{
    AuditDir dir;
    ManualClock clock;
    auto path = six_lines(dir, clock);
    auto lines = read_lines(path);
    lines.erase(lines.begin() + 2);
    write_lines(path, lines);
    clock.advance(std::chrono::days(120));
    REQUIRE(AuditLog::open(path, clock, { .retention_days = 90 }));
    auto after = read_lines(path);
    REQUIRE(after.size() == 1);
    CHECK(after[0].find(R"("dropped_chain":"broken")") != std::string::npos);
}

TEST_CASE("two writers on one log never fork the chain")
{
    AuditDir dir;
    ManualClock clock;
    auto path = dir.path() / "audit.jsonl";
    auto first = AuditLog::open(path, clock);
    auto second = AuditLog::open(path, clock);
    REQUIRE(first);
    REQUIRE(second);
    first->record("a");
    second->record("b");
    first->record("c");
    std::thread one([&] {
        for (int i = 0; i < 200; ++i)
            first->record("one");
    });
    std::thread two([&] {
        for (int i = 0; i < 200; ++i)
            second->record("two");
    });
    one.join();
    two.join();
    auto verified = verify(path);
    REQUIRE(verified);
    CHECK(verified->lines == 403);
}

TEST_CASE("a writer whose log another process trimmed writes to the new file")
{
    AuditDir dir;
    ManualClock clock;
    auto path = six_lines(dir, clock);
    auto kiosk = AuditLog::open(path, clock, { .retention_days = 3650 });
    REQUIRE(kiosk);
    ManualClock later;
    later.advance(std::chrono::days(100));
    REQUIRE(AuditLog::open(path, later, { .retention_days = 90 }));
    kiosk->record("still_here");
    auto lines = read_lines(path);
    REQUIRE(lines.size() == 2);
    CHECK(lines[1].find(R"("event":"still_here","seq":7,)") != std::string::npos);
    CHECK(verify(path));
}

TEST_CASE("usage is counted in memory and written at most once an hour, and at shutdown")
{
    ManualClock clock;
    auto audit = AuditLog::open("", clock);
    REQUIRE(audit);
    {
        UsageCounts usage(*audit, clock);
        usage.count_partner("cpam");
        usage.count_partner("caf");
        usage.count_partner("cpam");
        usage.count_form("attestation_honneur");
        usage.flush_if_due();
        CHECK(audit->recent().empty()); // not yet an hour
        clock.advance(std::chrono::minutes(61));
        usage.flush_if_due();
        REQUIRE(audit->recent().size() == 1);
        CHECK(audit->recent().back().ends_with(
            R"("event":"usage","partners":{"caf":1,"cpam":2},"forms":{"attestation_honneur":1},"blocked_hosts":{},)"
            R"("site_failures":{}})"));
        usage.flush_if_due();
        CHECK(audit->recent().size() == 1); // nothing new counted, nothing written
        usage.count_form("attestation_honneur");
        clock.advance(std::chrono::minutes(10));
        usage.flush_if_due();
        CHECK(audit->recent().size() == 1); // counted, but the hour since the last line is not over
    }
    REQUIRE(audit->recent().size() == 2);
    CHECK(audit->recent().back().ends_with(
        R"("event":"usage","partners":{},"forms":{"attestation_honneur":1},"blocked_hosts":{},"site_failures":{}})"));
}

TEST_CASE("pages a visit could not show are counted by host and kind only, and made-up hosts cannot grow the count")
{
    ManualClock clock;
    auto audit = AuditLog::open("", clock);
    REQUIRE(audit);
    UsageCounts usage(*audit, clock);
    usage.count_blocked_host("caf", "www.not-a-partner.fr");
    usage.count_blocked_host("caf", "www.not-a-partner.fr");
    usage.count_blocked_host("cpam", "");
    usage.count_site_failure("caf", "unreachable");
    usage.flush();
    REQUIRE(audit->recent().size() == 1);
    CHECK(audit->recent().back().ends_with(
        R"x("blocked_hosts":{"caf/www.not-a-partner.fr":2,"cpam/(other)":1},"site_failures":{"caf/unreachable":1}})x"));
    // A page that makes up a new host name each time: the first hundred are counted, the rest as one line.
    for (int i = 0; i < 150; ++i)
        usage.count_blocked_host("caf", "h" + std::to_string(i) + ".example.org");
    usage.count_blocked_host("caf", "h3.example.org");
    usage.flush();
    auto line = audit->recent().back();
    CHECK(line.find(R"("caf/h3.example.org":2)") != std::string::npos);
    CHECK(line.find(R"x("caf/(other)":50)x") != std::string::npos);
    CHECK(line.find("h120.example.org") == std::string::npos);
}

TEST_CASE("lines cut off the end, or the whole log deleted, while the kiosk runs are written into the chain")
{
    AuditDir dir;
    ManualClock clock;
    auto path = dir.path() / "audit.jsonl";
    auto log = AuditLog::open(path, clock);
    REQUIRE(log);
    for (int64_t n = 1; n <= 4; ++n)
        log->record("step", { { "n", n } });
    auto lines = read_lines(path);

    SECTION("cut at a line's end")
    {
        write_lines(path, { lines[0], lines[1] });
        log->record("next");
        auto after = read_lines(path);
        REQUIRE(after.size() == 4);
        CHECK(after[2].find(R"("event":"audit_lines_missing","written_seq":4,"found_seq":2,"seq":3,)")
            != std::string::npos);
        auto verified = verify(path);
        REQUIRE_FALSE(verified);
        CHECK(verified.error().line == 3);
        CHECK_THAT(
            verified.error().why, Catch::StartsWith("missing lines") && Catch::Contains("up to sequence number 4"));
    }
    SECTION("deleted")
    {
        std::filesystem::remove(path);
        log->record("next");
        auto after = read_lines(path);
        REQUIRE(after.size() == 2);
        auto verified = verify(path);
        REQUIRE_FALSE(verified);
        CHECK(verified.error().line == 1);
        CHECK_THAT(verified.error().why, Catch::StartsWith("missing lines"));
    }
    SECTION("an older copy put back, then the same number of lines made up again")
    {
        write_lines(path, { lines[0], lines[1], lines[2], "{\"x\":1}" });
        log->record("next");
        auto verified = verify(path);
        REQUIRE_FALSE(verified);
        CHECK(verified.error().line == 4);
    }
    SECTION("our own write that failed half-way is a torn line, not a cut")
    {
        std::ofstream(path, std::ios::binary | std::ios::app) << R"({"ts":"2026)";
        log->record("next");
        auto verified = verify(path);
        REQUIRE(verified);
        CHECK(verified->torn_lines == std::vector<uint64_t> { 5 });
    }
}
