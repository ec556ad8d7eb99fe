// `kiosk scan`: one scan through a driver and the document pipeline, to a PDF or JPEG file.
#include "kiosk/cli/commands.h"

#include "drivers/registry.h"
#include "drivers/scanner/scanned_page_options.h"
#include "kiosk/core/config.h"
#include "kiosk/core/json.h"
#include "kiosk/documents/fit_to_size.h"
#include "kiosk/documents/scanned_page.h"

#include <charconv>
#include <chrono>
#include <fstream>
#include <ostream>

namespace kiosk::cli {

namespace {

class CollectingObserver final : public drivers::ScanObserver {
public:
    std::vector<documents::Image> frames;
    void on_progress(int, double) override { }
    void on_page(documents::Image page) override { frames.push_back(std::move(page)); }
};

// Plain words for a device error: the command is for technicians and automation, in English like its
// other messages; residents get the translated text on screen.
char const* plain_words(ErrorCode code)
{
    switch (code) {
    case ErrorCode::scanner_jammed: return "paper jammed in the scanner";
    case ErrorCode::scanner_cover_open: return "the scanner cover is open";
    case ErrorCode::scanner_no_docs: return "no paper in the feeder";
    case ErrorCode::scanner_busy: return "the scanner is busy";
    case ErrorCode::scanner_io: return "the scanner does not answer properly (I/O error)";
    case ErrorCode::scanner_gone: return "the scanner is unplugged or gone";
    case ErrorCode::cancelled: return "the scan was cancelled";
    default: return "the scan failed";
    }
}

bool write_file(std::filesystem::path const& path, std::vector<uint8_t> const& bytes)
{
    auto temporary = path;
    temporary += ".tmp";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!file)
            return false;
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    return !ec;
}

} // namespace

Result<void> cmd_scan(std::span<const std::string> args, Streams streams)
{
    auto usage = [](std::string const& message) { return usage_error(message); };
    std::string device;
    std::string out;
    drivers::ScanSettings settings;
    int dpi = 150;
    size_t max_bytes = 0;
    for (size_t i = 0; i < args.size(); ++i) {
        auto const& arg = args[i];
        if (i + 1 >= args.size())
            return usage(arg.starts_with("--") ? arg + " needs a value" : "unexpected '" + arg + "'");
        std::string const& value = args[++i];
        if (arg == "--device") {
            device = value;
        } else if (arg == "--out") {
            out = value;
        } else if (arg == "--source") {
            if (value != "flatbed" && value != "adf")
                return usage("--source is flatbed or adf");
            settings.source = value == "adf" ? drivers::ScanSource::adf : drivers::ScanSource::flatbed;
        } else if (arg == "--mode") {
            if (value != "color" && value != "gray" && value != "lineart")
                return usage("--mode is color, gray or lineart");
            settings.mode = value == "color" ? drivers::ColorMode::color
                : value == "gray"            ? drivers::ColorMode::gray
                                             : drivers::ColorMode::lineart;
        } else if (arg == "--dpi") {
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), dpi);
            if (ec != std::errc() || end != value.data() + value.size() || dpi < 50 || dpi > 1200)
                return usage("--dpi needs a resolution from 50 to 1200");
        } else if (arg == "--max-bytes") {
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), max_bytes);
            if (ec != std::errc() || end != value.data() + value.size())
                return usage("--max-bytes needs a number of bytes");
        } else {
            return usage("unknown option '" + arg + "'");
        }
    }
    if (device.empty() || out.empty())
        return usage("needs --device NAME and --out FILE");
    std::filesystem::path out_path = out;
    auto extension = out_path.extension().string();
    if (extension != ".pdf" && extension != ".jpg")
        return usage("--out must end in .pdf or .jpg");
    settings.dpi = dpi;

    // "sim…" selects the simulated scanner; anything else is a SANE device name such as test:0.
    std::string spec = device == "sim" || device.starts_with("sim:") ? device : "sane:device=" + device;
    drivers::DriverContext context { core::default_runtime_dir() };
    auto scanner = drivers::make_scanner(spec, context);
    if (!scanner)
        return usage_error(scanner.error().detail);
    auto start = std::chrono::steady_clock::now();
    CollectingObserver observer;
    std::atomic<bool> cancel { false };
    auto scanned = (*scanner)->scan(settings, observer, cancel);
    if (!scanned && scanned.error().code == ErrorCode::scanner_unsupported)
        return usage_error("resolution " + std::to_string(dpi) + " dpi refused by the scanner");
    if (!scanned && observer.frames.empty())
        return make_error(scanned.error().code, plain_words(scanned.error().code));

    // The kiosk's own treatment of each page: crop, deskew, colour mode, and a blank feeder page dropped. The glass
    // gives one frame.
    auto const options = drivers::scanned_page_options(settings);
    std::vector<documents::Image> pages;
    for (documents::Image const& frame : observer.frames) {
        auto page = TRY(documents::prepare_scanned_page(frame, options));
        if (!page.dropped)
            pages.push_back(std::move(page.image));
    }
    if (pages.empty())
        return make_error(ErrorCode::request_failed, "every page was blank");
    auto format = extension == ".pdf" ? documents::DocumentFormat::pdf : documents::DocumentFormat::jpeg;
    auto encoded = documents::fit_to_size(pages, max_bytes, format);
    if (!encoded)
        return make_error(encoded.error().code == ErrorCode::usage ? ErrorCode::request_failed : encoded.error().code,
            encoded.error().detail);
    for (size_t i = 0; i < encoded->files.size(); ++i) {
        auto path = out_path;
        if (format == documents::DocumentFormat::jpeg && encoded->files.size() > 1)
            path = out_path.parent_path() / (out_path.stem().string() + "-" + std::to_string(i + 1) + ".jpg");
        if (!write_file(path, encoded->files[i]))
            return make_error(ErrorCode::io, "cannot write " + path.string());
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    JsonWriter json;
    json.begin_object().key("pages").value(encoded->pages).key("bytes").value(static_cast<uint64_t>(encoded->bytes));
    json.key("dpi")
        .value(encoded->dpi)
        .key("quality")
        .value(encoded->quality)
        .key("ms")
        .value(static_cast<int64_t>(ms))
        .end_object();
    streams.out << json.str() << "\n";
    // The pages before a device error are saved, and the error still makes the command fail.
    if (!scanned)
        return make_error(
            scanned.error().code, std::string(plain_words(scanned.error().code)) + " (the pages before it were saved)");
    return {};
}

} // namespace kiosk::cli
