// Short earcons made in code: the sound beside a warning, an error or a finished task (issue 14: warnings
// through more than one sense). No sound files to ship, translate or license.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace kiosk::speech {

enum class Tone {
    warning, // the idle warning: two equal mid notes
    error, // something failed: a falling pair, lower and rougher
    done, // printed, scan finished: a rising pair
};

std::string_view to_string(Tone tone);

// The tone as 16-bit mono PCM at sample_rate, under half a second, with short fades so it never clicks.
std::vector<std::int16_t> make_tone(Tone tone, int sample_rate);

} // namespace kiosk::speech
