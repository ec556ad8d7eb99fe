// The forms screen's state (screens/forms.cpp).
#pragma once

#include <string>
#include <vector>

namespace kiosk::ui {

struct FormsScreen {
    std::string partner; // it lists this partner's forms (empty: no filter)
    std::string event; // ...or this life event's
    int first = 0; // index (into listed_forms()) of the first form on screen
    std::vector<bool> available; // by form index: false when an official file is missing or unreadable
};

} // namespace kiosk::ui
