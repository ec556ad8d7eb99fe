// The headphone socket, as the sound card reports it (ALSA jack detection): a resident who plugs in a headset gets the
// voice in it (EN 301 549 5.1.3.8), and what they type may be said there, never through the loudspeaker.
//
// The kernel's sound drivers show each socket they sense as a boolean control of the card ("Headphone Jack",
// "Front Headphone Jack", "Headset Mic Jack"), which changes, with an event, when a plug goes in or out. Those with
// "Headphone" or "Headset" in their name are watched; line outputs, microphones and HDMI are not a headset.
#pragma once

#include "kiosk/core/error.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace kiosk::drivers {

class HeadsetJack {
public:
    // Called on the watcher's own thread, once each time the headset goes in or out and stays so for settle_time
    // (several headphone sockets count as one: plugged while any is). A card that goes away counts as pulled out.
    using Changed = std::function<void(bool plugged)>;

    // spec: "alsa" watches every sound card's headphone sockets; "alsa:ctl=NAME" one ALSA control device ("hw:1", or
    // a control plugin of the ALSA configuration); "none" watches nothing (nullptr).
    // "alsa" on a machine without a card, or without a socket that senses a plug, is nullptr too: nothing to watch is
    // not a fault. Errors: ErrorCode::usage for a malformed spec; ErrorCode::not_found when the named control device
    // cannot be opened, or has no headphone socket; ErrorCode::io when a card cannot be read or watched.
    static Result<std::unique_ptr<HeadsetJack>> open(std::string_view spec, Changed changed);
    // Only whether spec is well formed (ErrorCode::usage when not), without opening anything.
    static Result<void> check(std::string_view spec);

    HeadsetJack(HeadsetJack const&) = delete;
    HeadsetJack& operator=(HeadsetJack const&) = delete;
    ~HeadsetJack(); // stops the watcher: no call to changed once it returns

    bool plugged() const { return m_plugged.load(); }
    // The sockets watched, by card: "KioskTest: Headphone Jack".
    std::vector<std::string> const& sockets() const { return m_sockets; }
    // "alsa": the cards that could not be read, and so are not watched (the others are).
    std::vector<Error> const& problems() const { return m_problems; }
    // How long a socket must stay still before its change is told.
    static constexpr std::chrono::milliseconds settle_time { 250 };

    struct Card; // one sound card's control device and its sockets (headset_jack.cpp)

private:
    HeadsetJack(std::vector<std::unique_ptr<Card>> cards, Changed changed);
    bool read_plugged() const;
    void watch();

    std::vector<std::unique_ptr<Card>> m_cards;
    std::vector<std::string> m_sockets;
    std::vector<Error> m_problems;
    Changed m_changed;
    std::atomic<bool> m_plugged { false };
    int m_stop = -1; // an eventfd: written to end the watcher
    std::thread m_thread;
};

} // namespace kiosk::drivers
