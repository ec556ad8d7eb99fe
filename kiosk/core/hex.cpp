// Hexadecimal encoding and random hex ids.
#include "kiosk/core/hex.h"

#include <openssl/rand.h>
#include <vector>

namespace kiosk {

std::string to_hex(std::span<const unsigned char> bytes, HexCase letters)
{
    char const* digits = letters == HexCase::upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char byte : bytes) {
        hex.push_back(digits[byte >> 4]);
        hex.push_back(digits[byte & 0x0f]);
    }
    return hex;
}

Result<std::string> random_hex(size_t bytes)
{
    std::vector<unsigned char> raw(bytes);
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
        return make_error(ErrorCode::crypto, "RAND_bytes failed");
    return to_hex(raw);
}

} // namespace kiosk
