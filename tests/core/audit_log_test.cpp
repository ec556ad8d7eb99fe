// Tests of the audit log: one JSON object per line, appended, with a timestamp.
#include "kiosk/core/audit_log.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

using namespace kiosk::core;

TEST_CASE("audit records are appended as JSON lines with a timestamp")
{
    char pattern[] = "/tmp/kiosk-audit-XXXXXX";
    REQUIRE(mkdtemp(pattern));
    std::filesystem::path dir = pattern;
    ManualClock clock;
    {
        auto log = AuditLog::open(dir / "sub" / "audit.jsonl", clock);
        REQUIRE(log);
        log->record("session_start", { { "session", "abc" }, { "pages", int64_t(3) }, { "ok", true } });
        log->record("wipe");
        CHECK(log->recent().size() == 2);
        CHECK(log->write_failures() == 0);
    }
    std::ifstream file(dir / "sub" / "audit.jsonl");
    std::string first, second, third;
    REQUIRE(std::getline(file, first));
    REQUIRE(std::getline(file, second));
    CHECK_FALSE(std::getline(file, third));
    CHECK(first.starts_with(R"({"ts":")"));
    CHECK(first.find(R"("event":"session_start","session":"abc","pages":3,"ok":true})") != std::string::npos);
    CHECK(second.find(R"("event":"wipe"})") != std::string::npos);
    std::filesystem::remove_all(dir);
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
