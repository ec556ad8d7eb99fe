// JPEG encoding and decoding with libjpeg-turbo, its fatal errors turned into Result errors.
#include "kiosk/documents/jpeg.h"

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio> // jpeglib.h needs FILE and size_t declared first
#include <cstdlib>
#include <new>
#include <string>

#include <jerror.h>
#include <jpeglib.h>

namespace kiosk::documents {

namespace {

// libjpeg's default error_exit calls exit(); ours jumps back to the setjmp of the running job. The struct
// starts with the jpeg_error_mgr so libjpeg's err pointer can be cast back to it.
struct ErrorTrap {
    jpeg_error_mgr manager;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    bool treat_truncation_as_error = false;
};

[[noreturn]] void jump_on_error(j_common_ptr info)
{
    auto* trap = reinterpret_cast<ErrorTrap*>(info->err);
    (*info->err->format_message)(info, trap->message);
    std::longjmp(trap->jump, 1);
}

// Warnings must not reach stderr (the kiosk's journal gets the Error detail instead). A decoder that runs out
// of data only warns and pads the image with grey, which would hide a truncated upload, so those warnings
// become errors.
void filter_message(j_common_ptr info, int level)
{
    auto* trap = reinterpret_cast<ErrorTrap*>(info->err);
    if (level >= 0)
        return; // trace messages
    int const code = info->err->msg_code;
    if (trap->treat_truncation_as_error && (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER))
        jump_on_error(info);
    info->err->num_warnings++;
}

void install_trap(ErrorTrap& trap)
{
    jpeg_std_error(&trap.manager);
    trap.manager.error_exit = jump_on_error;
    trap.manager.emit_message = filter_message;
    trap.message[0] = '\0';
}

// The jobs live in the caller's frame, outside the function that calls setjmp, so nothing the library or
// our code changes before a longjmp has an indeterminate value afterwards, and no C++ object needs
// unwinding across the jump.
struct EncodeJob {
    Image const* image = nullptr;
    int quality = 0;
    std::vector<JSAMPROW> rows;
    unsigned char* output = nullptr; // malloc'ed by jpeg_mem_dest, freed by the caller
    unsigned long output_size = 0;
    ErrorTrap trap;
};

bool run_encode(EncodeJob& job)
{
    jpeg_compress_struct compressor {}; // zeroed, so destroying it before creation completes is harmless
    install_trap(job.trap);
    compressor.err = &job.trap.manager;
    if (setjmp(job.trap.jump)) {
        jpeg_destroy_compress(&compressor);
        return false;
    }
    jpeg_create_compress(&compressor);
    jpeg_mem_dest(&compressor, &job.output, &job.output_size);

    Image const& image = *job.image;
    compressor.image_width = static_cast<JDIMENSION>(image.width);
    compressor.image_height = static_cast<JDIMENSION>(image.height);
    compressor.input_components = image.channels;
    compressor.in_color_space = image.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&compressor);
    jpeg_set_quality(&compressor, job.quality, TRUE);
    // Huffman tables fitted to the page make a scan about 10 % smaller for about 20 ms per A4 page at 300 dpi.
    // The integer "slow" DCT is SIMD-accelerated in libjpeg-turbo: measured as fast as IFAST here, and exact.
    compressor.optimize_coding = TRUE;
    compressor.dct_method = JDCT_ISLOW;
    if (image.channels == 3) {
        // 4:2:0: scans are mostly black on white, and halved chroma is invisible there.
        compressor.comp_info[0].h_samp_factor = 2;
        compressor.comp_info[0].v_samp_factor = 2;
        compressor.comp_info[1].h_samp_factor = 1;
        compressor.comp_info[1].v_samp_factor = 1;
        compressor.comp_info[2].h_samp_factor = 1;
        compressor.comp_info[2].v_samp_factor = 1;
    }
    compressor.write_JFIF_header = TRUE;
    if (image.dpi > 0) {
        compressor.density_unit = 1; // dots per inch
        compressor.X_density = static_cast<UINT16>(std::min(image.dpi, 65535));
        compressor.Y_density = compressor.X_density;
    }

    jpeg_start_compress(&compressor, TRUE);
    while (compressor.next_scanline < compressor.image_height) {
        JDIMENSION const remaining = compressor.image_height - compressor.next_scanline;
        jpeg_write_scanlines(&compressor, job.rows.data() + compressor.next_scanline, remaining);
    }
    jpeg_finish_compress(&compressor);
    jpeg_destroy_compress(&compressor);
    return true;
}

// Far beyond any scan (A3 at 600 dpi is 70 megapixels): a corrupt header cannot make us allocate gigabytes.
constexpr uint64_t max_decoded_pixels = 256ull * 1024 * 1024;

struct DecodeJob {
    std::span<const uint8_t> input;
    Image image;
    std::vector<JSAMPROW> rows;
    bool out_of_memory = false;
    ErrorTrap trap;
};

bool run_decode(DecodeJob& job)
{
    jpeg_decompress_struct decompressor {};
    install_trap(job.trap);
    job.trap.treat_truncation_as_error = true;
    decompressor.err = &job.trap.manager;
    if (setjmp(job.trap.jump)) {
        jpeg_destroy_decompress(&decompressor);
        return false;
    }
    jpeg_create_decompress(&decompressor);
    jpeg_mem_src(&decompressor, job.input.data(), static_cast<unsigned long>(job.input.size()));
    jpeg_read_header(&decompressor, TRUE);

    switch (decompressor.jpeg_color_space) {
    case JCS_GRAYSCALE: decompressor.out_color_space = JCS_GRAYSCALE; break;
    case JCS_YCbCr:
    case JCS_RGB: decompressor.out_color_space = JCS_RGB; break;
    default:
        std::snprintf(job.trap.message, sizeof job.trap.message, "unsupported JPEG colour space %d (only grey and RGB)",
            static_cast<int>(decompressor.jpeg_color_space));
        jpeg_destroy_decompress(&decompressor);
        return false;
    }

    // Checked before starting: a progressive JPEG makes libjpeg allocate its whole coefficient buffer there.
    uint64_t const pixel_count = uint64_t { decompressor.image_width } * uint64_t { decompressor.image_height };
    if (pixel_count > max_decoded_pixels) {
        std::snprintf(job.trap.message, sizeof job.trap.message, "JPEG too large (%ux%u)", decompressor.image_width,
            decompressor.image_height);
        jpeg_destroy_decompress(&decompressor);
        return false;
    }

    jpeg_start_decompress(&decompressor);
    Image& image = job.image;
    image.width = static_cast<int>(decompressor.output_width);
    image.height = static_cast<int>(decompressor.output_height);
    image.channels = decompressor.output_components;
    if (decompressor.saw_JFIF_marker && decompressor.density_unit == 1)
        image.dpi = decompressor.X_density;
    else if (decompressor.saw_JFIF_marker && decompressor.density_unit == 2)
        image.dpi = static_cast<int>(std::lround(decompressor.X_density * 2.54));

    try {
        image.pixels.resize(image.row_bytes() * static_cast<size_t>(image.height));
        job.rows.resize(static_cast<size_t>(image.height));
    } catch (std::bad_alloc const&) {
        job.out_of_memory = true;
        jpeg_destroy_decompress(&decompressor);
        return false;
    }
    for (int y = 0; y < image.height; ++y)
        job.rows[static_cast<size_t>(y)] = image.pixels.data() + image.row_bytes() * static_cast<size_t>(y);

    while (decompressor.output_scanline < decompressor.output_height) {
        JDIMENSION const remaining = decompressor.output_height - decompressor.output_scanline;
        jpeg_read_scanlines(&decompressor, job.rows.data() + decompressor.output_scanline, remaining);
    }
    jpeg_finish_decompress(&decompressor);
    jpeg_destroy_decompress(&decompressor);
    return true;
}

} // namespace

Result<std::vector<uint8_t>> encode_jpeg(const Image& image, int quality)
{
    if (quality < 1 || quality > 100)
        return make_error(ErrorCode::usage, "JPEG quality " + std::to_string(quality) + " is not in 1..100");
    if (image.empty() || (image.channels != 1 && image.channels != 3))
        return make_error(ErrorCode::usage,
            "cannot encode an empty image or one with " + std::to_string(image.channels) + " channels");
    if (image.pixels.size() < image.row_bytes() * static_cast<size_t>(image.height))
        return make_error(ErrorCode::usage, "image pixel buffer is smaller than its dimensions");

    EncodeJob job;
    job.image = &image;
    job.quality = quality;
    // libjpeg takes non-const row pointers but only reads them when compressing.
    job.rows.resize(static_cast<size_t>(image.height));
    auto* pixels = const_cast<uint8_t*>(image.pixels.data());
    for (int y = 0; y < image.height; ++y)
        job.rows[static_cast<size_t>(y)] = pixels + image.row_bytes() * static_cast<size_t>(y);

    bool const encoded = run_encode(job);
    std::vector<uint8_t> jpeg;
    if (encoded)
        jpeg.assign(job.output, job.output + job.output_size);
    std::free(job.output);
    if (!encoded)
        return make_error(ErrorCode::io, std::string("JPEG encoding failed: ") + job.trap.message);
    return jpeg;
}

Result<Image> decode_jpeg(std::span<const uint8_t> jpeg)
{
    if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        return make_error(ErrorCode::io, "not a JPEG file");

    DecodeJob job;
    job.input = jpeg;
    if (!run_decode(job)) {
        if (job.out_of_memory)
            return make_error(ErrorCode::io, "JPEG decoding failed: out of memory");
        return make_error(ErrorCode::io, std::string("JPEG decoding failed: ") + job.trap.message);
    }
    return std::move(job.image);
}

} // namespace kiosk::documents
