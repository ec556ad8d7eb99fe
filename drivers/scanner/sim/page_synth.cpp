// Draws believable scanned letters (paper grain, letterhead, text, table, signature) for the simulated scanner.
#include "drivers/scanner/sim/page_synth.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::drivers {

namespace {

constexpr double pi = 3.14159265358979323846;

// Our own generator rather than <random>: the standard distributions differ between library versions, and
// pages must be identical wherever the tests run.
class Random {
public:
    explicit Random(uint64_t seed)
        : m_state(mix(seed) | 1)
    {
    }

    uint64_t next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545F4914F6CDD1Dull;
    }

    // Inclusive range.
    int uniform(int low, int high)
    {
        auto const span = static_cast<uint64_t>(high - low + 1);
        return low + static_cast<int>(((next() >> 32) * span) >> 32);
    }

    double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    double between(double low, double high) { return low + (high - low) * unit(); }
    bool chance(double probability) { return unit() < probability; }

    template<typename T, size_t N>
    T const& pick(std::array<T, N> const& items)
    {
        return items[static_cast<size_t>(uniform(0, static_cast<int>(N) - 1))];
    }

    static uint64_t mix(uint64_t value)
    {
        value += 0x9E3779B97F4A7C15ull;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
        return value ^ (value >> 31);
    }

private:
    uint64_t m_state;
};

struct Point {
    double x = 0;
    double y = 0;
};

using Polylines = std::vector<std::vector<Point>>;

// Anti-aliased coverage of some strokes, positioned relative to an anchor (for glyphs: the pen on the baseline).
struct Mask {
    int left = 0;
    int top = 0;
    int width = 0;
    int height = 0;
    std::vector<uint8_t> coverage;
};

// A round-capped stroke: coverage falls off over one pixel at the edge, like the optics of a scanner.
void stroke_segment(Mask& mask, Point a, Point b, double half_width)
{
    double const reach = half_width + 1.0;
    int const x0 = std::max(0, static_cast<int>(std::floor(std::min(a.x, b.x) - reach)));
    int const x1 = std::min(mask.width - 1, static_cast<int>(std::ceil(std::max(a.x, b.x) + reach)));
    int const y0 = std::max(0, static_cast<int>(std::floor(std::min(a.y, b.y) - reach)));
    int const y1 = std::min(mask.height - 1, static_cast<int>(std::ceil(std::max(a.y, b.y) + reach)));
    double const dx = b.x - a.x;
    double const dy = b.y - a.y;
    double const length_squared = dx * dx + dy * dy;
    double const outer = (half_width + 0.5) * (half_width + 0.5);
    for (int y = y0; y <= y1; ++y) {
        uint8_t* row = mask.coverage.data() + static_cast<size_t>(y) * static_cast<size_t>(mask.width);
        double const py = y + 0.5;
        for (int x = x0; x <= x1; ++x) {
            double const px = x + 0.5;
            double t = length_squared > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / length_squared : 0.0;
            t = std::clamp(t, 0.0, 1.0);
            double const ex = px - (a.x + t * dx);
            double const ey = py - (a.y + t * dy);
            double const distance_squared = ex * ex + ey * ey;
            if (distance_squared >= outer)
                continue;
            double const cover = std::min(1.0, half_width + 0.5 - std::sqrt(distance_squared));
            auto const value = static_cast<uint8_t>(cover * 255.0 + 0.5);
            row[x] = std::max(row[x], value);
        }
    }
}

Mask rasterize(Polylines const& polylines, double stroke_width)
{
    Mask mask;
    double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
    for (auto const& line : polylines) {
        for (Point p : line) {
            min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
            min_y = std::min(min_y, p.y), max_y = std::max(max_y, p.y);
        }
    }
    if (min_x > max_x)
        return mask;
    double const pad = stroke_width / 2 + 1.5;
    mask.left = static_cast<int>(std::floor(min_x - pad));
    mask.top = static_cast<int>(std::floor(min_y - pad));
    mask.width = static_cast<int>(std::ceil(max_x + pad)) - mask.left;
    mask.height = static_cast<int>(std::ceil(max_y + pad)) - mask.top;
    mask.coverage.assign(static_cast<size_t>(mask.width) * static_cast<size_t>(mask.height), 0);
    for (auto const& line : polylines) {
        for (size_t i = 0; i < line.size(); ++i) {
            Point const a { line[i].x - mask.left, line[i].y - mask.top };
            Point const b = i + 1 < line.size() ? Point { line[i + 1].x - mask.left, line[i + 1].y - mask.top } : a;
            if (i + 1 < line.size() || line.size() == 1)
                stroke_segment(mask, a, b, stroke_width / 2);
        }
    }
    return mask;
}

// Letter shapes drawn as pen strokes, in units where the x-height is 10, capitals are 14 high, the baseline is
// 0 and y goes up; an em is 20 units. "L x0,y0,x1,y1" is a line, "A cx,cy,rx,ry,from,to" an elliptic arc
// (degrees, counter-clockwise when to > from). Not a real typeface, but lines of them have the rhythm,
// density and stroke edges of printed text, which is what compressors, deskew and a person glancing at a
// preview respond to.
struct GlyphShape {
    char character;
    double advance;
    char const* strokes;
};

constexpr GlyphShape glyph_shapes[] = {
    { 'a', 12, "A6,7.2,3.8,2.8,20,160;L9.8,7,9.8,0;L6,6,9.8,6;A6,3,3.8,3,90,330" },
    { 'b', 12.5, "L2,0,2,15;A6.5,5,4.5,5,0,360" },
    { 'c', 11, "A6.5,5,4.5,5,45,315" },
    { 'd', 12.5, "L10.5,0,10.5,15;A6,5,4.5,5,0,360" },
    { 'e', 11.5, "L1.5,5,10.5,5;A6,5,4.5,5,0,320" },
    { 'f', 7, "L3,0,3,12.5;A5.5,12.5,2.5,2.5,30,180;L1,10,6.5,10" },
    { 'g', 12.5, "A6,5,4.5,5,0,360;L10.5,10,10.5,-1.5;A6,-1.5,4.5,3,180,360" },
    { 'h', 12, "L2,0,2,15;A6,6,4,4,0,180;L10,6,10,0" },
    { 'i', 5, "L2.5,0,2.5,10;L2.5,13,2.5,14" },
    { 'j', 5, "L3,10,3,-2;A0.5,-2,2.5,2.5,180,360;L3,13,3,14" },
    { 'k', 11, "L2,0,2,15;L9.5,10,2,4;L5,6,10,0" },
    { 'l', 5, "L2.5,0,2.5,15" },
    { 'm', 18, "L2,0,2,10;A5.5,6.5,3.5,3.5,0,180;L9,6.5,9,0;A12.5,6.5,3.5,3.5,0,180;L16,6.5,16,0" },
    { 'n', 12, "L2,0,2,10;A6,6,4,4,0,180;L10,6,10,0" },
    { 'o', 12, "A6,5,4.5,5,0,360" },
    { 'p', 12.5, "L2,10,2,-4.5;A6.5,5,4.5,5,0,360" },
    { 'q', 12.5, "L10.5,10,10.5,-4.5;A6,5,4.5,5,0,360" },
    { 'r', 8, "L2,0,2,10;A6,6,4,4,90,180" },
    { 's', 10, "A5,7.5,3.5,2.5,20,270;A5,2.5,3.5,2.5,90,-160" },
    { 't', 7, "L3,14,3,2;A5.5,2,2.5,2,180,300;L0.5,10,6.5,10" },
    { 'u', 12, "L2,10,2,4;A6,4,4,4,180,360;L10,10,10,0" },
    { 'v', 11, "L1,10,5.5,0;L5.5,0,10,10" },
    { 'w', 16, "L1,10,4.5,0;L4.5,0,8,8;L8,8,11.5,0;L11.5,0,15,10" },
    { 'x', 11, "L1.5,10,9.5,0;L1.5,0,9.5,10" },
    { 'y', 11, "L1,10,5.5,0;L10,10,4,-4.5" },
    { 'z', 10, "L1.5,10,8.5,10;L8.5,10,1.5,0;L1.5,0,8.5,0" },
    { 'A', 14, "L1,0,7,14;L7,14,13,0;L3.5,5,10.5,5" },
    { 'B', 13, "L2,0,2,14;L2,14,7,14;A7,10.5,3.5,3.5,-90,90;L2,7,7.5,7;A7.5,3.5,4,3.5,-90,90;L2,0,7.5,0" },
    { 'C', 14, "A7.5,7,6,7,40,320" },
    { 'D', 15, "L2,0,2,14;L2,14,6.5,14;A6.5,7,6.5,7,-90,90;L2,0,6.5,0" },
    { 'E', 12, "L2,0,2,14;L2,14,11,14;L2,7,9.5,7;L2,0,11,0" },
    { 'F', 11, "L2,0,2,14;L2,14,10.5,14;L2,7,9,7" },
    { 'G', 15, "A7.5,7,6,7,40,320;L12.1,2.5,12.1,6;L9,6,12.1,6" },
    { 'H', 15, "L2,0,2,14;L13,0,13,14;L2,7,13,7" },
    { 'I', 5, "L2.5,0,2.5,14" },
    { 'J', 9, "L7,14,7,3.5;A4,3.5,3,3.5,180,360" },
    { 'K', 13, "L2,0,2,14;L12,14,2,5;L5,8,12.5,0" },
    { 'L', 11, "L2,14,2,0;L2,0,10.5,0" },
    { 'M', 18, "L2,0,2,14;L2,14,9,2;L9,2,16,14;L16,14,16,0" },
    { 'N', 15, "L2,0,2,14;L2,14,13,0;L13,0,13,14" },
    { 'O', 16, "A8,7,6.5,7,0,360" },
    { 'P', 13, "L2,0,2,14;L2,14,7,14;A7,10.5,4,3.5,-90,90;L2,7,7,7" },
    { 'Q', 16, "A8,7,6.5,7,0,360;L9,3,14,-1.5" },
    { 'R', 13, "L2,0,2,14;L2,14,7,14;A7,10.5,4,3.5,-90,90;L2,7,7,7;L7,7,12,0" },
    { 'S', 13, "A6.5,10.5,4.5,3.5,20,270;A6.5,3.5,4.5,3.5,90,-160" },
    { 'T', 13, "L6.5,0,6.5,14;L0.5,14,12.5,14" },
    { 'U', 15, "L2,14,2,5;A7.5,5,5.5,5,180,360;L13,5,13,14" },
    { 'V', 14, "L0.5,14,7,0;L7,0,13.5,14" },
    { 'W', 20, "L0.5,14,5,0;L5,0,10,11;L10,11,15,0;L15,0,19.5,14" },
    { 'X', 13, "L1,14,12,0;L1,0,12,14" },
    { 'Y', 13, "L0.5,14,6.5,7;L12.5,14,6.5,7;L6.5,7,6.5,0" },
    { 'Z', 13, "L1.5,14,11.5,14;L11.5,14,1.5,0;L1.5,0,11.5,0" },
    { '0', 11, "A5.5,7,4.5,7,0,360" },
    { '1', 11, "L3,11,6.5,14;L6.5,14,6.5,0;L3,0,10,0" },
    { '2', 11, "A5.5,10,4,4,160,-20;L9.3,8.6,1.5,0;L1.5,0,10,0" },
    { '3', 11, "A5.5,10.5,3.8,3.5,150,-90;A5.5,3.8,4.2,3.8,90,-150" },
    { '4', 11, "L8,0,8,14;L8,14,1,4;L1,4,10.5,4" },
    { '5', 11, "L9.5,14,2.5,14;L2.5,14,2,8;A5.5,4.5,4.2,4.5,130,-150" },
    { '6', 11, "A5.5,4.5,4.2,4.5,0,360;L1.4,5.5,7.5,14" },
    { '7', 11, "L1,14,10,14;L10,14,4,0" },
    { '8', 11, "A5.5,10.7,3.5,3.3,0,360;A5.5,3.7,4.2,3.7,0,360" },
    { '9', 11, "A5.5,9.5,4.2,4.5,0,360;L9.6,8.5,4,0" },
    { '.', 5, "L2.5,0,2.5,0.6" },
    { ',', 5, "L2.8,0.8,2,-2.5" },
    { ':', 5, "L2.5,0,2.5,0.6;L2.5,8,2.5,8.6" },
    { '-', 7, "L1,5,6,5" },
    { '/', 7, "L0.5,-1,6.5,15" },
    { '\'', 4, "L2.2,14,1.8,11" },
    { '(', 6, "A6,5,4,9.5,110,250" },
    { ')', 6, "A0,5,4,9.5,70,-70" },
};

constexpr double units_per_em = 20.0;
constexpr double space_advance = 5.0;

struct GlyphOutline {
    double advance = 0;
    Polylines strokes;
};

Polylines parse_strokes(std::string_view text)
{
    Polylines strokes;
    while (!text.empty()) {
        size_t const end = std::min(text.find(';'), text.size());
        std::string_view command = text.substr(0, end);
        text.remove_prefix(std::min(text.size(), end + 1));
        char const kind = command.front();
        command.remove_prefix(1);
        std::array<double, 6> values {};
        size_t count = 0;
        while (!command.empty() && count < values.size()) {
            auto const result = std::from_chars(command.data(), command.data() + command.size(), values[count++]);
            command.remove_prefix(static_cast<size_t>(result.ptr - command.data()));
            if (!command.empty() && command.front() == ',')
                command.remove_prefix(1);
        }
        if (kind == 'L') {
            strokes.push_back({ { values[0], values[1] }, { values[2], values[3] } });
        } else {
            double const from = values[4] * pi / 180;
            double const to = values[5] * pi / 180;
            int const steps = std::max(6, static_cast<int>(std::fabs(values[5] - values[4]) / 12));
            std::vector<Point> arc;
            for (int i = 0; i <= steps; ++i) {
                double const angle = from + (to - from) * i / steps;
                arc.push_back({ values[0] + values[2] * std::cos(angle), values[1] + values[3] * std::sin(angle) });
            }
            strokes.push_back(std::move(arc));
        }
    }
    return strokes;
}

std::array<GlyphOutline, 128> const& glyph_outlines()
{
    static std::array<GlyphOutline, 128> const outlines = [] {
        std::array<GlyphOutline, 128> table {};
        for (GlyphShape const& shape : glyph_shapes)
            table[static_cast<size_t>(shape.character)] = { shape.advance, parse_strokes(shape.strokes) };
        return table;
    }();
    return outlines;
}

// Glyph masks for one size and weight at the page's resolution.
struct Font {
    std::array<Mask, 128> glyphs;
    std::array<double, 128> advances {};
    double space = 0;
    double size_px = 0;
};

Font make_font(double size_pt, int dpi, bool bold, double slant = 0)
{
    Font font;
    font.size_px = size_pt * dpi / 72.0;
    double const unit = font.size_px / units_per_em;
    double const stroke = (bold ? 2.5 : 1.5) * unit;
    double const tracking = (bold ? 1.2 : 0.6) * unit;
    font.space = space_advance * unit;
    auto const& outlines = glyph_outlines();
    for (size_t c = 0; c < outlines.size(); ++c) {
        if (outlines[c].strokes.empty())
            continue;
        Polylines scaled = outlines[c].strokes;
        for (auto& line : scaled) {
            for (Point& p : line)
                p = { (p.x + slant * p.y) * unit, -p.y * unit };
        }
        font.glyphs[c] = rasterize(scaled, stroke);
        font.advances[c] = outlines[c].advance * unit + tracking;
    }
    return font;
}

struct Ink {
    uint8_t red = 0;
    uint8_t green = 0;
    uint8_t blue = 0;
};

// The page being drawn. Ink multiplies the paper, so the grain shows through the print as on a real scan.
class Sheet {
public:
    explicit Sheet(documents::Image& image)
        : m_image(image)
    {
    }

    void fill(int x0, int y0, int x1, int y1, Ink ink)
    {
        x0 = std::max(x0, 0), y0 = std::max(y0, 0);
        x1 = std::min(x1, m_image.width), y1 = std::min(y1, m_image.height);
        auto const levels = channel_levels(ink);
        int const channels = m_image.channels;
        for (int y = y0; y < y1; ++y) {
            uint8_t* p = row(y) + x0 * channels;
            for (int x = x0; x < x1; ++x) {
                for (int c = 0; c < channels; ++c, ++p)
                    *p = static_cast<uint8_t>((*p * levels[static_cast<size_t>(c)] + 127) / 255);
            }
        }
    }

    void draw(Mask const& mask, int anchor_x, int anchor_y, Ink ink)
    {
        auto const levels = channel_levels(ink);
        std::array<int, 3> absorption {};
        for (size_t c = 0; c < 3; ++c)
            absorption[c] = 255 - levels[c];
        int const channels = m_image.channels;
        int const x0 = anchor_x + mask.left;
        int const y0 = anchor_y + mask.top;
        int const skip_x = std::max(0, -x0);
        int const end_x = std::min(mask.width, m_image.width - x0);
        for (int my = std::max(0, -y0); my < mask.height && y0 + my < m_image.height; ++my) {
            uint8_t const* cover = mask.coverage.data() + static_cast<size_t>(my) * static_cast<size_t>(mask.width);
            uint8_t* p = row(y0 + my);
            for (int mx = skip_x; mx < end_x; ++mx) {
                int const c = cover[mx];
                if (c == 0)
                    continue;
                uint8_t* pixel = p + (x0 + mx) * channels;
                for (int k = 0; k < channels; ++k) {
                    int const transmit = 255 - ((c * absorption[static_cast<size_t>(k)] + 127) / 255);
                    pixel[k] = static_cast<uint8_t>((pixel[k] * transmit + 127) / 255);
                }
            }
        }
    }

private:
    uint8_t* row(int y) { return m_image.pixels.data() + m_image.row_bytes() * static_cast<size_t>(y); }

    std::array<int, 3> channel_levels(Ink ink) const
    {
        if (m_image.channels == 3)
            return { ink.red, ink.green, ink.blue };
        int const luma = (77 * ink.red + 150 * ink.green + 29 * ink.blue + 128) >> 8;
        return { luma, luma, luma };
    }

    documents::Image& m_image;
};

// Text ink: toner scans as a very dark grey, never pure black.
constexpr Ink text_ink { 34, 34, 38 };
constexpr Ink pen_ink { 28, 48, 150 }; // ballpoint blue
constexpr Ink marianne_blue { 0, 0, 145 }; // #000091
constexpr Ink marianne_red { 225, 0, 15 }; // #E1000F
constexpr Ink header_tint { 227, 227, 253 }; // light blue of the government design system
constexpr Ink rule_ink { 60, 60, 66 };

double text_width(Font const& font, std::string_view text)
{
    double width = 0;
    for (char c : text) {
        auto const index = static_cast<size_t>(static_cast<uint8_t>(c));
        width += index < 128 && !font.glyphs[index].coverage.empty() ? font.advances[index] : font.space;
    }
    return width;
}

double draw_text(Sheet& sheet, Font const& font, double x, double baseline, std::string_view text, Ink ink = text_ink)
{
    for (char c : text) {
        auto const index = static_cast<size_t>(static_cast<uint8_t>(c));
        if (index < 128 && !font.glyphs[index].coverage.empty()) {
            sheet.draw(
                font.glyphs[index], static_cast<int>(std::lround(x)), static_cast<int>(std::lround(baseline)), ink);
            x += font.advances[index];
        } else {
            x += font.space;
        }
    }
    return x;
}

constexpr auto vocabulary = std::to_array<std::string_view>({ "le", "la", "les", "de", "des", "du", "et", "a", "en",
    "un", "une", "pour", "par", "sur", "dans", "avec", "au", "aux", "votre", "vos", "nous", "vous", "est", "sont",
    "qui", "que", "ce", "cette", "dossier", "demande", "dossiers", "administration", "service", "services", "public",
    "publique", "document", "documents", "justificatif", "justificatifs", "piece", "pieces", "identite", "domicile",
    "situation", "declaration", "revenus", "impots", "allocation", "droits", "prestation", "prestations", "caisse",
    "famille", "assurance", "maladie", "retraite", "emploi", "logement", "aide", "aides", "montant", "paiement",
    "versement", "mois", "annee", "date", "delai", "compter", "reception", "traitement", "instruction",
    "complementaire", "informations", "modification", "certificat", "attestation", "notification", "courrier",
    "conformement", "dispositions", "article", "code", "securite", "sociale", "beneficiaire", "compte", "personnel",
    "espace", "ligne", "adresse", "rendez-vous", "agence", "conseiller", "accompagnement", "numerique", "formulaire",
    "original", "copie", "transmettre", "joindre", "presenter", "verifier", "effectuer", "recevoir", "pouvez", "devez",
    "souhaitez", "egalement", "toutefois", "notamment", "ainsi", "afin", "lors", "avant", "apres", "depuis", "selon",
    "concernant", "precedent", "nouvelle", "present", "dernier", "prochain", "ci-joint" });

constexpr std::array<std::string_view, 8> names = { "Claire Martin", "Karim Benali", "Sophie Lefebvre", "Jean Dupont",
    "Amina Diallo", "Luc Moreau", "Nathalie Girard", "Thomas Petit" };
constexpr std::array<std::string_view, 6> streets = { "rue des Lilas", "avenue de la Republique", "place de la Mairie",
    "boulevard Victor Hugo", "chemin des Vignes", "allee des Tilleuls" };
constexpr std::array<std::string_view, 8> cities = { "75011 Paris", "69003 Lyon", "13005 Marseille", "31000 Toulouse",
    "44000 Nantes", "59000 Lille", "35000 Rennes", "67000 Strasbourg" };
constexpr std::array<std::string_view, 7> titles
    = { "ATTESTATION DE DEPOT", "NOTIFICATION DE DECISION", "AVIS DE SITUATION", "RELEVE DE PRESTATIONS",
          "ACCUSE DE RECEPTION", "DEMANDE DE PIECES COMPLEMENTAIRES", "ATTESTATION DE DROITS" };
constexpr std::array<std::string_view, 6> subjects
    = { "votre demande d'aide au logement", "mise a jour de votre dossier", "pieces justificatives manquantes",
          "renouvellement de vos droits", "changement de situation", "rendez-vous avec un conseiller" };

std::string two_digits(int value)
{
    return std::string { static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10) };
}

std::string random_date(Random& random)
{
    return two_digits(random.uniform(1, 28)) + "/" + two_digits(random.uniform(1, 12)) + "/"
        + std::to_string(random.uniform(2022, 2025));
}

std::string random_reference(Random& random)
{
    std::string reference { static_cast<char>('A' + random.uniform(0, 25)),
        static_cast<char>('A' + random.uniform(0, 25)), '-' };
    for (int i = 0; i < 6; ++i)
        reference.push_back(static_cast<char>('0' + random.uniform(0, 9)));
    return reference;
}

std::string random_amount(Random& random)
{
    return std::to_string(random.uniform(12, 1850)) + "," + two_digits(random.uniform(0, 99));
}

// Sentences of vocabulary words: capitalised, an occasional comma, a full stop.
std::vector<std::string> random_sentences(Random& random, int word_count)
{
    std::vector<std::string> words;
    while (static_cast<int>(words.size()) < word_count) {
        int const sentence_length = random.uniform(6, 18);
        for (int i = 0; i < sentence_length; ++i) {
            std::string word(random.pick(vocabulary));
            if (i == 0)
                word[0] = static_cast<char>(word[0] - 'a' + 'A');
            if (i == sentence_length - 1)
                word += '.';
            else if (i > 2 && i < sentence_length - 2 && random.chance(0.08))
                word += ',';
            words.push_back(std::move(word));
        }
    }
    return words;
}

struct TableStyle {
    Font const& text;
    Font const& header;
    int rule_width;
    double cell_padding;
};

// A ruled four-column table of dated payments with a tinted header row. Returns the y of its bottom rule.
double draw_table(Sheet& sheet, Random& random, TableStyle const& style, double left, double right, double top,
    int rows, double row_height)
{
    double const column = right - left;
    std::array<double, 5> const edges { left, left + column * 0.2, left + column * 0.62, left + column * 0.82, right };
    double const bottom = top + row_height * (rows + 1);
    int const rule = style.rule_width;
    sheet.fill(static_cast<int>(left), static_cast<int>(top), static_cast<int>(right),
        static_cast<int>(top + row_height), header_tint);
    for (int r = 0; r <= rows + 1; ++r) {
        auto const y = static_cast<int>(top + r * row_height);
        sheet.fill(static_cast<int>(left), y, static_cast<int>(right) + rule, y + rule, rule_ink);
    }
    for (double edge : edges)
        sheet.fill(static_cast<int>(edge), static_cast<int>(top), static_cast<int>(edge) + rule,
            static_cast<int>(bottom), rule_ink);

    double const text_drop = row_height * 0.5 + style.text.size_px * 0.25;
    std::array<std::string_view, 4> const headers { "Date", "Libelle", "Reference", "Montant EUR" };
    for (size_t c = 0; c < headers.size(); ++c)
        draw_text(sheet, style.header, edges[c] + style.cell_padding, top + text_drop, headers[c]);
    for (int r = 1; r <= rows; ++r) {
        double const baseline = top + r * row_height + text_drop;
        std::string label(random.pick(vocabulary));
        label[0] = static_cast<char>(label[0] - 'a' + 'A');
        label += " " + std::string(random.pick(vocabulary)) + " " + std::string(random.pick(vocabulary));
        draw_text(sheet, style.text, edges[0] + style.cell_padding, baseline, random_date(random));
        draw_text(sheet, style.text, edges[1] + style.cell_padding, baseline, label);
        draw_text(sheet, style.text, edges[2] + style.cell_padding, baseline, random_reference(random));
        std::string const amount = random_amount(random);
        draw_text(sheet, style.text, edges[4] - style.cell_padding - text_width(style.text, amount), baseline, amount);
    }
    return bottom;
}

// Justified lines, the last one ragged, as office letters are set. A paragraph that reaches `bottom` ends
// early with a full stop. Returns the baseline for the next line.
double set_paragraph(Sheet& sheet, Font const& font, std::vector<std::string> words, double left, double width,
    double baseline, double line_height, double bottom)
{
    size_t first = 0;
    while (first < words.size() && baseline <= bottom) {
        double used = text_width(font, words[first]);
        size_t end = first + 1;
        while (end < words.size() && used + font.space + text_width(font, words[end]) <= width)
            used += font.space + text_width(font, words[end++]);
        bool const last_line = end == words.size() || baseline + line_height > bottom;
        if (last_line && end < words.size()) {
            std::string& final_word = words[end - 1];
            if (final_word.back() == ',' || final_word.back() == '.')
                final_word.pop_back();
            final_word += '.';
        }
        double const gap = !last_line && end - first > 1
            ? font.space + (width - used) / static_cast<double>(end - first - 1)
            : font.space;
        double x = left;
        for (size_t i = first; i < end; ++i)
            x = draw_text(sheet, font, x, baseline, words[i]) + gap;
        baseline += line_height;
        first = last_line ? words.size() : end;
    }
    return baseline;
}

// Fills the page with paper: a faint warm tint, the lamp's falloff towards the edges and sensor noise of a
// few levels, which is what makes a real scan's JPEG several times larger than a flat white one.
void lay_paper(documents::Image& image, Random& random)
{
    int const base = random.uniform(246, 249);
    std::vector<int> column_shade(static_cast<size_t>(image.width));
    for (int x = 0; x < image.width; ++x) {
        double const from_edge = std::min(x, image.width - 1 - x) / (0.06 * image.width);
        column_shade[static_cast<size_t>(x)] = from_edge >= 1 ? 0 : -static_cast<int>(std::lround(3 * (1 - from_edge)));
    }
    // Six random bits summed: binomial noise in -3..+3, mostly within one level, as a CCD's.
    std::array<int8_t, 256> noise {};
    for (int b = 0; b < 256; ++b)
        noise[static_cast<size_t>(b)] = static_cast<int8_t>(__builtin_popcount(static_cast<unsigned>(b & 63)) - 3);

    double const phase = random.between(0, 2 * pi);
    int const channels = image.channels;
    std::vector<int> line(static_cast<size_t>(image.width));
    for (int y = 0; y < image.height; ++y) {
        // Slow banding along the scan direction, one level either way.
        int const row_shade
            = static_cast<int>(std::lround(std::sin(phase + y * 0.004 * 300.0 / std::max(image.dpi, 1))));
        for (int x = 0; x < image.width; ++x)
            line[static_cast<size_t>(x)] = base + row_shade + column_shade[static_cast<size_t>(x)];
        uint8_t* p = image.pixels.data() + image.row_bytes() * static_cast<size_t>(y);
        uint64_t bits = 0;
        for (int x = 0; x < image.width; ++x) {
            if ((x & 7) == 0)
                bits = random.next();
            int const level = line[static_cast<size_t>(x)] + noise[bits & 0xFF];
            bits >>= 8;
            if (channels == 3) {
                p[0] = static_cast<uint8_t>(level + 1);
                p[1] = static_cast<uint8_t>(level);
                p[2] = static_cast<uint8_t>(level - 4);
                p += 3;
            } else {
                *p++ = static_cast<uint8_t>(level);
            }
        }
    }
}

// A handwritten-looking signature: slanted cursive loops of uneven height (a tall capital first, maybe an
// ascender later), then an underline flourish swept back under the name.
Polylines signature_strokes(Random& random, double width, double height)
{
    int const loops = random.uniform(6, 10);
    std::vector<double> heights(static_cast<size_t>(loops) + 1);
    std::vector<double> loop_widths(static_cast<size_t>(loops) + 1);
    for (size_t i = 0; i < heights.size(); ++i) {
        heights[i] = height * random.between(0.2, 0.4);
        loop_widths[i] = random.between(0.22, 0.4);
    }
    heights[0] = height * random.between(0.7, 0.85);
    heights[static_cast<size_t>(random.uniform(3, loops - 1))] = height * random.between(0.5, 0.7);

    double const baseline = height * 0.72;
    double const slant = random.between(0.2, 0.45);
    double const drift = random.between(-0.12, 0.04); // signatures rarely follow the line
    double const advance = width * 0.8 / loops;
    constexpr int steps_per_loop = 40;

    Polylines strokes;
    std::vector<Point> line;
    for (int loop = 0; loop < loops; ++loop) {
        for (int step = 0; step < steps_per_loop; ++step) {
            double const t = static_cast<double>(step) / steps_per_loop;
            double const angle = 2 * pi * t;
            double const blend = 0.5 - 0.5 * std::cos(pi * t); // eases each loop into the next one's size
            auto const here = static_cast<size_t>(loop);
            double const rise = heights[here] + (heights[here + 1] - heights[here]) * blend;
            double const sway = advance * (loop_widths[here] + (loop_widths[here + 1] - loop_widths[here]) * blend);
            // Moving forward on the way up and back on the way down makes a loop when sway > advance / 2π.
            double x = (loop + t) * advance + sway * std::sin(angle);
            double const lift = rise * (0.5 - 0.5 * std::cos(angle));
            double const y = baseline + drift * x - lift;
            x += slant * lift;
            line.push_back({ x, y });
        }
    }
    line.push_back({ loops * advance, baseline + drift * loops * advance });
    strokes.push_back(std::move(line));

    // A quadratic curve from under the end of the name back towards its start.
    Point const from { loops * advance + width * random.between(0.02, 0.1),
        baseline + height * random.between(0.0, 0.1) };
    Point const via { width * random.between(0.4, 0.6), baseline + height * random.between(0.25, 0.4) };
    Point const to { width * random.between(-0.05, 0.1), baseline + height * random.between(0.05, 0.2) };
    std::vector<Point> flourish;
    for (int i = 0; i <= 48; ++i) {
        double const t = i / 48.0;
        double const a = (1 - t) * (1 - t);
        double const b = 2 * t * (1 - t);
        double const c = t * t;
        flourish.push_back({ a * from.x + b * via.x + c * to.x, a * from.y + b * via.y + c * to.y });
    }
    strokes.push_back(std::move(flourish));
    return strokes;
}

} // namespace

documents::Image synthesize_page(int page_index, int dpi, ColorMode mode, uint32_t seed)
{
    documents::Image image;
    // Beyond what any flatbed offers; an A4 colour page at 1200 dpi is already 400 MB.
    constexpr int max_dpi = 1200;
    if (dpi <= 0 || dpi > max_dpi)
        return image;
    double const px_per_mm = dpi / 25.4;
    auto mm = [px_per_mm](double millimetres) { return millimetres * px_per_mm; };
    auto px = [px_per_mm](double millimetres) { return static_cast<int>(std::lround(millimetres * px_per_mm)); };

    image.width = px(210);
    image.height = px(297);
    image.channels = mode == ColorMode::color ? 3 : 1;
    image.dpi = dpi;
    image.pixels.resize(image.row_bytes() * static_cast<size_t>(image.height));

    Random random((static_cast<uint64_t>(seed) << 32) ^ static_cast<uint32_t>(page_index) ^ 0x5CA11E5ull);
    lay_paper(image, random);
    Sheet sheet(image);

    double const body_pt = random.pick(std::array { 10.0, 11.0, 11.0, 12.0 });
    Font const body = make_font(body_pt, dpi, false);
    Font const body_bold = make_font(body_pt, dpi, true);
    Font const heading = make_font(15, dpi, true);
    Font const small = make_font(8.5, dpi, false);
    Font const small_bold = make_font(8.5, dpi, true);
    Font const motto = make_font(6.5, dpi, false, 0.2);
    double const line_height = body.size_px * 1.25;
    double const left = mm(22);
    double const right = mm(190);
    double const column = right - left;

    // Letterhead: the blue-white-red block and the name of the Republic, then the service on the right.
    sheet.fill(px(22), px(14), px(27.5), px(23), marianne_blue);
    sheet.fill(px(29), px(14), px(34.5), px(23), marianne_red);
    draw_text(sheet, small_bold, left, mm(27.5), "REPUBLIQUE");
    draw_text(sheet, small_bold, left, mm(31.5), "FRANCAISE");
    draw_text(sheet, motto, left, mm(35), "Liberte Egalite Fraternite");
    double const service_x = mm(132);
    draw_text(sheet, small_bold, service_x, mm(18), "France Services");
    draw_text(sheet, small, service_x, mm(22.5),
        std::to_string(random.uniform(1, 40)) + " " + std::string(random.pick(streets)));
    draw_text(sheet, small, service_x, mm(26.5), random.pick(cities));
    draw_text(sheet, small, service_x, mm(30.5),
        "Tel. 0" + std::to_string(random.uniform(1, 5)) + " " + two_digits(random.uniform(10, 99)) + " "
            + two_digits(random.uniform(10, 99)) + " " + two_digits(random.uniform(10, 99)) + " "
            + two_digits(random.uniform(10, 99)));

    // Addressee, place and date, reference and subject.
    double const address_x = mm(115);
    double const address_top = mm(random.between(48, 54));
    draw_text(sheet, body, address_x, address_top, random.pick(names));
    draw_text(sheet, body, address_x, address_top + line_height,
        std::to_string(random.uniform(1, 120)) + " " + std::string(random.pick(streets)));
    draw_text(sheet, body, address_x, address_top + 2 * line_height, random.pick(cities));
    draw_text(sheet, body, address_x, mm(76), "Le " + random_date(random));
    draw_text(sheet, small, left, mm(76), "Ref. : " + random_reference(random));
    double x = draw_text(sheet, body_bold, left, mm(87), "Objet :");
    draw_text(sheet, body, x + body.space, mm(87), random.pick(subjects));

    // The heading, centred and underlined.
    std::string_view const title = random.pick(titles);
    double const title_width = text_width(heading, title);
    double const title_x = (image.width - title_width) / 2;
    draw_text(sheet, heading, title_x, mm(99), title);
    sheet.fill(static_cast<int>(title_x), px(100.5), static_cast<int>(title_x + title_width),
        px(100.5) + std::max(1, px(0.35)), text_ink);

    double baseline = mm(111);
    draw_text(sheet, body, left, baseline, "Madame, Monsieur,");
    baseline += line_height * 1.6;
    double const bottom = mm(232);
    int const rows = random.uniform(3, 6);
    double const row_height = mm(7);
    // Text before the table stops where the table and a few lines after it still fit.
    double const text_before_table_bottom = bottom - row_height * (rows + 1) - line_height * 4;
    int const paragraphs_before_table = random.uniform(1, 2);
    for (int i = 0; i < paragraphs_before_table && baseline <= text_before_table_bottom; ++i) {
        baseline = set_paragraph(sheet, body, random_sentences(random, random.uniform(35, 75)), left, column, baseline,
            line_height, text_before_table_bottom);
        baseline += line_height * 0.6;
    }

    double const table_top = baseline - body.size_px * 0.5;
    TableStyle const table_style { small, small_bold, std::max(1, px(0.25)), mm(1.8) };
    double const table_bottom = draw_table(sheet, random, table_style, left, right, table_top, rows, row_height);
    baseline = table_bottom + line_height * 1.4;

    while (baseline + line_height * 2 < bottom) {
        baseline = set_paragraph(
            sheet, body, random_sentences(random, random.uniform(25, 60)), left, column, baseline, line_height, bottom);
        baseline += line_height * 0.6;
    }

    // Closing and signature in pen.
    double const signature_top = std::max(baseline, mm(236));
    double const signer_x = mm(118);
    draw_text(sheet, body, signer_x, signature_top, "Le responsable du service,");
    Mask const signature = rasterize(signature_strokes(random, mm(55), mm(16)), std::max(1.0, mm(0.45)));
    sheet.draw(signature, static_cast<int>(signer_x + mm(4)), static_cast<int>(signature_top + mm(3)), pen_ink);
    draw_text(sheet, body, signer_x, signature_top + mm(25), random.pick(names));

    // Footer rule and page number.
    sheet.fill(px(22), px(280), px(190), px(280) + std::max(1, px(0.2)), rule_ink);
    std::string const footer = "France Services - Page " + std::to_string(page_index + 1);
    draw_text(sheet, small, (image.width - text_width(small, footer)) / 2, mm(285), footer);

    if (mode == ColorMode::lineart) {
        // A lineart scan is thresholded by the scanner itself.
        for (uint8_t& value : image.pixels)
            value = value < 128 ? 0 : 255;
    }
    return image;
}

} // namespace kiosk::drivers
