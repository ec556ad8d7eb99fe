// Layouts of the on-screen keyboard over a partner site (AZERTY, accents and symbols, digits), and their keys.
#include "kiosk/ui/web_keyboard.h"

#include <algorithm>
#include <array>

namespace kiosk::ui {

namespace {

struct Character {
    std::string_view name;
    std::string_view text;
    std::string_view shifted;
};

// Every key that types: its id is "wk_" + name. Letters and accented letters have a capital under shift.
constexpr std::array characters {
    Character { "agrave", "à", "À" },
    Character { "acirc", "â", "Â" },
    Character { "auml", "ä", "Ä" },
    Character { "eacute", "é", "É" },
    Character { "egrave", "è", "È" },
    Character { "ecirc", "ê", "Ê" },
    Character { "euml", "ë", "Ë" },
    Character { "icirc", "î", "Î" },
    Character { "iuml", "ï", "Ï" },
    Character { "ocirc", "ô", "Ô" },
    Character { "ugrave", "ù", "Ù" },
    Character { "ucirc", "û", "Û" },
    Character { "uuml", "ü", "Ü" },
    Character { "ccedil", "ç", "Ç" },
    Character { "oelig", "œ", "Œ" },
    Character { "aelig", "æ", "Æ" },
    Character { "ntilde", "ñ", "Ñ" },
    Character { "at", "@", "@" },
    Character { "dot", ".", "." },
    Character { "dash", "-", "-" },
    Character { "underscore", "_", "_" },
    Character { "apostrophe", "'", "'" },
    Character { "space", " ", " " },
    Character { "comma", ",", "," },
    Character { "colon", ":", ":" },
    Character { "semicolon", ";", ";" },
    Character { "question", "?", "?" },
    Character { "exclamation", "!", "!" },
    Character { "slash", "/", "/" },
    Character { "lparen", "(", "(" },
    Character { "rparen", ")", ")" },
    Character { "ampersand", "&", "&" },
    Character { "quote", "\"", "\"" },
    Character { "plus", "+", "+" },
    Character { "equals", "=", "=" },
    Character { "percent", "%", "%" },
    Character { "euro", "€", "€" },
    Character { "hash", "#", "#" },
    Character { "star", "*", "*" },
    Character { "dotfr", ".fr", ".fr" },
    Character { "dotcom", ".com", ".com" },
};

struct Edit {
    std::string_view name;
    drivers::EditKey key;
    std::string_view label;
};

constexpr std::array edits {
    Edit { "backspace", drivers::EditKey::backspace, "⌫" },
    Edit { "enter", drivers::EditKey::enter, "↵" },
    Edit { "tab", drivers::EditKey::tab, "⇥" },
    Edit { "left", drivers::EditKey::left, "←" },
    Edit { "right", drivers::EditKey::right, "→" },
};

std::optional<Character> character(std::string_view name)
{
    if (name.size() == 1 && ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9')))
        return Character { name, name, name };
    for (auto const& c : characters)
        if (c.name == name)
            return c;
    return std::nullopt;
}

std::string upper(std::string_view letter)
{
    std::string text(letter);
    if (text.size() == 1 && text[0] >= 'a' && text[0] <= 'z')
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

} // namespace

void WebKeyboard::show(drivers::TextFieldKind field)
{
    bool digits = field == drivers::TextFieldKind::number || field == drivers::TextFieldKind::telephone;
    m_visible = true;
    m_field = field;
    m_layout = digits ? Layout::digits : Layout::letters;
    m_shift = false;
}

std::vector<std::vector<WebKeyboard::Key>> WebKeyboard::rows() const
{
    auto keys = [&](std::initializer_list<std::string_view> names, int width = 2) {
        std::vector<Key> row;
        for (auto name : names) {
            Key key { "wk_" + std::string(name), {}, {}, width };
            if (auto c = character(name))
                key.label = std::string(m_shift
                        ? (c->shifted == c->text && name.size() == 1 ? upper(c->text) : std::string(c->shifted))
                        : c->text);
            for (auto const& edit : edits)
                if (edit.name == name)
                    key.label = std::string(edit.label);
            if (name == "space")
                key.label_key = "web_keyboard.space";
            row.push_back(std::move(key));
        }
        return row;
    };
    auto key = [](std::string_view name, std::string label, std::string label_key, int width) {
        return Key { "wk_" + std::string(name), std::move(label), std::move(label_key), width };
    };
    // The last row: the layout switch, editing keys, Enter and hiding the keyboard.
    auto bottom = [&](std::vector<Key> middle) {
        std::vector<Key> row;
        if (m_layout == Layout::letters)
            row.push_back(key("more", "", "web_keyboard.more", 3));
        else if (m_layout == Layout::symbols)
            row.push_back(key("letters", "", "web_keyboard.letters", 3));
        for (auto& k : middle)
            row.push_back(std::move(k));
        for (auto& k : keys({ "left", "right" }))
            row.push_back(std::move(k));
        row.push_back(key("enter", "↵", "", 3));
        row.push_back(key("hide", "", "web_keyboard.hide", 4));
        return row;
    };
    // A wide space bar between a key of the layout's choosing and the full stop.
    auto around_space = [&](std::string_view before) {
        auto middle = keys({ before });
        for (auto& k : keys({ "space" }, 6))
            middle.push_back(std::move(k));
        for (auto& k : keys({ "dot" }))
            middle.push_back(std::move(k));
        return middle;
    };
    bool email = m_field == drivers::TextFieldKind::email;
    std::vector<std::vector<Key>> rows;
    switch (m_layout) {
    case Layout::digits: {
        // Large keys: a telephone number or a sum is typed by people who may see poorly.
        bool telephone = m_field == drivers::TextFieldKind::telephone;
        rows.push_back(keys({ "1", "2", "3" }, 6));
        rows.push_back(keys({ "4", "5", "6" }, 6));
        rows.push_back(keys({ "7", "8", "9" }, 6));
        rows.push_back(keys({ telephone ? "plus" : "comma", "0", "backspace" }, 6));
        rows.push_back(bottom({}));
        break;
    }
    case Layout::letters:
        rows.push_back(keys({ "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "backspace" }));
        rows.push_back(keys({ "a", "z", "e", "r", "t", "y", "u", "i", "o", "p", "eacute" }));
        rows.push_back(keys({ "q", "s", "d", "f", "g", "h", "j", "k", "l", "m", "egrave" }));
        if (email) {
            rows.push_back(keys({ "shift", "w", "x", "c", "v", "b", "n", "dot", "dash", "underscore", "at" }));
            rows.push_back(bottom(keys({ "dotfr", "dotcom" }, 3)));
        } else {
            rows.push_back(keys({ "shift", "w", "x", "c", "v", "b", "n", "ccedil", "agrave", "apostrophe", "dash" }));
            rows.push_back(bottom(around_space("at")));
        }
        break;
    case Layout::symbols:
        rows.push_back(keys({ "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "backspace" }));
        rows.push_back(keys(
            { "agrave", "acirc", "auml", "eacute", "egrave", "ecirc", "euml", "icirc", "iuml", "ocirc", "ugrave" }));
        rows.push_back(keys(
            { "ucirc", "uuml", "ccedil", "oelig", "aelig", "ntilde", "euro", "percent", "plus", "equals", "hash" }));
        rows.push_back(keys({ "shift", "lparen", "rparen", "slash", "colon", "semicolon", "comma", "question",
            "exclamation", "ampersand", "quote" }));
        rows.push_back(bottom(around_space("star")));
        break;
    }
    for (auto& row : rows)
        for (auto& k : row)
            if (k.id == "wk_shift")
                k.label = "⇧";
    return rows;
}

std::optional<WebKeyboard::Action> WebKeyboard::press(std::string_view id)
{
    if (!m_visible || !id.starts_with("wk_"))
        return std::nullopt;
    auto name = id.substr(3);
    // Only the keys on show: a script or a stale tap cannot type what the layout does not offer.
    auto const current = rows();
    bool on_show = std::ranges::any_of(
        current, [&](auto const& row) { return std::ranges::any_of(row, [&](Key const& k) { return k.id == id; }); });
    if (!on_show)
        return std::nullopt;
    Action action;
    if (name == "shift") {
        m_shift = !m_shift;
    } else if (name == "more") {
        m_layout = Layout::symbols;
    } else if (name == "letters") {
        m_layout = Layout::letters;
    } else if (name == "hide") {
        action.hide = true;
        m_visible = false;
    } else if (auto c = character(name)) {
        action.text = m_shift ? (c->shifted == c->text && name.size() == 1 ? upper(c->text) : std::string(c->shifted))
                              : std::string(c->text);
        m_shift = false; // one capital, as on a phone
    } else {
        for (auto const& edit : edits)
            if (edit.name == name)
                action.key = edit.key;
    }
    return action;
}

std::vector<std::string> WebKeyboard::all_key_ids()
{
    std::vector<std::string> ids;
    WebKeyboard keyboard;
    for (auto field : { drivers::TextFieldKind::text, drivers::TextFieldKind::email, drivers::TextFieldKind::telephone,
             drivers::TextFieldKind::number }) {
        keyboard.show(field);
        for (bool symbols : { false, true }) {
            if (symbols && keyboard.layout() == Layout::letters)
                keyboard.m_layout = Layout::symbols;
            else if (symbols)
                continue;
            for (auto const& row : keyboard.rows())
                for (auto const& key : row)
                    if (std::ranges::find(ids, key.id) == ids.end())
                        ids.push_back(key.id);
        }
    }
    return ids;
}

} // namespace kiosk::ui
