// Scanning and photocopying: the settings, where the paper goes, the scan itself off the UI thread, a preview of the
// glass, and the next steps every scan ends with.
#include "kiosk/ui/app.h"

#include "drivers/scanner/scanned_page_options.h"
#include "drivers/scanner/sim/page_synth.h"
#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/scanned_page.h"
#include "kiosk/ui/pictures.h"

#include <algorithm>

namespace kiosk::ui {

namespace {

// The preview of the glass: enough pixels for the scan screen's picture on a large display, no more.
constexpr int glass_preview_max = 1200;
// Below this a preview no longer shows which way up the text is.
constexpr int glass_preview_min_dpi = 50;

// Scanning runs on its own thread; every result comes back to the UI thread through post().
class PostingObserver final : public drivers::ScanObserver {
public:
    PostingObserver(std::function<void(int, double)> progress, std::function<void(documents::Image)> page)
        : m_progress(std::move(progress))
        , m_page(std::move(page))
    {
    }
    void on_progress(int page_index, double fraction) override { m_progress(page_index, fraction); }
    void on_page(documents::Image page) override { m_page(std::move(page)); }

private:
    std::function<void(int, double)> m_progress;
    std::function<void(documents::Image)> m_page;
};

} // namespace

bool App::on_scan_widget(std::string const& id)
{
    if (id == "go_scan") {
        // From home or the tray the scan stands alone; from a partner's page it is for that partner's site.
        if (m_screen != Screen::partner)
            m_send.partner.clear();
        else
            m_send.partner = m_current_partner;
        fresh_scan();
        navigate(Screen::scan);
    } else if (id == "copy_start") {
        m_scan.append_to = 0;
        start_scan(true);
    } else if (id == "next_send") {
        if (!m_send.partner.empty())
            send_document(m_scan.document);
        else {
            m_send.document = m_scan.document;
            m_tiles.first = 0;
            navigate(Screen::send);
        }
    } else if (id == "next_print") {
        if (find_document(m_scan.document))
            open_print(m_scan.document);
    } else if (id == "next_more") {
        // The next page joins the document just scanned, as the second page of a form would.
        forget_scan_outcome();
        m_scan.append_to = m_scan.document;
    } else if ((id.starts_with("source_") || id.starts_with("mode_")) && m_screen == Screen::scan) {
        // Touching a setting after a scan starts the next one, a new document: the Scan button comes back.
        forget_scan_outcome();
        if (id == "source_adf")
            forget_glass_preview(); // it showed the glass, not what the feeder will take
        m_scan.settings.source = id == "source_adf" ? drivers::ScanSource::adf
            : id == "source_flatbed"                ? drivers::ScanSource::flatbed
                                                    : m_scan.settings.source;
        m_scan.settings.mode = id == "mode_color" ? drivers::ColorMode::color
            : id == "mode_gray"                   ? drivers::ColorMode::gray
            : id == "mode_lineart"                ? drivers::ColorMode::lineart
                                                  : m_scan.settings.mode;
    } else if (id == "scan_start") {
        start_scan(false);
    } else if (id == "scan_preview") {
        start_preview();
    } else if (id == "scan_cancel") {
        cancel_scan();
    } else {
        return false;
    }
    return true;
}

void App::draw_scan()
{
    auto& c = *m_canvas;
    auto const* send_to = m_catalogue.partner(m_send.partner);
    Rect area = content_area();
    // In a short space (large text) the rows take the smallest tap target, the questions above them only when
    // there is room for them too, and the settings give way to the next steps after a scan.
    bool compact = area.h < c.px(700) || area.w < c.px(1500);
    // A narrow title bar takes the short title: the long one would not fit it at any size text may take.
    draw_top_bar(m_scan.copy_mode ? tr("scan.copy_title")
            : send_to ? tr(area.w < c.px(1500) ? "scan.send_title_short" : "scan.send_title", { send_to->name })
                      : tr("scan.title"));
    int gap = c.px(24);
    int left_w = area.w * 3 / 5;
    int row_h = compact ? c.px(theme::min_target) : c.px(120);
    int row_gap = compact ? c.px(10) : gap;
    int start_h = compact ? c.px(104) : c.px(140);
    int second_h = compact ? c.px(theme::min_target) : c.px(110);
    // After a scan its three next steps come first; the source stays above them when there is room (touching it
    // starts a new document).
    int next_h = 3 * c.px(theme::min_target) + 2 * c.px(12) + (m_scan.glass_reminder ? c.px(112) : 0);
    bool show_source = !compact || !m_scan.next_steps || row_h + row_gap + next_h <= area.h;
    // Colour is one question fewer for a document going to a site (the site's limits decide its size), and none
    // once a scan is done: its next steps take the room.
    bool show_mode = !send_to && !m_scan.next_steps;
    int rows = (show_source ? 1 : 0) + (show_mode ? 1 : 0);
    int label_h = compact ? c.px(52) : c.px(60);
    int label_step = compact ? c.px(56) : c.px(70);
    // How many of the questions' lines fit above the rows: the first question is the one to keep.
    int below = m_scan.next_steps ? next_h : start_h + row_gap + second_h;
    int labels = compact ? (area.h - rows * (row_h + row_gap) - below) / label_step : rows;
    int y = area.y;
    bool idle = !m_scan.running;

    bool adf = m_scan.settings.source == drivers::ScanSource::adf;
    if (show_source) {
        if (labels > 0) {
            c.text(tr("scan.where"), { area.x, y, left_w, label_h }, theme::text_body, theme::text, Align::left, true);
            y += label_step;
        }
        int option_w = (left_w - gap) / 2;
        c.button("source_flatbed", { area.x, y, option_w, row_h }, tr("scan.flatbed"),
            adf ? ButtonStyle::secondary : ButtonStyle::selected, idle);
        // A scanner without a feeder says so: the option is greyed, not a question that fails after the tap.
        bool no_feeder
            = m_looks.scanner_answered && m_looks.scanner_capabilities && !m_looks.scanner_capabilities->has_adf;
        c.button("source_adf", { area.x + option_w + gap, y, option_w, row_h },
            no_feeder ? tr("scan.no_feeder") : tr("scan.adf"), adf ? ButtonStyle::selected : ButtonStyle::secondary,
            idle && !no_feeder);
        y += row_h + row_gap;
    }

    if (show_mode) {
        if (labels >= rows) {
            c.text(tr("scan.colour"), { area.x, y, left_w, label_h }, theme::text_body, theme::text, Align::left, true);
            y += label_step;
        }
        int mode_w = (left_w - 2 * gap) / 3;
        auto mode_style = [&](drivers::ColorMode mode) {
            return m_scan.settings.mode == mode ? ButtonStyle::selected : ButtonStyle::secondary;
        };
        c.button(
            "mode_color", { area.x, y, mode_w, row_h }, tr("scan.color"), mode_style(drivers::ColorMode::color), idle);
        c.button("mode_gray", { area.x + mode_w + gap, y, mode_w, row_h }, tr("scan.gray"),
            mode_style(drivers::ColorMode::gray), idle);
        c.button("mode_lineart", { area.x + 2 * (mode_w + gap), y, mode_w, row_h }, tr("scan.lineart"),
            mode_style(drivers::ColorMode::lineart), idle);
        y += row_h + row_gap;
    }
    if (!compact)
        y += gap;

    Rect action { area.x, y, left_w, area.y + area.h - y };
    // A result that finds no room under the buttons is said in the picture's place, on the right.
    std::string result_beside;
    if (m_scan.running) {
        std::string percent = std::to_string(static_cast<int>(m_scan.fraction * 100));
        int text_h = compact ? c.px(56) : c.px(70);
        c.text(m_scan.previewing ? tr("scan.previewing", { percent })
                                 : tr("scan.progress", { std::to_string(m_scan.page + 1), percent }),
            { action.x, action.y, action.w, text_h }, theme::text_body, theme::text, Align::left, true);
        Rect bar { action.x, action.y + (compact ? c.px(60) : c.px(80)), action.w, compact ? c.px(28) : c.px(40) };
        c.fill_rounded(bar, c.px(8), theme::border);
        c.fill_rounded({ bar.x, bar.y, static_cast<int>(bar.w * m_scan.fraction), bar.h }, c.px(8), theme::blue_france);
        int cancel_y = compact ? bar.y + bar.h + c.px(16) : action.y + c.px(150);
        int cancel_h = compact ? std::min(c.px(150), action.y + action.h - cancel_y) : c.px(150);
        c.action("scan_cancel", { action.x, cancel_y, action.w, cancel_h }, Icon::stop, tr("scan.cancel"),
            ButtonStyle::secondary);
    } else if (m_scan.next_steps) {
        draw_scan_next(action);
    } else {
        // Scan first, full width; under it, smaller, a look at the glass and the photocopy. Each label whole.
        // A scanner that cannot scan says why on the Scan button itself, before anyone taps it.
        std::string blocked = scan_blocked_key();
        bool can_scan = blocked.empty();
        // A preview reads the glass; from the feeder it would take the sheet, so it is offered for the glass only.
        // A photocopy is a scan that goes straight to the printer: the same sheet, the same settings. Short of room,
        // a blocked scanner's reason takes their row: they could not be used either.
        bool preview = !adf && (can_scan || !compact);
        bool copy = !send_to && (can_scan || !compact);
        int scan_h = preview || copy || !compact ? start_h : start_h + row_gap + second_h;
        c.action("scan_start", { action.x, action.y, action.w, scan_h }, Icon::copy,
            m_scan.append_to != 0 ? tr("scan.start_another") : tr("scan.start"), ButtonStyle::primary, can_scan,
            can_scan ? std::string() : tr(blocked));
        int y2 = action.y + start_h + (compact ? row_gap : c.px(20));
        int half = (action.w - gap) / 2;
        if (preview) {
            Rect rect { action.x, y2, half, second_h };
            c.action("scan_preview", rect, Icon::preview, tr("scan.preview"), ButtonStyle::secondary, can_scan);
        }
        if (copy) {
            Rect rect { preview ? action.x + half + gap : action.x, y2, half, second_h };
            c.action("copy_start", rect, Icon::print, tr("scan.copy_start"), ButtonStyle::secondary, can_scan);
        }
        int result_y = preview || copy ? y2 + second_h + c.px(14) : action.y + scan_h + (compact ? row_gap : c.px(20));
        announce(m_scan.result);
        if (!m_scan.result.empty()) {
            if (!compact || action.y + action.h - result_y >= c.px(60))
                c.text(m_scan.result, { action.x, result_y, action.w, c.px(60) }, theme::text_body,
                    theme::green_success, Align::left, true);
            else
                result_beside = m_scan.result;
        }
    }

    // Right: the last page scanned, and the way to the documents.
    int tray_h = compact ? c.px(110) : c.px(150);
    Rect preview { area.x + left_w + gap * 2, area.y, area.w - left_w - gap * 2,
        area.h - (compact ? tray_h + row_gap : c.px(170)) };
    c.fill_rounded(preview, c.px(12), theme::white);
    // The page just scanned while its next steps show (or while a scan runs); otherwise where the paper goes.
    TrayDocument const* last = m_scan.next_steps || m_scan.running ? find_document(m_scan.document) : nullptr;
    if (m_scan.glass_preview) {
        int caption = compact ? 100 : 70; // design pixels, added before scaling as the normal layout always was
        c.text(tr("scan.preview_caption"),
            { preview.x + c.px(20), preview.y + c.px(10), preview.w - c.px(40), c.px(caption) }, theme::text_body,
            theme::blue_france, Align::center, true, compact);
        c.image(m_scan.glass_preview,
            { preview.x + c.px(20), preview.y + c.px(caption + 20), preview.w - c.px(40),
                preview.h - c.px(caption + 40) });
    } else if (SDL_Texture* page = last && !last->pages.empty() ? thumbnail(last->pages.back().vault_name) : nullptr) {
        Rect picture { preview.x + c.px(20), preview.y + c.px(20), preview.w - c.px(40), preview.h - c.px(40) };
        if (compact && m_scan.next_steps) {
            // The result, over the page it is about (the next steps took its place on the left).
            Rect caption { picture.x, picture.y, picture.w, c.px(120) };
            c.text(m_scan.result, caption, theme::text_body, theme::green_success, Align::center, true, true);
            picture.y += caption.h + c.px(10);
            picture.h -= caption.h + c.px(10);
        }
        c.image(page, picture);
    } else {
        // Nothing scanned yet: a picture of where the paper goes, and the words for it (or the last result's).
        std::string said
            = result_beside.empty() ? tr(adf ? "scan.place_feeder" : "scan.place_document") : result_beside;
        int words_w = preview.w - c.px(60);
        int words_h = c.px(180);
        if (compact) {
            // Half the panel for the words, more for long ones (four lines at the smallest size): the picture is
            // left out rather than drawn too small to show anything.
            bool long_words = c.text_width(said, theme::text_small) > 3 * words_w;
            words_h = std::min(c.px(180), long_words ? preview.h - c.px(40) : preview.h / 2);
        }
        Rect words { preview.x + c.px(30), preview.y + preview.h - (compact ? words_h + c.px(20) : c.px(200)), words_w,
            words_h };
        Rect picture { preview.x + c.px(30), preview.y + c.px(30), preview.w - c.px(60),
            words.y - preview.y - c.px(40) };
        if (!compact || picture.h >= c.px(80))
            draw_paper_picture(picture, adf);
        else
            words = { words.x, preview.y + c.px(20), words.w, preview.h - c.px(40) };
        if (result_beside.empty())
            c.text(said, words, theme::text_body, theme::text, Align::center, false, true);
        else
            c.text(said, words, theme::text_body, theme::green_success, Align::center, true, true);
    }
    c.action("go_tray", { preview.x, area.y + area.h - tray_h, preview.w, tray_h }, Icon::documents,
        tr("home.documents", { std::to_string(m_store.documents().size()) }), ButtonStyle::secondary);
}

void App::draw_scan_next(Rect action)
{
    auto& c = *m_canvas;
    // Short of room (large text), the lines sit closer so that each step keeps a full tap target.
    Rect area = content_area();
    bool compact = area.h < c.px(700) || area.w < c.px(1500);
    int line_h = c.px(60);
    int gap = compact ? c.px(12) : c.px(24);
    int y = action.y;
    announce(m_scan.result);
    // Short of room, the result is said over the page scanned, on the right, and the reminder takes two lines here.
    if (!compact) {
        c.text(m_scan.result, { action.x, y, action.w, line_h }, theme::text_body, theme::green_success, Align::left,
            true);
        y += c.px(66);
    }
    if (m_scan.glass_reminder) {
        // The sheet is still under the lid: said before anything else, in words and with a sign.
        int reminder_h = compact ? c.px(100) : line_h;
        c.icon(Icon::warning, { action.x, y, c.px(60), reminder_h }, c.px(40), theme::warning);
        c.text(tr("scan.take_back"), { action.x + c.px(70), y, action.w - c.px(70), reminder_h }, theme::text_body,
            theme::warning, Align::left, true, compact);
        y += compact ? reminder_h + gap : c.px(72);
    }
    // One row each, the way on first: large, with their pictures, never shrunk.
    int h = std::min(c.px(140), (action.y + action.h - y - 2 * gap) / 3);
    auto const* send_to = m_catalogue.partner(m_send.partner);
    c.action("next_send", { action.x, y, action.w, h }, Icon::send,
        send_to ? tr("scan.next_send_to", { send_to->name }) : tr("scan.next_send"), ButtonStyle::primary);
    c.action("next_print", { action.x, y + h + gap, action.w, h }, Icon::print, tr("scan.next_print"),
        ButtonStyle::secondary);
    c.action("next_more", { action.x, y + 2 * (h + gap), action.w, h }, Icon::more, tr("scan.next_more"),
        ButtonStyle::secondary);
}

void App::draw_paper_picture(Rect box, bool feeder)
{
    // A scanner seen from above, drawn with the theme's colours: the glass with the sheet in its corner, or the
    // feeder's tray with sheets going in. Pictures say "where" to people who do not read the words.
    auto& c = *m_canvas;
    int side = std::min(box.w, box.h * 4 / 3);
    Rect body { box.x + (box.w - side) / 2, box.y + (box.h - side * 3 / 4) / 2, side, side * 3 / 4 };
    c.fill_rounded(body, c.px(16), theme::text_muted);
    auto sheet = [&](Rect r) {
        c.fill(r, theme::blue_france);
        c.fill({ r.x + c.px(3), r.y + c.px(3), r.w - c.px(6), r.h - c.px(6) }, theme::white);
        for (int line = 1; line <= 4; ++line)
            c.fill({ r.x + r.w / 6, r.y + line * r.h / 6, r.w * 2 / 3, std::max(1, c.px(4)) }, theme::border);
    };
    if (!feeder) {
        Rect glass { body.x + body.w / 12, body.y + body.h / 8, body.w * 10 / 12, body.h * 3 / 4 };
        c.fill(glass, theme::blue_light);
        Rect paper { glass.x, glass.y, glass.w * 9 / 20, glass.h * 9 / 10 };
        sheet(paper);
        // The corner the sheet goes against, marked as the scanner marks it.
        c.fill({ glass.x - c.px(6), glass.y - c.px(6), c.px(40), c.px(12) }, theme::red_marianne);
        c.fill({ glass.x - c.px(6), glass.y - c.px(6), c.px(12), c.px(40) }, theme::red_marianne);
        c.icon(Icon::arrow_down, { paper.x, paper.y, paper.w, paper.h / 2 }, c.px(80), theme::red_marianne);
        return;
    }
    Rect tray { body.x + body.w / 5, body.y + body.h / 8, body.w * 3 / 5, body.h / 2 };
    c.fill(tray, theme::border);
    for (int i = 2; i >= 0; --i)
        sheet({ tray.x + c.px(12) * i + c.px(10), tray.y + c.px(10) + c.px(12) * i, tray.w * 2 / 3, tray.h * 5 / 6 });
    c.icon(Icon::arrow_down, { tray.x, tray.y + tray.h, tray.w, body.y + body.h - tray.y - tray.h }, c.px(70),
        theme::white);
}

void App::leave_scan_screen(Screen next)
{
    if (m_screen != Screen::scan || next == Screen::scan)
        return;
    // A preview is for the sheet on the glass now; whoever comes back to this screen may have moved it.
    if (m_scan.previewing)
        cancel_scan();
    forget_glass_preview();
}

void App::start_scan(bool copy)
{
    if (m_scan.running || !m_store.open() || !m_devices.scanner)
        return;
    // A photocopy for this scan only: whatever becomes of it (printed, stopped, jammed), the screen is the scan
    // screen again afterwards.
    m_scan.copy_mode = copy;
    if (m_scan.thread.joinable())
        m_scan.thread.join();
    m_scan.cancel = false;
    m_scan.running = true;
    m_scan.page = 0;
    m_scan.fraction = 0;
    m_scan.pages_added = 0;
    m_scan.pages_dropped = 0;
    forget_scan_outcome();
    forget_glass_preview(); // the page about to be scanned takes its place on the screen
    bool appending = !copy && find_document(m_scan.append_to);
    m_scan.document = appending ? m_scan.append_to : m_store.take_number();
    m_scan.append_to = 0;
    auto settings = m_scan.settings;
    int document = m_scan.document;
    m_audit.record("scan_start", { { "source", settings.source == drivers::ScanSource::adf ? "adf" : "flatbed" } });
    m_scan.thread = std::thread([this, settings, document, copy] {
        PostingObserver observer(
            [this](int page, double fraction) {
                post([this, page, fraction] {
                    m_scan.page = page;
                    m_scan.fraction = fraction;
                });
            },
            [this, document, settings](documents::Image frame) {
                // Crop, deskew, encoding and the thumbnail are done here, off the UI thread, as `kiosk scan` does.
                auto options = drivers::scanned_page_options(settings);
                options.jpeg = true;
                options.thumbnail_width = thumbnail_width;
                options.thumbnail_height = thumbnail_height;
                auto page = documents::prepare_scanned_page(frame, options);
                if (!page) {
                    post([this, error = page.error()] { show_error(error); });
                    return;
                }
                if (page->dropped) {
                    // The back of a one-sided sheet, a separator: not a page anyone wants to upload.
                    post([this] { ++m_scan.pages_dropped; });
                    return;
                }
                auto const& image = page->image;
                post([this, document, jpeg = std::move(page->jpeg), thumbnail = std::move(page->thumbnail),
                         w = image.width, h = image.height, c = image.channels, dpi = image.dpi]() mutable {
                    add_scanned_page(document, std::move(jpeg), std::move(thumbnail), w, h, c, dpi);
                });
            });
        auto result = m_devices.scanner->scan(settings, observer, m_scan.cancel);
        post([this, result, settings, copy] {
            m_scan.running = false;
            m_scan.copy_mode = false;
            bool from_glass = settings.source == drivers::ScanSource::flatbed;
            m_audit.record("scan_end",
                { { "pages", static_cast<int64_t>(m_scan.pages_added) },
                    { "result", result ? "ok" : to_string(result.error().code) } });
            if (!result && result.error().code == ErrorCode::scanner_gone) {
                // Said on the Scan button from now on, until the scanner answers again.
                m_looks.scanner_capabilities = std::unexpected(result.error());
                report_scanner(m_looks.scanner_capabilities);
                m_looks.scanner_answered = true;
                m_looks.scanner_checked = m_clock.now();
            }
            if (!result && result.error().code != ErrorCode::cancelled) {
                show_error(result.error());
            } else if (result && copy && m_scan.pages_added > 0 && m_screen == Screen::scan) {
                // A photocopy goes on to the print screen with what was just scanned; the original is still on the
                // glass, which the print screen says.
                m_scan.glass_reminder = from_glass;
                open_print(m_scan.document);
            } else if (result) {
                sound(speech::Tone::done);
                m_scan.result = tr_count("scan.done", m_scan.pages_added);
                if (m_scan.pages_dropped > 0)
                    m_scan.result += " " + tr_count("scan.dropped", m_scan.pages_dropped);
                // Every scan ends with what comes next: send it, print it, add a page.
                bool kept = find_document(m_scan.document) != nullptr;
                m_scan.next_steps = kept && m_scan.pages_added > 0;
                m_scan.glass_reminder = m_scan.pages_added > 0 && from_glass;
                if (kept)
                    m_selected = m_scan.document;
            } else {
                m_scan.result = tr("scan.cancelled");
            }
        });
    });
}

void App::start_preview()
{
    if (m_scan.running || !m_store.open() || !m_devices.scanner
        || m_scan.settings.source != drivers::ScanSource::flatbed)
        return;
    if (m_scan.thread.joinable())
        m_scan.thread.join();
    m_scan.cancel = false;
    m_scan.running = true;
    m_scan.previewing = true;
    m_scan.page = 0;
    m_scan.fraction = 0;
    m_scan.result.clear();
    // Colour when the scan will be in colour, grey otherwise: black and white would hide a faint page.
    auto mode
        = m_scan.settings.mode == drivers::ColorMode::color ? drivers::ColorMode::color : drivers::ColorMode::gray;
    int fallback_dpi = m_scan.settings.dpi;
    m_scan.thread = std::thread([this, mode, fallback_dpi] {
        // The lowest resolution the scanner offers is the fastest pass over the glass. Asking is a round trip
        // to the device, so it is asked here, off the UI thread.
        int dpi = fallback_dpi;
        if (auto capabilities = m_devices.scanner->capabilities()) {
            auto const& offered = capabilities->resolutions;
            auto lowest
                = std::find_if(offered.begin(), offered.end(), [](int r) { return r >= glass_preview_min_dpi; });
            if (lowest != offered.end())
                dpi = std::min(*lowest, fallback_dpi);
        }
        drivers::ScanSettings settings { drivers::ScanSource::flatbed, mode, dpi };
        PostingObserver observer(
            [this](int page, double fraction) {
                post([this, page, fraction] {
                    m_scan.page = page;
                    m_scan.fraction = fraction;
                });
            },
            [this](documents::Image frame) {
                // The whole glass as the scanner sees it, uncropped: where the sheet lies and which way up.
                auto shown = documents::downscale(frame, glass_preview_max, glass_preview_max);
                post([this, shown = std::move(shown)] {
                    if (m_scan.cancel)
                        return; // stopped, or the screen was left: the picture has nowhere to go
                    forget_glass_preview();
                    m_scan.glass_preview = texture_from_image(m_renderer, shown);
                });
            });
        auto result = m_devices.scanner->scan(settings, observer, m_scan.cancel);
        post([this, result, dpi] {
            m_scan.running = false;
            m_scan.previewing = false;
            m_audit.record("scan_preview",
                { { "dpi", static_cast<int64_t>(dpi) }, { "result", result ? "ok" : to_string(result.error().code) } });
            if (!result && result.error().code != ErrorCode::cancelled)
                show_error(result.error());
        });
    });
}

void App::forget_glass_preview()
{
    if (m_scan.glass_preview)
        SDL_DestroyTexture(m_scan.glass_preview);
    m_scan.glass_preview = nullptr;
}

void App::cancel_scan()
{
    m_scan.cancel = true;
}

void App::add_scanned_page(int document_number, std::vector<uint8_t> jpeg, documents::Image thumbnail, int width,
    int height, int channels, int dpi)
{
    if (!m_store.open())
        return;
    auto page = m_store.add_page(document_number, tr("tray.scan_name", { std::to_string(document_number) }), jpeg,
        TrayPage { {}, width, height, channels, dpi });
    if (!page) {
        // The pages already scanned stay; the scan stops and the person is told (to make room, when it is full). A
        // document deleted while the feeder still ran stays deleted: its scan stops, with nothing to say.
        cancel_scan();
        if (page.error().code != ErrorCode::not_found)
            show_error(page.error());
        return;
    }
    keep_thumbnail(page->vault_name, thumbnail);
    m_selected = document_number;
    ++m_scan.pages_added;
}

void App::forget_scan_outcome()
{
    m_scan.next_steps = false;
    m_scan.glass_reminder = false;
    m_scan.result.clear();
}

void App::fresh_scan()
{
    forget_scan_outcome();
    m_scan.append_to = 0;
}

std::string App::scan_blocked_key() const
{
    if (!m_devices.scanner)
        return "scan.blocked.scanner_gone";
    if (!m_looks.scanner_answered || m_looks.scanner_capabilities)
        return {};
    // Only what a scan would certainly fail on: a scanner that is busy for a moment may be free at the tap.
    auto code = m_looks.scanner_capabilities.error().code;
    if (code == ErrorCode::scanner_gone || code == ErrorCode::scanner_io)
        return "scan.blocked." + std::string(to_string(code));
    return {};
}

bool App::watching_blocked_scanner() const
{
    return m_devices.scanner && m_session.in_session() && m_screen == Screen::scan && !m_scan.running
        && !scan_blocked_key().empty();
}

void App::look_at_scanner()
{
    if (!m_devices.scanner)
        return;
    if (ask_in_background([this] {
            auto capabilities = m_devices.scanner->capabilities();
            return UiJob([this, capabilities = std::move(capabilities)]() mutable {
                report_scanner(capabilities);
                m_looks.scanner_capabilities = std::move(capabilities);
                m_looks.scanner_answered = true;
                m_looks.scanner_checked = m_clock.now();
            });
        }))
        m_looks.scanner_checked = m_clock.now();
}

} // namespace kiosk::ui
