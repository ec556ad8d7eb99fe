// The pages screen's state (screens/pages.cpp).
#pragma once

#include <string>

namespace kiosk::ui {

struct PagesScreen {
    int first = 0; // index of the first page on screen
    std::string to_delete; // vault name: a page moved while the question shows is still the one asked about
    std::string moved; // vault name of the page just moved, outlined so the eye follows it
};

} // namespace kiosk::ui
