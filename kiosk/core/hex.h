// Hexadecimal text of bytes: session and file ids, salts and digests, card UIDs.
#pragma once

#include "kiosk/core/error.h"

#include <cstddef>
#include <span>
#include <string>

namespace kiosk {

enum class HexCase { lower, upper };

std::string to_hex(std::span<const unsigned char> bytes, HexCase letters = HexCase::lower);

// bytes random bytes (OpenSSL's RAND_bytes) as lower-case hex; ErrorCode::crypto when there is no randomness.
Result<std::string> random_hex(size_t bytes);

} // namespace kiosk
