// Speech: the screen read aloud for whoever turns the voice on (accessibility panel), explore by touch, and the tones
// everyone hears beside a warning, an error or something done (EN 301 549 5.1.3: speech output of a closed terminal).
//
// What a frame says is what its drawing announce()d: the title and the instructions, a message, a result. It is said
// when it differs from what was said last, so a new screen, a question or a result is heard once, not every frame.
// With the voice on, a first touch on a control says it and frames it; a second touch on the same control acts.
//
// Never said aloud: a PIN's digits, or the characters typed on a keyboard (a loudspeaker is heard by the whole room;
// a partner site's password is typed there), nor anything read from an identity document. With a headset plugged in,
// the keys a resident types are said (in the headset only); the PIN pad's digits and the document still are not.
//
// Plugging a headset in turns the voice on, from the attract screen as from any screen of a session (EN 301 549
// 5.1.3.8): a blind person need not find the accessibility button first.
#include "kiosk/ui/app.h"

#include <cctype>
#include <string_view>

namespace kiosk::ui {

namespace {

// The marks drawn for the eye (arrows, bullets, ticks) that a voice would spell out.
std::string plain_words(std::string_view text)
{
    static constexpr std::string_view marks[] = { "←", "→", "⌂", "•", "✓", "⌫", "⏎", "…" };
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        bool skipped = false;
        for (auto mark : marks)
            if (text.substr(i, mark.size()) == mark) {
                out += ' ';
                i += mark.size();
                skipped = true;
                break;
            }
        if (!skipped)
            out += text[i++];
    }
    // Spaces squeezed, none at either end.
    std::string squeezed;
    for (char c : out) {
        if (c == ' ' && (squeezed.empty() || squeezed.back() == ' '))
            continue;
        squeezed += c;
    }
    while (!squeezed.empty() && squeezed.back() == ' ')
        squeezed.pop_back();
    return squeezed;
}

// One letter (Latin, with its accents) or digit: what a voice says plainly, unlike ⌫, ⏎ or @.
bool letter_or_digit(std::string_view text)
{
    if (text.size() == 1)
        return std::isalnum(static_cast<unsigned char>(text[0])) != 0;
    if (text.size() != 2)
        return false;
    // U+00C0 to U+024F, two bytes: à é ç ñ œ ß…, less × and ÷.
    unsigned code
        = ((static_cast<unsigned char>(text[0]) & 0x1Fu) << 6) | (static_cast<unsigned char>(text[1]) & 0x3Fu);
    return (static_cast<unsigned char>(text[0]) & 0xE0u) == 0xC0u && code >= 0xC0 && code <= 0x24F && code != 0xD7
        && code != 0xF7;
}

size_t code_points(std::string_view text)
{
    size_t count = 0;
    for (unsigned char c : text)
        count += (c & 0xC0) != 0x80;
    return count;
}

} // namespace

std::string App::latest_speech() const
{
    return m_speaker ? m_speaker->latest() : std::string();
}

bool App::speech_idle(std::chrono::milliseconds timeout)
{
    return !m_speaker || m_speaker->wait_until_idle(timeout);
}

speech::Speaker* App::speaker()
{
    if (m_speaker || m_speaker_failed || !m_open_speaker)
        return m_speaker.get();
    auto opened = m_open_speaker();
    if (!opened) {
        // No sound card, or no espeak-ng data: the kiosk goes on silent, and says so to the technicians' log once.
        m_speaker_failed = true;
        m_audit.record("device_error", { { "device", "speech" }, { "code", to_string(opened.error().code) } });
        return nullptr;
    }
    m_speaker = std::move(*opened);
    return m_speaker.get();
}

void App::say(std::string const& text, speech::Priority priority, std::string_view language)
{
    std::string words = plain_words(text);
    if (words.empty())
        return;
    if (auto* voice = speaker())
        voice->say(words, language.empty() ? std::string_view(m_language) : language, priority);
}

void App::sound(speech::Tone tone)
{
    if (auto* voice = speaker())
        voice->tone(tone);
}

void App::announce(std::string text)
{
    if (!text.empty())
        m_heard.push_back(std::move(text));
}

void App::speak_frame()
{
    auto priority = m_announce_after ? speech::Priority::queue : speech::Priority::interrupt;
    m_announce_after = false;
    std::string text;
    for (auto const& line : m_heard) {
        auto words = plain_words(line);
        if (words.empty())
            continue;
        if (!text.empty())
            text += std::string_view(".!?:").find(text.back()) == std::string_view::npos ? ". " : " ";
        text += words;
    }
    if (text == m_announced)
        return;
    m_announced = text;
    // What the first touch framed may not be there any more.
    m_focused.clear();
    // The accessibility panel speaks even with the voice off: a person who cannot see the screen hears where the
    // voice is turned on.
    if (m_speech || m_overlay == Overlay::accessibility)
        say(text, priority);
}

std::pair<std::string, std::string> App::spoken_label(Widget const& widget) const
{
    std::string const& id = widget.id;
    std::string text = widget.label;
    std::string language;
    if (id == "a11y") {
        text = tr("a11y.button");
    } else if (id == "agent") {
        text = tr("speech.agents_only");
    } else if (id == "language") {
        text = tr("speech.language");
    } else if (id.starts_with("lang_")) {
        language = id.substr(5); // each language's name in its own voice
    } else if (id.starts_with("pin_") && id != "pin_ok") {
        text = tr(id == "pin_clear" ? "speech.erase" : "speech.digit");
    } else if ((id.starts_with("kb_") || id.starts_with("wk_")) && (code_points(text) <= 1 || id == "kb_layer")) {
        // In a headset, a letter or digit itself: a blind resident hears what they are about to type. Never an
        // identity document's line, which the agent types.
        if (!m_headset || id == "kb_layer" || m_text_screen.entering_mrz || !letter_or_digit(text))
            text = tr("speech.key");
    } else if (id.starts_with("upload_doc_")) {
        if (auto const* document = find_document(std::atoi(id.c_str() + 11)))
            text = document->name;
    }
    // A choice of the panel says whether it is on: its tick is seen, not heard.
    bool chosen = (id == "a11y_speech" && m_speech) || (id == "a11y_large" && m_large_text)
        || (id == "a11y_time" && m_session.more_time()) || (id == "a11y_contrast" && m_high_contrast);
    if (chosen)
        text += ". " + tr("speech.chosen");
    if (!widget.enabled)
        text += ". " + tr("speech.unavailable");
    return { text, language };
}

bool App::explore(Widget const* widget)
{
    if (!m_speech)
        return false;
    if (!widget || (widget->hotspot && widget->id.empty())) {
        // Nothing to touch there (or the shade under a question): where am I, again.
        m_focused.clear();
        say(m_announced, speech::Priority::interrupt);
        return true;
    }
    // A whole-screen area (touch to start, "I am here") acts at once. The agents' discreet corner is explored like a
    // button: a blind person sweeping the session bar is told it is the agents', not taken to their PIN pad.
    if (widget->hotspot && widget->id != "agent")
        return false;
    if (widget->id == m_focused && widget->enabled) {
        m_focused.clear();
        return false;
    }
    m_focused = widget->id;
    auto [text, language] = spoken_label(*widget);
    say(text, speech::Priority::interrupt, language);
    m_dirty = true;
    return true;
}

void App::watch_headset()
{
    auto opened = drivers::HeadsetJack::open(
        m_config.devices.headset, [this](bool plugged) { post([this, plugged] { headset_changed(plugged); }); });
    if (!opened) {
        // The voice is still on the accessibility panel: the technicians' log says why the socket is not watched.
        m_audit.record("device_error", { { "device", "headset" }, { "code", to_string(opened.error().code) } });
        m_headset_error = std::string(to_string(opened.error().code));
        return;
    }
    m_headset_jack = std::move(*opened);
    if (m_headset_jack && !m_headset_jack->problems().empty())
        m_audit.record("device_error",
            { { "device", "headset" }, { "code", to_string(m_headset_jack->problems().front().code) } });
    // Something already in at start-up is not taken for a headset: it may be the room's speakers, plugged into the
    // headphone socket for good. Only a plug seen while the kiosk runs is someone asking for the voice in their ears.
    m_headset = false;
}

void App::headset_changed(bool plugged)
{
    m_dirty = true; // the diagnostics show the socket as it is, a plug at start-up's removal too
    if (plugged == m_headset)
        return;
    m_headset = plugged;
    m_audit.record("headset", { { "plugged", plugged } });
    auto state = m_session.state();
    if (!plugged) {
        // The voice goes on, through the loudspeaker: a resident who cannot see must not lose it to a tug on the cable.
        // What they type is no longer said.
        if (m_speech)
            say(tr("speech.headset_out"), speech::Priority::interrupt);
        return;
    }
    if (state == core::SessionState::out_of_order || state == core::SessionState::wiping)
        return;
    // An agent typing a PIN or a technician at the diagnostics, come from the attract screen: no session is started
    // under them (a technician plugging a headset to try the socket is not a resident).
    bool on_attract = m_screen == Screen::attract && m_overlay == Overlay::none;
    if (state == core::SessionState::attract && !on_attract)
        return;
    // Plugging in is being there.
    if (!m_session.still_here() && m_session.in_session())
        m_session.activity();
    m_focused.clear();
    if (!m_speech) {
        m_speech = true;
        m_audit.record("accessibility", { { "speech", true } });
    }
    // From the attract screen the welcome starts, as with the accessibility button: the voice goes with the welcome's
    // timeout, not to the next passer-by.
    if (state == core::SessionState::attract) {
        m_session.start();
        apply_transitions();
    }
    say(tr("speech.headset_in"), speech::Priority::interrupt);
    // Then where the resident is, after it: the screen they were on is read again.
    m_announced.clear();
    m_announce_after = true;
}

void App::forget_speech()
{
    m_speech = false;
    m_focused.clear();
    m_heard.clear();
    m_announced.clear();
    if (m_speaker) {
        // The last words said may have been a document's name: the samples and the text go with the session.
        m_speaker->forget();
        m_speaker.reset();
    }
    m_speaker_failed = false;
}

} // namespace kiosk::ui
