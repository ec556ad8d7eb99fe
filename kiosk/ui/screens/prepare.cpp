// Preparing a scan for a site's upload form by hand: PDF or JPEG, under a size limit.
#include "kiosk/ui/app.h"
#include "kiosk/ui/pictures.h"

#include "kiosk/documents/fit_to_size.h"
#include "kiosk/documents/jpeg.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace kiosk::ui {

bool App::on_prepare_widget(std::string const& id)
{
    if (id == "prep_pdf" || id == "prep_jpeg") {
        m_prepare.jpeg = id == "prep_jpeg";
        m_prepare.result.clear();
    } else if (id.starts_with("limit_")) {
        m_prepare.limit_mb = std::atoi(id.c_str() + 6);
        m_prepare.result.clear();
    } else if (id == "prepare_start") {
        start_prepare();
    } else {
        return false;
    }
    return true;
}

void App::draw_prepare()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("prepare.title"));
    Rect area = content_area();
    auto* document = selected_document();
    if (!document)
        return;
    int gap = c.px(24);
    // In a short space (large text) the choices take a wider left and closer rows, and Prepare goes under the
    // document's picture on the right, with the result under the choices.
    bool compact = area.h < c.px(700) || area.w < c.px(1500);
    int left_w = compact ? area.w * 2 / 3 : area.w * 3 / 5;
    int row_h = compact ? c.px(theme::min_target) : c.px(120);
    int row_gap = compact ? c.px(12) : gap;
    int label_h = compact ? c.px(52) : c.px(60);
    int label_step = compact ? c.px(56) : c.px(70);
    int y = area.y;
    c.text(tr("prepare.format"), { area.x, y, left_w, label_h }, theme::text_body, theme::text, Align::left, true);
    y += label_step;
    int half = (left_w - gap) / 2;
    bool idle = !m_prepare.running;
    c.button("prep_pdf", { area.x, y, half, row_h }, "PDF",
        m_prepare.jpeg ? ButtonStyle::secondary : ButtonStyle::selected, idle);
    c.button("prep_jpeg", { area.x + half + gap, y, half, row_h }, tr("prepare.jpeg"),
        m_prepare.jpeg ? ButtonStyle::selected : ButtonStyle::secondary, idle);
    y += row_h + row_gap;
    c.text(tr("prepare.limit"), { area.x, y, left_w, label_h }, theme::text_body, theme::text, Align::left, true);
    y += label_step;
    int quarter = (left_w - 3 * gap) / 4;
    int limits[] = { 1, 2, 5, 10 };
    for (int i = 0; i < 4; ++i)
        c.button("limit_" + std::to_string(limits[i]), { area.x + i * (quarter + gap), y, quarter, row_h },
            tr("prepare.mb", { std::to_string(limits[i]) }),
            m_prepare.limit_mb == limits[i] ? ButtonStyle::selected : ButtonStyle::secondary, idle);
    y += row_h + (compact ? row_gap : gap * 2);
    Rect side { area.x + left_w + gap * 2, area.y, area.w - left_w - gap * 2, area.h };
    Rect start { area.x, y, left_w, c.px(160) };
    if (compact) {
        int start_h = std::min(c.px(160), std::max(c.px(110), area.h / 4));
        start = { side.x, side.y + side.h - start_h, side.w, start_h };
        side.h -= start_h + row_gap;
    } else {
        y += c.px(180);
    }
    std::string start_label = m_prepare.running ? tr("prepare.working") : tr("prepare.start");
    c.action("prepare_start", start, Icon::send, start_label, ButtonStyle::primary, idle);
    if (!m_prepare.result.empty())
        c.text(m_prepare.result, { area.x, y, left_w, area.y + area.h - y }, theme::text_body, theme::green_success,
            Align::left, !compact, true); // short of room, regular letters: three lines' worth in two
    c.fill_rounded(side, c.px(12), theme::white);
    int name_h = compact ? c.px(110) : c.px(70);
    if (SDL_Texture* picture = thumbnail(*document))
        c.image(picture, { side.x + c.px(20), side.y + c.px(20), side.w - c.px(40), side.h - name_h - c.px(50) });
    c.text(document->name + " — " + tr_count("tray.pages", document->page_count()),
        { side.x + c.px(20), side.y + side.h - name_h - c.px(20), side.w - c.px(40), name_h }, theme::text_body,
        theme::text, Align::center, true, compact);
}

void App::start_prepare()
{
    auto* document = selected_document();
    if (!document || document->is_pdf() || !m_store.open() || m_prepare.running)
        return;
    std::vector<documents::Image> pages;
    for (auto const& page : document->pages) {
        auto jpeg = m_store.read(page.vault_name);
        auto image = jpeg ? documents::decode_jpeg(*jpeg) : Result<documents::Image>(std::unexpected(jpeg.error()));
        if (!image) {
            show_error(image.error());
            return;
        }
        pages.push_back(std::move(*image));
    }
    if (m_prepare.thread.joinable())
        m_prepare.thread.join();
    m_prepare.running = true;
    m_prepare.result.clear();
    size_t limit = static_cast<size_t>(m_prepare.limit_mb) * 1000 * 1000;
    auto format = m_prepare.jpeg ? documents::DocumentFormat::jpeg : documents::DocumentFormat::pdf;
    std::string base = "upload-" + std::to_string(document->number);
    m_prepare.thread = std::thread([this, pages = std::move(pages), limit, format, base,
                                       name = document->name]() mutable {
        auto fitted = documents::fit_to_size(pages, limit, format);
        post([this, fitted = std::move(fitted), format, base, name] {
            m_prepare.running = false;
            if (!fitted) {
                m_audit.record("prepare", { { "ok", false } });
                show_message("message.problem", tr("prepare.too_large", { std::to_string(m_prepare.limit_mb) }));
                return;
            }
            // The files go to the uploads folder, the only one the browser's file picker is given.
            auto uploads = m_store.scratch_directory("uploads");
            if (!uploads) {
                show_error(uploads.error());
                return;
            }
            for (size_t i = 0; i < fitted->files.size(); ++i) {
                auto file_name = format == documents::DocumentFormat::pdf ? base + ".pdf"
                                                                          : base + "-" + std::to_string(i + 1) + ".jpg";
                std::ofstream out(*uploads / file_name, std::ios::binary);
                out.write(reinterpret_cast<char const*>(fitted->files[i].data()),
                    static_cast<std::streamsize>(fitted->files[i].size()));
                if (!out) {
                    show_error(Error { ErrorCode::storage_full, {} });
                    return;
                }
            }
            std::string size_text = decimal_text(static_cast<double>(fitted->bytes) / 1e6, m_language);
            m_prepare.result
                = tr("prepare.ready", { size_text, std::to_string(fitted->dpi), std::to_string(fitted->quality) });
            m_audit.record("prepare",
                { { "ok", true }, { "bytes", static_cast<int64_t>(fitted->bytes) },
                    { "dpi", static_cast<int64_t>(fitted->dpi) } });
        });
    });
}

} // namespace kiosk::ui
