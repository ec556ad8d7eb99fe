// Which espeak-ng voice speaks each of the kiosk's languages, and the fallback for any other code.
#pragma once

#include <span>
#include <string_view>

namespace kiosk::speech {

struct VoiceChoice {
    std::string_view language; // the kiosk language code that will be spoken ("fr" when it fell back)
    std::string_view voice; // the espeak-ng voice name for espeak_SetVoiceByName
    bool fell_back = false; // the requested language has no voice here: French is spoken instead
};

// The kiosk's languages (fr en ar es pt tr ro uk); espeak-ng 1.51 in Debian 12 has a voice for each.
std::span<std::string_view const> spoken_languages();

// The voice for a session language code; an unknown or empty code falls back to French and says so.
VoiceChoice voice_for(std::string_view language);

} // namespace kiosk::speech
