// Immediate-mode drawing on an SDL renderer: rectangles, cached text, buttons that are recorded as tappable widgets.
#pragma once

#include "kiosk/core/config.h"
#include "kiosk/core/error.h"
#include "kiosk/documents/watermark.h"
#include "kiosk/ui/theme.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include <filesystem>
#include <list>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace kiosk::ui {

struct Rect {
    int x = 0, y = 0, w = 0, h = 0;
    bool contains(int px, int py) const { return px >= x && py >= y && px < x + w && py < y + h; }
    SDL_Rect sdl() const { return { x, y, w, h }; }
};

enum class Align { left, center, right };

enum class ButtonStyle { primary, secondary, danger, tile, quiet, selected };

struct ButtonColors {
    Color background = theme::blue_france;
    Color foreground = theme::white;
    Color border = theme::blue_france;
};
// What each style is drawn with (the contrast test reads the same colours the screen shows).
ButtonColors button_colors(ButtonStyle style, bool enabled);

// The pictograms of actions, as code points of Font Awesome 4.7 (the icon font of DisplayConfig). One picture per
// idea, everywhere it appears: the same paper plane for "send" on home, after a scan and on a partner's page.
enum class Icon : char32_t {
    none = 0,
    send = 0xF1D8, // paper plane
    form = 0xF15C, // sheet with lines
    copy = 0xF0C5, // two sheets: scan and photocopy
    site = 0xF0AC, // globe
    documents = 0xF07C, // open folder
    situation = 0xF0C0, // people
    print = 0xF02F,
    more = 0xF067, // plus
    erase = 0xF1F8, // bin
    check = 0xF00C,
    agent = 0xF256, // a raised hand
    pages = 0xF0CB, // a numbered list
    rename = 0xF040, // pencil
    back = 0xF060,
    home = 0xF015,
    warning = 0xF071,
    arrow_down = 0xF063,
    preview = 0xF06E, // an eye
    time = 0xF017, // a clock
    identity = 0xF2C2, // an identity card
    lock = 0xF023,
    stop = 0xF00D, // a cross: stop, cancel
    accessibility = 0xF29A, // the universal access figure
    contrast = 0xF042, // a half-filled circle
    language = 0xF1AB, // a character and a letter
    speech = 0xF028, // a loudspeaker with sound
    zoom = 0xF00E, // a magnifying glass with a plus
    headset = 0xF025, // headphones
};

// A tappable area drawn in the last frame, found again by its stable id (scripts, hit tests).
struct Widget {
    std::string id;
    Rect rect;
    bool enabled = true;
    bool hotspot = false; // an area under the others (hotspot()): what is drawn over it takes the touch
    std::string label; // its words, and its sublabel's after a full stop: what speech says when it is touched
};

class Canvas {
public:
    // Opens the text faces and the icon font of the display's configuration.
    static Result<Canvas> create(SDL_Renderer* renderer, core::DisplayConfig const& display);
    Canvas(Canvas&&) noexcept;
    Canvas& operator=(Canvas&&) = delete;
    Canvas(Canvas const&) = delete;
    ~Canvas();

    // Starts a frame: recomputes the scale from the output size, forgets the last frame's widgets and texts.
    void begin_frame();
    // Right-to-left (Arabic): every rectangle drawn or recorded is mirrored across the screen, left and right
    // alignments swap, arrows point the other way, and text with right-to-left letters is shaped and put in visual
    // order (Unicode bidi). Screens keep laying out in left-to-right terms.
    void set_right_to_left(bool rtl);
    bool right_to_left() const { return m_rtl; }
    // What a logical string looks like on screen, left to right: the same, or shaped and reordered for right-to-left
    // letters (and its arrows turned, in right-to-left).
    std::string visual(std::string const& logical) const;
    int width() const { return m_width; }
    int height() const { return m_height; }
    // Design pixels (1920×1080 reference) to output pixels.
    int px(int design) const { return static_cast<int>(design * m_scale + 0.5); }
    double scale() const { return m_scale; }
    // Large text (accessibility panel): everything is drawn `zoom` times larger from the next frame on, so fewer
    // design pixels fit the screen (1280×720 of them on a 1920×1080 screen at 1.5×) and screens lay themselves out
    // for that smaller space: fewer columns, more pages. Text is never shrunk to make up for it.
    void set_zoom(double zoom) { m_zoom = zoom; }
    double zoom() const { return m_zoom; }
    // The screen in design pixels: what a layout has to fit into at this size and zoom.
    int design_width() const { return static_cast<int>(m_width / m_scale); }
    int design_height() const { return static_cast<int>(m_height / m_scale); }

    void fill(Rect rect, Color color);
    void fill_rounded(Rect rect, int radius, Color color);
    void outline(Rect rect, int thickness, Color color);

    // Draws text (design size) in the box, vertically centred, wrapped on words when wrap is true;
    // returns the height used. Every drawn string is remembered for `expect text`.
    int text(std::string const& text, Rect box, int size, Color color, Align align = Align::left, bool bold = false,
        bool wrap = false);
    int text_width(std::string const& text, int size, bool bold = false);
    // The height text (design size) takes wrapped on words in a width (output pixels), as text() draws it: for
    // screens that lay words out one after the other, each as high as it needs.
    int wrapped_height(std::string const& text, int size, bool bold, int width);
    // Draws wrapped text from the top of a box `width` wide at (x, y), as high as it needs; returns that height.
    int paragraph(std::string const& text, int x, int y, int width, int size, Color color, Align align, bool bold);

    // Draws a button and records it as a widget. A disabled button is drawn muted and ignores taps.
    void button(std::string const& id, Rect rect, std::string const& label, ButtonStyle style, bool enabled = true,
        std::string const& sublabel = {});
    // A large action: its pictogram above its words (or left of them in a wide, low button), same widget contract.
    void action(std::string const& id, Rect rect, Icon icon, std::string const& label, ButtonStyle style,
        bool enabled = true, std::string const& sublabel = {});
    // A pictogram alone, centred in the box, at a pixel size.
    void icon(Icon icon, Rect box, int size, Color color);
    // Records a tappable area without drawing it (a whole-screen "touch to start").
    void hotspot(std::string const& id, Rect rect);
    // An area about to be drawn over what is there (the session bar over the screen): the widgets already under it
    // would be hidden, and count with those off the screen.
    void cover(Rect rect);
    void image(SDL_Texture* texture, Rect box); // fitted, aspect kept, centred
    // The focus of explore-by-touch: a thick frame around a widget of this frame (its rectangle is already on screen
    // terms, so it is not mirrored again), with a white line inside so it shows on any colour.
    void focus_ring(Widget const& widget);
    // The coverage of text at a pixel size, for drawing into document images (watermarks).
    documents::AlphaMask render_mask(std::string const& text, int pixel_size, bool bold = true);

    std::vector<Widget> const& widgets() const { return m_widgets; }
    std::vector<std::string> const& texts() const { return m_texts; }
    // Texts of this frame that did not fit their box even at the smallest size the theme allows (theme::text_small):
    // they are clipped. Shorter words are the cure, never smaller type.
    std::vector<std::string> const& cramped() const { return m_cramped; }
    // Texts and widgets of this frame whose box runs past the screen's edges: laid out for a larger screen.
    std::vector<std::string> const& off_screen() const { return m_off_screen; }
    Widget const* widget_at(int x, int y) const;
    Widget const* find_widget(std::string const& id) const;

    // Rendered text stays in a cache; the session wipe empties it so no resident's words outlive them.
    void forget_cached_text();

private:
    Canvas() = default;
    struct CachedText {
        SDL_Texture* texture = nullptr;
        int w = 0, h = 0;
        std::list<std::string>::iterator lru;
    };
    enum class Face { regular, bold, icons };
    // Draws a button's border and background; returns the padded area for its content.
    Rect button_frame(Rect rect, ButtonStyle style, bool enabled);
    TTF_Font* font(int pixel_size, bool bold) { return face(pixel_size, bold ? Face::bold : Face::regular); }
    TTF_Font* face(int pixel_size, Face face);
    CachedText const* rendered(std::string const& text, int pixel_size, Color color, bool bold)
    {
        return rendered_in(text, pixel_size, color, bold ? Face::bold : Face::regular);
    }
    CachedText const* rendered_in(std::string const& text, int pixel_size, Color color, Face face);
    int measure(TTF_Font* font, std::string const& logical) const;
    Rect mirrored(Rect rect) const { return m_rtl ? Rect { m_width - rect.x - rect.w, rect.y, rect.w, rect.h } : rect; }
    void fill_physical(Rect rect, Color color);
    std::vector<std::string> wrap_lines(std::string const& text, int pixel_size, bool bold, int max_width);

    SDL_Renderer* m_renderer = nullptr;
    std::filesystem::path m_font_path;
    std::filesystem::path m_bold_path;
    std::filesystem::path m_icon_path;
    std::map<std::pair<int, Face>, TTF_Font*> m_fonts;
    std::unordered_map<std::string, CachedText> m_text_cache;
    struct Layout {
        int pixel_size = 0;
        std::vector<std::string> lines;
        bool fits = true;
    };
    // Where text is fitted to its box: computed once per (text, size, box), since measuring is slow.
    std::unordered_map<std::string, Layout> m_layout_cache;
    Layout const& layout(std::string const& text, int pixel_size, bool bold, bool wrap, Rect box);
    std::list<std::string> m_lru;
    int m_width = 1920;
    int m_height = 1080;
    double m_scale = 1.0;
    double m_zoom = 1.0;
    bool m_rtl = false;
    std::vector<Widget> m_widgets;
    std::vector<std::string> m_texts;
    std::vector<std::string> m_cramped;
    std::vector<std::string> m_off_screen;
    bool on_screen(Rect rect) const
    {
        return rect.x >= 0 && rect.y >= 0 && rect.x + rect.w <= m_width && rect.y + rect.h <= m_height;
    }
};

} // namespace kiosk::ui
