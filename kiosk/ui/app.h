// The kiosk application: session, storage, devices and screens tied together; input in, frames out.
#pragma once

#include "drivers/audio/headset_jack.h"
#include "drivers/idreader/mrz/mrz.h"
#include "drivers/registry.h"
#include "kiosk/core/agents.h"
#include "kiosk/core/audit_log.h"
#include "kiosk/core/catalogue.h"
#include "kiosk/core/config.h"
#include "kiosk/core/forms.h"
#include "kiosk/core/ground.h"
#include "kiosk/core/i18n.h"
#include "kiosk/core/session.h"
#include "kiosk/core/session_store.h"
#include "kiosk/core/session_vault.h"
#include "kiosk/core/usage_counts.h"
#include "kiosk/documents/fit_to_size.h"
#include "kiosk/documents/image.h"
#include "kiosk/net/metrics.h"
#include "kiosk/speech/speaker.h"
#include "kiosk/ui/canvas.h"
#include "kiosk/ui/screens/agent_unlock.h"
#include "kiosk/ui/screens/assisted.h"
#include "kiosk/ui/screens/browser.h"
#include "kiosk/ui/screens/diagnostics.h"
#include "kiosk/ui/screens/forms.h"
#include "kiosk/ui/screens/pages.h"
#include "kiosk/ui/screens/prepare.h"
#include "kiosk/ui/screens/print.h"
#include "kiosk/ui/screens/rename.h"
#include "kiosk/ui/screens/scan.h"
#include "kiosk/ui/web_keyboard.h"

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::ui {

// Top-level screens; the names are the contract of `expect screen`.
enum class Screen {
    attract,
    welcome,
    home,
    sites, // "Aller sur le site de…": the organisations
    events, // life events, one level below home
    send, // "Envoyer un document": which organisation
    event,
    partner,
    browser,
    scan,
    tray,
    pages,
    print,
    forms,
    prepare,
    rename,
    agent_unlock,
    assisted,
    id_capture,
    diagnostics,
    ending,
    wiping,
    out_of_order
};
std::string_view to_string(Screen screen);

// The text an on-screen keyboard key types ("kb_a" → "a" or "A"), or nothing for keys that type nothing.
std::optional<std::string> keyboard_text(std::string_view key_id, bool shift);
// The on-screen keyboard's rows of key ids, AZERTY as on French keyboards.
std::vector<std::vector<std::string>> const& keyboard_rows();

// Overlays drawn over a screen; the top-most one is what `expect screen` sees.
enum class Overlay {
    none,
    idle_warning,
    agent_called,
    message,
    confirm_delete,
    confirm_delete_page,
    upload_picker,
    site_problem,
    accessibility, // the accessibility panel
    language // the languages, over a session screen
};

// The tray's model lives in the session's store; its pictures (textures) are the UI's, by vault name.
using TrayPage = core::TrayPage;
using TrayDocument = core::TrayDocument;

// Work finished on a worker thread, applied on the UI thread.
using UiJob = std::function<void()>;

class App {
public:
    using Devices = drivers::Devices;

    App(core::Config config, core::Clock const& clock, core::AuditLog& audit, core::Catalogue catalogue,
        core::Translations translations, std::vector<core::Form> forms, core::AgentStore agents, Devices devices,
        core::RuntimeDirLock lock, std::function<void()> wake);
    ~App();

    // Removes what an interrupted session left, before the attract screen shows. Failure → out of order.
    void start_up();
    void attach_canvas(Canvas* canvas, SDL_Renderer* renderer);
    // How long the whole display has been idle (X11), so input in the browser's window counts as activity.
    void set_display_idle(std::function<std::optional<std::chrono::milliseconds>()> idle)
    {
        m_display_idle = std::move(idle);
    }
    // Empties the display's selections (PRIMARY, CLIPBOARD) at every wipe; SDL alone reaches only CLIPBOARD.
    void set_clear_selections(std::function<void()> clear) { m_clear_selections = std::move(clear); }
    // Asks the process to restart once no session is open (systemd starts it again): for a device driver stuck for
    // good, which only a new process replaces, and which may hold a resident's page in its memory.
    void set_restart(std::function<void()> restart) { m_restart = std::move(restart); }
    // The start-up checks of the machine (core::check_ground), run at start-up and again by "back in service": a
    // problem keeps the kiosk out of order with its reason. Without it, the ground is taken as sound (tests).
    void set_ground_check(std::function<std::vector<core::GroundProblem>()> check)
    {
        m_ground_check = std::move(check);
    }
    // How the kiosk speaks (screens/speech.cpp): opened on the UI thread when a session first needs a voice or a tone,
    // closed by the wipe. Without it (tests of the UI alone) the kiosk is silent.
    using OpenSpeaker = std::function<Result<std::unique_ptr<speech::Speaker>>()>;
    void set_speaker(OpenSpeaker open) { m_open_speaker = std::move(open); }
    // The text of the latest utterance (the script contract `expect speech`); empty when nothing was said.
    std::string latest_speech() const;
    // Waits until what was said has been synthesised and played (its WAV file written). False on timeout.
    bool speech_idle(std::chrono::milliseconds timeout);
    bool speech_on() const { return m_speech; }
    // A headset is in the headphone socket (devices.headset): plugging one turns the voice on, and what the resident
    // types is said in it.
    bool headset_plugged() const { return m_headset; }
    // "Appeler un agent" through the office's webhook (network.agent_webhook), off the UI thread: kind is "help" (the
    // resident asked) or "printer" (a printer fault an agent must clear). An error when no 2xx answer came. Without
    // it, the screen says to ask at the desk.
    using CallAgent = std::function<Result<void>(std::string const& kind, std::atomic<bool> const& cancel)>;
    void set_call_agent(CallAgent call) { m_call_agent = std::move(call); }
    // The fleet's metrics (kiosk/net/metrics.h): the devices' states and the printer's supplies as the kiosk learns
    // them; with metrics, the printer is also looked at every few minutes between sessions. Null: none.
    void set_metrics(net::Metrics* metrics) { m_metrics = metrics; }
    // Every audit event, from any thread (the runner's observer of the audit log): the diagnostics keep the fleet's
    // last outcomes (configuration fetch, agent webhook) from it.
    void audit_event(std::string_view event, std::initializer_list<core::AuditField> fields);
    // Tests: changes the technician's network test before it runs (loopback servers in place of the partners').
    void set_network_test_hook(std::function<void(diagnostics::NetworkRequest&)> hook)
    {
        m_network_test_hook = std::move(hook);
    }
    // Where the kiosk's window sits on the screen, so a partner site's window can be placed between its bars.
    void set_screen_origin(int x, int y) { m_screen_origin = { x, y }; }

    // Input. Coordinates are output pixels of the last frame.
    void tap(int x, int y);
    bool tap_widget(std::string const& id); // false when no such widget is on screen
    void key(SDL_Keycode key);
    bool type_text(std::string const& text); // false when no text field has focus
    static constexpr size_t max_document_name = 40;
    // Cuts text to max_document_name code points, between characters: a typed name, a downloaded file's.
    static void cut_to_document_name(std::string& text);
    void id_event(drivers::IdEvent event);

    // Applies finished background work, timeouts and session transitions. Call after input and on wake.
    void update();
    void draw();

    // The top-most screen or overlay, as scripts name it.
    std::string top_name() const;
    // Something is shown over the screen (a question, a message, the idle warning).
    bool overlay_shown() const { return m_overlay != Overlay::none || m_session.idle_warning_active(); }
    // True while something the kiosk shows over its screen (a question, a message, the idle warning) must be in
    // front of the partner site's window, which otherwise covers the middle of the kiosk's.
    bool covers_browser() const;
    // True while a scan, a print or a look at the printer runs in the background (scripts wait for it before the
    // next line).
    bool busy() const;
    // No resident's session is open or being wiped (attract or out of order) and nothing runs in the background:
    // the kiosk may stop without anyone noticing.
    bool between_sessions() const;
    // Milliseconds until something on screen changes by itself (countdown, clock), or -1 for never.
    int wait_hint_ms() const;
    bool needs_redraw() const { return m_dirty; }
    void mark_dirty() { m_dirty = true; }

    void post(UiJob job); // thread-safe
    core::SessionManager& session() { return m_session; }
    drivers::IdReader* idreader() { return m_devices.idreader.get(); }
    drivers::SimIdReader* sim_idreader() { return m_devices.sim_idreader; } // null unless the reader is simulated
    drivers::SimBrowser* sim_browser() { return m_devices.sim_browser; } // null unless the browser is simulated
    drivers::Browser* browser() { return m_devices.browser.get(); }
    std::vector<TrayDocument> const& tray() const { return m_store.documents(); }
    core::SessionVault const* vault() const { return m_store.vault(); } // for tests: what a session has stored
    core::SessionStore const& store() const { return m_store; }

private:
    std::string tr(std::string_view key, std::vector<std::string> const& args = {}) const;
    // key.one or key.other by the language's rule ("0 page" in French, "0 pages" in English); {0} is count.
    std::string tr_count(std::string_view key, int count) const;
    void on_widget(std::string const& id);
    // The buttons of each screen, in that screen's file under screens/: true when the id was one of its own.
    bool on_screen_widget(std::string const& id);
    bool on_welcome_widget(std::string const& id);
    bool on_home_widget(std::string const& id);
    bool on_partner_widget(std::string const& id);
    bool on_scan_widget(std::string const& id);
    bool on_tray_widget(std::string const& id);
    bool on_pages_widget(std::string const& id);
    bool on_prepare_widget(std::string const& id);
    bool on_print_widget(std::string const& id);
    bool on_forms_widget(std::string const& id);
    bool on_rename_widget(std::string const& id);
    bool on_agent_unlock_widget(std::string const& id);
    bool on_assisted_widget(std::string const& id);
    bool on_diagnostics_widget(std::string const& id);
    void start_network_test();
    // The test page (print) or the test preview (scan), through the kiosk's own drivers, off the UI thread.
    void start_device_test(bool print);
    // The accessibility panel (screens/accessibility.cpp), over any screen from attract to the end of a session.
    bool on_accessibility_widget(std::string const& id);
    void draw_accessibility_button(Rect rect, ButtonStyle style);
    void draw_accessibility_panel();
    // The language buttons, each in its own words, in rows over area: on the welcome screen and in the panel.
    void draw_language_buttons(Rect area, int rows);
    void draw_language_panel();
    // Speech (screens/speech.cpp). announce() adds a line to what this frame says when it first appears: the title,
    // the instructions, a message, a result. An overlay's lines replace the screen's under it.
    void announce(std::string text);
    void say(std::string const& text, speech::Priority priority, std::string_view language = {});
    void sound(speech::Tone tone); // for everyone, speech on or not: a warning, an error, something done
    speech::Speaker* speaker();
    // What touching a widget says: its words, never a PIN digit, nor a typed character through the loudspeaker.
    std::pair<std::string, std::string> spoken_label(Widget const& widget) const; // text, language
    // Explore by touch: the first touch on a widget says it; true when this touch was spoken and not acted on.
    bool explore(Widget const* widget);
    void speak_frame(); // at the end of draw(): says the frame's announcement when it changed
    void forget_speech(); // the wipe
    void watch_headset(); // start-up: devices.headset
    void headset_changed(bool plugged);
    // The kiosk has a headphone socket that senses a plug, and it is free: plugging a headset is offered.
    bool offer_headset() const { return m_headset_jack && !m_headset_jack->plugged(); }
    // The call for an agent (screens/agent_call.cpp): the resident's, shown on the agent_called overlay, and the
    // printer's, made by itself when a fault needs hands (paper, a jam, a door), at most once per fault and half hour.
    void call_agent_for_help();
    void call_agent_for_printer(drivers::PrinterStatus const& status);
    bool start_agent_call(std::string kind);
    void draw_agent_called(Rect title, Rect body, Rect button);
    // What the printer and the scanner answered, for the fleet's metrics.
    void report_printer(Result<drivers::PrinterStatus> const& status);
    void report_scanner(Result<drivers::ScannerCapabilities> const& capabilities);
    static constexpr std::chrono::minutes printer_look_for_metrics { 5 };
    void navigate(Screen screen);
    void back();
    // Before the scan screen gives way to next: a running preview stops and its picture is forgotten.
    void leave_scan_screen(Screen next);
    // Turns the tray to the screenful that holds the selected document.
    void show_selected_in_tray();
    void apply_transitions();
    // Removes what earlier sessions left (folders, print jobs at the server); out of order when it cannot.
    // event names the audit line. True when nothing is left.
    bool remove_leftovers(std::string_view event);
    static bool retries_by_itself(std::string_view out_of_order_reason);
    // Runs the ground check; out of order with the first problem's reason when there is one. True when sound.
    bool check_ground();
    static constexpr std::chrono::seconds leftovers_retry { 5 };
    static constexpr std::chrono::seconds leftovers_retry_longest { 60 };
    // How long a print is followed while the print server does not answer, before the kiosk stops waiting.
    static constexpr std::chrono::seconds print_server_patience { 120 };
    void begin_session_storage();
    // Cancels the scan and the upload, and waits for every worker thread of the session (the App going away, the wipe).
    void stop_session_work();
    void wipe_session();
    void show_message(std::string title_key, std::string text);
    void show_error(Error const& error);

    // copy: a photocopy, which goes on to the print screen when it ends.
    void start_scan(bool copy);
    // A quick low-resolution scan of the glass, shown on the scan screen and never stored.
    void start_preview();
    void cancel_scan();
    void forget_glass_preview();
    void add_scanned_page(int document_number, std::vector<uint8_t> jpeg, documents::Image thumbnail, int width,
        int height, int channels, int dpi);
    void start_print();
    void follow_print_job();
    // Asks the devices for their state once, when a screen that shows it opens and as a print progresses:
    // with CUPS and SANE each question is a round trip, too slow to ask on every frame.
    void refresh_device_status();
    // Why printing cannot start now (paper out, a jam, a door open, the printer not answering), as a translation key,
    // or empty: said on the Print button itself, before the tap, and looked at again every few seconds.
    std::string print_blocked_key() const;
    // On the print screen with no job going and a printer that cannot print: it is looked at again by itself.
    bool watching_blocked_printer() const;
    static constexpr std::chrono::seconds blocked_device_recheck { 5 };
    // Asks a device how it is on m_looks.thread, one question at a time, so that a device that hangs instead of
    // answering cannot freeze the screen: ask runs there, and the job it returns applies the answer on the UI thread.
    // False when a question is already out.
    bool ask_in_background(std::function<UiJob()> ask);
    // When the device a blocked button waits on is to be asked again (every blocked_device_recheck), or nothing while
    // no button waits or a question is already out.
    std::optional<core::Clock::time_point> next_look_due() const;
    void look_at_printer(); // off the UI thread
    // Why scanning cannot start now (the scanner unplugged or not answering), as a translation key, or empty: said on
    // the Scan button before the tap. Known from the scanner's answer to a question asked when the scan screen opens,
    // and again every few seconds while it cannot scan.
    std::string scan_blocked_key() const;
    bool watching_blocked_scanner() const;
    void look_at_scanner();
    void open_partner_site();
    // The send journey: the document goes to m_send_partner's site, which opens with a banner naming it; the
    // picker offers it first when the page asks for a file.
    void send_document(int number);
    // The last scan's result line, next steps and glass reminder go (its document stays).
    void forget_scan_outcome();
    // The scan screen ready for a new document: no next steps, no page to add.
    void fresh_scan();
    // Home, a new session, the wipe: no journey is carried into the next.
    void forget_journeys();
    void open_print(int number);
    // After a scan: the steps it leads to, and where the paper still is.
    void draw_scan_next(Rect action);
    void draw_paper_picture(Rect box, bool feeder);
    void import_downloads();
    // The partner site (screens/browser.cpp): the browser's events reach the UI thread, the kiosk's upload picker
    // answers a page's file request, its keyboard types into the page's fields, and Back walks the visit's pages.
    void listen_to_browser();
    void browser_event(drivers::BrowserEvent const& event);
    std::optional<drivers::ScreenArea> browser_area() const;
    int web_keyboard_height() const;
    void place_browser();
    void forget_browser_state();
    void site_problem_back();
    // An explanation of a failed page waits under the overlay on top: closing that overlay shows it again.
    bool site_problem_beneath() const;
    void draw_site_problem();
    Rect panel_between_bars() const;
    // Closes the partner site and forgets what it had asked for (a file, the keyboard).
    void close_browser();
    bool browser_back();
    bool on_browser_widget(std::string const& id);
    void start_upload(int number);
    void finish_upload(Result<documents::EncodedDocument> prepared, documents::DocumentFormat format,
        uint64_t request_id, std::string const& name, int max_mb);
    void draw_upload_picker();
    void draw_web_keyboard();
    // The tray's document with this number (numbers start at 1), or null: it may have been deleted meanwhile.
    TrayDocument const* find_document(int number) const { return m_store.find(number); }
    TrayDocument const* selected_document() const { return m_store.find(m_selected); }
    // The pictures of the tray, in video memory, by the vault name of the page or PDF they show.
    SDL_Texture* thumbnail(std::string const& vault_name) const;
    // A document's first page.
    SDL_Texture* thumbnail(TrayDocument const& document) const;
    void keep_thumbnail(std::string const& vault_name, documents::Image const& image);
    void forget_thumbnail(std::string const& vault_name);
    void delete_selected_document();
    // Pages of a scanned document: moved one place at a time, deleted after a confirmation.
    void move_page(int index, int by);
    void ask_delete_page(int index);
    void delete_page();
    // How many tray documents, and how many pages on the pages screen, one screenful holds.
    int tray_page_size() const;
    int pages_page_size() const;
    int first_shown(int first, int per_page, int count) const;
    // The first item of the next (forward) or previous screenful.
    int turned(int first, int per_page, int count, bool forward) const;
    void limit_rename_text();
    void erase_last_character();
    void finish_rename();
    void finish_mrz_entry();
    void take_form(std::string const& slug);
    // Opens the forms screen: a partner's or a life event's forms when opened from its page, all of them from home.
    // Whether each official file is there is read once here, not on every frame.
    void open_forms(std::string partner, std::string event);
    // Indices into m_forms of the forms the screen lists, in the index's order.
    std::vector<size_t> listed_forms() const;
    std::vector<size_t> forms_for(std::string const& partner, std::string const& event) const;
    // How many of a partner's or an event's forms can be printed now: a page offers its forms only when some can.
    int available_forms(std::string const& partner, std::string const& event) const;
    // Reads whether each official file is there and sound (at start-up, and when the forms screen opens).
    void check_forms();
    int forms_page_size() const;
    // Tiles (organisations, life events) in rows, with a row that turns pages where they do not all fit.
    template<typename Draw>
    void draw_tiles(Rect box, int count, int columns, Draw const& draw_tile);
    void start_prepare();
    // Stores a PDF in the vault and the tray, with its page count and a thumbnail of page 1.
    TrayDocument const* add_pdf_document(std::string name, std::vector<uint8_t> const& pdf);
    // The preview of one page of a document (cached for the page on screen).
    SDL_Texture* preview_texture(TrayDocument const& document, int page_index);
    void forget_preview();
    void open_agent_unlock(core::Agent const* badge_holder);
    void check_pin();
    void unlocked(core::Agent const& agent);
    bool unlock_locked_out() const;
    // The pad waits for a badge before a PIN: always so for technicians, and for agents unless agents.unlock = "pin".
    bool needs_badge() const;
    void watermark_selected(std::string const& partner_slug);
    std::chrono::year_month_day today() const;

    // The bar of every session screen: Back, Home and the title, with a line under it when something is ready.
    // right_reserved: design pixels at the bar's right end that a screen's own buttons take (the diagnostics' tests).
    void draw_top_bar(std::string const& title, std::string const& subtitle = {}, int right_reserved = 0);
    void draw_session_bar();
    void draw_attract();
    void draw_welcome();
    void draw_welcome_compact();
    // The rules of a session, said as they are drawn.
    std::vector<std::string> welcome_rules();
    void draw_home();
    void draw_sites();
    void draw_events();
    void draw_send();
    void draw_event();
    // The event's page on a screen too small for its two columns (large text): over screenfuls.
    void draw_event_flowing(core::LifeEvent const& event, Rect area);
    void draw_partner();
    void draw_browser();
    void draw_scan();
    void draw_tray();
    void draw_pages();
    // A row to turn screenfuls: "← Précédents", "Documents 5 à 8 sur 9", "Suivants →"; section names the ids
    // (tray_prev, pages_next) and the strings.
    void draw_pager(std::string const& section, Rect row, int first, int per_page, int count);
    void draw_print();
    void draw_rename();
    void draw_forms();
    void draw_prepare();
    void draw_agent_unlock();
    void draw_assisted();
    void draw_id_capture();
    void draw_diagnostics();
    void draw_ending();
    void draw_wiping();
    void draw_out_of_order();
    void draw_overlay();
    Rect content_area() const;
    // The session bar's notice (a badge seen, a file given to a site, the agent of an assisted session), and the
    // height of the band it takes above the bar where the bar itself has no room for it (0 when it has).
    std::string bar_notice() const;
    int notice_band() const;
    // The height the session bar takes at the bottom of a session screen, with that band.
    int bottom_bars() const;
    // A box over the screen (a question, a panel), centred between the bars `top` and `bottom` high, or over the top
    // bar where they leave less than `needed` (the session bar stays live); drawn white, with a shade around it that
    // answers no taps.
    Rect modal_box(int top, int bottom, int width, int height, int needed);
    // The design width from which the session bar holds the time in words and its notice (not in large text).
    static constexpr int wide_session_bar = 1600;

    core::Config m_config;
    core::Clock const& m_clock;
    core::AuditLog& m_audit;
    core::Catalogue m_catalogue;
    core::Translations m_translations;
    Devices m_devices;
    std::vector<core::Form> m_forms;
    core::AgentStore m_agents;
    core::RuntimeDirLock m_lock;
    std::function<void()> m_wake;
    std::function<std::optional<std::chrono::milliseconds>()> m_display_idle;
    std::function<void()> m_clear_selections;
    std::function<void()> m_restart;
    bool m_restart_asked = false;
    std::pair<int, int> m_screen_origin { 0, 0 };
    core::SessionManager m_session;
    // Partner sites and forms, counted over an hour or more; per session only with [audit] per_session_detail.
    core::UsageCounts m_usage;
    // The session's documents, quota, print jobs and wipe, and the PIN lockout.
    core::SessionStore m_store;
    std::map<std::string, SDL_Texture*> m_thumbnails;
    core::Clock::time_point m_leftovers_checked {};
    std::chrono::seconds m_leftovers_retry = leftovers_retry;
    std::function<std::vector<core::GroundProblem>()> m_ground_check;
    std::vector<core::GroundProblem> m_ground_problems; // what the last check found, for the diagnostics
    std::vector<std::string> m_swap; // active swap areas, for the diagnostics
    std::optional<bool> m_leftovers_failing; // the last try's outcome, to audit a change and not every retry

    Canvas* m_canvas = nullptr;
    SDL_Renderer* m_renderer = nullptr;
    bool m_dirty = true;
    // The resident's accessibility choices (the panel): they last for the session and go with it. More time lives in
    // the session's timings.
    bool m_high_contrast = false;
    bool m_large_text = false; // everything drawn 1.5× larger, the screens reflowed for it
    bool m_speech = false; // the screen is read aloud, and a touch says before it acts
    OpenSpeaker m_open_speaker;
    std::unique_ptr<speech::Speaker> m_speaker;
    bool m_speaker_failed = false; // once per session: no retry on every tone
    bool m_headset
        = false; // a headset was plugged in while running: a typed letter may be said, the room does not hear it
    std::string m_focused; // explore by touch: the widget the first touch said, which a second touch activates
    std::vector<std::string> m_heard; // the lines this frame announces
    std::string m_announced; // the last announcement said, so it is said once
    bool m_announce_after = false; // the next frame's words wait for what is being said (the headset's welcome)
    bool m_frame_outdated = false; // a tap changed the screen since the last frame: taps wait for the next one

    std::string m_language;
    Screen m_screen = Screen::attract;
    std::vector<Screen> m_history;
    Overlay m_overlay = Overlay::none;
    std::string m_message_title;
    std::string m_message_text;
    std::string m_current_event;
    int m_purposes_per_page = 1; // as last drawn on the identity screen
    int m_event_page = 0; // the screenful of the event's page shown, where it takes more than one (large text)
    std::string m_current_partner;
    // The forms screen, the text screen and the pages screen (their files under screens/).
    FormsScreen m_forms_screen;
    struct {
        int first = 0; // the first tile shown on the organisations' and life events' screens
        int per_page = 1; // as last drawn
    } m_tiles;
    TextScreen m_text_screen;
    std::string m_notice; // a short line on the session bar ("Badge détecté")
    ScanScreen m_scan;
    PrepareScreen m_prepare;

    // The send journey (task_send): the organisation chosen, and the document to give its site.
    struct SendJourney {
        std::string partner;
        int document = 0;
    } m_send;
    // When the last session was wiped: the attract screen says "Tout est effacé" for a while.
    std::optional<core::Clock::time_point> m_wiped_at;
    static constexpr std::chrono::seconds wiped_shown { 8 };

    SiteVisit m_visit;

    // Tray and printing
    int m_selected = 0; // the document the tray's, the pages' and the print screen's actions act on
    struct TrayScreen {
        int first = 0; // index of the first document on screen
    } m_tray_screen;
    PagesScreen m_pages_screen;
    PrintScreen m_print;

    // The devices' last answers, asked on m_looks.thread one question at a time, so that a device that hangs instead
    // of answering cannot freeze the screen.
    struct DeviceLooks {
        Result<drivers::PrinterStatus> printer_status = make_error(ErrorCode::printer_offline);
        core::Clock::time_point printer_checked {};
        bool printer_asked = false; // the question out is the printer's
        Result<drivers::ScannerCapabilities> scanner_capabilities = make_error(ErrorCode::scanner_gone);
        core::Clock::time_point scanner_checked {};
        bool scanner_answered = false; // the scanner has answered at least once: scanner_capabilities is its answer
        std::thread thread;
        std::atomic<bool> asking { false };
    } m_looks;

    // The last call for an agent, by the webhook.
    struct AgentCall {
        enum class State { none, calling, reached, failed } state = State::none;
        std::string kind;
        std::optional<core::Clock::time_point> reached_at;
        bool help_waiting = false; // the resident asked while the printer's call was out
        std::thread thread;
        std::atomic<bool> running { false }; // set on the UI thread, until the call's result is applied there
        std::atomic<bool> cancel { false }; // the session ending: the call ends at once
    } m_agent_call;
    CallAgent m_call_agent;
    // When an agent was last called for each printer fault: kept across sessions, the printer is the kiosk's.
    std::map<drivers::PrinterCondition, core::Clock::time_point> m_printer_calls;
    static constexpr std::chrono::minutes printer_call_again { 30 };
    static constexpr std::chrono::minutes help_on_its_way { 2 };

    DiagnosticsScreen m_diagnostics;
    FleetOutcomes m_fleet_outcomes;
    net::Metrics* m_metrics = nullptr;
    std::function<void(diagnostics::NetworkRequest&)> m_network_test_hook;

    UnlockPad m_unlock;
    AssistedScreen m_assisted;

    mutable std::mutex m_jobs_mutex;
    std::deque<UiJob> m_jobs;
    std::string m_headset_error; // why the headphone socket is not watched (the diagnostics say it), or empty
    // Last: its thread posts into the jobs above, so it stops before they go.
    std::unique_ptr<drivers::HeadsetJack> m_headset_jack;
};

} // namespace kiosk::ui
