// Tests of the session state machine: every transition, every timeout, driven by a manual clock.
#include "kiosk/core/session.h"

#include <catch2/catch.hpp>

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

using namespace kiosk::core;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    ManualClock clock;
    AuditLog audit = std::move(*AuditLog::open("", clock));
    SessionManager session { clock, SessionTimings {}, audit };

    void advance(std::chrono::milliseconds step)
    {
        clock.advance(step);
        session.tick();
    }
    // Advances second by second, as the kiosk's loop would wake.
    void run_for(std::chrono::seconds duration)
    {
        for (auto t = 0s; t < duration; t += 1s)
            advance(1s);
    }
    void to_resident()
    {
        REQUIRE(session.start());
        REQUIRE(session.accept_rules("fr"));
        REQUIRE(session.state() == SessionState::resident);
        session.take_transitions();
    }
    bool audit_has(std::string const& needle) const
    {
        for (auto const& line : audit.recent())
            if (line.find(needle) != std::string::npos)
                return true;
        return false;
    }
};

} // namespace

TEST_CASE("attract → welcome → resident starts a session with a new id")
{
    Fixture f;
    CHECK(f.session.state() == SessionState::attract);
    CHECK_FALSE(f.session.accept_rules("fr"));
    REQUIRE(f.session.start());
    CHECK(f.session.state() == SessionState::welcome);
    REQUIRE(f.session.accept_rules("en"));
    CHECK(f.session.state() == SessionState::resident);
    CHECK(f.session.session_id().size() == 16);
    auto transitions = f.session.take_transitions();
    REQUIRE(transitions.size() == 2);
    CHECK(transitions[0].from == SessionState::attract);
    CHECK(transitions[0].to == SessionState::welcome);
    CHECK(transitions[1].to == SessionState::resident);
    CHECK(f.audit_has(R"("event":"session_start")"));
    CHECK(f.audit_has(R"("from":"welcome","to":"resident")"));
}

TEST_CASE("the welcome screen goes back to attract when cancelled or left alone")
{
    Fixture f;
    f.session.start();
    CHECK(f.session.cancel_welcome());
    CHECK(f.session.state() == SessionState::attract);
    f.session.start();
    f.run_for(89s);
    CHECK(f.session.state() == SessionState::welcome);
    f.run_for(1s);
    CHECK(f.session.state() == SessionState::attract);
    CHECK(f.audit_has("welcome_timeout"));
}

TEST_CASE("inactivity shows the warning after 180 s and ends the session after the 60 s countdown")
{
    Fixture f;
    f.to_resident();
    f.run_for(179s);
    CHECK_FALSE(f.session.idle_warning_active());
    f.run_for(1s);
    CHECK(f.session.idle_warning_active());
    CHECK(f.session.idle_seconds_left() == 60);
    f.run_for(59s);
    CHECK(f.session.idle_seconds_left() == 1);
    CHECK(f.session.state() == SessionState::resident);
    f.run_for(1s);
    CHECK(f.session.state() == SessionState::ending);
    CHECK(f.session.end_reason() == EndReason::idle_timeout);
    CHECK_FALSE(f.session.can_resume());
    CHECK_FALSE(f.session.resume());
}

TEST_CASE("I'm still here and any activity keep the session")
{
    Fixture f;
    f.to_resident();
    f.run_for(200s);
    REQUIRE(f.session.idle_warning_active());
    CHECK(f.session.still_here());
    CHECK_FALSE(f.session.idle_warning_active());
    f.run_for(179s);
    CHECK_FALSE(f.session.idle_warning_active());
    f.session.activity();
    f.run_for(179s);
    CHECK(f.session.state() == SessionState::resident);
    CHECK_FALSE(f.session.idle_warning_active());
    CHECK_FALSE(f.session.still_here()); // nothing to dismiss
}

TEST_CASE("the maximum session length ends the session even when someone is active")
{
    Fixture f;
    f.to_resident();
    for (int minute = 0; minute < 44; ++minute) {
        f.run_for(60s);
        f.session.activity();
    }
    CHECK(f.session.state() == SessionState::resident);
    CHECK(f.session.session_seconds_left() == 60);
    f.run_for(60s);
    CHECK(f.session.state() == SessionState::ending);
    CHECK(f.session.end_reason() == EndReason::max_length);
}

TEST_CASE("a resident who asks to end can come back during the ending grace, then it wipes by itself")
{
    Fixture f;
    f.to_resident();
    REQUIRE(f.session.request_end(EndReason::resident));
    CHECK(f.session.state() == SessionState::ending);
    CHECK(f.session.can_resume());
    CHECK(f.session.resume());
    CHECK(f.session.state() == SessionState::resident);
    auto id = f.session.session_id();
    REQUIRE(f.session.request_end(EndReason::resident));
    f.run_for(14s);
    CHECK(f.session.state() == SessionState::ending);
    CHECK(f.session.ending_seconds_left() == 1);
    f.run_for(1s);
    CHECK(f.session.state() == SessionState::wiping);
    CHECK(f.session.wipe_finished(true));
    CHECK(f.session.state() == SessionState::attract);
    CHECK(f.session.session_id().empty());
    CHECK(f.audit_has(R"("event":"wipe","session":")" + id + R"(","ok":true)"));
}

TEST_CASE("end now skips the grace; a failed wipe puts the kiosk out of order until a technician clears it")
{
    Fixture f;
    f.to_resident();
    f.session.request_end(EndReason::resident);
    CHECK(f.session.finish_ending());
    CHECK(f.session.state() == SessionState::wiping);
    CHECK(f.session.wipe_finished(false));
    CHECK(f.session.state() == SessionState::out_of_order);
    CHECK(f.session.out_of_order_reason() == "wipe_failed");
    CHECK_FALSE(f.session.start());
    f.run_for(3600s);
    CHECK(f.session.state() == SessionState::out_of_order);
    CHECK(f.session.clear_out_of_order());
    CHECK(f.session.state() == SessionState::attract);
}

TEST_CASE("assisted sessions: agent unlock, extension, leave, and timeouts still apply")
{
    Fixture f;
    f.to_resident();
    CHECK_FALSE(f.session.extend(std::chrono::minutes(15))); // only an agent extends
    CHECK(f.session.enter_assisted("agent-hash"));
    CHECK(f.session.state() == SessionState::assisted);
    CHECK(f.session.in_session());
    CHECK(f.session.extend(std::chrono::minutes(15)));
    CHECK(f.session.session_seconds_left() == 60 * 60);
    CHECK(f.session.leave_assisted());
    CHECK(f.session.state() == SessionState::resident);
    CHECK(f.session.enter_assisted("agent-hash"));
    f.run_for(240s);
    CHECK(f.session.state() == SessionState::ending);
    CHECK(f.audit_has("agent_unlock"));
    CHECK(f.audit_has("session_extended"));
}

TEST_CASE("out of order from any state ends a running session first")
{
    Fixture f;
    f.to_resident();
    f.session.set_out_of_order("scanner_gone");
    CHECK(f.session.state() == SessionState::out_of_order);
    CHECK(f.session.out_of_order_reason() == "scanner_gone");
    CHECK_FALSE(f.session.in_session());
}

TEST_CASE("requests that make no sense in a state are refused")
{
    Fixture f;
    CHECK_FALSE(f.session.request_end(EndReason::resident));
    CHECK_FALSE(f.session.finish_ending());
    CHECK_FALSE(f.session.wipe_finished(true));
    CHECK_FALSE(f.session.leave_assisted());
    CHECK_FALSE(f.session.enter_assisted("x"));
    CHECK_FALSE(f.session.clear_out_of_order());
    CHECK_FALSE(f.session.resume());
    CHECK(f.session.take_transitions().empty());
}

TEST_CASE("next_deadline tells the event loop when to wake")
{
    Fixture f;
    CHECK_FALSE(f.session.next_deadline());
    f.to_resident();
    auto deadline = f.session.next_deadline();
    REQUIRE(deadline);
    CHECK(*deadline - f.clock.now() == std::chrono::milliseconds(180'000));
    f.run_for(180s);
    CHECK(*f.session.next_deadline() - f.clock.now() == std::chrono::milliseconds(60'000));
}

TEST_CASE("audit lines of transitions hold no personal data, only states and reasons")
{
    Fixture f;
    f.to_resident();
    f.session.request_end(EndReason::resident);
    for (auto const& line : f.audit.recent()) {
        CHECK(line.find("\"ts\":") != std::string::npos);
        CHECK(line.find("name") == std::string::npos);
    }
}

TEST_CASE("a calendar clock that jumps either way neither ends nor stretches a session")
{
    Fixture f;
    f.to_resident();
    f.run_for(100s);
    // NTP corrects a clock a year fast, then a technician sets it two years ahead.
    f.clock.jump_wall(-std::chrono::hours(24 * 365));
    f.session.tick();
    CHECK(f.session.state() == SessionState::resident);
    CHECK_FALSE(f.session.idle_warning_active());
    f.clock.jump_wall(std::chrono::hours(24 * 365 * 2));
    f.session.tick();
    CHECK(f.session.state() == SessionState::resident);
    CHECK(f.session.session_seconds_left() == 45 * 60 - 100);
    // The idle warning comes after 180 s of real use, as without the jumps.
    f.run_for(79s);
    CHECK_FALSE(f.session.idle_warning_active());
    f.run_for(1s);
    CHECK(f.session.idle_warning_active());
}

TEST_CASE("the system clock counts the time the machine was suspended")
{
    // CLOCK_BOOTTIME goes on during a suspend, CLOCK_MONOTONIC (steady_clock) stops: a kiosk woken an hour later
    // must end the session it left open.
    // A machine that was never suspended has both clocks equal, so the suspend is made with a time namespace whose
    // boot time is an hour ahead of its monotonic time, as after an hour asleep.
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (::unshare(CLONE_NEWTIME) != 0)
            ::_exit(77);
        {
            std::ofstream offsets("/proc/self/timens_offsets");
            offsets << "boottime 3600 0\n";
            if (!offsets.flush())
                ::_exit(77);
        }
        pid_t sleeper = ::fork(); // the namespace applies to children only
        if (sleeper == 0) {
            auto ahead = SystemClock {}.now().time_since_epoch()
                - std::chrono::duration_cast<Clock::duration>(std::chrono::steady_clock::now().time_since_epoch());
            ::_exit(ahead >= 3599s && ahead <= 3601s ? 0 : 1);
        }
        int status = 0;
        ::waitpid(sleeper, &status, 0);
        ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 2);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77) {
        WARN("SKIPPED: no time namespace here (needs root and Linux 5.6)");
        return;
    }
    CHECK(WEXITSTATUS(status) == 0);
}
