// A whole kiosk App on simulated devices and SDL's offscreen renderer, in a fresh temporary directory, driven by widget
// ids.
#pragma once

#include "drivers/browser/sim/sim_browser.h"
#include "drivers/idreader/sim/sim_idreader.h"
#include "kiosk/core/agents.h"
#include "kiosk/core/audit_log.h"
#include "kiosk/core/catalogue.h"
#include "kiosk/core/clock.h"
#include "kiosk/core/config.h"
#include "kiosk/core/forms.h"
#include "kiosk/core/i18n.h"
#include "kiosk/core/languages.h"
#include "kiosk/core/session_vault.h"
#include "kiosk/ui/app.h"
#include "kiosk/ui/canvas.h"

#include <catch2/catch.hpp>

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::ui::testing {

// An agent or a technician with a badge, written into the configuration's agents file before the kiosk starts (in
// KioskFixture's adjust).
inline void add_agent(core::Config const& config, std::string const& id, std::string const& name, core::AgentRole role,
    std::string const& pin, std::string const& badge)
{
    auto agents = core::AgentStore::load(config.agents_file);
    REQUIRE(agents);
    REQUIRE(agents->add(id, name, role, pin));
    REQUIRE(agents->set_badge(id, badge));
    REQUIRE(agents->save(config.agents_file));
}

class KioskFixture {
public:
    // adjust, when given, changes the configuration before the kiosk starts (quotas, limits); ground, when given, is
    // the kiosk's check of the machine (core::check_ground in a real run).
    explicit KioskFixture(std::string const& scanner = "sim", int width = 1920, int height = 1080,
        std::function<void(core::Config&)> const& adjust = {},
        std::function<std::vector<core::GroundProblem>()> ground = {})
    {
        char pattern[] = "/tmp/kiosk-ui-test-XXXXXX";
        REQUIRE(mkdtemp(pattern));
        m_dir = pattern;

        setenv("SDL_VIDEODRIVER", "offscreen", 1);
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        REQUIRE(SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) == 0);
        REQUIRE(TTF_Init() == 0);
        m_window = SDL_CreateWindow("test", 0, 0, width, height, SDL_WINDOW_HIDDEN);
        REQUIRE(m_window);
        m_renderer = SDL_CreateRenderer(m_window, -1, SDL_RENDERER_SOFTWARE);
        REQUIRE(m_renderer);

        core::Config config;
        config.runtime_dir = m_dir / "run";
        config.assets_dir = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";
        config.agents_file = m_dir / "agents.toml";
        config.devices.scanner = scanner;
        config.devices.printer = "sim:dir=" + printed_dir().string();
        config.devices.headset = "none"; // not this machine's sound card, if it has one (tests/support/test_jack.h)
        if (adjust)
            adjust(config);
        auto canvas = Canvas::create(m_renderer, config.display);
        REQUIRE(canvas);
        m_canvas.emplace(std::move(*canvas));

        auto audit = core::AuditLog::open({}, m_clock);
        REQUIRE(audit);
        m_audit.emplace(std::move(*audit));
        auto catalogue = core::load_catalogue(config.assets_dir / "catalogue.toml");
        REQUIRE(catalogue);
        std::vector<std::string> codes;
        for (auto const& language : core::languages)
            codes.emplace_back(language.code);
        auto translations = core::Translations::load(config.assets_dir / "i18n", codes);
        REQUIRE(translations);
        auto forms = core::load_forms(config.assets_dir / "forms" / "index.toml", *catalogue);
        REQUIRE(forms);
        auto agents = core::AgentStore::load(config.agents_file);
        REQUIRE(agents);
        drivers::DriverContext context { config.runtime_dir };
        auto devices = drivers::make_devices(config.devices, context);
        REQUIRE(devices);
        auto lock = core::RuntimeDirLock::acquire(config.runtime_dir);
        REQUIRE(lock);
        m_app = std::make_unique<App>(config, m_clock, *m_audit, std::move(*catalogue), std::move(*translations),
            std::move(*forms), std::move(*agents), std::move(*devices), std::move(*lock), nullptr);
        m_app->attach_canvas(&*m_canvas, m_renderer);
        m_app->set_ground_check(std::move(ground));
        m_app->start_up();
        settle();
    }

    ~KioskFixture()
    {
        m_app.reset(); // wipes the session, as a stopped kiosk does
        m_canvas.reset();
        SDL_DestroyRenderer(m_renderer);
        SDL_DestroyWindow(m_window);
        TTF_Quit();
        SDL_Quit();
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    App& app() { return *m_app; }
    // Speech with real espeak-ng, synthesised without a sound card, each utterance and tone a WAV file in dir.
    void speak_into(std::filesystem::path const& dir)
    {
        m_app->set_speaker([dir] {
            speech::SpeakerOptions options;
            options.play = false;
            options.output_dir = dir;
            return speech::Speaker::create(std::move(options));
        });
    }
    // The simulated browser's controls (the test's configuration must choose it, as the default does).
    drivers::SimBrowser& sim()
    {
        REQUIRE(m_app->sim_browser());
        return *m_app->sim_browser();
    }
    Canvas& canvas() { return *m_canvas; }
    std::filesystem::path printed_dir() const { return m_dir / "printed"; }
    std::filesystem::path runtime_dir() const { return m_dir / "run"; }
    // Session folders in the runtime directory: one while a session runs, none once it is wiped.
    size_t session_folders() const
    {
        size_t count = 0;
        std::error_code ec;
        for (auto const& entry : std::filesystem::directory_iterator(runtime_dir(), ec))
            count += entry.path().filename().string().starts_with("session-");
        return count;
    }
    core::ManualClock& clock() { return m_clock; }

    // Moves the session clock on, a second at a time as the event loop would see it, applying what falls due.
    void advance(std::chrono::seconds seconds)
    {
        for (auto left = seconds; left.count() > 0; --left) {
            m_clock.advance(std::chrono::seconds(1));
            settle();
        }
    }

    // Taps a widget of the frame on screen, as a finger would, then lets background work finish.
    void tap(std::string const& id)
    {
        tap_only(id);
        settle();
    }

    // Taps without waiting for what the tap started.
    void tap_only(std::string const& id)
    {
        m_app->draw();
        INFO("tapping " << id << " on " << m_app->top_name());
        REQUIRE(m_app->tap_widget(id));
        m_app->update();
        m_app->draw();
    }

    // An agent's badge on the simulated reader (devices.idreader = "sim"), then the PIN typed on the pad.
    void present_badge(std::string const& uid_hex)
    {
        auto* reader = m_app->sim_idreader();
        REQUIRE(reader);
        REQUIRE(reader->present_card(uid_hex));
        settle();
    }
    void type_pin(std::string const& pin)
    {
        for (char digit : pin)
            tap(std::string("pin_") + digit);
        tap("pin_ok");
    }

    // Runs background work (scans, previews, preparing) to its end and draws the frame after it.
    void settle()
    {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (true) {
            m_app->update();
            if (!m_app->busy())
                break;
            REQUIRE(std::chrono::steady_clock::now() < deadline);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        m_app->draw();
    }

    bool shows_text(std::string const& wanted) const
    {
        auto const& texts = m_canvas->texts();
        return std::any_of(
            texts.begin(), texts.end(), [&](std::string const& t) { return t.find(wanted) != std::string::npos; });
    }

    Widget const* widget(std::string const& id) const { return m_canvas->find_widget(id); }

    std::vector<std::string> audit_lines() const { return m_audit->recent(); }

    bool audited(std::string const& fragment) const
    {
        auto lines = m_audit->recent();
        return std::any_of(lines.begin(), lines.end(),
            [&](std::string const& line) { return line.find(fragment) != std::string::npos; });
    }

    std::vector<std::string> stored_names() const
    {
        return m_app->vault() ? m_app->vault()->list() : std::vector<std::string> {};
    }

    static std::vector<uint8_t> read_file(std::filesystem::path const& path)
    {
        std::ifstream file(path, std::ios::binary);
        return { std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>() };
    }

    // Into a session with the rules accepted, on the home screen.
    void start_session()
    {
        tap("start");
        tap("accept");
        REQUIRE(m_app->top_name() == "home");
    }

private:
    std::filesystem::path m_dir;
    core::ManualClock m_clock;
    SDL_Window* m_window = nullptr;
    SDL_Renderer* m_renderer = nullptr;
    std::optional<Canvas> m_canvas;
    std::optional<core::AuditLog> m_audit;
    std::unique_ptr<App> m_app;
};

} // namespace kiosk::ui::testing
