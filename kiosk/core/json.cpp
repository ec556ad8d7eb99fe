// Implementation of the compact JSON writer.
#include "kiosk/core/json.h"

#include <cmath>
#include <cstdio>

namespace kiosk {

std::string json_quote(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 2);
    out.push_back('"');
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (byte < 0x20 || byte == 0x7f) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", byte);
                out += buffer;
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
    return out;
}

void JsonWriter::before_value()
{
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (!m_has_element.empty()) {
        if (m_has_element.back())
            m_out.push_back(',');
        m_has_element.back() = true;
    }
}

JsonWriter& JsonWriter::begin_object()
{
    before_value();
    m_out.push_back('{');
    m_has_element.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::end_object()
{
    m_out.push_back('}');
    m_has_element.pop_back();
    return *this;
}

JsonWriter& JsonWriter::begin_array()
{
    before_value();
    m_out.push_back('[');
    m_has_element.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::end_array()
{
    m_out.push_back(']');
    m_has_element.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name)
{
    before_value();
    m_out += json_quote(name);
    m_out.push_back(':');
    m_after_key = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text)
{
    before_value();
    m_out += json_quote(text);
    return *this;
}

JsonWriter& JsonWriter::value(bool flag)
{
    before_value();
    m_out += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::value(int64_t number)
{
    before_value();
    m_out += std::to_string(number);
    return *this;
}

JsonWriter& JsonWriter::value(uint64_t number)
{
    before_value();
    m_out += std::to_string(number);
    return *this;
}

JsonWriter& JsonWriter::value(double number)
{
    before_value();
    if (!std::isfinite(number)) {
        m_out += "null";
        return *this;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", number);
    m_out += buffer;
    return *this;
}

JsonWriter& JsonWriter::null()
{
    before_value();
    m_out += "null";
    return *this;
}

JsonWriter& JsonWriter::value(const std::optional<std::string>& text)
{
    if (!text)
        return null();
    return value(std::string_view(*text));
}

} // namespace kiosk
