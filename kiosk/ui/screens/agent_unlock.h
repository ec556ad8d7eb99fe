// The PIN pad's state (screens/agent_unlock.cpp). The PIN is cleansed as soon as it has been checked; failures lock
// unlocking for a while (core::PinLockout).
#pragma once

#include <openssl/crypto.h>

#include <atomic>
#include <string>
#include <thread>

namespace kiosk::ui {

struct UnlockPad {
    std::string pin;
    std::string badge_holder; // agent id when a badge opened the pad
    std::string message;
    std::thread thread; // the check, off the UI thread (it is slow on purpose)
    std::atomic<bool> checking { false };
    int lock_seconds = 0; // the lock the try being checked brings if it is wrong

    // At the wipe, once the thread is joined: the PIN is overwritten, not just let go.
    void forget()
    {
        OPENSSL_cleanse(pin.data(), pin.size());
        pin.clear();
        badge_holder.clear();
        message.clear();
        checking = false;
        lock_seconds = 0;
    }
};

} // namespace kiosk::ui
