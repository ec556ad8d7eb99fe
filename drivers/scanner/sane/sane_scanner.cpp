// The libsane backend: options set by name from their descriptors, frames read in small pieces so Cancel is
// prompt, feeder runs until NO_DOCS, and a device found again by vendor and model after a replug.
#include "drivers/scanner/sane/sane_scanner.h"

#include "drivers/scanner/sane/sane_frames.h"
#include "drivers/scanner/sane/sane_worker.h"

#include <dlfcn.h>
#include <pthread.h>
#include <sane/sane.h>
#include <sane/saneopts.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <poll.h>
#include <tuple>
#include <vector>

namespace kiosk::drivers {

namespace {

// Small reads keep each sane_read short on slow devices, so the cancel flag is looked at often.
constexpr SANE_Int read_chunk = 32 * 1024;
// Values offered when a device accepts a whole range of resolutions.
constexpr int common_resolutions[] = { 75, 100, 150, 200, 240, 300, 400, 600, 1200 };

std::atomic<bool> g_instance_alive { false };

// How long the SANE driver may go without a sign of life (an answer, a piece of a page) before the kiosk stops waiting
// for it. A backend that deadlocks (the test backend's reader thread, cancelled asynchronously inside malloc, does now
// and then) or a device that stops answering would otherwise hold the scan, and the session's wipe behind it, for
// ever. Long enough for a lamp to warm up.
constexpr int default_patience_ms = 60'000;

// The state of drivers stuck for good, still used by their threads: kept, not freed. The list itself is never
// destroyed either, so that what it holds stays reachable to the end (a leak checker at exit sees it kept on purpose).
std::mutex g_abandoned_mutex;
std::vector<void*>& abandoned()
{
    static auto* list = new std::vector<void*>;
    return *list;
}

struct DeviceInfo {
    std::string name;
    std::string vendor;
    std::string model;

    std::string identity() const { return vendor + " " + model; }
};

std::string lower(std::string text)
{
    std::transform(
        text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool contains(std::string const& haystack, std::string_view needle)
{
    return haystack.find(needle) != std::string::npos;
}

ErrorCode code_for(SANE_Status status)
{
    switch (status) {
    case SANE_STATUS_JAMMED: return ErrorCode::scanner_jammed;
    case SANE_STATUS_COVER_OPEN: return ErrorCode::scanner_cover_open;
    case SANE_STATUS_NO_DOCS: return ErrorCode::scanner_no_docs;
    case SANE_STATUS_DEVICE_BUSY: return ErrorCode::scanner_busy;
    case SANE_STATUS_CANCELLED: return ErrorCode::cancelled;
    case SANE_STATUS_UNSUPPORTED: return ErrorCode::scanner_unsupported;
    default: return ErrorCode::scanner_io;
    }
}

std::unexpected<Error> sane_error(SANE_Status status, std::string const& what)
{
    return make_error(code_for(status), "sane: " + what + ": " + sane_strstatus(status));
}

std::optional<sane_frames::FrameFormat> frame_format(SANE_Frame frame)
{
    switch (frame) {
    case SANE_FRAME_GRAY: return sane_frames::FrameFormat::gray;
    case SANE_FRAME_RGB: return sane_frames::FrameFormat::rgb;
    case SANE_FRAME_RED: return sane_frames::FrameFormat::red;
    case SANE_FRAME_GREEN: return sane_frames::FrameFormat::green;
    case SANE_FRAME_BLUE: return sane_frames::FrameFormat::blue;
    default: return std::nullopt;
    }
}

double word_to_double(SANE_Value_Type type, SANE_Word word)
{
    return type == SANE_TYPE_FIXED ? SANE_UNFIX(word) : static_cast<double>(word);
}

SANE_Word double_to_word(SANE_Value_Type type, double value)
{
    return type == SANE_TYPE_FIXED ? SANE_FIX(value) : static_cast<SANE_Word>(std::lround(value));
}

// What a scan job tells the thread that called scan(): progress and pages, then the end.
struct ScanEvents {
    struct Event {
        int page_index = 0;
        double fraction = 0;
        std::optional<documents::Image> page;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Event> events;
    std::optional<Result<void>> result;

    void push(Event event)
    {
        {
            std::lock_guard lock(mutex);
            events.push_back(std::move(event));
        }
        changed.notify_one();
    }
};

} // namespace

// Everything below runs on the SANE worker thread, except the members marked otherwise.
struct SaneScanner::State {
    std::optional<std::string> wanted_name;
    std::optional<std::string> wanted_identity; // "Vendor Model" of the scanner to find again
    std::chrono::milliseconds discovery_period { 2000 };
    std::optional<std::pair<double, double>> paper_mm; // width, height; none = the whole area of the device
    std::chrono::milliseconds patience { default_patience_ms }; // read from any thread, set before the worker starts

    bool initialised = false;
    SANE_Handle handle = nullptr;
    bool handle_lost = false; // the device vanished under the open handle: close it before anything else
    DeviceInfo open_device;
    std::vector<DeviceInfo> devices;
    PageHook page_hook;

    // Read by name() from any thread.
    mutable std::mutex name_mutex;
    std::string current_name;

    bool started = false; // sane_start was called: sane_cancel leaves the device idle again

    std::unique_ptr<SaneWorker> worker; // declared last: stopped first, before the state it uses goes away

    Result<void> init()
    {
        if (initialised)
            return {};
        SANE_Int version = 0;
        if (auto status = sane_init(&version, nullptr); status != SANE_STATUS_GOOD)
            return sane_error(status, "sane_init");
        initialised = true;
        return {};
    }

    void close_device()
    {
        if (!handle)
            return;
        sane_close(handle);
        handle = nullptr;
        handle_lost = false;
    }

    void shut_down()
    {
        close_device();
        if (initialised)
            sane_exit();
        initialised = false;
        devices.clear();
    }

    Result<void> list_devices()
    {
        TRY(init());
        SANE_Device const** list = nullptr;
        if (auto status = sane_get_devices(&list, SANE_TRUE); status != SANE_STATUS_GOOD)
            return sane_error(status, "sane_get_devices");
        devices.clear();
        for (int i = 0; list && list[i]; ++i)
            devices.push_back({ list[i]->name ? list[i]->name : "", list[i]->vendor ? list[i]->vendor : "",
                list[i]->model ? list[i]->model : "" });
        return {};
    }

    // The configured scanner among the devices just listed: by name until its vendor and model are known,
    // then by vendor and model, preferring the configured name when both match.
    std::optional<DeviceInfo> pick_device() const
    {
        if (wanted_identity) {
            std::optional<DeviceInfo> by_identity;
            for (auto const& device : devices) {
                if (device.identity() != *wanted_identity)
                    continue;
                if (wanted_name && device.name == *wanted_name)
                    return device;
                if (!by_identity)
                    by_identity = device;
            }
            return by_identity;
        }
        for (auto const& device : devices)
            if (!wanted_name || device.name == *wanted_name)
                return device;
        return std::nullopt;
    }

    std::string wanted_description() const
    {
        if (wanted_identity)
            return "'" + *wanted_identity + "'" + (wanted_name ? " (" + *wanted_name + ")" : "");
        return wanted_name ? "'" + *wanted_name + "'" : "any local scanner";
    }

    // Opens the configured scanner if it is not open yet; scanner_gone when it cannot be found.
    Result<void> ensure_open()
    {
        if (handle && handle_lost)
            close_device();
        if (handle)
            return {};
        TRY(list_devices());
        auto device = pick_device();
        if (!device) {
            // Backends that probe only in sane_init (the test backend among them) need a fresh start to
            // see a scanner plugged in since.
            shut_down();
            TRY(list_devices());
            device = pick_device();
        }
        if (!device)
            return make_error(ErrorCode::scanner_gone, "sane: no device matches " + wanted_description());
        if (auto status = sane_open(device->name.c_str(), &handle); status != SANE_STATUS_GOOD) {
            handle = nullptr;
            if (status == SANE_STATUS_INVAL || status == SANE_STATUS_IO_ERROR)
                return make_error(
                    ErrorCode::scanner_gone, "sane: cannot open " + device->name + ": " + sane_strstatus(status));
            return sane_error(status, "sane_open " + device->name);
        }
        open_device = *device;
        if (!wanted_identity)
            wanted_identity = device->identity();
        std::lock_guard lock(name_mutex);
        current_name = device->name;
        return {};
    }

    // Background discovery: notices an open device that vanished, and opens the scanner once it is back.
    void discover()
    {
        if (handle && handle_lost)
            close_device();
        if (handle) {
            if (!list_devices())
                return;
            bool const present = std::any_of(devices.begin(), devices.end(),
                [&](DeviceInfo const& device) { return device.name == open_device.name; });
            if (!present)
                close_device();
            return;
        }
        (void)ensure_open();
    }

    void forget_device() { shut_down(); }

    // Option descriptors are looked up afresh each time: a SANE_INFO_RELOAD_OPTIONS may have replaced them.
    struct Option {
        SANE_Int index = 0;
        SANE_Option_Descriptor const* descriptor = nullptr;
    };

    std::optional<Option> find_option(std::string_view name) const
    {
        SANE_Int count = 0;
        if (sane_control_option(handle, 0, SANE_ACTION_GET_VALUE, &count, nullptr) != SANE_STATUS_GOOD)
            return std::nullopt;
        for (SANE_Int i = 1; i < count; ++i) {
            auto const* descriptor = sane_get_option_descriptor(handle, i);
            if (!descriptor || !descriptor->name || name != descriptor->name)
                continue;
            if (!SANE_OPTION_IS_ACTIVE(descriptor->cap))
                return std::nullopt;
            return Option { i, descriptor };
        }
        return std::nullopt;
    }

    Result<void> set_value(Option const& option, void* value)
    {
        if (!SANE_OPTION_IS_SETTABLE(option.descriptor->cap))
            return make_error(ErrorCode::scanner_unsupported,
                std::string("sane: option ") + option.descriptor->name + " cannot be set");
        SANE_Int info = 0;
        std::string name = option.descriptor->name;
        if (auto status = sane_control_option(handle, option.index, SANE_ACTION_SET_VALUE, value, &info);
            status != SANE_STATUS_GOOD)
            return sane_error(status, "setting " + name);
        return {};
    }

    Result<void> set_string(Option const& option, std::string const& value)
    {
        std::vector<char> buffer(
            static_cast<size_t>(std::max<SANE_Int>(option.descriptor->size, static_cast<SANE_Int>(value.size() + 1))),
            '\0');
        std::memcpy(buffer.data(), value.c_str(), value.size());
        return set_value(option, buffer.data());
    }

    Result<void> set_word(Option const& option, SANE_Word value) { return set_value(option, &value); }

    std::optional<SANE_Word> get_word(std::string_view name) const
    {
        auto option = find_option(name);
        if (!option || option->descriptor->size < static_cast<SANE_Int>(sizeof(SANE_Word)))
            return std::nullopt;
        std::vector<SANE_Word> value(static_cast<size_t>(option->descriptor->size) / sizeof(SANE_Word));
        if (sane_control_option(handle, option->index, SANE_ACTION_GET_VALUE, value.data(), nullptr)
            != SANE_STATUS_GOOD)
            return std::nullopt;
        return value.front();
    }

    static std::vector<std::string> string_list(Option const& option)
    {
        std::vector<std::string> values;
        if (option.descriptor->constraint_type == SANE_CONSTRAINT_STRING_LIST)
            for (auto const* entry = option.descriptor->constraint.string_list; entry && *entry; ++entry)
                values.emplace_back(*entry);
        return values;
    }

    static std::optional<std::string> source_entry(std::vector<std::string> const& entries, ScanSource source)
    {
        for (auto const& entry : entries) {
            auto const name = lower(entry);
            bool const is_feeder = contains(name, "adf") || contains(name, "feeder") || contains(name, "automatic");
            bool const is_flatbed = contains(name, "flatbed") || contains(name, "platen") || contains(name, "normal");
            // A duplex feeder entry would scan both sides: a kiosk feeder run is simplex.
            if (source == ScanSource::adf && is_feeder && !contains(name, "duplex") && !contains(name, "back"))
                return entry;
            if (source == ScanSource::flatbed && is_flatbed)
                return entry;
        }
        return std::nullopt;
    }

    // Resolutions the device offers, as whole dpi: its word list, or the common values inside its range.
    std::vector<int> offered_resolutions() const
    {
        std::vector<int> result;
        auto option = find_option(SANE_NAME_SCAN_RESOLUTION);
        if (!option)
            return result;
        auto const type = option->descriptor->type;
        if (option->descriptor->constraint_type == SANE_CONSTRAINT_WORD_LIST) {
            auto const* words = option->descriptor->constraint.word_list;
            for (SANE_Int i = 1; words && i <= words[0]; ++i)
                result.push_back(static_cast<int>(std::lround(word_to_double(type, words[i]))));
        } else if (option->descriptor->constraint_type == SANE_CONSTRAINT_RANGE) {
            auto const* range = option->descriptor->constraint.range;
            double const min = word_to_double(type, range->min);
            double const max = word_to_double(type, range->max);
            double const quant = word_to_double(type, range->quant);
            for (int dpi : common_resolutions) {
                if (dpi < min - 1e-6 || dpi > max + 1e-6)
                    continue;
                if (quant > 0 && std::fabs(std::remainder(dpi - min, quant)) > 1e-3)
                    continue;
                result.push_back(dpi);
            }
        }
        std::sort(result.begin(), result.end());
        result.erase(std::unique(result.begin(), result.end()), result.end());
        return result;
    }

    // Whether the resolution option accepts exactly this dpi (any value of a range on its step counts).
    static bool accepts_resolution(Option const& option, int dpi)
    {
        auto const type = option.descriptor->type;
        if (option.descriptor->constraint_type == SANE_CONSTRAINT_WORD_LIST) {
            auto const* words = option.descriptor->constraint.word_list;
            for (SANE_Int i = 1; words && i <= words[0]; ++i)
                if (std::fabs(word_to_double(type, words[i]) - dpi) < 1e-3)
                    return true;
            return false;
        }
        if (option.descriptor->constraint_type == SANE_CONSTRAINT_RANGE) {
            auto const* range = option.descriptor->constraint.range;
            double const min = word_to_double(type, range->min);
            double const quant = word_to_double(type, range->quant);
            if (dpi < min - 1e-6 || dpi > word_to_double(type, range->max) + 1e-6)
                return false;
            return quant <= 0 || std::fabs(std::remainder(dpi - min, quant)) <= 1e-3;
        }
        return true;
    }

    Result<ScannerCapabilities> capabilities()
    {
        TRY(ensure_open());
        ScannerCapabilities caps;
        caps.model = open_device.identity();
        if (auto source = find_option(SANE_NAME_SCAN_SOURCE)) {
            auto entries = string_list(*source);
            caps.has_flatbed = source_entry(entries, ScanSource::flatbed).has_value();
            caps.has_adf = source_entry(entries, ScanSource::adf).has_value();
        }
        caps.resolutions = offered_resolutions();
        return caps;
    }

    // Sets source, mode, depth, resolution and the full scan area; returns the resolution actually in use.
    Result<int> apply(ScanSettings const& settings)
    {
        if (auto source = find_option(SANE_NAME_SCAN_SOURCE)) {
            auto entry = source_entry(string_list(*source), settings.source);
            if (!entry)
                return make_error(ErrorCode::scanner_unsupported,
                    std::string("sane: ") + open_device.name + " has no "
                        + (settings.source == ScanSource::adf ? "document feeder" : "flatbed"));
            TRY(set_string(*source, *entry));
        } else if (settings.source == ScanSource::adf) {
            return make_error(ErrorCode::scanner_unsupported, "sane: " + open_device.name + " has no document feeder");
        }

        // Lineart is a mode of its own on most devices; others (the test backend) give it as 1-bit grey.
        int depth = 8;
        if (auto mode = find_option(SANE_NAME_SCAN_MODE)) {
            auto const entries = string_list(*mode);
            auto has = [&](std::string_view value) {
                return std::find(entries.begin(), entries.end(), value) != entries.end();
            };
            std::string value;
            if (settings.mode == ColorMode::color && has(SANE_VALUE_SCAN_MODE_COLOR)) {
                value = SANE_VALUE_SCAN_MODE_COLOR;
            } else if (settings.mode == ColorMode::gray && has(SANE_VALUE_SCAN_MODE_GRAY)) {
                value = SANE_VALUE_SCAN_MODE_GRAY;
            } else if (settings.mode == ColorMode::lineart && has(SANE_VALUE_SCAN_MODE_LINEART)) {
                value = SANE_VALUE_SCAN_MODE_LINEART;
                depth = 0; // the mode implies it
            } else if (settings.mode == ColorMode::lineart && has(SANE_VALUE_SCAN_MODE_GRAY)) {
                value = SANE_VALUE_SCAN_MODE_GRAY;
                depth = 1;
            } else {
                return make_error(
                    ErrorCode::scanner_unsupported, "sane: " + open_device.name + " offers no matching scan mode");
            }
            TRY(set_string(*mode, value));
        }
        if (auto bit_depth = find_option(SANE_NAME_BIT_DEPTH);
            bit_depth && depth > 0 && bit_depth->descriptor->type == SANE_TYPE_INT) {
            bool offered = bit_depth->descriptor->constraint_type != SANE_CONSTRAINT_WORD_LIST;
            if (!offered) {
                auto const* words = bit_depth->descriptor->constraint.word_list;
                for (SANE_Int i = 1; i <= words[0]; ++i)
                    offered = offered || words[i] == depth;
            }
            if (offered)
                TRY(set_word(*bit_depth, depth));
            else if (depth == 1)
                return make_error(
                    ErrorCode::scanner_unsupported, "sane: " + open_device.name + " has no black-and-white mode");
        }

        auto resolution = find_option(SANE_NAME_SCAN_RESOLUTION);
        if (resolution) {
            auto const type = resolution->descriptor->type;
            if (type != SANE_TYPE_INT && type != SANE_TYPE_FIXED)
                return make_error(ErrorCode::scanner_unsupported, "sane: resolution option of unexpected type");
            if (!accepts_resolution(*resolution, settings.dpi))
                return make_error(ErrorCode::scanner_unsupported,
                    "sane: " + open_device.name + " does not offer " + std::to_string(settings.dpi) + " dpi");
            TRY(set_word(*resolution, double_to_word(type, settings.dpi)));
        }

        // The whole area the device can scan, or the paper size from its top-left corner when one is set.
        for (auto [name, is_end, paper_length] : { std::tuple { SANE_NAME_SCAN_TL_X, false, 0.0 },
                 { SANE_NAME_SCAN_TL_Y, false, 0.0 }, { SANE_NAME_SCAN_BR_X, true, paper_mm ? paper_mm->first : 0.0 },
                 { SANE_NAME_SCAN_BR_Y, true, paper_mm ? paper_mm->second : 0.0 } }) {
            auto option = find_option(name);
            if (!option || option->descriptor->constraint_type != SANE_CONSTRAINT_RANGE
                || !SANE_OPTION_IS_SETTABLE(option->descriptor->cap))
                continue;
            auto const* range = option->descriptor->constraint.range;
            SANE_Word value = is_end ? range->max : range->min;
            auto const type = option->descriptor->type;
            if (is_end && paper_length > 0 && option->descriptor->unit == SANE_UNIT_MM)
                value = std::min(range->max, double_to_word(type, word_to_double(type, range->min) + paper_length));
            TRY(set_word(*option, value));
        }

        // The value actually in use: a device may round what it was given.
        int dpi = settings.dpi;
        if (auto used = find_option(SANE_NAME_SCAN_RESOLUTION)) {
            if (auto word = get_word(SANE_NAME_SCAN_RESOLUTION))
                dpi = static_cast<int>(std::lround(word_to_double(used->descriptor->type, *word)));
        }
        return dpi;
    }

    // Reads one frame to its end; sane_start was called by the caller.
    Result<void> read_frame(sane_frames::PageAssembler& assembler, int page_index, int frame_index, int frames,
        ScanEvents& events, std::atomic<bool> const& cancel)
    {
        SANE_Parameters parameters {};
        if (auto status = sane_get_parameters(handle, &parameters); status != SANE_STATUS_GOOD)
            return sane_error(status, "sane_get_parameters");
        auto format = frame_format(parameters.format);
        sane_frames::FrameLayout layout;
        if (format)
            layout = { *format, parameters.depth, parameters.bytes_per_line, parameters.pixels_per_line };
        if (!format || !sane_frames::layout_is_valid(layout))
            return make_error(ErrorCode::scanner_io,
                "sane: frame of unsupported format " + std::to_string(parameters.format) + ", depth "
                    + std::to_string(parameters.depth));

        // Non-blocking reads where the backend offers them, so a stalled device never holds up a Cancel.
        bool const non_blocking = sane_set_io_mode(handle, SANE_TRUE) == SANE_STATUS_GOOD;
        SANE_Int select_fd = -1;
        if (non_blocking && sane_get_select_fd(handle, &select_fd) != SANE_STATUS_GOOD)
            select_fd = -1;

        // Lines is -1 for a hand-scanner: the frame grows until EOF.
        size_t const expected = parameters.lines > 0
            ? static_cast<size_t>(parameters.lines) * static_cast<size_t>(parameters.bytes_per_line)
            : 0;
        std::vector<uint8_t> raw;
        raw.reserve(expected);
        std::vector<uint8_t> chunk(read_chunk);
        double reported = -1;
        for (;;) {
            if (cancel.load())
                return make_error(ErrorCode::cancelled, "sane: scan cancelled");
            // With a select descriptor, read only once data is waiting, and look at the cancel flag meanwhile.
            if (select_fd >= 0) {
                pollfd fd { select_fd, POLLIN, 0 };
                if (poll(&fd, 1, 100) == 0)
                    continue;
            }
            SANE_Int length = 0;
            auto status = sane_read(handle, chunk.data(), read_chunk, &length);
            if (status == SANE_STATUS_EOF)
                break;
            if (status != SANE_STATUS_GOOD)
                return sane_error(status, "sane_read on page " + std::to_string(page_index + 1));
            if (length > read_chunk)
                return make_error(ErrorCode::scanner_io, "sane: sane_read returned more than asked");
            // Some backends report "nothing yet" in non-blocking mode with a negative length.
            if (length <= 0) {
                if (select_fd >= 0) {
                    pollfd fd { select_fd, POLLIN, 0 };
                    (void)poll(&fd, 1, 100);
                } else {
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                }
                continue;
            }
            raw.insert(raw.end(), chunk.begin(), chunk.begin() + length);
            worker->heartbeat();
            if (expected > 0) {
                double const fraction
                    = (frame_index + std::min(1.0, static_cast<double>(raw.size()) / static_cast<double>(expected)))
                    / frames;
                if (fraction - reported >= 0.01) {
                    reported = fraction;
                    events.push({ page_index, fraction, std::nullopt });
                }
            }
        }
        assembler.add_frame(layout, raw);
        return {};
    }

    // One page: one frame, or three for a three-pass device. sane_start for the first frame was called.
    Result<documents::Image> read_page(int page_index, int dpi, ScanEvents& events, std::atomic<bool> const& cancel)
    {
        sane_frames::PageAssembler assembler;
        for (int frame = 0;; ++frame) {
            if (frame > 0) {
                if (frame >= 3)
                    return make_error(ErrorCode::scanner_io, "sane: more than three frames in one page");
                if (auto status = sane_start(handle); status != SANE_STATUS_GOOD)
                    return sane_error(status, "sane_start for frame " + std::to_string(frame + 1));
            }
            SANE_Parameters parameters {};
            if (auto status = sane_get_parameters(handle, &parameters); status != SANE_STATUS_GOOD)
                return sane_error(status, "sane_get_parameters");
            bool const single = parameters.format == SANE_FRAME_GRAY || parameters.format == SANE_FRAME_RGB;
            TRY(read_frame(assembler, page_index, frame, single ? 1 : 3, events, cancel));
            if (parameters.last_frame || single)
                break;
        }
        auto page = assembler.finish(dpi);
        if (!page)
            return make_error(
                ErrorCode::scanner_io, "sane: page " + std::to_string(page_index + 1) + " carried no image data");
        events.push({ page_index, 1.0, std::nullopt });
        return std::move(*page);
    }

    Result<void> scan(ScanSettings const& settings, ScanEvents& events, std::atomic<bool> const& cancel)
    {
        TRY(ensure_open());
        int const dpi = TRY(apply(settings));
        bool const feeder = settings.source == ScanSource::adf;
        // Whatever happens below, the device is left idle afterwards (idle_device()).
        for (int page = 0;; ++page) {
            if (cancel.load())
                return make_error(ErrorCode::cancelled, "sane: scan cancelled");
            started = true;
            auto status = sane_start(handle);
            auto image = status == SANE_STATUS_GOOD ? read_page(page, dpi, events, cancel)
                                                    : Result<documents::Image>(sane_error(status, "sane_start"));
            if (!image) {
                // An empty feeder ends a run that produced pages; before any page it is the person's problem.
                bool const empty = status == SANE_STATUS_NO_DOCS || image.error().code == ErrorCode::scanner_no_docs;
                if (empty && feeder && page > 0)
                    return {};
                // An I/O error may be the scanner being unplugged: then it is "gone", and found again later.
                if (image.error().code == ErrorCode::scanner_io && device_vanished()) {
                    handle_lost = true;
                    return make_error(
                        ErrorCode::scanner_gone, "sane: " + open_device.name + " vanished: " + image.error().detail);
                }
                return std::unexpected(image.error());
            }
            events.push({ page, 1.0, std::move(*image) });
            if (page_hook)
                page_hook(page + 1, handle);
            if (!feeder)
                return {};
        }
    }

    // After a scan, however it ended: sane_cancel, once its caller has the result (a backend whose cancel hangs then
    // holds the next call, which gives up on it, not a scan that is over).
    void idle_device()
    {
        if (started && handle)
            sane_cancel(handle);
        started = false;
    }

    // After an I/O error: whether the open device is no longer listed.
    bool device_vanished()
    {
        SANE_Device const** list = nullptr;
        if (sane_get_devices(&list, SANE_TRUE) != SANE_STATUS_GOOD)
            return false;
        for (int i = 0; list && list[i]; ++i)
            if (list[i]->name && open_device.name == list[i]->name)
                return false;
        return true;
    }
};

SaneScanner::SaneScanner(std::unique_ptr<State> state)
    : m_state(std::move(state))
{
}

namespace {

std::unexpected<Error> stalled_error(std::chrono::milliseconds patience)
{
    return make_error(ErrorCode::scanner_io,
        "sane: the driver has not answered for " + std::to_string(patience.count() / 1000) + " s");
}

} // namespace

SaneScanner::~SaneScanner()
{
    auto* state = m_state.get();
    if (state->worker->call_within(state->patience, [state] {
            state->shut_down();
            return true;
        })) {
        m_state.reset();
        g_instance_alive.store(false);
        return;
    }
    // The driver is stuck in a call that may never return. Its thread is left behind with the state it uses, so that
    // the kiosk can stop (or go on without a scanner) instead of hanging with it. If the call ever returns, SANE is
    // shut down (queued above) and another driver may start.
    state->worker->post([] { g_instance_alive.store(false); });
    state->worker->abandon();
    std::lock_guard lock(g_abandoned_mutex);
    abandoned().push_back(m_state.release());
}

Result<std::unique_ptr<Scanner>> SaneScanner::create(DriverSpec const& spec)
{
    TRY(spec.allow_only({ "device", "model", "paper", "discovery_ms", "patience_ms" }));
    auto state = std::make_unique<State>();
    state->wanted_name = spec.get("device");
    state->wanted_identity = spec.get("model");
    state->discovery_period = std::chrono::milliseconds(TRY(spec.get_int("discovery_ms", 2000, 50, 600'000)));
    state->patience = std::chrono::milliseconds(TRY(spec.get_int("patience_ms", default_patience_ms, 100, 600'000)));
    if (auto paper = spec.get("paper"); paper && *paper == "a4")
        state->paper_mm = { 210.0, 297.0 };
    else if (paper && *paper != "full")
        return make_error(ErrorCode::usage, "sane scanner: paper must be a4 or full");
    if (state->wanted_name && state->wanted_name->empty())
        return make_error(ErrorCode::usage, "sane scanner: device must not be empty");

    bool expected = false;
    if (!g_instance_alive.compare_exchange_strong(expected, true))
        return make_error(
            ErrorCode::scanner_busy, "sane scanner: another SANE driver is already running in this process");
    // From here the scanner owns the instance flag and the worker: its destructor releases both.
    auto* raw_state = state.get();
    state->worker = std::make_unique<SaneWorker>(state->discovery_period, [raw_state] { raw_state->discover(); });
    auto scanner = std::make_unique<SaneScanner>(std::move(state));

    auto answer = raw_state->worker->call_within(raw_state->patience, [raw_state] { return raw_state->ensure_open(); });
    auto opened = answer ? std::move(*answer) : Result<void>(stalled_error(raw_state->patience));
    if (!opened) {
        // At start-up an absent scanner is a configuration mistake, not a replug.
        auto error = opened.error();
        if (error.code == ErrorCode::scanner_gone)
            error.code = ErrorCode::not_found;
        return std::unexpected(error);
    }
    return std::unique_ptr<Scanner>(std::move(scanner));
}

std::string SaneScanner::name() const
{
    std::lock_guard lock(m_state->name_mutex);
    return "sane:" + m_state->current_name;
}

Result<ScannerCapabilities> SaneScanner::capabilities()
{
    auto* state = m_state.get();
    auto answer = state->worker->call_within(state->patience, [state] { return state->capabilities(); });
    if (!answer)
        return stalled_error(state->patience);
    return std::move(*answer);
}

Result<void> SaneScanner::scan(ScanSettings const& settings, ScanObserver& observer, std::atomic<bool> const& cancel)
{
    // The scan runs on the SANE thread; the observer hears from it on this, the caller's, thread. The job shares
    // nothing with this call but what it owns: this call may stop waiting for a driver that stopped answering.
    auto events = std::make_shared<ScanEvents>();
    auto stop = std::make_shared<std::atomic<bool>>(cancel.load());
    auto* state = m_state.get();
    if (state->worker->stalled(state->patience))
        return stalled_error(state->patience);
    state->worker->post([state, events, settings, stop] {
        auto result = state->scan(settings, *events, *stop);
        {
            std::lock_guard lock(events->mutex);
            events->result = std::move(result);
        }
        events->changed.notify_one();
        state->idle_device();
    });
    for (;;) {
        std::deque<ScanEvents::Event> batch;
        {
            std::unique_lock lock(events->mutex);
            events->changed.wait_for(lock, std::chrono::milliseconds(100),
                [&] { return !events->events.empty() || events->result.has_value(); });
            batch.swap(events->events);
            if (batch.empty() && events->result)
                break;
        }
        if (cancel.load())
            stop->store(true);
        if (batch.empty() && state->worker->stalled(state->patience)) {
            stop->store(true);
            return stalled_error(state->patience);
        }
        for (auto& event : batch) {
            if (event.page)
                observer.on_page(std::move(*event.page));
            else
                observer.on_progress(event.page_index, event.fraction);
        }
    }
    return std::move(*events->result);
}

bool SaneScanner::stuck() const
{
    return m_state->worker->stalled(m_state->patience);
}

void SaneScanner::rediscover()
{
    auto* state = m_state.get();
    (void)state->worker->call_within(state->patience, [state] {
        state->forget_device();
        return true;
    });
}

void SaneScanner::set_page_hook_for_testing(PageHook hook)
{
    m_state->worker->call([this, &hook] { m_state->page_hook = std::move(hook); });
}

} // namespace kiosk::drivers

// SANE backends built on sanei_thread (among Debian's: the test backend, pixma, avision, hp, plustek, snapscan,
// umax...) stop their reader thread with pthread_cancel after making it cancellable asynchronously. Cancelled inside
// malloc, such a thread exits holding glibc's arena lock and deadlocks on it, and sane_cancel, which joins it, never
// returns: about one scan in 150 that ended in a jam, with the test backend. Asynchronous cancellation is made deferred
// for the whole process (the executable's definition comes before libc's; see CMakeLists.txt): the thread is cancelled
// at its next cancellation point instead (the write to its pipe, a read from the device), where it holds no lock.
// Nothing in the kiosk asks for asynchronous cancellation.
extern "C" int pthread_setcanceltype(int type, int* old_type)
{
    using Real = int (*)(int, int*);
    static Real const real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "pthread_setcanceltype"));
    if (!real)
        return ENOSYS;
    return real(type == PTHREAD_CANCEL_ASYNCHRONOUS ? PTHREAD_CANCEL_DEFERRED : type, old_type);
}
