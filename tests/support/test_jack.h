// A sound card's headphone socket for tests, on a machine without a card: the ALSA control plugin
// tests/support/alsa_test_jack.cpp, named "kiosk_headset" by an ALSA configuration of the test's own. Plugging and
// pulling out is writing a file; whoever watches the card through alsa-lib gets the event as from a real card.
//
// alsa-lib reads its configuration from ALSA_CONFIG_PATH, for the whole process: one TestJack at a time.
#pragma once

#include "tests/support/temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace kiosk::tests {

class TestJack {
public:
    explicit TestJack(bool headphone_plugged = false)
    {
        set("headphone", headphone_plugged);
        set("line_out", false);
        auto conf = m_dir.path() / "asound.conf";
        std::ofstream(conf) << "ctl_type.kiosk_test_jack { lib \"" KIOSK_TEST_JACK_PLUGIN "\" }\n"
                            << "ctl.kiosk_headset { type kiosk_test_jack dir \"" << (m_dir.path() / "state").string()
                            << "\" }\n";
        ::setenv("ALSA_CONFIG_PATH", conf.c_str(), 1);
    }
    TestJack(TestJack const&) = delete;
    TestJack& operator=(TestJack const&) = delete;
    ~TestJack() { ::unsetenv("ALSA_CONFIG_PATH"); }

    // devices.headset for this socket.
    static std::string spec() { return "alsa:ctl=kiosk_headset"; }
    void plug(bool in) { set("headphone", in); }
    // The card's line output, which is not a headset.
    void plug_line_out(bool in) { set("line_out", in); }

private:
    // Written beside, then renamed in: the plugin never reads half a file.
    void set(std::string const& socket, bool in)
    {
        auto state = m_dir.path() / "state";
        std::filesystem::create_directories(state);
        auto part = m_dir.path() / (socket + ".part");
        std::ofstream(part) << (in ? "1" : "0");
        std::filesystem::rename(part, state / socket);
    }

    TempDir m_dir { "kiosk-jack" };
};

} // namespace kiosk::tests
