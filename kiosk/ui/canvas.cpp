// Drawing primitives and the text cache: each distinct string is rasterised once, then blitted.
#include "kiosk/ui/canvas.h"

#include "kiosk/ui/theme.h"

#include <algorithm>
#include <cmath>
#include <fribidi.h>

namespace kiosk::ui {

namespace {

constexpr size_t max_cached_texts = 600;

void set_color(SDL_Renderer* renderer, Color color)
{
    // Blending an opaque colour changes nothing but costs ~20x in the software renderer.
    SDL_SetRenderDrawBlendMode(renderer, color.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(renderer, color.r, color.g, color.b, color.a);
}

} // namespace

Result<Canvas> Canvas::create(SDL_Renderer* renderer, core::DisplayConfig const& display)
{
    Canvas canvas;
    canvas.m_renderer = renderer;
    canvas.m_font_path = display.font;
    canvas.m_bold_path = display.font_bold;
    canvas.m_icon_path = display.icon_font;
    // Open every face now, so a missing font is one clear error at start-up and never a blank screen or an action
    // without its picture.
    for (auto [face, path] : { std::pair { Face::regular, &display.font }, std::pair { Face::bold, &display.font_bold },
             std::pair { Face::icons, &display.icon_font } }) {
        if (!canvas.face(40, face))
            return make_error(
                ErrorCode::asset_missing, "cannot open font " + path->string() + ": " + std::string(TTF_GetError()));
    }
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
    return canvas;
}

Canvas::Canvas(Canvas&& other) noexcept
    : m_renderer(other.m_renderer)
    , m_font_path(std::move(other.m_font_path))
    , m_bold_path(std::move(other.m_bold_path))
    , m_icon_path(std::move(other.m_icon_path))
    , m_fonts(std::move(other.m_fonts))
    , m_text_cache(std::move(other.m_text_cache))
    , m_lru(std::move(other.m_lru))
    , m_width(other.m_width)
    , m_height(other.m_height)
    , m_scale(other.m_scale)
{
    other.m_fonts.clear();
    other.m_text_cache.clear();
}

Canvas::~Canvas()
{
    forget_cached_text();
    for (auto& [key, font] : m_fonts)
        TTF_CloseFont(font);
}

void Canvas::forget_cached_text()
{
    for (auto& [key, cached] : m_text_cache)
        SDL_DestroyTexture(cached.texture);
    m_text_cache.clear();
    m_lru.clear();
    m_layout_cache.clear();
}

TTF_Font* Canvas::face(int pixel_size, Face face)
{
    pixel_size = std::max(pixel_size, 8);
    auto key = std::make_pair(pixel_size, face);
    if (auto it = m_fonts.find(key); it != m_fonts.end())
        return it->second;
    auto const& path = face == Face::icons ? m_icon_path : face == Face::bold ? m_bold_path : m_font_path;
    TTF_Font* font = TTF_OpenFont(path.c_str(), pixel_size);
    if (font)
        m_fonts[key] = font;
    return font;
}

Canvas::CachedText const* Canvas::rendered_in(std::string const& text, int pixel_size, Color color, Face face)
{
    std::string key = std::to_string(pixel_size)
        + (face == Face::icons       ? "i"
                : face == Face::bold ? "b"
                                     : "r")
        + std::to_string(color.r) + "," + std::to_string(color.g) + "," + std::to_string(color.b) + ","
        + std::to_string(color.a) + (m_rtl ? "<" : "|") + text;
    if (auto it = m_text_cache.find(key); it != m_text_cache.end()) {
        m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
        return &it->second;
    }
    TTF_Font* f = this->face(pixel_size, face);
    if (!f || text.empty())
        return nullptr;
    std::string shown = face == Face::icons ? text : visual(text);
    SDL_Surface* surface = TTF_RenderUTF8_Blended(f, shown.c_str(), SDL_Color { color.r, color.g, color.b, color.a });
    if (!surface)
        return nullptr;
    CachedText cached;
    cached.texture = SDL_CreateTextureFromSurface(m_renderer, surface);
    cached.w = surface->w;
    cached.h = surface->h;
    SDL_FreeSurface(surface);
    if (!cached.texture)
        return nullptr;
    if (m_text_cache.size() >= max_cached_texts) {
        auto oldest = m_text_cache.find(m_lru.back());
        SDL_DestroyTexture(oldest->second.texture);
        m_text_cache.erase(oldest);
        m_lru.pop_back();
    }
    m_lru.push_front(key);
    cached.lru = m_lru.begin();
    return &(m_text_cache[key] = cached);
}

void Canvas::set_right_to_left(bool rtl)
{
    m_rtl = rtl;
}

namespace {

// Letters written right to left: Hebrew, Arabic and their supplements and presentation forms.
bool has_right_to_left_letters(std::string const& text)
{
    for (size_t i = 0; i + 1 < text.size(); ++i) {
        auto lead = static_cast<unsigned char>(text[i]);
        // U+0590..U+07FF are two-byte sequences led by 0xD6..0xDF; U+0800..U+08FF three-byte ones led by 0xE0
        // 0xA0..0xA3.
        if (lead >= 0xD6 && lead <= 0xDF)
            return true;
        if (lead == 0xE0 && i + 1 < text.size()) {
            auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0xA0 && next <= 0xA3)
                return true;
        }
        if (lead == 0xEF && i + 1 < text.size()) {
            auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0xAC && next <= 0xBB) // U+FB00..U+FEFF: presentation forms
                return true;
        }
    }
    return false;
}

void replace_all(std::string& text, std::string_view from, std::string_view to)
{
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

} // namespace

std::string Canvas::visual(std::string const& logical) const
{
    std::string text = logical;
    bool bidi = has_right_to_left_letters(text);
    if (m_rtl) {
        // Arrows say "back" and "next": they turn with the screen. (Angle quotes too, where the bidi algorithm below,
        // which mirrors them in right-to-left runs itself, does not run.)
        replace_all(text, "←", "\x01");
        replace_all(text, "→", "←");
        replace_all(text, "\x01", "→");
        if (!bidi) {
            replace_all(text, "‹", "\x01");
            replace_all(text, "›", "‹");
            replace_all(text, "\x01", "›");
        }
    }
    if (!bidi)
        return text;
    std::vector<FriBidiChar> characters(text.size() + 1);
    auto length = fribidi_charset_to_unicode(
        FRIBIDI_CHAR_SET_UTF8, text.data(), static_cast<FriBidiStrIndex>(text.size()), characters.data());
    std::vector<FriBidiChar> shown(static_cast<size_t>(length) + 1);
    FriBidiParType base = m_rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_ON;
    // Shapes Arabic letters into their joined forms (FRIBIDI_FLAGS_ARABIC) and orders the runs for display.
    if (fribidi_log2vis(characters.data(), length, &base, shown.data(), nullptr, nullptr, nullptr) == 0)
        return text;
    // Arabic's optional vowel marks (harakat) cannot be placed over the joined forms this way: they are left out, as
    // most printed Arabic does.
    auto end = std::remove_if(shown.begin(), shown.begin() + length,
        [](FriBidiChar c) { return (c >= 0x064B && c <= 0x065F) || c == 0x0670; });
    length = static_cast<FriBidiStrIndex>(end - shown.begin());
    std::string out(static_cast<size_t>(length) * 4 + 1, '\0');
    auto bytes = fribidi_unicode_to_charset(FRIBIDI_CHAR_SET_UTF8, shown.data(), length, out.data());
    out.resize(static_cast<size_t>(bytes));
    return out;
}

int Canvas::measure(TTF_Font* font, std::string const& logical) const
{
    int w = 0, h = 0;
    TTF_SizeUTF8(font, visual(logical).c_str(), &w, &h);
    return w;
}

void Canvas::begin_frame()
{
    SDL_GetRendererOutputSize(m_renderer, &m_width, &m_height);
    m_scale = std::min(m_width / 1920.0, m_height / 1080.0) * m_zoom;
    m_widgets.clear();
    m_texts.clear();
    m_cramped.clear();
    m_off_screen.clear();
}

void Canvas::fill(Rect rect, Color color)
{
    fill_physical(mirrored(rect), color);
}

void Canvas::fill_physical(Rect rect, Color color)
{
    set_color(m_renderer, color);
    SDL_Rect r = rect.sdl();
    SDL_RenderFillRect(m_renderer, &r);
}

void Canvas::fill_rounded(Rect rect, int radius, Color color)
{
    rect = mirrored(rect);
    radius = std::min({ radius, rect.w / 2, rect.h / 2 });
    if (radius <= 1) {
        fill_physical(rect, color);
        return;
    }
    set_color(m_renderer, color);
    SDL_Rect middle { rect.x, rect.y + radius, rect.w, rect.h - 2 * radius };
    SDL_RenderFillRect(m_renderer, &middle);
    // Rounded caps: one horizontal line per row of the top and bottom bands.
    for (int dy = 0; dy < radius; ++dy) {
        double from_centre = radius - dy - 0.5;
        int inset
            = static_cast<int>(radius - std::sqrt(std::max(0.0, radius * radius - from_centre * from_centre)) + 0.5);
        SDL_RenderDrawLine(m_renderer, rect.x + inset, rect.y + dy, rect.x + rect.w - 1 - inset, rect.y + dy);
        SDL_RenderDrawLine(m_renderer, rect.x + inset, rect.y + rect.h - 1 - dy, rect.x + rect.w - 1 - inset,
            rect.y + rect.h - 1 - dy);
    }
}

void Canvas::outline(Rect rect, int thickness, Color color)
{
    fill({ rect.x, rect.y, rect.w, thickness }, color);
    fill({ rect.x, rect.y + rect.h - thickness, rect.w, thickness }, color);
    fill({ rect.x, rect.y, thickness, rect.h }, color);
    fill({ rect.x + rect.w - thickness, rect.y, thickness, rect.h }, color);
}

int Canvas::text_width(std::string const& text, int size, bool bold)
{
    TTF_Font* f = font(px(size), bold);
    return f ? measure(f, text) : 0;
}

int Canvas::wrapped_height(std::string const& text, int size, bool bold, int width)
{
    int pixel_size = px(size);
    TTF_Font* f = font(pixel_size, bold);
    return static_cast<int>(wrap_lines(text, pixel_size, bold, width).size()) * (f ? TTF_FontLineSkip(f) : pixel_size);
}

int Canvas::paragraph(std::string const& words, int x, int y, int width, int size, Color color, Align align, bool bold)
{
    int h = wrapped_height(words, size, bold, width);
    text(words, { x, y, width, h }, size, color, align, bold, true);
    return h;
}

std::vector<std::string> Canvas::wrap_lines(std::string const& text, int pixel_size, bool bold, int max_width)
{
    std::vector<std::string> lines;
    TTF_Font* f = font(pixel_size, bold);
    if (!f)
        return { text };
    std::string line;
    auto add = [&](std::string const& piece, char const* joiner) {
        std::string candidate = line.empty() ? piece : line + joiner + piece;
        if (measure(f, candidate) > max_width && !line.empty()) {
            lines.push_back(line);
            line = piece;
        } else {
            line = candidate;
        }
    };
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find_first_of(" \n", start);
        std::string word = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        size_t hyphen = word.find('-');
        if (hyphen != std::string::npos && hyphen + 1 < word.size() && measure(f, word) > max_width) {
            // A compound too wide for a line of its own ("Чорно-білий" in large text) breaks after its hyphens.
            bool first = true;
            for (size_t from = 0; from < word.size();) {
                size_t next = word.find('-', from);
                size_t until = next == std::string::npos || next + 1 >= word.size() ? word.size() : next + 1;
                add(word.substr(from, until - from), first ? " " : "");
                first = false;
                from = until;
            }
        } else {
            add(word, " ");
        }
        if (end == std::string::npos)
            break;
        if (text[end] == '\n') {
            lines.push_back(line);
            line.clear();
        }
        start = end + 1;
    }
    if (!line.empty())
        lines.push_back(line);
    return lines;
}

Canvas::Layout const& Canvas::layout(std::string const& content, int pixel_size, bool bold, bool wrap, Rect box)
{
    // The smallest size allowed depends on the scale: it is part of the key.
    std::string key = std::to_string(pixel_size) + "/" + std::to_string(px(theme::text_small)) + (bold ? "b" : "r")
        + (wrap ? "w" : "n") + (m_rtl ? "<" : "") + std::to_string(box.w) + "x" + std::to_string(box.h) + "|" + content;
    if (auto it = m_layout_cache.find(key); it != m_layout_cache.end())
        return it->second;
    if (m_layout_cache.size() > 2000)
        m_layout_cache.clear();
    // Text shrinks rather than overflow its box, but never below the theme's smallest size: what does not fit then
    // is clipped, and counted (cramped()), for the words to be shortened.
    Layout result;
    int minimum = std::min(pixel_size, px(theme::text_small));
    for (int candidate = pixel_size; candidate >= minimum; candidate -= std::max(1, candidate / 20)) {
        result.pixel_size = candidate;
        result.lines = wrap ? wrap_lines(content, candidate, bold, box.w) : std::vector<std::string> { content };
        TTF_Font* f = font(candidate, bold);
        if (!f)
            break;
        bool fits = box.h <= 0 || TTF_FontLineSkip(f) * static_cast<int>(result.lines.size()) <= box.h;
        for (auto const& line : result.lines)
            fits = fits && measure(f, line) <= box.w;
        result.fits = fits;
        if (fits)
            break;
    }
    return m_layout_cache[key] = std::move(result);
}

int Canvas::text(std::string const& content, Rect box, int size, Color color, Align align, bool bold, bool wrap)
{
    if (content.empty())
        return 0;
    m_texts.push_back(content);
    box = mirrored(box);
    if (m_rtl && align != Align::center)
        align = align == Align::left ? Align::right : Align::left;
    Layout const& fitted = layout(content, px(size), bold, wrap, box);
    if (!fitted.fits)
        m_cramped.push_back(content);
    if (!on_screen(box))
        m_off_screen.push_back(content);
    int pixel_size = fitted.pixel_size;
    std::vector<std::string> const& lines = fitted.lines;
    TTF_Font* f = font(pixel_size, bold);
    int line_height = f ? TTF_FontLineSkip(f) : pixel_size;
    int total = line_height * static_cast<int>(lines.size());
    int y = box.h > 0 ? box.y + std::max(0, (box.h - total) / 2) : box.y;
    for (auto const& line : lines) {
        if (auto const* cached = rendered(line, pixel_size, color, bold)) {
            int w = std::min(cached->w, box.w);
            int x = box.x;
            if (align == Align::center)
                x = box.x + (box.w - w) / 2;
            else if (align == Align::right)
                x = box.x + box.w - w;
            // Text wider than its box is clipped rather than spilling over its neighbours: its end is cut, which is
            // on the left in right-to-left text (not in a Latin name on an Arabic screen).
            bool ends_left = m_rtl && has_right_to_left_letters(line);
            SDL_Rect source { ends_left ? cached->w - w : 0, 0, w, cached->h };
            SDL_Rect target { x, y, w, cached->h };
            SDL_RenderCopy(m_renderer, cached->texture, &source, &target);
        }
        y += line_height;
    }
    return total;
}

ButtonColors button_colors(ButtonStyle style, bool enabled)
{
    ButtonColors colors;
    switch (style) {
    case ButtonStyle::primary: break;
    case ButtonStyle::secondary: colors = { theme::white, theme::blue_france, theme::blue_france }; break;
    // A white outline: red on the blue session bar is under 3:1, a white edge stands out on it and on the page.
    case ButtonStyle::danger: colors = { theme::red_marianne, theme::white, theme::white }; break;
    case ButtonStyle::tile: colors = { theme::white, theme::text, theme::control_border }; break;
    case ButtonStyle::quiet: colors = { theme::background, theme::blue_france, theme::background }; break;
    case ButtonStyle::selected: colors = { theme::blue_light, theme::blue_france, theme::blue_france }; break;
    }
    if (!enabled)
        colors = { theme::border, theme::text_muted, theme::border };
    return colors;
}

Rect Canvas::button_frame(Rect rect, ButtonStyle style, bool enabled)
{
    auto colors = button_colors(style, enabled);
    int radius = px(12);
    fill_rounded(rect, radius, colors.border);
    int line = px(style == ButtonStyle::selected ? 6 : 3);
    fill_rounded({ rect.x + line, rect.y + line, rect.w - 2 * line, rect.h - 2 * line }, std::max(0, radius - line),
        colors.background);
    int pad = px(20);
    Rect inner { rect.x + pad, rect.y + pad / 2, rect.w - 2 * pad, rect.h - pad };
    if (style == ButtonStyle::selected && enabled) {
        // Chosen is said by a tick and a thicker outline as well as by colour.
        int mark = std::min(px(44), inner.h);
        icon(Icon::check, { inner.x, rect.y, mark, rect.h }, mark * 3 / 4, colors.foreground);
        inner.x += mark + px(6);
        inner.w -= mark + px(6);
    }
    return inner;
}

void Canvas::button(std::string const& id, Rect rect, std::string const& label, ButtonStyle style, bool enabled,
    std::string const& sublabel)
{
    Color foreground = button_colors(style, enabled).foreground;
    Rect inner = button_frame(rect, style, enabled);
    if (sublabel.empty()) {
        int size = style == ButtonStyle::tile ? theme::text_body + 4 : theme::text_button;
        text(label, inner, size, foreground, style == ButtonStyle::tile ? Align::left : Align::center, true, true);
    } else {
        int label_h = px(theme::text_button) * 3 / 2;
        text(label, { inner.x, inner.y, inner.w, label_h }, theme::text_button,
            style == ButtonStyle::tile ? theme::blue_france : foreground, Align::left, true, false);
        text(sublabel, { inner.x, inner.y + label_h, inner.w, inner.h - label_h }, theme::text_small,
            style == ButtonStyle::tile ? theme::text_muted : foreground, Align::left, false, true);
    }
    m_widgets.push_back({ id, mirrored(rect), enabled, false, sublabel.empty() ? label : label + ". " + sublabel });
    if (!on_screen(m_widgets.back().rect))
        m_off_screen.push_back(id);
}

void Canvas::action(std::string const& id, Rect rect, Icon glyph, std::string const& label, ButtonStyle style,
    bool enabled, std::string const& sublabel)
{
    if (glyph == Icon::none) {
        button(id, rect, label, style, enabled, sublabel);
        return;
    }
    auto colors = button_colors(style, enabled);
    Color accent = style == ButtonStyle::tile && enabled ? theme::blue_france : colors.foreground;
    Rect inner = button_frame(rect, style, enabled);
    if (inner.h >= 2 * inner.w / 3) {
        // A tall tile: the picture on top, the words under it.
        int icon_h = std::min(inner.h * 2 / 5, px(150));
        icon(glyph, { inner.x, inner.y + px(10), inner.w, icon_h }, icon_h * 2 / 3, accent);
        Rect words { inner.x, inner.y + px(10) + icon_h, inner.w, inner.h - icon_h - px(10) };
        if (sublabel.empty()) {
            text(label, words, theme::text_button, colors.foreground, Align::center, true, true);
        } else {
            int label_h = words.h * 3 / 5;
            text(label, { words.x, words.y, words.w, label_h }, theme::text_button, accent, Align::center, true, true);
            text(sublabel, { words.x, words.y + label_h, words.w, words.h - label_h }, theme::text_small,
                style == ButtonStyle::tile && enabled ? theme::text_muted : colors.foreground, Align::center, false,
                true);
        }
    } else {
        // A wide, low button: the picture at the left, the words beside it. Words are never cut for a picture: where
        // they would not fit beside it even at the smallest size (large text, long words), the picture gives way.
        int icon_w = std::min(inner.h, px(110));
        Rect words { inner.x + icon_w + px(12), inner.y, inner.w - icon_w - px(12), inner.h };
        int label_size = px(sublabel.empty() ? theme::text_button : theme::text_body);
        Rect label_box { 0, 0, words.w, sublabel.empty() ? words.h : words.h * 3 / 5 };
        if (layout(label, label_size, true, true, label_box).fits)
            icon(glyph, { inner.x, inner.y, icon_w, inner.h }, std::min(inner.h * 3 / 5, px(60)), accent);
        else
            words = inner;
        if (sublabel.empty()) {
            text(label, words, theme::text_button, colors.foreground, Align::left, true, true);
        } else {
            // Two lines of words at body size before the detail line: long titles wrap rather than shrink. Where the
            // detail would not fit under them (large text), a title on one line leaves it the rest.
            int label_h = words.h * 3 / 5;
            bool detail_fits
                = layout(sublabel, px(theme::text_small), false, true, { 0, 0, words.w, words.h - label_h }).fits;
            Layout const& title = layout(label, px(theme::text_body), true, true, { 0, 0, words.w, label_h });
            if (TTF_Font* f = font(title.pixel_size, true); f && title.fits && !detail_fits)
                label_h = std::min(label_h, TTF_FontLineSkip(f) * static_cast<int>(title.lines.size()) + px(12));
            text(label, { words.x, words.y, words.w, label_h }, theme::text_body, accent, Align::left, true, true);
            text(sublabel, { words.x, words.y + label_h, words.w, words.h - label_h }, theme::text_small,
                colors.foreground, Align::left, false, true);
        }
    }
    m_widgets.push_back({ id, mirrored(rect), enabled, false, sublabel.empty() ? label : label + ". " + sublabel });
    if (!on_screen(m_widgets.back().rect))
        m_off_screen.push_back(id);
}

void Canvas::cover(Rect rect)
{
    Rect area = mirrored(rect);
    for (auto const& widget : m_widgets) {
        Rect const& w = widget.rect;
        if (!widget.hotspot && w.x < area.x + area.w && area.x < w.x + w.w && w.y < area.y + area.h
            && area.y < w.y + w.h)
            m_off_screen.push_back(widget.id + " (under a bar)");
    }
}

void Canvas::icon(Icon glyph, Rect box, int pixel_size, Color color)
{
    box = mirrored(box);
    // The code point as UTF-8 (all of Font Awesome's are in the BMP's private use area: three bytes).
    auto cp = static_cast<uint32_t>(glyph);
    if (m_rtl && glyph == Icon::back)
        cp = 0xF061; // an arrow to the right: back, in right-to-left reading
    std::string utf8 { static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
        static_cast<char>(0x80 | (cp & 0x3F)) };
    auto const* cached = rendered_in(utf8, std::max(8, pixel_size), color, Face::icons);
    if (!cached)
        return;
    SDL_Rect target { box.x + (box.w - cached->w) / 2, box.y + (box.h - cached->h) / 2, cached->w, cached->h };
    SDL_RenderCopy(m_renderer, cached->texture, nullptr, &target);
}

void Canvas::hotspot(std::string const& id, Rect rect)
{
    m_widgets.push_back({ id, mirrored(rect), true, true, {} });
    if (!on_screen(m_widgets.back().rect))
        m_off_screen.push_back(id);
}

void Canvas::focus_ring(Widget const& widget)
{
    int thick = std::max(3, px(10));
    Rect outer { widget.rect.x - thick, widget.rect.y - thick, widget.rect.w + 2 * thick, widget.rect.h + 2 * thick };
    Rect inner { widget.rect.x - thick / 3, widget.rect.y - thick / 3, widget.rect.w + 2 * (thick / 3),
        widget.rect.h + 2 * (thick / 3) };
    for (auto [rect, thickness, color] :
        { std::tuple { outer, thick, theme::text }, std::tuple { inner, thick / 3, theme::white } }) {
        fill_physical({ rect.x, rect.y, rect.w, thickness }, color);
        fill_physical({ rect.x, rect.y + rect.h - thickness, rect.w, thickness }, color);
        fill_physical({ rect.x, rect.y, thickness, rect.h }, color);
        fill_physical({ rect.x + rect.w - thickness, rect.y, thickness, rect.h }, color);
    }
}

void Canvas::image(SDL_Texture* texture, Rect box)
{
    if (!texture)
        return;
    box = mirrored(box); // placed on the other side, never flipped: a document reads the same either way
    int w = 0, h = 0;
    SDL_QueryTexture(texture, nullptr, nullptr, &w, &h);
    if (w <= 0 || h <= 0)
        return;
    double s = std::min(static_cast<double>(box.w) / w, static_cast<double>(box.h) / h);
    SDL_Rect target { box.x + (box.w - int(w * s)) / 2, box.y + (box.h - int(h * s)) / 2, int(w * s), int(h * s) };
    SDL_RenderCopy(m_renderer, texture, nullptr, &target);
}

documents::AlphaMask Canvas::render_mask(std::string const& text, int pixel_size, bool bold)
{
    documents::AlphaMask mask;
    TTF_Font* f = font(pixel_size, bold);
    if (!f || text.empty())
        return mask;
    SDL_Surface* rendered = TTF_RenderUTF8_Blended(f, text.c_str(), SDL_Color { 255, 255, 255, 255 });
    if (!rendered)
        return mask;
    SDL_Surface* surface = SDL_ConvertSurfaceFormat(rendered, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(rendered);
    if (!surface)
        return mask;
    mask.width = surface->w;
    mask.height = surface->h;
    mask.alpha.resize(static_cast<size_t>(mask.width) * mask.height);
    SDL_LockSurface(surface);
    for (int y = 0; y < surface->h; ++y) {
        auto const* row
            = reinterpret_cast<uint32_t const*>(static_cast<uint8_t const*>(surface->pixels) + y * surface->pitch);
        for (int x = 0; x < surface->w; ++x)
            mask.alpha[static_cast<size_t>(y) * mask.width + x] = static_cast<uint8_t>(row[x] >> 24);
    }
    SDL_UnlockSurface(surface);
    SDL_FreeSurface(surface);
    return mask;
}

Widget const* Canvas::widget_at(int x, int y) const
{
    // Later widgets are drawn on top (overlays), so they win.
    for (auto it = m_widgets.rbegin(); it != m_widgets.rend(); ++it)
        if (it->rect.contains(x, y))
            return &*it;
    return nullptr;
}

Widget const* Canvas::find_widget(std::string const& id) const
{
    for (auto it = m_widgets.rbegin(); it != m_widgets.rend(); ++it)
        if (it->id == id)
            return &*it;
    return nullptr;
}

} // namespace kiosk::ui
