// A test page through documents::write_text_pdf and the printer's job states; a preview through the scanner's
// observer.
#include "kiosk/diagnostics/device_checks.h"

#include "kiosk/documents/text_pdf.h"

#include <ctime>
#include <thread>

namespace kiosk::diagnostics {

namespace {

int64_t ms_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

std::string now_text()
{
    std::time_t now = std::time(nullptr);
    std::tm local {};
    ::localtime_r(&now, &local);
    char text[64] = {};
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
    return text;
}

class FirstPage final : public drivers::ScanObserver {
public:
    int pages = 0;
    int width = 0;
    int height = 0;
    void on_progress(int, double) override { }
    void on_page(documents::Image page) override
    {
        if (pages++ == 0) {
            width = page.width;
            height = page.height;
        }
    }
};

} // namespace

Check test_print(drivers::Printer& printer, std::string const& kiosk_name, std::chrono::milliseconds timeout,
    std::atomic<bool> const& cancel)
{
    auto start = std::chrono::steady_clock::now();
    Check check { "test-print " + printer.name(), false, "", 0 };
    auto finish = [&](bool ok, std::string detail) {
        check.ok = ok;
        check.detail = std::move(detail);
        check.ms = ms_since(start);
        return check;
    };
    using Kind = documents::TextBlock::Kind;
    auto pdf = documents::write_text_pdf(
        {
            { Kind::title, "France Services — page de test" },
            { Kind::paragraph, "Borne : " + (kiosk_name.empty() ? std::string("(sans nom)") : kiosk_name) },
            { Kind::paragraph, "Imprimée le " + now_text() + " par le diagnostic du technicien (kiosk diagnose)." },
            { Kind::small, "Cette page ne contient aucune donnée d'usager." },
        },
        "France Services test page");
    if (!pdf)
        return finish(false, "cannot write the test page: " + pdf.error().detail);
    drivers::PrintRequest request;
    request.title = "test page";
    request.document = std::move(*pdf);
    request.mime_type = "application/pdf";
    auto id = printer.submit(request);
    if (!id)
        return finish(false,
            "the printer refused the test page: " + std::string(to_string(id.error().code))
                + (id.error().detail.empty() ? "" : " (" + id.error().detail + ")"));
    while (true) {
        auto job = printer.job(*id);
        if (!job) {
            (void)printer.purge({ *id });
            return finish(false, "the test page's job cannot be followed: " + job.error().detail);
        }
        std::string conditions;
        for (auto condition : job->conditions)
            conditions += (conditions.empty() ? " (" : ", ") + std::string(drivers::to_string(condition));
        if (!conditions.empty())
            conditions += ")";
        if (job->state == drivers::JobState::completed) {
            (void)printer.purge({ *id });
            return finish(true, "test page printed, job " + std::to_string(*id));
        }
        if (job->state == drivers::JobState::aborted || job->state == drivers::JobState::canceled) {
            (void)printer.purge({ *id });
            return finish(
                false, "the test page's job ended " + std::string(drivers::to_string(job->state)) + conditions);
        }
        if (cancel.load() || ms_since(start) > timeout.count()) {
            (void)printer.cancel(*id);
            (void)printer.purge({ *id });
            return finish(false,
                (cancel.load() ? std::string("cancelled")
                               : "not printed within " + std::to_string(timeout.count()) + " ms")
                    + ", the job was " + std::string(drivers::to_string(job->state)) + conditions);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

Check test_scan(drivers::Scanner& scanner, std::atomic<bool> const& cancel)
{
    auto start = std::chrono::steady_clock::now();
    Check check { "test-scan " + scanner.name(), false, "", 0 };
    drivers::ScanSettings settings;
    settings.source = drivers::ScanSource::flatbed;
    settings.mode = drivers::ColorMode::gray;
    settings.dpi = 75;
    if (auto capabilities = scanner.capabilities(); capabilities && !capabilities->resolutions.empty()) {
        // The lowest resolution the scanner offers from 50 dpi up: a preview, not a document.
        for (int dpi : capabilities->resolutions) {
            if (dpi >= 50) {
                settings.dpi = dpi;
                break;
            }
        }
    }
    FirstPage observer;
    auto scanned = scanner.scan(settings, observer, cancel);
    check.ms = ms_since(start);
    if (observer.pages > 0) {
        check.ok = true;
        check.detail = "preview scanned: " + std::to_string(observer.width) + "x" + std::to_string(observer.height)
            + " pixels at " + std::to_string(settings.dpi) + " dpi";
    } else {
        check.detail = "no preview: " + std::string(to_string(scanned ? ErrorCode::scanner_io : scanned.error().code))
            + (!scanned && !scanned.error().detail.empty() ? " (" + scanned.error().detail + ")" : "");
    }
    return check;
}

} // namespace kiosk::diagnostics
