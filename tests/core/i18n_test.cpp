// Tests of the translations: every shipped language complete and checked against French, plurals by ICU's rules.
#include "kiosk/core/i18n.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

using namespace kiosk;
using namespace kiosk::core;

namespace {

std::filesystem::path const i18n_dir = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets" / "i18n";
std::vector<std::string> const shipped = { "fr", "en", "ar", "es", "pt", "tr", "ro", "uk" };

// A fresh directory of translation files, removed when the test ends.
class TempI18n {
public:
    TempI18n()
    {
        static int count = 0;
        m_dir = std::filesystem::temp_directory_path()
            / ("kiosk-i18n-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
    }
    ~TempI18n() { std::filesystem::remove_all(m_dir); }
    TempI18n(TempI18n const&) = delete;
    TempI18n& operator=(TempI18n const&) = delete;

    void write(std::string const& language, std::string const& text)
    {
        std::ofstream(m_dir / (language + ".toml")) << text;
    }
    std::filesystem::path const& dir() const { return m_dir; }

private:
    std::filesystem::path m_dir;
};

std::string const french = "[home]\n"
                           "title = \"Que voulez-vous faire ?\"\n"
                           "documents = \"Mes documents ({0})\"\n"
                           "[site_problem.title]\n"
                           "blocked = \"Ce site n'est pas disponible\"\n"
                           "other = \"Cette page ne s'affiche pas\"\n"
                           "[tray]\n"
                           "pages.one = \"{0} page\"\n"
                           "pages.many = \"{0} pages\"\n"
                           "pages.other = \"{0} pages\"\n";

std::string const ukrainian = "[home]\n"
                              "title = \"Що ви хочете зробити?\"\n"
                              "documents = \"Мої документи ({0})\"\n"
                              "[site_problem.title]\n"
                              "blocked = \"Цей сайт недоступний\"\n"
                              "other = \"Ця сторінка не відкривається\"\n"
                              "[tray]\n"
                              "pages.one = \"{0} сторінка\"\n"
                              "pages.few = \"{0} сторінки\"\n"
                              "pages.many = \"{0} сторінок\"\n"
                              "pages.other = \"{0} сторінки\"\n";

std::string replaced(std::string text, std::string const& from, std::string const& to)
{
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// The error detail of loading fr and uk from a directory where uk.toml is ukrainian_text ("" when it loads).
std::string load_error(std::string const& ukrainian_text, std::string const& french_text = french)
{
    TempI18n files;
    files.write("fr", french_text);
    files.write("uk", ukrainian_text);
    auto translations = Translations::load(files.dir(), { "fr", "uk" });
    return translations ? std::string() : translations.error().detail;
}

// The length of the UTF-8 sequence a lead byte opens, 0 when it cannot open one.
size_t sequence_length(unsigned char byte)
{
    if (byte < 0x80)
        return 1;
    if ((byte & 0xE0) == 0xC0)
        return 2;
    if ((byte & 0xF0) == 0xE0)
        return 3;
    if ((byte & 0xF8) == 0xF0)
        return 4;
    return 0;
}

bool valid_utf8(std::string_view text)
{
    size_t i = 0;
    while (i < text.size()) {
        auto byte = static_cast<unsigned char>(text[i]);
        size_t length = sequence_length(byte);
        if (length == 0 || i + length > text.size())
            return false;
        char32_t code = length == 1 ? byte : byte & (0xFF >> (length + 1));
        for (size_t k = 1; k < length; ++k) {
            auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80)
                return false;
            code = (code << 6) | (next & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
        char32_t const smallest[] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (code < smallest[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
            return false;
        i += length;
    }
    return true;
}

// The code points of a valid UTF-8 text.
std::vector<char32_t> code_points(std::string_view text)
{
    std::vector<char32_t> result;
    for (size_t i = 0; i < text.size();) {
        auto byte = static_cast<unsigned char>(text[i]);
        size_t length = sequence_length(byte);
        if (length == 0 || i + length > text.size())
            break; // not UTF-8: valid_utf8() says so
        char32_t code = length == 1 ? byte : byte & (0xFF >> (length + 1));
        for (size_t k = 1; k < length; ++k)
            code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        result.push_back(code);
        i += length;
    }
    return result;
}

} // namespace

TEST_CASE("every shipped language loads, complete and checked against French")
{
    auto translations = Translations::load(i18n_dir, shipped);
    INFO((translations ? std::string() : translations.error().detail));
    REQUIRE(translations);
    CHECK(translations->languages().size() == shipped.size());
    for (auto const& language : shipped) {
        INFO(language);
        CHECK(translations->has(language, "home.title"));
        CHECK(translations->text(language, "home.documents", { "3" }).find('3') != std::string::npos);
        CHECK(translations->text(language, "home.documents", { "3" }).find("{0}") == std::string::npos);
    }
    CHECK(translations->text("fr", "home.documents", { "3" }) == "Mes documents (3)");
}

TEST_CASE("each language is named in its own words and script, in valid UTF-8")
{
    auto translations = Translations::load(i18n_dir, shipped);
    REQUIRE(translations);
    std::map<std::string, std::string> const names = { { "fr", "Français" }, { "en", "English" }, { "ar", "العربية" },
        { "es", "Español" }, { "pt", "Português" }, { "tr", "Türkçe" }, { "ro", "Română" }, { "uk", "Українська" } };
    for (auto const& [language, name] : names) {
        INFO(language);
        auto shown = translations->text(language, "language.name");
        CHECK(valid_utf8(shown));
        CHECK(shown == name);
    }
    auto in_block = [](std::string const& text, char32_t first, char32_t last) {
        auto points = code_points(text);
        return !points.empty() && std::ranges::all_of(points, [&](char32_t c) { return c >= first && c <= last; });
    };
    CHECK(in_block(translations->text("ar", "language.name"), 0x0600, 0x06FF));
    CHECK(in_block(translations->text("uk", "language.name"), 0x0400, 0x04FF));
    // Every text of every language, not only the names, is UTF-8 the screen and speech can take.
    for (auto const& language : shipped) {
        std::ifstream file(i18n_dir / (language + ".toml"), std::ios::binary);
        std::string contents((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        INFO(language);
        CHECK_FALSE(contents.empty());
        CHECK(valid_utf8(contents));
    }
    CHECK_FALSE(valid_utf8("Fran\xE7"
                           "ais")); // Latin-1, as a careless editor would save it
    CHECK_FALSE(valid_utf8("\xC0\xAF")); // an overlong "/"
}

TEST_CASE("the small translation used by the rejection tests loads as it is")
{
    CHECK(load_error(ukrainian).empty());
}

TEST_CASE("a translation missing a key French has is refused, naming the file and the key")
{
    auto error = load_error(replaced(ukrainian, "title = \"Що ви хочете зробити?\"\n", ""));
    CHECK(error.find("uk.toml: key 'home.title' is missing") != std::string::npos);
}

TEST_CASE("a translation with a key French lacks is refused")
{
    auto error = load_error(ukrainian + "[home.extra]\ntitle = \"Зайвий\"\n");
    CHECK(error.find("uk.toml: key 'home.extra.title' is not in French") != std::string::npos);
    // A misspelt plural form is an extra key too, not a plural form.
    error = load_error(replaced(ukrainian, "pages.other", "pages.otter"));
    CHECK(error.find("uk.toml: key 'tray.pages") != std::string::npos);
}

TEST_CASE("a translation whose placeholders differ from French's is refused")
{
    auto error = load_error(replaced(ukrainian, "Мої документи ({0})", "Мої документи"));
    CHECK(error.find("uk.toml: key 'home.documents' has the placeholders none where French has {0}")
        != std::string::npos);
    error = load_error(replaced(ukrainian, "Мої документи ({0})", "Мої документи ({0}, {1})"));
    CHECK(error.find("uk.toml: key 'home.documents' has the placeholders {0} {1} where French has {0}")
        != std::string::npos);
    error = load_error(replaced(ukrainian, "Мої документи ({0})", "Мої документи ({1})"));
    CHECK(error.find("key 'home.documents' has the placeholders {1}") != std::string::npos);
    // In a plural form as well.
    error = load_error(replaced(ukrainian, "{0} сторінок", "багато сторінок"));
    CHECK(error.find("uk.toml: key 'tray.pages.many' has the placeholders none") != std::string::npos);
}

TEST_CASE("a counted key without exactly its language's plural forms is refused")
{
    auto error = load_error(replaced(ukrainian, "pages.few = \"{0} сторінки\"\n", ""));
    CHECK(error.find("uk.toml: key 'tray.pages' must have exactly the plural forms few many one other (ICU, uk); "
                     "missing: few")
        != std::string::npos);
    error = load_error(ukrainian + "pages.two = \"{0} сторінки\"\n");
    CHECK(error.find("uk.toml: key 'tray.pages' must have exactly the plural forms few many one other (ICU, uk); "
                     "not a plural form of uk: two")
        != std::string::npos);
    // French is held to its own rules: ICU gives it "many" (for millions).
    error = load_error(ukrainian, replaced(french, "pages.many = \"{0} pages\"\n", ""));
    CHECK(error.find("fr.toml: key 'tray.pages' must have exactly the plural forms many one other (ICU, fr); "
                     "missing: many")
        != std::string::npos);
}

TEST_CASE("French is required as the reference")
{
    TempI18n files;
    files.write("uk", ukrainian);
    auto translations = Translations::load(files.dir(), { "uk" });
    REQUIRE_FALSE(translations);
    CHECK(translations.error().detail.find("French translation (fr) is required") != std::string::npos);
}

TEST_CASE("plural categories follow each language's rules")
{
    auto translations = Translations::load(i18n_dir, shipped);
    REQUIRE(translations);
    auto const& t = *translations;
    // French: 0 and 1 are singular ("0 page").
    CHECK(t.plural_category("fr", 0) == "one");
    CHECK(t.plural_category("fr", 1) == "one");
    CHECK(t.plural_category("fr", 2) == "other");
    CHECK(t.plural_category("fr", 1000000) == "many");
    CHECK(t.count_text("fr", "tray.pages", 0) == "0 page");
    CHECK(t.count_text("fr", "tray.pages", 1) == "1 page");
    CHECK(t.count_text("fr", "tray.pages", 2) == "2 pages");
    // English: only 1 is singular.
    CHECK(t.plural_category("en", 0) == "other");
    CHECK(t.plural_category("en", 1) == "one");
    CHECK(t.count_text("en", "tray.pages", 0) == "0 pages");
    CHECK(t.count_text("en", "tray.pages", 1) == "1 page");
    // Arabic: six forms.
    CHECK(t.plural_category("ar", 0) == "zero");
    CHECK(t.plural_category("ar", 1) == "one");
    CHECK(t.plural_category("ar", 2) == "two");
    CHECK(t.plural_category("ar", 3) == "few");
    CHECK(t.plural_category("ar", 11) == "many");
    CHECK(t.plural_category("ar", 100) == "other");
    for (auto form : { "zero", "one", "two", "few", "many", "other" })
        CHECK(t.has("ar", std::string("tray.pages.") + form));
    CHECK(t.count_text("ar", "tray.pages", 3) == t.text("ar", "tray.pages.few", { "3" }));
    CHECK(t.count_text("ar", "tray.pages", 11) == t.text("ar", "tray.pages.many", { "11" }));
    // Ukrainian: 1 and 21 take one form, 2 another, 5 a third.
    CHECK(t.plural_category("uk", 1) == "one");
    CHECK(t.plural_category("uk", 2) == "few");
    CHECK(t.plural_category("uk", 5) == "many");
    CHECK(t.plural_category("uk", 21) == "one");
    CHECK(t.count_text("uk", "tray.pages", 21) == t.text("uk", "tray.pages.one", { "21" }));
    CHECK(t.count_text("uk", "tray.pages", 5) == t.text("uk", "tray.pages.many", { "5" }));
    // Romanian: 1, then 2 to 19, then 20 and up ("20 de pagini").
    CHECK(t.plural_category("ro", 1) == "one");
    CHECK(t.plural_category("ro", 2) == "few");
    CHECK(t.plural_category("ro", 20) == "other");
    CHECK(t.count_text("ro", "tray.pages", 20) == t.text("ro", "tray.pages.other", { "20" }));
    CHECK(t.count_text("ro", "tray.pages", 2) == t.text("ro", "tray.pages.few", { "2" }));
    // A language that was not loaded takes French's rules and text, as text() does.
    CHECK(t.count_text("xx", "tray.pages", 0) == "0 page");
}

TEST_CASE("counts are written in each language's digits, Arabic in 0-9")
{
    auto translations = Translations::load(i18n_dir, shipped);
    REQUIRE(translations);
    auto const& t = *translations;
    CHECK(t.format_count("ar", 1234567890) == "1,234,567,890");
    CHECK(t.format_count("ar", 7) == "7");
    CHECK(t.format_count("fr", 12345) == "12\u202F345");
    CHECK(t.format_count("en", 12345) == "12,345");
    CHECK(t.format_count("uk", 12345) == "12\u00A0345");
    CHECK(t.count_text("ar", "tray.pages", 3).find('3') != std::string::npos);
}

TEST_CASE("a count whose plural form the file lacks falls back to the 'other' form")
{
    TempI18n files;
    // A table with "other" alone is not a counted key, so load lets it through without its other forms.
    files.write("fr", french + "[help]\nother = \"{0} agents\"\n");
    files.write("uk", ukrainian + "[help]\nother = \"{0} агентів\"\n");
    auto translations = Translations::load(files.dir(), { "fr", "uk" });
    INFO((translations ? std::string() : translations.error().detail));
    REQUIRE(translations);
    CHECK(translations->count_text("fr", "help", 1) == "1 agents");
    CHECK(translations->count_text("uk", "help", 2) == "2 агентів");
    CHECK(translations->count_text("uk", "tray.pages", 2) == "2 сторінки");
    CHECK(translations->count_text("uk", "tray.pages", 5) == "5 сторінок");
}
