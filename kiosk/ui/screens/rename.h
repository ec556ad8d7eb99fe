// The text screen's state and its keyboard (screens/rename.cpp).
#pragma once

#include <openssl/crypto.h>

#include <string>

namespace kiosk::ui {

struct TextScreen {
    std::string text; // the document name being typed
    bool shift = false;
    bool entering_mrz = false; // it takes an MRZ typed by the agent instead of a name

    // At the wipe: what was typed (it may be an MRZ) is overwritten, not just let go.
    void forget()
    {
        OPENSSL_cleanse(text.data(), text.size());
        text.clear();
        shift = false;
        entering_mrz = false;
    }
};

} // namespace kiosk::ui
