// Forms to print: the kiosk's own sheets through the text PDF writer, official files checked before they are offered.
#include "kiosk/documents/form_pdf.h"

#include "kiosk/core/catalogue.h"
#include "kiosk/documents/pdf.h"
#include "kiosk/documents/pdf_render.h"

#include <fstream>
#include <iterator>

namespace kiosk::documents {

namespace {

// An official form is a few pages; anything much larger is not what the index meant.
constexpr std::uintmax_t largest_form_bytes = 32 * 1024 * 1024;

Result<std::vector<uint8_t>> read_official_pdf(core::Form const& form, std::filesystem::path const& path)
{
    auto missing = [&](std::string const& why) {
        return make_error(ErrorCode::asset_missing, "form '" + form.slug + "': " + path.string() + ": " + why);
    };
    std::error_code error;
    auto const size = std::filesystem::file_size(path, error);
    if (error)
        return missing(error.message());
    if (size > largest_form_bytes)
        return missing("larger than " + std::to_string(largest_form_bytes) + " bytes");
    std::ifstream file(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (!file.good() && !file.eof())
        return missing("cannot be read");
    if (auto pages = count_pdf_pages(bytes); !pages)
        return missing(pages.error().detail);
    if (auto info = inspect_pdf(bytes); !info)
        return missing(info.error().detail);
    return bytes;
}

} // namespace

std::vector<TextBlock> text_blocks(core::Form const& form)
{
    std::vector<TextBlock> blocks;
    for (auto const& block : form.blocks) {
        using Kind = TextBlock::Kind;
        Kind kind = block.kind == "title" ? Kind::title
            : block.kind == "heading"     ? Kind::heading
            : block.kind == "field"       ? Kind::field
            : block.kind == "signature"   ? Kind::signature
            : block.kind == "small"       ? Kind::small
                                          : Kind::paragraph;
        blocks.push_back({ kind, block.text });
    }
    return blocks;
}

Result<std::vector<uint8_t>> form_pdf(core::Form const& form)
{
    if (form.file)
        return read_official_pdf(form, *form.file);
    return write_text_pdf(text_blocks(form), core::localized(form.title, "fr"));
}

bool form_available(core::Form const& form)
{
    return !form.file || read_official_pdf(form, *form.file).has_value();
}

} // namespace kiosk::documents
