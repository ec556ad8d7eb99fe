// Tests of what the DevTools side of the driver reads and writes: the JSON reader, the pipe against a peer that
// misbehaves, the page script's reports, and the names files get when handed to a page.
#include "drivers/browser/browser.h"
#include "drivers/browser/chromium/devtools_pipe.h"
#include "drivers/browser/chromium/json_value.h"
#include "drivers/browser/chromium/page_script.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

using namespace kiosk;
using namespace kiosk::drivers;
using namespace kiosk::drivers::chromium;
using namespace std::chrono_literals;

TEST_CASE("The JSON reader takes Chromium's messages and refuses what is not JSON", "[devtools]")
{
    auto message = JsonValue::parse(
        R"({"id":7,"result":{"entries":[{"id":1,"url":"https://www.caf.fr/"}],"currentIndex":0,"ok":true,"x":null}})");
    REQUIRE(message);
    CHECK((*message)["id"].integer() == 7);
    CHECK((*message)["result"]["entries"].at(0)["url"].string() == "https://www.caf.fr/");
    CHECK((*message)["result"]["ok"].boolean_or(false));
    CHECK((*message)["result"]["x"].is_null());
    // Missing members and wrong types are empty values, never a crash.
    CHECK((*message)["nothing"]["deeper"].at(3).string().empty());
    CHECK_FALSE((*message)["result"].integer());
    CHECK(JsonValue::parse(R"("\u00e9t\u00e9 \ud83d\ude00 \"q\" \\ \/")")->string() == "été 😀 \"q\" \\ /");
    CHECK(JsonValue::parse("-1.5e3")->number_or(0) == -1500);
    for (auto bad : { "", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "tru", "\"\\ud800\"", "\"\\udc00x\"", "\"a\nb\"", "01x",
             "1 2", "{\"a\":1}}", "\"\\q\"", "nan", "1e999" }) {
        INFO(bad);
        CHECK_FALSE(JsonValue::parse(bad));
    }
    std::string deep(100, '[');
    deep += std::string(100, ']');
    CHECK_FALSE(JsonValue::parse(deep)); // nesting beyond 64 is refused, not a stack overflow
    CHECK(JsonValue::parse(deep, 200));
}

namespace {

// The other end of a DevTools pipe, played by the test: what the driver writes, and a way to answer.
struct FakeChromium {
    int commands[2] = { -1, -1 }; // the driver writes [1], we read [0] (a socketpair, as the driver makes it)
    int answers[2] = { -1, -1 }; // we write [1], the driver reads [0]
    std::mutex mutex;
    std::vector<DevToolsPipe::Event> events;
    std::unique_ptr<DevToolsPipe> pipe;

    explicit FakeChromium(size_t max_message = DevToolsPipe::default_max_message)
    {
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, commands) == 0);
        REQUIRE(::pipe2(answers, O_CLOEXEC) == 0);
        pipe = std::make_unique<DevToolsPipe>(
            commands[1], answers[0],
            [this](DevToolsPipe::Event event) {
                std::lock_guard lock(mutex);
                events.push_back(std::move(event));
            },
            max_message);
    }
    ~FakeChromium()
    {
        pipe.reset();
        ::close(commands[0]);
        if (answers[1] >= 0)
            ::close(answers[1]);
    }
    void write(std::string const& text)
    {
        size_t done = 0;
        while (done < text.size()) {
            auto n = ::write(answers[1], text.data() + done, text.size() - done);
            REQUIRE(n > 0);
            done += static_cast<size_t>(n);
        }
    }
    std::string read_command()
    {
        std::string text;
        char c = 0;
        while (::read(commands[0], &c, 1) == 1 && c != '\0')
            text += c;
        return text;
    }
    size_t event_count()
    {
        std::lock_guard lock(mutex);
        return events.size();
    }
};

} // namespace

TEST_CASE("The pipe matches answers to calls and hands events on", "[devtools]")
{
    FakeChromium chromium;
    std::thread answerer([&] {
        auto command = JsonValue::parse(chromium.read_command());
        REQUIRE(command);
        CHECK((*command)["method"].string() == "Page.getNavigationHistory");
        CHECK((*command)["sessionId"].string() == "S1");
        auto id = std::to_string(*(*command)["id"].integer());
        // An event first, then someone else's answer, then ours, in one write split across NULs.
        chromium.write(
            std::string(
                R"({"method":"Runtime.bindingCalled","sessionId":"S1","params":{"name":"b","payload":"email"}})")
            + '\0' + R"({"id":999,"result":{}})" + '\0' + R"({"id":)" + id + R"(,"result":{"currentIndex":2}})" + '\0');
    });
    auto answer = chromium.pipe->call("Page.getNavigationHistory", "{}", "S1", 5s);
    answerer.join();
    REQUIRE(answer);
    CHECK((*answer)["currentIndex"].integer() == 2);
    REQUIRE(chromium.event_count() == 1);
    CHECK(chromium.events[0].method == "Runtime.bindingCalled");
    CHECK(chromium.events[0].params["payload"].string() == "email");

    // A protocol error is an error, with Chromium's words.
    std::thread refuser([&] {
        auto command = JsonValue::parse(chromium.read_command());
        chromium.write(R"({"id":)" + std::to_string(*(*command)["id"].integer())
            + R"(,"error":{"code":-32000,"message":"Not allowed"}})" + '\0');
    });
    auto refused = chromium.pipe->call("Target.attachToTarget");
    refuser.join();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().detail.find("Not allowed") != std::string::npos);
}

TEST_CASE("A huge or malformed message on the pipe is dropped and the pipe goes on", "[devtools]")
{
    FakeChromium chromium(64 * 1024);
    // 10 MB without a NUL, then garbage, then a good event: the reader never holds more than its limit.
    std::string huge(10 * 1024 * 1024, 'x');
    std::thread writer([&] {
        chromium.write(huge);
        chromium.write(std::string(1, '\0') + "{not json" + '\0' + "[1,2]" + '\0'
            + R"({"method":"Target.targetDestroyed","params":{"targetId":"T"}})" + '\0');
    });
    writer.join();
    REQUIRE(([&] {
        for (int i = 0; i < 200 && chromium.event_count() == 0; ++i)
            std::this_thread::sleep_for(10ms);
        return chromium.event_count() == 1;
    }()));
    CHECK(chromium.events[0].method == "Target.targetDestroyed");
    CHECK(chromium.pipe->dropped() == 3);
    CHECK(chromium.pipe->connected());
}

TEST_CASE("A silent or vanished Chromium fails the call instead of hanging it", "[devtools]")
{
    FakeChromium chromium;
    auto unanswered = chromium.pipe->call("Page.navigate", R"({"url":"https://www.caf.fr/"})", {}, 200ms);
    REQUIRE_FALSE(unanswered);
    CHECK(unanswered.error().code == ErrorCode::browser_failed);
    CHECK(chromium.read_command().find("Page.navigate") != std::string::npos);
    // Chromium exits: its end closes, the waiting call returns at once.
    std::thread closer([&] {
        std::this_thread::sleep_for(100ms);
        ::close(chromium.answers[1]);
        chromium.answers[1] = -1;
    });
    auto gone = chromium.pipe->call("Page.reload", "{}", {}, 30s);
    closer.join();
    REQUIRE_FALSE(gone);
    CHECK_FALSE(chromium.pipe->connected());
    CHECK_FALSE(chromium.pipe->send("Page.reload"));
}

TEST_CASE("Writing to a Chromium that has gone is an error, not a signal that ends the kiosk", "[devtools]")
{
    FakeChromium chromium;
    ::close(chromium.commands[0]); // Chromium's end of the command channel, gone with it
    chromium.commands[0] = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    // The reader still waits on the other direction, so the pipe believes it is connected: the write must fail.
    auto sent = chromium.pipe->send("Input.insertText", R"({"text":"x"})");
    CHECK_FALSE(sent);
}

TEST_CASE("The page script reports only field kinds, and only the ones it knows", "[devtools]")
{
    auto script = page_script("__kiosk_0123");
    CHECK(script.find("'__kiosk_0123'") != std::string::npos);
    CHECK(script.find("@BINDING@") == std::string::npos);
    CHECK(script.find(".value") == std::string::npos); // what is typed never leaves the page
    CHECK(std::get<TextFieldKind>(*parse_focus_report("email")) == TextFieldKind::email);
    CHECK(std::get<TextFieldKind>(*parse_focus_report("password")) == TextFieldKind::password);
    CHECK(std::holds_alternative<std::monostate>(*parse_focus_report("none")));
    CHECK_FALSE(parse_focus_report("mot de passe: hunter2"));
    CHECK_FALSE(parse_focus_report(""));
}

TEST_CASE("Files handed to a page get readable names a site accepts", "[names]")
{
    CHECK(upload_file_name("Avis d'impôt 2025", ".pdf") == "Avis-d-impot-2025.pdf");
    CHECK(upload_file_name("Avis d’impôt 2025.PDF", ".pdf") == "Avis-d-impot-2025.pdf");
    CHECK(upload_file_name("../../etc/passwd", ".pdf") == "etc-passwd.pdf");
    CHECK(upload_file_name("/root/.ssh/id_rsa", ".jpg") == "root-ssh-id_rsa.jpg");
    CHECK(upload_file_name("\"Relevé\" de  compte\t(mai)", ".pdf") == "Releve-de-compte-mai.pdf");
    CHECK(upload_file_name("Œuvre çà ğüşİ ĂȘȚ", ".pdf") == "OEuvre-ca-gusI-AST.pdf");
    CHECK(upload_file_name("Довідка", ".pdf") == "document.pdf"); // no Latin letter left
    CHECK(upload_file_name("", ".jpg") == "document.jpg");
    CHECK(upload_file_name("a..b", ".pdf") == "a.b.pdf");
    CHECK(upload_file_name("x\xff\xfey", ".pdf") == "x-y.pdf"); // malformed UTF-8
    CHECK(upload_file_name("rapport", ".p/df") == "rapport"); // an extension that is no extension is dropped
    auto long_name = upload_file_name(std::string(300, 'a'), ".pdf");
    CHECK(long_name.size() == 100);
    CHECK(long_name.ends_with(".pdf"));

    FileRequest pdf_only { 1, true, { ".pdf" } };
    CHECK(file_request_accepts(pdf_only, "Avis.PDF", "application/pdf"));
    CHECK_FALSE(file_request_accepts(pdf_only, "photo.jpg", "image/jpeg"));
    FileRequest images { 2, false, { "image/*", "application/pdf" } };
    CHECK(file_request_accepts(images, "photo.jpg", "image/jpeg"));
    CHECK(file_request_accepts(images, "x.bin", "application/pdf"));
    CHECK_FALSE(file_request_accepts(images, "x.txt", "text/plain"));
    CHECK(file_request_accepts(FileRequest {}, "anything", "text/plain"));
}
