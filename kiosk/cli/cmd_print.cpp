// `kiosk print FILE [...]` submits one PDF or JPEG to a CUPS queue, after the kiosk's own checks of the file.
#include "drivers/printer/cups/cups_printer.h"
#include "kiosk/cli/commands.h"
#include "kiosk/core/json.h"
#include "kiosk/documents/pdf_render.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <thread>

namespace kiosk::cli {

namespace {

using drivers::CupsPrinter;
using drivers::JobState;

// The largest document a resident can bring to a kiosk; anything bigger is refused before it is read.
constexpr std::uintmax_t max_document = 200 * 1024 * 1024;
// cupsd cancels a job after MaxJobTime (deploy/cups); --wait gives up a little later in any case.
constexpr auto max_wait = std::chrono::minutes(11);
constexpr auto poll_interval = std::chrono::milliseconds(250);

struct Document {
    std::vector<uint8_t> bytes;
    std::string mime_type;
    int pages = 1;
};

Result<Document> load_document(std::string const& path)
{
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return make_error(ErrorCode::usage, "cannot read " + path + ": " + ec.message());
    if (size > max_document)
        return make_error(ErrorCode::usage, path + " is larger than 200 MB");
    std::ifstream file(path, std::ios::binary);
    Document document;
    document.bytes.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    if (!file && !file.eof())
        return make_error(ErrorCode::usage, "cannot read " + path);
    auto const& bytes = document.bytes;
    auto starts_with = [&](std::string_view magic) {
        return bytes.size() >= magic.size()
            && std::equal(magic.begin(), magic.end(), bytes.begin(),
                [](char a, uint8_t b) { return static_cast<uint8_t>(a) == b; });
    };
    if (starts_with("%PDF-")) {
        // The kiosk's own verdict, so that what the kiosk refuses to print is refused here too, before anything
        // reaches the print server.
        auto info = documents::inspect_pdf_for_print(bytes);
        if (!info)
            return make_error(ErrorCode::usage, path + " is " + info.error().detail);
        document.mime_type = "application/pdf";
        document.pages = info->pages;
    } else if (starts_with("\xFF\xD8\xFF")) {
        document.mime_type = "image/jpeg";
        document.pages = 1;
    } else {
        return make_error(ErrorCode::usage, path + " is neither a PDF nor a JPEG");
    }
    return document;
}

drivers::DriverSpec printer_spec(std::optional<std::string> const& queue)
{
    drivers::DriverSpec spec { "cups", {} };
    if (queue)
        spec.params["queue"] = *queue;
    return spec;
}

bool finished(JobState state)
{
    return state == JobState::completed || state == JobState::aborted || state == JobState::canceled;
}

std::string joined(std::vector<std::string> const& reasons)
{
    std::string text;
    for (auto const& reason : reasons)
        text += (text.empty() ? "" : ", ") + reason;
    return text.empty() ? "none" : text;
}

} // namespace

Result<void> cmd_print(std::span<const std::string> args, Streams streams)
{
    std::optional<std::string> file;
    std::optional<std::string> queue;
    drivers::PrintRequest request;
    bool wait = false;
    for (size_t i = 0; i < args.size(); i++) {
        auto const& arg = args[i];
        if (arg == "--printer" && i + 1 < args.size()) {
            queue = args[++i];
        } else if (arg == "--copies" && i + 1 < args.size()) {
            auto copies = drivers::DriverSpec { "", { { "copies", args[++i] } } }.get_int("copies", 1, 1, 99);
            if (!copies)
                return usage_error("--copies wants a number from 1 to 99");
            request.copies = *copies;
        } else if (arg == "--gray") {
            request.gray = true;
        } else if (arg == "--duplex") {
            request.duplex = true;
        } else if (arg == "--wait") {
            wait = true;
        } else if (!arg.starts_with("--") && !file) {
            file = arg;
        } else {
            return usage_error("unexpected argument '" + arg + "'");
        }
    }
    if (!file)
        return usage_error("needs a FILE to print");

    // The document is checked before anything reaches the print server.
    auto document = TRY(load_document(*file));
    request.title = std::filesystem::path(*file).filename().string();
    request.document = std::move(document.bytes);
    request.mime_type = document.mime_type;
    request.pages = document.pages;

    auto created = TRY(CupsPrinter::create(printer_spec(queue)));
    auto& printer = static_cast<CupsPrinter&>(*created);
    auto id = TRY(printer.submit(request));

    JobState state = JobState::pending;
    std::optional<Error> failure;
    auto deadline = std::chrono::steady_clock::now() + max_wait;
    while (true) {
        auto job = printer.job(id);
        if (!job) {
            if (!wait)
                break; // the job was accepted; its state can be asked later
            failure = Error { job.error().code, "lost track of job " + std::to_string(id) + ": " + job.error().detail };
            break;
        }
        state = job->state;
        if (!wait || finished(state))
            break;
        // A stopped queue holds the job until someone acts on the printer: say why instead of waiting.
        if (auto status = printer.status(); status && status->stopped) {
            auto reasons = printer.state_reasons();
            failure = Error { ErrorCode::request_failed,
                "printer stopped: " + (reasons ? joined(*reasons) : reasons.error().detail) };
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            failure = Error { ErrorCode::request_failed,
                "job " + std::to_string(id) + " still not finished, giving up waiting" };
            break;
        }
        std::this_thread::sleep_for(poll_interval);
    }
    if (wait && (state == JobState::aborted || state == JobState::canceled)) {
        auto reasons = printer.state_reasons();
        failure = Error { ErrorCode::request_failed,
            "job " + std::to_string(id) + " " + std::string(drivers::to_string(state))
                + "; printer reasons: " + (reasons ? joined(*reasons) : reasons.error().detail) };
    }

    JsonWriter json;
    json.begin_object();
    json.key("job").value(id);
    json.key("pages").value(request.pages);
    json.key("state").value(drivers::to_string(state));
    json.end_object();
    streams.out << json.str() << "\n";
    if (failure)
        return std::unexpected(*failure);
    return {};
}

} // namespace kiosk::cli
