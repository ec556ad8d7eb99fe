// The text screen and its on-screen keyboard: a document's new name, or an MRZ typed by an agent.
#include "kiosk/ui/app.h"

#include <openssl/crypto.h>

namespace kiosk::ui {

bool App::on_rename_widget(std::string const& id)
{
    if (id == "kb_filler" && m_text_screen.entering_mrz) {
        m_text_screen.text += "<";
        limit_rename_text();
    } else if (id == "kb_newline" && m_text_screen.entering_mrz) {
        m_text_screen.text += "\n";
        limit_rename_text();
    } else if (id == "rename_ok") {
        finish_rename();
    } else if (id == "kb_backspace") {
        erase_last_character();
    } else if (id == "kb_clear") {
        m_text_screen.text.clear();
        m_text_screen.shift = true;
    } else if (id == "kb_shift") {
        m_text_screen.shift = !m_text_screen.shift;
    } else if (id.starts_with("kb_")) {
        if (auto text = keyboard_text(id, m_text_screen.shift || m_text_screen.entering_mrz)) {
            m_text_screen.text += *text;
            limit_rename_text();
            m_text_screen.shift = false;
        }
    } else {
        return false;
    }
    return true;
}

void App::draw_rename()
{
    auto& c = *m_canvas;
    draw_top_bar(tr(m_text_screen.entering_mrz ? "id_capture.type_title" : "rename.title"));
    Rect area = content_area();
    int gap = c.px(14);
    // The field: what is typed, with a caret, large enough to check every letter.
    Rect field { area.x, area.y, area.w - c.px(440), c.px(120) };
    c.fill_rounded(field, c.px(10), theme::blue_france);
    c.fill_rounded(
        { field.x + c.px(4), field.y + c.px(4), field.w - c.px(8), field.h - c.px(8) }, c.px(8), theme::white);
    std::string shown = m_text_screen.text;
    for (size_t at = shown.find('\n'); at != std::string::npos; at = shown.find('\n', at))
        shown.replace(at, 1, " ⏎ ");
    // An MRZ is longer than the field: the end, where the agent is typing, is what must show.
    if (m_text_screen.entering_mrz && shown.size() > 56) {
        size_t from = shown.size() - 56;
        while (from < shown.size() && (static_cast<unsigned char>(shown[from]) & 0xC0) == 0x80)
            ++from; // never start inside a multi-byte character
        shown = "…" + shown.substr(from);
    }
    c.text(shown + "|", { field.x + c.px(30), field.y, field.w - c.px(60), field.h }, theme::text_title, theme::text,
        Align::left);
    c.action("rename_ok", { area.x + area.w - c.px(420), area.y, c.px(420), c.px(120) }, Icon::check, tr("rename.ok"),
        ButtonStyle::primary,
        !m_text_screen.text.empty() && m_text_screen.text.find_first_not_of(' ') != std::string::npos);

    auto const& rows = keyboard_rows();
    int top = area.y + c.px(150);
    int row_h = (area.y + area.h - top - gap * static_cast<int>(rows.size() - 1)) / static_cast<int>(rows.size());
    int key_w = (area.w - gap * 10) / 11;
    for (size_t r = 0; r < rows.size(); ++r) {
        int y = top + static_cast<int>(r) * (row_h + gap);
        int x = area.x;
        for (auto const& id : rows[r]) {
            std::string label;
            int w = key_w;
            ButtonStyle style = ButtonStyle::secondary;
            if (id == "kb_backspace") {
                label = "⌫";
            } else if (id == "kb_shift") {
                label = "⇧";
                style = m_text_screen.shift ? ButtonStyle::selected : ButtonStyle::secondary;
            } else if (id == "kb_clear") {
                label = tr("rename.clear");
                w = key_w * 3 + gap * 2;
            } else if (id == "kb_space") {
                label = tr("rename.space");
                w = area.w - (key_w * 3 + gap * 2) - gap;
            } else {
                label = keyboard_text(id, m_text_screen.shift || m_text_screen.entering_mrz).value_or("");
            }
            // Typing an MRZ needs the filler and line breaks more than the dash and the apostrophe.
            std::string key_id = id;
            if (m_text_screen.entering_mrz && id == "kb_dash") {
                key_id = "kb_filler";
                label = "<";
            } else if (m_text_screen.entering_mrz && id == "kb_apostrophe") {
                key_id = "kb_newline";
                label = "⏎";
            }
            c.button(key_id, { x, y, w, row_h }, label, style);
            x += w + gap;
        }
    }
}

void App::limit_rename_text()
{
    if (m_text_screen.entering_mrz) {
        // Three lines of 30 or two of 44, with line breaks and some slack for typing mistakes.
        if (m_text_screen.text.size() > 160)
            m_text_screen.text.resize(160);
        return;
    }
    cut_to_document_name(m_text_screen.text);
}

void App::cut_to_document_name(std::string& text)
{
    size_t code_points = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++code_points > max_document_name) {
            text.resize(i);
            break;
        }
    }
}

void App::erase_last_character()
{
    while (!m_text_screen.text.empty()) {
        bool continuation = (static_cast<unsigned char>(m_text_screen.text.back()) & 0xC0) == 0x80;
        m_text_screen.text.pop_back();
        if (!continuation)
            break;
    }
}

void App::finish_mrz_entry()
{
    auto document = drivers::mrz::parse_text(m_text_screen.text, today());
    if (!document) {
        // A single line starting with D is a driving licence typed short or long: say how long it must be and
        // how long it is. Anything else gets the general advice.
        std::vector<size_t> lengths;
        size_t length = 0;
        char first = 0;
        // Counted in place: a copy of what was typed would outlive the wipe of m_text_screen.text.
        for (size_t i = 0; i <= m_text_screen.text.size(); ++i) {
            char c = i < m_text_screen.text.size() ? m_text_screen.text[i] : '\n';
            if (c == '\n' || c == '\r') {
                if (length)
                    lengths.push_back(length);
                length = 0;
            } else if (c != ' ' && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
                if (lengths.empty() && length == 0)
                    first = c;
                ++length;
            }
        }
        if (lengths.size() == 1 && (first == 'D' || first == 'd'))
            show_message("message.problem", tr("id_capture.not_mrz_one_line", { std::to_string(lengths[0]) }));
        else
            show_message("message.problem", tr("id_capture.not_mrz"));
        return;
    }
    m_audit.record("identity_document_typed",
        { { "format", drivers::mrz::to_string(document->format) }, { "valid", document->valid } });
    m_assisted.id_document = std::move(*document);
    m_assisted.watermark_result.clear();
    OPENSSL_cleanse(m_text_screen.text.data(), m_text_screen.text.size());
    m_text_screen.text.clear();
    m_text_screen.entering_mrz = false;
    back();
}

void App::finish_rename()
{
    if (m_text_screen.entering_mrz) {
        finish_mrz_entry();
        return;
    }
    auto first = m_text_screen.text.find_first_not_of(' ');
    auto last = m_text_screen.text.find_last_not_of(' ');
    std::string name = first == std::string::npos ? std::string() : m_text_screen.text.substr(first, last - first + 1);
    if (!name.empty() && m_store.rename(m_selected, name))
        m_audit.record("document_renamed");
    m_text_screen.text.clear();
    back();
}

std::vector<std::vector<std::string>> const& keyboard_rows()
{
    static std::vector<std::vector<std::string>> const rows = {
        { "kb_1", "kb_2", "kb_3", "kb_4", "kb_5", "kb_6", "kb_7", "kb_8", "kb_9", "kb_0", "kb_backspace" },
        { "kb_a", "kb_z", "kb_e", "kb_r", "kb_t", "kb_y", "kb_u", "kb_i", "kb_o", "kb_p", "kb_eacute" },
        { "kb_q", "kb_s", "kb_d", "kb_f", "kb_g", "kb_h", "kb_j", "kb_k", "kb_l", "kb_m", "kb_egrave" },
        { "kb_shift", "kb_w", "kb_x", "kb_c", "kb_v", "kb_b", "kb_n", "kb_ccedil", "kb_agrave", "kb_dash",
            "kb_apostrophe" },
        { "kb_clear", "kb_space" },
    };
    return rows;
}

std::optional<std::string> keyboard_text(std::string_view id, bool shift)
{
    if (!id.starts_with("kb_"))
        return std::nullopt;
    auto key = id.substr(3);
    if (key.size() == 1 && key[0] >= 'a' && key[0] <= 'z')
        return std::string(1, shift ? static_cast<char>(key[0] - 'a' + 'A') : key[0]);
    if (key.size() == 1 && key[0] >= '0' && key[0] <= '9')
        return std::string(key);
    static std::pair<std::string_view, std::pair<char const*, char const*>> const specials[] = {
        { "eacute", { "é", "É" } },
        { "egrave", { "è", "È" } },
        { "agrave", { "à", "À" } },
        { "ccedil", { "ç", "Ç" } },
        { "dash", { "-", "-" } },
        { "apostrophe", { "'", "'" } },
        { "space", { " ", " " } },
    };
    for (auto const& [name, text] : specials)
        if (name == key)
            return std::string(shift ? text.second : text.first);
    return std::nullopt;
}

} // namespace kiosk::ui
