// `kiosk run`: parses its options and hands over to the UI runner.
#include "kiosk/cli/commands.h"

#include "kiosk/ui/runner.h"

#include <charconv>
#include <ostream>

namespace kiosk::cli {

int cmd_run(std::span<const std::string> args, Streams streams)
{
    ui::RunOptions options;
    auto usage = [&](std::string const& message) {
        streams.err << "kiosk run: " << message << " (kiosk help)\n";
        return exit_usage;
    };
    for (size_t i = 0; i < args.size(); ++i) {
        auto const& arg = args[i];
        auto value = [&]() -> std::string const* { return i + 1 < args.size() ? &args[++i] : nullptr; };
        if (arg == "--windowed") {
            options.windowed = true;
        } else if (arg == "--headless") {
            options.headless = true;
        } else if (arg == "--list-ids") {
            options.list_ids = true;
        } else if (arg == "--report-timing") {
            options.report_timing = true;
        } else if (arg == "--config" || arg == "--script" || arg == "--screenshots" || arg == "--size" || arg == "--bench-frames") {
            auto const* v = value();
            if (!v)
                return usage(arg + " needs a value");
            if (arg == "--config")
                options.config = *v;
            else if (arg == "--script")
                options.script = *v;
            else if (arg == "--screenshots")
                options.screenshots = *v;
            else if (arg == "--bench-frames") {
                auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), options.bench_frames);
                if (ec != std::errc() || end != v->data() + v->size() || options.bench_frames < 1)
                    return usage("--bench-frames needs a positive number");
            } else {
                int w = 0, h = 0;
                auto x = v->find('x');
                if (x == std::string::npos || std::from_chars(v->data(), v->data() + x, w).ec != std::errc()
                    || std::from_chars(v->data() + x + 1, v->data() + v->size(), h).ec != std::errc() || w < 320 || h < 240 || w > 7680
                    || h > 4320)
                    return usage("--size needs WIDTHxHEIGHT, e.g. 1280x800");
                options.size_width = w;
                options.size_height = h;
            }
        } else {
            return usage("unknown option '" + arg + "'");
        }
    }
    if (options.script && !options.headless)
        return usage("--script needs --headless");
    return ui::run_kiosk(options, streams.out, streams.err);
}

} // namespace kiosk::cli
