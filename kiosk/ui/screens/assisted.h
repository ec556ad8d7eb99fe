// The assisted session's state (screens/assisted.cpp): who unlocked it, and the identity document read in it —
// personal data, in memory only, gone at the wipe.
#pragma once

#include "drivers/idreader/mrz/mrz.h"

#include <optional>
#include <string>

namespace kiosk::ui {

struct AssistedScreen {
    std::string agent; // display name of the agent who unlocked it
    std::optional<drivers::mrz::Document> id_document;
    std::string watermark_result;
    int purposes_first = 0; // where the purposes take more than one screenful (large text): the first one shown
};

} // namespace kiosk::ui
