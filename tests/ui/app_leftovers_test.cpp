// What a crashed, killed or badly ended session leaves (its folder, its print jobs at a real cupsd) never reaches
// the next resident: start-up, the automatic retry and the technician's "back in service" remove it first.
#include "drivers/printer/cups/cups_printer.h"
#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/pdf.h"
#include "tests/support/virtual_printer.h"
#include "tests/ui/kiosk_fixture.h"

#include <fstream>

using namespace kiosk;
using kiosk::tests::VirtualPrinter;
using kiosk::ui::testing::add_agent;
using kiosk::ui::testing::KioskFixture;
using namespace std::chrono_literals;

namespace {

// A one-page PDF job submitted as the kiosk submits, by another printer object: the ids die with it, as they do
// with a killed kiosk.
std::vector<int> leave_jobs(VirtualPrinter const& virtual_printer, int count)
{
    auto printer = virtual_printer.must(
        drivers::CupsPrinter::create({ "cups", { { "queue", "kiosk" }, { "server", virtual_printer.server() } } }),
        "create");
    documents::Image page { 105, 148, 1, 18, std::vector<uint8_t>(105 * 148, 200) };
    auto jpeg = documents::encode_jpeg(page, 80);
    REQUIRE(jpeg);
    std::vector<documents::PdfPage> pages { { *jpeg, 105, 148, 1, 18 }, { *jpeg, 105, 148, 1, 18 } };
    auto pdf = documents::assemble_pdf(pages);
    REQUIRE(pdf);
    std::vector<int> ids;
    for (int i = 0; i < count; ++i) {
        drivers::PrintRequest request;
        request.title = "kiosk-1";
        request.document = *pdf;
        request.mime_type = "application/pdf";
        request.pages = 2;
        ids.push_back(virtual_printer.must(printer->submit(request), "submit"));
    }
    return ids;
}

// The folder a kiosk killed in mid-session leaves in its runtime directory.
void leave_session_folder(std::filesystem::path const& runtime_dir)
{
    std::filesystem::create_directories(runtime_dir / "session-0123456789abcdef");
    std::ofstream(runtime_dir / "session-0123456789abcdef" / "doc-1.enc") << "ciphertext of the last resident";
}

// The state of one job, as cupsd tells it.
struct IppJob {
    VirtualPrinter const& printer;
    int id;
    IppJob(VirtualPrinter const& p, int i)
        : printer(p)
        , id(i)
    {
    }
    std::string state() const
    {
        http_t* http = httpConnect2(
            printer.server().c_str(), 631, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 5000, nullptr);
        REQUIRE(http);
        ipp_t* request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr,
            ("ipp://localhost/jobs/" + std::to_string(id)).c_str());
        ipp_t* response = cupsDoRequest(http, request, "/");
        httpClose(http);
        std::string text;
        if (auto* attribute = response ? ippFindAttribute(response, "job-state", IPP_TAG_ENUM) : nullptr)
            text = ippEnumString("job-state", ippGetInteger(attribute, 0));
        ippDelete(response);
        return text;
    }
};

} // namespace

TEST_CASE("a killed kiosk's session folder and queued print jobs are gone before the attract screen shows")
{
    VirtualPrinter virtual_printer;
    REQUIRE(virtual_printer.started());
    std::vector<int> left;
    KioskFixture kiosk("sim", 1920, 1080, [&](core::Config& config) {
        config.devices.printer = virtual_printer.driver_string();
        leave_session_folder(config.runtime_dir);
        left = leave_jobs(virtual_printer, 2);
    });
    REQUIRE(left.size() == 2);
    CHECK(kiosk.app().top_name() == "attract");
    CHECK(kiosk.session_folders() == 0);
    CHECK(virtual_printer.job_ids().empty());
    CHECK(kiosk.audited(R"("event":"startup_purge","ok":true,"sessions_removed":1,"print_jobs_removed":2)"));
}

TEST_CASE("with the print server down at start-up the kiosk stays out of order, then returns by itself once it answers")
{
    VirtualPrinter virtual_printer;
    REQUIRE(virtual_printer.started());
    std::vector<int> left;
    KioskFixture kiosk("sim", 1920, 1080, [&](core::Config& config) {
        config.devices.printer = virtual_printer.driver_string();
        left = leave_jobs(virtual_printer, 1);
        REQUIRE(virtual_printer.run("stop-cupsd"));
    });
    CHECK(kiosk.app().top_name() == "out_of_order");
    CHECK(kiosk.shows_text("Les impressions d'une session précédente n'ont pas pu être annulées"));
    CHECK_FALSE(kiosk.shows_text("leftover_print_jobs")); // no developer code on the screen
    CHECK(kiosk.widget("start") == nullptr);

    kiosk.advance(60s); // still down: still out of order, tried again at 5, 15 and 35 s
    CHECK(kiosk.app().top_name() == "out_of_order");
    // The start-up's failure is in the audit log once; the retries that fail the same way add nothing.
    CHECK(kiosk.audited(R"("event":"startup_purge","ok":false)"));
    auto failed_retries = std::ranges::count_if(kiosk.audit_lines(), [](std::string const& line) {
        return line.find(R"("event":"leftovers_retry","ok":false)") != std::string::npos;
    });
    CHECK(failed_retries == 0);

    // cupsd comes back, with the last resident's job still queued in its spool: the next retry (at 75 s) cancels it
    // before anyone can start a session.
    REQUIRE(virtual_printer.run("start-cupsd"));
    kiosk.advance(20s);
    CHECK(kiosk.app().top_name() == "attract");
    CHECK(virtual_printer.job_ids().empty());
    CHECK(kiosk.audited(R"("event":"leftovers_retry","ok":true,"sessions_removed":0,"print_jobs_removed":1)"));
}

TEST_CASE("a wipe that fails keeps the kiosk out of order, and back in service wipes before the next resident")
{
    VirtualPrinter virtual_printer;
    REQUIRE(virtual_printer.started());
    KioskFixture kiosk("sim", 1920, 1080, [&](core::Config& config) {
        config.devices.printer = virtual_printer.driver_string();
        add_agent(config, "tech", "Technicien", core::AgentRole::technician, "888888", "04C0FFEE");
    });
    kiosk.start_session();
    kiosk.tap("go_forms");
    kiosk.tap("form_attestation_honneur");
    REQUIRE(kiosk.app().top_name() == "print");
    kiosk.tap("print_start");
    REQUIRE(virtual_printer.job_ids().size() == 1);

    // The print server stops as the session ends: the job cannot be purged, so the wipe fails.
    REQUIRE(virtual_printer.run("stop-cupsd"));
    kiosk.tap("end_session");
    kiosk.tap("end_now");
    CHECK(kiosk.app().top_name() == "out_of_order");
    CHECK(kiosk.app().session().out_of_order_reason() == "wipe_failed");
    CHECK(kiosk.shows_text("L'effacement de la dernière session n'a pas abouti."));
    CHECK(kiosk.session_folders() == 0);

    // A technician comes; the print server is still down. "Back in service" does not skip what is left: the
    // kiosk stays out of order and says why.
    kiosk.present_badge("04C0FFEE");
    kiosk.type_pin("888888");
    REQUIRE(kiosk.app().top_name() == "diagnostics");
    kiosk.tap("back_in_service");
    CHECK(kiosk.app().session().state() == core::SessionState::out_of_order);
    CHECK(kiosk.shows_text("Toujours hors service"));
    CHECK(kiosk.audited(R"("event":"back_in_service_wipe","ok":false)"));

    // Once cupsd is back (with the resident's job in its spool), the same button cancels the job first.
    REQUIRE(virtual_printer.run("start-cupsd"));
    kiosk.tap("close_overlay");
    // The kiosk's own retries leave the technician where they are.
    kiosk.advance(70s);
    CHECK(kiosk.app().top_name() == "diagnostics");
    kiosk.tap("back_in_service");
    CHECK(kiosk.app().top_name() == "attract");
    CHECK(virtual_printer.job_ids().empty());
    CHECK(kiosk.audited(R"("event":"back_in_service_wipe","ok":true,"sessions_removed":0,"print_jobs_removed":1)"));
}

TEST_CASE("a print whose print server crashes is not charged, and the resident is told in plain words")
{
    VirtualPrinter virtual_printer;
    REQUIRE(virtual_printer.started());
    KioskFixture kiosk(
        "sim", 1920, 1080, [&](core::Config& config) { config.devices.printer = virtual_printer.driver_string(); });
    kiosk.start_session();
    kiosk.tap("go_forms");
    kiosk.tap("form_attestation_honneur");
    kiosk.tap("print_start");
    REQUIRE(kiosk.shows_text("Il vous en reste : 20."));
    REQUIRE(virtual_printer.run("kill-cupsd"));
    kiosk.advance(2s);
    CHECK(kiosk.shows_text("L'imprimante ne répond plus."));
    CHECK(kiosk.shows_text("Il vous en reste : 20."));
    // The kiosk waits a while for the server to come back, then stops waiting; nothing is charged.
    kiosk.advance(125s);
    CHECK(kiosk.app().top_name() == "message");
    CHECK(kiosk.shows_text("Aucune page n'a été comptée"));
    kiosk.tap("close_overlay");
    CHECK(kiosk.shows_text("Il vous en reste : 20."));
    CHECK(kiosk.audited(R"("event":"print_end","state":"unknown")"));
    // Printing again must wait: the job given up on could still come out once the server is back.
    CHECK_FALSE(kiosk.widget("print_start")->enabled);

    // The server comes back in the session: the job given up on is cancelled at its first answer, so it cannot
    // come out later, and the resident may print again.
    REQUIRE(virtual_printer.run("start-cupsd"));
    kiosk.advance(1s);
    CHECK(kiosk.audited(R"("event":"print_cancelled","reason":"gave_up")"));
    CHECK(kiosk.widget("print_start")->enabled);
    for (int id : virtual_printer.job_ids()) {
        IppJob job(virtual_printer, id);
        CHECK((job.state() == "canceled" || job.state() == "aborted" || job.state() == "completed"));
    }
    kiosk.tap("end_session");
    kiosk.tap("end_now");
    CHECK(kiosk.app().top_name() == "attract");
    CHECK(virtual_printer.job_ids().empty());
}
