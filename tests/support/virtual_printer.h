// A private cupsd with the queue "kiosk" on an ippeveprinter (deploy/dev/cups/virtual-printer.sh), in a fresh
// directory, for every test that prints through real CUPS. It stops both and removes the directory at the end,
// and it can say what became of cupsd when a check fails ("cupsd died: segfault …").
#pragma once

#include "kiosk/core/error.h"

#include <catch2/catch.hpp>
#include <cups/cups.h>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace kiosk::tests {

class VirtualPrinter {
public:
    // fault: "" or media-empty / media-jam, which the printer reports on every job.
    explicit VirtualPrinter(std::string const& fault = {})
    {
        char name[] = "/tmp/kiosk-cups-test-XXXXXX";
        if (!mkdtemp(name))
            return;
        m_dir = name;
        std::string command = "timeout 60 " + script() + " start " + m_dir.string() + " kiosk " + fault;
        FILE* pipe = popen(command.c_str(), "r");
        if (!pipe)
            return;
        char line[4096];
        while (std::fgets(line, sizeof line, pipe)) {
            std::string text(line);
            if (!text.empty() && text.back() == '\n')
                text.pop_back();
            if (auto equals = text.find('='); equals != std::string::npos)
                m_vars[text.substr(0, equals)] = text.substr(equals + 1);
        }
        m_started = pclose(pipe) == 0;
    }
    VirtualPrinter(VirtualPrinter const&) = delete;
    VirtualPrinter& operator=(VirtualPrinter const&) = delete;
    ~VirtualPrinter()
    {
        if (m_dir.empty())
            return;
        run("stop");
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    static std::string script() { return KIOSK_SOURCE_DIR "/deploy/dev/cups/virtual-printer.sh"; }
    bool started() const { return m_started; }
    // stop, stop-cupsd, kill-cupsd, start-cupsd: see virtual-printer.sh.
    bool run(std::string const& command) const
    {
        return std::system(("timeout 60 " + script() + " " + command + " " + m_dir.string()).c_str()) == 0;
    }
    std::string var(std::string const& name) const { return m_vars.contains(name) ? m_vars.at(name) : std::string(); }
    std::string server() const { return var("CUPS_SERVER"); }
    std::filesystem::path dir() const { return m_dir; }
    std::filesystem::path printer_spool() const { return var("IPPEVE_SPOOL"); }
    std::filesystem::path cupsd_spool() const { return var("CUPSD_SPOOL"); }
    // The driver string of the kiosk's configuration for this printer.
    std::string driver_string(std::string const& queue = "kiosk") const
    {
        return "cups:queue=" + queue + ",server=" + server();
    }

    // Every job cupsd holds, in any state (history included), as its own IPP answer gives them.
    std::vector<int> job_ids() const
    {
        http_t* http
            = httpConnect2(server().c_str(), 631, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 5000, nullptr);
        if (!http)
            FAIL("cannot reach cupsd to list its jobs; " << diagnosis());
        ipp_t* request = ippNewRequest(IPP_OP_GET_JOBS);
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, "ipp://localhost/");
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", nullptr, "all");
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", nullptr, "job-id");
        ipp_t* response = cupsDoRequest(http, request, "/");
        httpClose(http);
        if (!response)
            FAIL("cupsd did not list its jobs; " << diagnosis());
        std::vector<int> ids;
        for (auto* a = ippFindAttribute(response, "job-id", IPP_TAG_INTEGER); a;
             a = ippFindNextAttribute(response, "job-id", IPP_TAG_INTEGER))
            ids.push_back(ippGetInteger(a, 0));
        ippDelete(response);
        return ids;
    }

    // cupsd's process id while the script knows it (or the one kill-cupsd killed), else 0.
    pid_t cupsd_pid() const
    {
        for (char const* name : { "cupsd.pid", "cupsd.dead" }) {
            std::ifstream file(m_dir / name);
            pid_t pid = 0;
            if (file >> pid)
                return pid;
        }
        return 0;
    }

    // What became of cupsd, for failure messages: "cupsd is running", or "cupsd died" with the evidence (the
    // process gone, a segfault in the kernel log, the last lines of its error log).
    std::string diagnosis() const
    {
        pid_t pid = cupsd_pid();
        if (pid > 0 && alive(pid))
            return "cupsd is running (pid " + std::to_string(pid) + ")";
        std::string text = pid > 0 ? "cupsd died (pid " + std::to_string(pid) + " is gone)" : "cupsd is not running";
        if (auto crash = kernel_log_crash(pid); pid > 0 && !crash.empty())
            text += "; kernel log: " + crash;
        text += "; end of its error log:\n" + tail(m_dir / "log" / "error_log", 8);
        return text;
    }

    // The value of a Result, or a failed test that says why, with cupsd's fate: a bare "REQUIRE(job)" left a
    // reader guessing when a security update made cupsd crash on its input.
    template<typename T>
    T must(Result<T> result, std::string const& what) const
    {
        if (!result)
            FAIL(what << " failed: " << result.error().detail << "\n" << diagnosis());
        if constexpr (!std::is_void_v<T>)
            return std::move(*result);
    }

private:
    static bool alive(pid_t pid)
    {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string text;
        if (!std::getline(stat, text))
            return false;
        auto paren = text.rfind(')');
        return paren != std::string::npos && text.compare(paren + 1, 2, " Z") != 0;
    }

    // The kernel's line about this cupsd's crash, if it logged one.
    static std::string kernel_log_crash(pid_t pid)
    {
        std::string command = "dmesg 2>/dev/null | grep -E 'cupsd\\[" + std::to_string(pid)
            + "\\].*(segfault|general protection)' | tail -n 1";
        FILE* pipe = popen(command.c_str(), "r");
        if (!pipe)
            return {};
        char line[512] = {};
        std::string text = std::fgets(line, sizeof line, pipe) ? line : "";
        pclose(pipe);
        while (!text.empty() && text.back() == '\n')
            text.pop_back();
        return text;
    }

    static std::string tail(std::filesystem::path const& file, size_t count)
    {
        std::ifstream in(file);
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);) {
            lines.push_back(line);
            if (lines.size() > count)
                lines.erase(lines.begin());
        }
        std::string text;
        for (auto const& line : lines)
            text += "  " + line + "\n";
        return text.empty() ? "  (empty)\n" : text;
    }

    std::filesystem::path m_dir;
    std::map<std::string, std::string> m_vars;
    bool m_started = false;
};

} // namespace kiosk::tests
