// Reads a PDF back with poppler's command-line tools (poppler-utils), as a printer driver or a person would see it:
// the text pdftotext extracts, the fonts pdffonts lists, the metadata pdfinfo shows.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace kiosk::tests {

struct PdfFont {
    std::string name;
    std::string type;
    bool embedded = false;
};

class PopplerView {
public:
    explicit PopplerView(std::vector<uint8_t> const& pdf)
    {
        char pattern[] = "/tmp/kiosk-poppler-XXXXXX";
        m_dir = ::mkdtemp(pattern);
        m_file = m_dir / "document.pdf";
        std::ofstream(m_file, std::ios::binary)
            .write(reinterpret_cast<char const*>(pdf.data()), static_cast<std::streamsize>(pdf.size()));
    }
    PopplerView(PopplerView const&) = delete;
    PopplerView& operator=(PopplerView const&) = delete;
    ~PopplerView() { std::filesystem::remove_all(m_dir); }

    static bool installed() { return std::system("command -v pdftotext pdffonts pdfinfo >/dev/null 2>&1") == 0; }

    // The text of every page, in UTF-8 (no WinAnsi: what poppler could not map would show as '?' or be lost).
    std::string text() const { return run("pdftotext -enc UTF-8 '" + m_file.string() + "' -"); }
    std::string info() const { return run("pdfinfo -enc UTF-8 '" + m_file.string() + "'"); }

    // pdffonts' table: name, type, encoding, emb, sub, uni, object ID. The name never holds spaces, the type may
    // ("CID TrueType"), so the flags are read from the right.
    std::vector<PdfFont> fonts() const
    {
        std::vector<PdfFont> fonts;
        std::istringstream lines(run("pdffonts '" + m_file.string() + "'"));
        std::string line;
        for (int header = 0; header < 2 && std::getline(lines, line); ++header) { }
        while (std::getline(lines, line)) {
            std::istringstream words(line);
            std::vector<std::string> columns;
            for (std::string word; words >> word;)
                columns.push_back(word);
            if (columns.size() < 8)
                continue;
            // ... emb sub uni NUM 0
            std::string const& emb = columns[columns.size() - 5];
            std::string type;
            for (size_t i = 1; i + 6 < columns.size(); ++i)
                type += (type.empty() ? "" : " ") + columns[i];
            fonts.push_back({ columns[0], type, emb == "yes" });
        }
        return fonts;
    }

    int status() const { return m_status; }

private:
    std::string run(std::string const& command) const
    {
        std::string output;
        if (FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r")) {
            char buffer[4096];
            for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
                output.append(buffer, n);
            m_status = ::pclose(pipe);
        }
        return output;
    }

    std::filesystem::path m_dir;
    std::filesystem::path m_file;
    mutable int m_status = -1;
};

} // namespace kiosk::tests
