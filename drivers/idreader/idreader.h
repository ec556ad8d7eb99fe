// The ID-reader interface: agent badges (card UIDs) and identity-document MRZ lines, as events.
#pragma once

#include "kiosk/core/error.h"

#include <functional>
#include <string>
#include <vector>

namespace kiosk::drivers {

struct IdEvent {
    enum class Kind { card_inserted, card_removed, mrz_read };
    Kind kind = Kind::card_inserted;
    std::string card_uid; // hex, upper case, for card events
    std::vector<std::string> mrz_lines; // for mrz_read
};

class IdReader {
public:
    using Listener = std::function<void(IdEvent)>;
    virtual ~IdReader() = default;
    virtual std::string name() const = 0;
    // Events arrive on any thread; the listener must post them to the UI thread.
    virtual Result<void> start(Listener listener) = 0;
    virtual void stop() = 0;
};

} // namespace kiosk::drivers
