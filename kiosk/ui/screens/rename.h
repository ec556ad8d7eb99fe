// The text screen's state and its keyboard (screens/rename.cpp).
#pragma once

#include <openssl/crypto.h>

#include <string>

namespace kiosk::ui {

struct TextScreen {
    std::string text; // the document name being typed
    bool shift = false;
    bool entering_mrz = false; // it takes an MRZ typed by the agent instead of a name
    bool digits = false; // the short keyboard (large text) shows its digits and signs instead of its letters

    // At the wipe: what was typed (it may be an MRZ) is overwritten, not just let go.
    void forget()
    {
        OPENSSL_cleanse(text.data(), text.size());
        text.clear();
        shift = false;
        entering_mrz = false;
        digits = false;
    }
};

} // namespace kiosk::ui
