// Implementation of the compact JSON writer.
#include "kiosk/core/json.h"

#include <cctype>
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

namespace {

// A recursive-descent checker; each function advances at past what it accepted.
class JsonChecker {
public:
    JsonChecker(std::string_view text, int max_depth)
        : m_text(text)
        , m_depth_left(max_depth)
    {
    }

    bool document()
    {
        skip_space();
        if (!value())
            return false;
        skip_space();
        return m_at == m_text.size();
    }

private:
    bool value()
    {
        if (m_at >= m_text.size())
            return false;
        switch (m_text[m_at]) {
        case '{': return container('}');
        case '[': return container(']');
        case '"': return string();
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        default: return number();
        }
    }

    bool container(char close)
    {
        if (--m_depth_left < 0)
            return false;
        ++m_at;
        skip_space();
        if (peek(close)) {
            ++m_at;
            ++m_depth_left;
            return true;
        }
        for (;;) {
            if (close == '}') {
                if (!peek('"') || !string())
                    return false;
                skip_space();
                if (!peek(':'))
                    return false;
                ++m_at;
                skip_space();
            }
            if (!value())
                return false;
            skip_space();
            if (peek(',')) {
                ++m_at;
                skip_space();
                continue;
            }
            if (!peek(close))
                return false;
            ++m_at;
            ++m_depth_left;
            return true;
        }
    }

    bool string()
    {
        ++m_at;
        while (m_at < m_text.size()) {
            auto c = static_cast<unsigned char>(m_text[m_at++]);
            if (c == '"')
                return true;
            if (c < 0x20)
                return false;
            if (c != '\\')
                continue;
            if (m_at >= m_text.size())
                return false;
            char escaped = m_text[m_at++];
            if (escaped == 'u') {
                for (int i = 0; i < 4; ++i, ++m_at)
                    if (m_at >= m_text.size() || !std::isxdigit(static_cast<unsigned char>(m_text[m_at])))
                        return false;
            } else if (std::string_view("\"\\/bfnrt").find(escaped) == std::string_view::npos) {
                return false;
            }
        }
        return false;
    }

    bool number()
    {
        size_t start = m_at;
        if (peek('-'))
            ++m_at;
        if (peek('0'))
            ++m_at;
        else if (!digits())
            return false;
        if (peek('.')) {
            ++m_at;
            if (!digits())
                return false;
        }
        if (peek('e') || peek('E')) {
            ++m_at;
            if (peek('+') || peek('-'))
                ++m_at;
            if (!digits())
                return false;
        }
        return m_at > start;
    }

    bool digits()
    {
        size_t start = m_at;
        while (m_at < m_text.size() && m_text[m_at] >= '0' && m_text[m_at] <= '9')
            ++m_at;
        return m_at > start;
    }

    bool literal(std::string_view word)
    {
        if (m_text.substr(m_at, word.size()) != word)
            return false;
        m_at += word.size();
        return true;
    }

    bool peek(char c) const { return m_at < m_text.size() && m_text[m_at] == c; }

    void skip_space()
    {
        while (m_at < m_text.size()
            && (m_text[m_at] == ' ' || m_text[m_at] == '\t' || m_text[m_at] == '\n' || m_text[m_at] == '\r'))
            ++m_at;
    }

    std::string_view m_text;
    size_t m_at = 0;
    int m_depth_left;
};

} // namespace

bool json_valid(std::string_view text, int max_depth)
{
    return JsonChecker(text, max_depth).document();
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
