// The language → espeak-ng voice table.
#include "kiosk/speech/voices.h"

#include <array>
#include <utility>

namespace kiosk::speech {

namespace {

// espeak-ng names its voices by language; "en" would pick British English, which is what the kiosk's
// English text is written in. Arabic is espeak-ng's own voice (sem/ar), not the MBROLA one.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> voices { {
    { "fr", "fr" },
    { "en", "en" },
    { "ar", "ar" },
    { "es", "es" },
    { "pt", "pt" },
    { "tr", "tr" },
    { "ro", "ro" },
    { "uk", "uk" },
} };

constexpr std::array<std::string_view, 8> languages { "fr", "en", "ar", "es", "pt", "tr", "ro", "uk" };

} // namespace

std::span<std::string_view const> spoken_languages()
{
    return languages;
}

VoiceChoice voice_for(std::string_view language)
{
    for (auto const& [code, voice] : voices) {
        if (code == language)
            return { code, voice, false };
    }
    return { voices[0].first, voices[0].second, true };
}

} // namespace kiosk::speech
