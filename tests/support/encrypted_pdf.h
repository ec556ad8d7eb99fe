// Encrypted PDFs for tests, written by hand with the standard security handler of PDF 1.3 (RC4, 40-bit key,
// revision 2), since nothing the kiosk links can write one. A non-empty user password locks the file; an empty
// one opens it, with only the owner password's restrictions (print allowed or not).
#pragma once

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace kiosk::tests {

namespace encrypted_pdf_detail {

inline std::array<uint8_t, 32> padded(std::string const& password)
{
    static constexpr std::array<uint8_t, 32> padding { 0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E,
        0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64,
        0x53, 0x69, 0x7A };
    std::array<uint8_t, 32> out = padding;
    size_t const n = std::min(password.size(), out.size());
    std::copy_n(password.begin(), n, out.begin());
    std::copy_n(padding.begin(), out.size() - n, out.begin() + static_cast<std::ptrdiff_t>(n));
    return out;
}

inline std::array<uint8_t, 16> md5(std::vector<uint8_t> const& data)
{
    std::array<uint8_t, 16> digest {};
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_md5(), nullptr);
    return digest;
}

// RC4 is its own inverse; OpenSSL 3 keeps it in the legacy provider only, so it is written out here.
inline std::vector<uint8_t> rc4(std::vector<uint8_t> const& key, std::vector<uint8_t> data)
{
    std::array<uint8_t, 256> s {};
    for (int i = 0; i < 256; ++i)
        s[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
    for (size_t i = 0, j = 0; i < 256; ++i) {
        j = (j + s[i] + key[i % key.size()]) % 256;
        std::swap(s[i], s[j]);
    }
    for (size_t n = 0, i = 0, j = 0; n < data.size(); ++n) {
        i = (i + 1) % 256;
        j = (j + s[i]) % 256;
        std::swap(s[i], s[j]);
        data[n] ^= s[(s[i] + s[j]) % 256];
    }
    return data;
}

inline std::string hex(std::vector<uint8_t> const& bytes)
{
    std::string out;
    char two[3];
    for (uint8_t b : bytes) {
        std::snprintf(two, sizeof two, "%02X", b);
        out += two;
    }
    return out;
}

} // namespace encrypted_pdf_detail

// A PDF of `pages` A4 pages, each with a grey square, encrypted. allow_print clears or sets permission bit 3.
inline std::vector<uint8_t> encrypted_pdf(int pages, std::string const& user_password, bool allow_print = true)
{
    using namespace encrypted_pdf_detail;
    std::string const owner_password = "kiosk-owner";
    std::vector<uint8_t> const id { 0x6B, 0x69, 0x6F, 0x73, 0x6B, 0x2D, 0x74, 0x65, 0x73, 0x74, 0x2D, 0x69, 0x64, 0x2D,
        0x30, 0x31 };
    int32_t const permissions = allow_print ? -4 : -4 & ~4;

    // Algorithm 3: O is the padded user password under a key from the owner password.
    auto const owner_padded = padded(owner_password);
    auto const owner_digest = md5({ owner_padded.begin(), owner_padded.end() });
    auto const user_padded = padded(user_password);
    std::vector<uint8_t> const o
        = rc4({ owner_digest.begin(), owner_digest.begin() + 5 }, { user_padded.begin(), user_padded.end() });
    // Algorithm 2: the file key from the user password, O, P and the first ID.
    std::vector<uint8_t> seed(user_padded.begin(), user_padded.end());
    seed.insert(seed.end(), o.begin(), o.end());
    for (int i = 0; i < 4; ++i)
        seed.push_back(static_cast<uint8_t>(static_cast<uint32_t>(permissions) >> (8 * i)));
    seed.insert(seed.end(), id.begin(), id.end());
    auto const file_digest = md5(seed);
    std::vector<uint8_t> const key(file_digest.begin(), file_digest.begin() + 5);
    // Algorithm 4: U is the padding under the file key.
    auto const empty_padded = padded("");
    std::vector<uint8_t> const u = rc4(key, { empty_padded.begin(), empty_padded.end() });

    // Objects: 1 catalog, 2 page tree, 3 encryption dictionary, then a page and its contents for each page.
    std::vector<std::string> objects;
    std::string kids;
    for (int i = 0; i < pages; ++i)
        kids += std::to_string(4 + 2 * i) + " 0 R ";
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
    objects.push_back("<< /Filter /Standard /V 1 /R 2 /O <" + hex(o) + "> /U <" + hex(u) + "> /P "
        + std::to_string(permissions) + " >>");
    std::string const content = "0.5 g 100 400 300 300 re f\n";
    for (int i = 0; i < pages; ++i) {
        int const number = 5 + 2 * i;
        objects.push_back(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents " + std::to_string(number) + " 0 R >>");
        // Each object's strings and streams are under the file key extended by its number and generation.
        std::vector<uint8_t> object_seed = key;
        for (int b = 0; b < 3; ++b)
            object_seed.push_back(static_cast<uint8_t>(number >> (8 * b)));
        object_seed.insert(object_seed.end(), { 0, 0 });
        auto const object_digest = md5(object_seed);
        auto const stream
            = rc4({ object_digest.begin(), object_digest.begin() + 10 }, { content.begin(), content.end() });
        objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n"
            + std::string(stream.begin(), stream.end()) + "\nendstream");
    }

    std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<size_t> offsets;
    for (size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    size_t const xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    char entry[21];
    for (size_t offset : offsets) {
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
        pdf += entry;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R /Encrypt 3 0 R /ID [<" + hex(id)
        + "> <" + hex(id) + ">] >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return { pdf.begin(), pdf.end() };
}

} // namespace kiosk::tests
