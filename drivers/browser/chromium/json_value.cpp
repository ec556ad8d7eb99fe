// Parses the JSON messages Chromium writes on the DevTools pipe.
#include "drivers/browser/chromium/json_value.h"

#include <charconv>
#include <cmath>

namespace kiosk::drivers::chromium {

namespace {

JsonValue const& empty_value()
{
    static JsonValue const empty;
    return empty;
}

void append_utf8(std::string& out, uint32_t code)
{
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

} // namespace

class JsonParser {
public:
    JsonParser(std::string_view text, int max_depth)
        : m_text(text)
        , m_max_depth(max_depth)
    {
    }

    std::optional<JsonValue> run()
    {
        JsonValue value;
        if (!parse_value(value, 0))
            return std::nullopt;
        skip_space();
        if (m_at != m_text.size())
            return std::nullopt;
        return value;
    }

private:
    void skip_space()
    {
        while (m_at < m_text.size()
            && (m_text[m_at] == ' ' || m_text[m_at] == '\n' || m_text[m_at] == '\r' || m_text[m_at] == '\t'))
            ++m_at;
    }

    bool literal(std::string_view word)
    {
        if (m_text.substr(m_at, word.size()) != word)
            return false;
        m_at += word.size();
        return true;
    }

    bool parse_value(JsonValue& value, int depth)
    {
        if (depth > m_max_depth)
            return false;
        skip_space();
        if (m_at >= m_text.size())
            return false;
        char c = m_text[m_at];
        switch (c) {
        case '{': return parse_object(value, depth);
        case '[': return parse_array(value, depth);
        case '"': value.m_type = JsonValue::Type::string; return parse_string(value.m_string);
        case 't':
            value.m_type = JsonValue::Type::boolean;
            value.m_boolean = true;
            return literal("true");
        case 'f': value.m_type = JsonValue::Type::boolean; return literal("false");
        case 'n': return literal("null");
        default: return parse_number(value);
        }
    }

    bool parse_number(JsonValue& value)
    {
        size_t start = m_at;
        if (m_at < m_text.size() && m_text[m_at] == '-')
            ++m_at;
        auto digits = [&] {
            size_t from = m_at;
            while (m_at < m_text.size() && m_text[m_at] >= '0' && m_text[m_at] <= '9')
                ++m_at;
            return m_at > from;
        };
        if (!digits())
            return false;
        if (m_at < m_text.size() && m_text[m_at] == '.') {
            ++m_at;
            if (!digits())
                return false;
        }
        if (m_at < m_text.size() && (m_text[m_at] == 'e' || m_text[m_at] == 'E')) {
            ++m_at;
            if (m_at < m_text.size() && (m_text[m_at] == '+' || m_text[m_at] == '-'))
                ++m_at;
            if (!digits())
                return false;
        }
        double number = 0;
        auto [end, ec] = std::from_chars(m_text.data() + start, m_text.data() + m_at, number);
        if (ec != std::errc() || end != m_text.data() + m_at || !std::isfinite(number))
            return false;
        value.m_type = JsonValue::Type::number;
        value.m_number = number;
        return true;
    }

    bool hex4(uint32_t& code)
    {
        if (m_at + 4 > m_text.size())
            return false;
        code = 0;
        for (int i = 0; i < 4; ++i) {
            char c = m_text[m_at++];
            code <<= 4;
            if (c >= '0' && c <= '9')
                code |= static_cast<uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f')
                code |= static_cast<uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                code |= static_cast<uint32_t>(c - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    bool parse_string(std::string& out)
    {
        ++m_at; // the opening quote
        while (m_at < m_text.size()) {
            char c = m_text[m_at++];
            if (c == '"')
                return true;
            if (static_cast<unsigned char>(c) < 0x20)
                return false;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_at >= m_text.size())
                return false;
            char escaped = m_text[m_at++];
            switch (escaped) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                uint32_t code = 0;
                if (!hex4(code))
                    return false;
                if (code >= 0xD800 && code <= 0xDBFF) {
                    uint32_t low = 0;
                    if (!literal("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF)
                        return false;
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                } else if (code >= 0xDC00 && code <= 0xDFFF) {
                    return false; // a lone low surrogate is no character
                }
                append_utf8(out, code);
                break;
            }
            default: return false;
            }
        }
        return false;
    }

    bool parse_array(JsonValue& value, int depth)
    {
        ++m_at;
        value.m_type = JsonValue::Type::array;
        skip_space();
        if (m_at < m_text.size() && m_text[m_at] == ']') {
            ++m_at;
            return true;
        }
        for (;;) {
            JsonValue element;
            if (!parse_value(element, depth + 1))
                return false;
            value.m_array.push_back(std::move(element));
            skip_space();
            if (m_at >= m_text.size())
                return false;
            char c = m_text[m_at++];
            if (c == ']')
                return true;
            if (c != ',')
                return false;
        }
    }

    bool parse_object(JsonValue& value, int depth)
    {
        ++m_at;
        value.m_type = JsonValue::Type::object;
        skip_space();
        if (m_at < m_text.size() && m_text[m_at] == '}') {
            ++m_at;
            return true;
        }
        for (;;) {
            skip_space();
            if (m_at >= m_text.size() || m_text[m_at] != '"')
                return false;
            std::string name;
            if (!parse_string(name))
                return false;
            skip_space();
            if (m_at >= m_text.size() || m_text[m_at++] != ':')
                return false;
            JsonValue member;
            if (!parse_value(member, depth + 1))
                return false;
            value.m_object.insert_or_assign(std::move(name), std::move(member));
            skip_space();
            if (m_at >= m_text.size())
                return false;
            char c = m_text[m_at++];
            if (c == '}')
                return true;
            if (c != ',')
                return false;
        }
    }

    std::string_view m_text;
    size_t m_at = 0;
    int m_max_depth;
};

std::optional<JsonValue> JsonValue::parse(std::string_view text, int max_depth)
{
    return JsonParser(text, max_depth).run();
}

JsonValue const& JsonValue::operator[](std::string_view name) const
{
    if (m_type != Type::object)
        return empty_value();
    auto found = m_object.find(name);
    return found == m_object.end() ? empty_value() : found->second;
}

JsonValue const& JsonValue::at(size_t i) const
{
    return m_type == Type::array && i < m_array.size() ? m_array[i] : empty_value();
}

size_t JsonValue::size() const
{
    return m_type == Type::array ? m_array.size() : m_type == Type::object ? m_object.size() : 0;
}

bool JsonValue::contains(std::string_view name) const
{
    return m_type == Type::object && m_object.find(name) != m_object.end();
}

std::string const& JsonValue::string_or(std::string const& fallback) const
{
    return m_type == Type::string ? m_string : fallback;
}

std::optional<int64_t> JsonValue::integer() const
{
    if (m_type != Type::number || m_number != std::floor(m_number) || std::fabs(m_number) > 9007199254740992.0)
        return std::nullopt;
    return static_cast<int64_t>(m_number);
}

} // namespace kiosk::drivers::chromium
