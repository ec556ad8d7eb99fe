// The compiled half of the documents benchmark: writes the raw frames every tool reads, and runs our pipeline
// on them with per-stage timings. documents_bench.py drives it beside img2pdf and ImageMagick.
#include "kiosk/documents/fit_to_size.h"
#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/pdf.h"
#include "kiosk/documents/pipeline.h"

#include "drivers/scanner/sim/page_synth.h"
#include "tests/documents/raw_frames.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace kiosk::documents;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool write_pnm(std::string const& path, Image const& image)
{
    std::ofstream out(path, std::ios::binary);
    out << (image.channels == 1 ? "P5" : "P6") << '\n' << image.width << ' ' << image.height << "\n255\n";
    out.write(reinterpret_cast<char const*>(image.pixels.data()), static_cast<std::streamsize>(image.pixels.size()));
    return static_cast<bool>(out);
}

// Binary P5/P6 with maxval 255, as written above; comments are skipped.
bool read_pnm(std::string const& path, int dpi, Image& image)
{
    std::ifstream in(path, std::ios::binary);
    std::string magic;
    in >> magic;
    if (magic != "P5" && magic != "P6")
        return false;
    auto next_number = [&]() {
        in >> std::ws;
        while (in.peek() == '#') {
            std::string comment;
            std::getline(in, comment);
            in >> std::ws;
        }
        int value = -1;
        in >> value;
        return value;
    };
    image.width = next_number();
    image.height = next_number();
    int const maxval = next_number();
    in.get(); // the single whitespace before the raster
    if (image.width <= 0 || image.height <= 0 || maxval != 255)
        return false;
    image.channels = magic == "P5" ? 1 : 3;
    image.dpi = dpi;
    image.pixels.resize(image.row_bytes() * static_cast<size_t>(image.height));
    in.read(reinterpret_cast<char*>(image.pixels.data()), static_cast<std::streamsize>(image.pixels.size()));
    return static_cast<bool>(in);
}

// Raw frames as a flatbed delivers them with the lid open: the page slightly turned, on a 216 × 300 mm
// platen whose uncovered part is dark.
int generate(std::string const& dir, int dpi, std::string const& mode, int pages)
{
    auto const color_mode = mode == "gray" ? kiosk::drivers::ColorMode::gray : kiosk::drivers::ColorMode::color;
    static constexpr double turns[] = { 1.5, -2.0, 0.8, -1.2 };
    double const px_per_mm = dpi / 25.4;
    for (int i = 0; i < pages; ++i) {
        Image const page
            = kiosk::test::turned_page(kiosk::drivers::synthesize_page(i, dpi, color_mode, 7), turns[i % 4]);
        Image const frame = kiosk::test::on_dark_platen(page, static_cast<int>(std::lround(3 * px_per_mm)),
            static_cast<int>(std::lround(2 * px_per_mm)), static_cast<int>(std::lround(216 * px_per_mm)),
            static_cast<int>(std::lround(300 * px_per_mm)));
        std::string const path = dir + "/" + mode + "-" + std::to_string(dpi) + "-" + std::to_string(i + 1) + ".pnm";
        if (!write_pnm(path, frame)) {
            std::fprintf(stderr, "cannot write %s\n", path.c_str());
            return 1;
        }
        std::printf("%s\n", path.c_str());
    }
    return 0;
}

int run_pipeline(
    std::string const& out_path, int dpi, std::string const& mode, int quality, std::vector<std::string> const& inputs)
{
    double read_ms = 0, prepare_ms = 0, encode_ms = 0;
    PageOptions options;
    options.mode = mode == "gray" ? PageMode::gray : PageMode::color;
    std::vector<PdfPage> pages;
    double max_skew = 0;
    for (std::string const& path : inputs) {
        auto start = Clock::now();
        Image frame;
        if (!read_pnm(path, dpi, frame)) {
            std::fprintf(stderr, "cannot read %s\n", path.c_str());
            return 1;
        }
        read_ms += ms_since(start);

        start = Clock::now();
        PreparedPage prepared = prepare_page(frame, options);
        prepare_ms += ms_since(start);
        max_skew = std::max(max_skew, std::abs(prepared.skew_degrees));

        start = Clock::now();
        auto jpeg = encode_jpeg(prepared.image, quality);
        encode_ms += ms_since(start);
        if (!jpeg) {
            std::fprintf(stderr, "%s\n", jpeg.error().detail.c_str());
            return 1;
        }
        Image const& image = prepared.image;
        pages.push_back(PdfPage { std::move(*jpeg), image.width, image.height, image.channels, image.dpi });
    }
    auto start = Clock::now();
    auto pdf = assemble_pdf(pages);
    double const assemble_ms = ms_since(start);
    if (!pdf) {
        std::fprintf(stderr, "%s\n", pdf.error().detail.c_str());
        return 1;
    }
    start = Clock::now();
    std::ofstream out(out_path, std::ios::binary);
    out.write(reinterpret_cast<char const*>(pdf->data()), static_cast<std::streamsize>(pdf->size()));
    out.close();
    double const write_ms = ms_since(start);
    std::printf("{\"pages\":%zu,\"bytes\":%zu,\"read_ms\":%.2f,\"prepare_ms\":%.2f,\"encode_ms\":%.2f,"
                "\"assemble_ms\":%.2f,\"write_ms\":%.2f,\"max_skew\":%.2f}\n",
        inputs.size(), pdf->size(), read_ms, prepare_ms, encode_ms, assemble_ms, write_ms, max_skew);
    return out ? 0 : 1;
}

int usage()
{
    std::fprintf(stderr,
        "usage: documents_bench generate DIR DPI color|gray PAGES\n"
        "       documents_bench pipeline OUT.pdf DPI color|gray QUALITY FRAME.pnm...\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> const args(argv + 1, argv + argc);
    if (args.size() == 5 && args[0] == "generate")
        return generate(args[1], std::stoi(args[2]), args[3], std::stoi(args[4]));
    if (args.size() >= 6 && args[0] == "pipeline")
        return run_pipeline(args[1], std::stoi(args[2]), args[3], std::stoi(args[4]),
            std::vector<std::string>(args.begin() + 5, args.end()));
    return usage();
}
