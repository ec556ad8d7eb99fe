// Earcon synthesis: sine notes (with a third harmonic for the error) under a fade-in/fade-out envelope.
#include "kiosk/speech/tones.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <numbers>

namespace kiosk::speech {

namespace {

struct Note {
    double hz; // 0 for a rest
    int ms;
};

// Peak level well below full scale: an earcon must not startle more than the speech around it.
constexpr double level = 0.35 * 32767;
constexpr double fade_ms = 8;

void append_note(std::vector<std::int16_t>& out, Note note, int sample_rate, double harmonic)
{
    int count = sample_rate * note.ms / 1000;
    int fade = static_cast<int>(sample_rate * fade_ms / 1000);
    for (int i = 0; i < count; ++i) {
        double value = 0;
        if (note.hz > 0) {
            double phase = 2 * std::numbers::pi * note.hz * i / sample_rate;
            value = (std::sin(phase) + harmonic * std::sin(3 * phase)) / (1 + harmonic);
            double envelope = std::min({ 1.0, double(i) / fade, double(count - 1 - i) / fade });
            value *= level * envelope;
        }
        out.push_back(static_cast<std::int16_t>(std::lround(value)));
    }
}

} // namespace

std::string_view to_string(Tone tone)
{
    switch (tone) {
    case Tone::warning: return "warning";
    case Tone::error: return "error";
    case Tone::done: return "done";
    }
    return "warning";
}

std::vector<std::int16_t> make_tone(Tone tone, int sample_rate)
{
    std::vector<std::int16_t> out;
    auto play = [&](std::initializer_list<Note> notes, double harmonic) {
        for (auto note : notes)
            append_note(out, note, sample_rate, harmonic);
    };
    switch (tone) {
    case Tone::warning: play({ { 880, 120 }, { 0, 70 }, { 880, 120 } }, 0); break;
    case Tone::error: play({ { 440, 150 }, { 0, 30 }, { 311, 220 } }, 0.3); break;
    case Tone::done: play({ { 1047, 90 }, { 0, 20 }, { 1568, 150 } }, 0); break;
    }
    return out;
}

} // namespace kiosk::speech
