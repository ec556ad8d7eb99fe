// An ID reader on PC/SC (pcsc-lite): agents' badges as card UIDs, readers hot-plugged, pcscd restarts survived.
#pragma once

#include "drivers/driver_spec.h"
#include "drivers/idreader/idreader.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>

#include <PCSC/winscard.h>

namespace kiosk::drivers {

class PcscReader final : public IdReader {
public:
    // "pcsc" watches every reader; "pcsc:reader=ACR122" only those whose name contains the text.
    static Result<std::unique_ptr<IdReader>> create(DriverSpec const& spec);

    explicit PcscReader(std::string reader_filter);
    ~PcscReader() override;

    std::string name() const override { return "pcsc"; }
    Result<void> start(Listener listener) override;
    void stop() override;

    // The UID in a response to FF CA 00 00 Le (data then SW1 SW2): hex upper case when SW is 9000 and the
    // UID has 4, 7 or 10 bytes; otherwise an error naming the status word.
    static Result<std::string> uid_from_response(std::span<unsigned char const> response);

    // The longest wait between two attempts to reach a stopped or restarting pcscd.
    static constexpr std::chrono::milliseconds max_backoff { 4000 };

private:
    enum class WatchEnd { stopped, service_lost };

    void run(Listener listener);
    WatchEnd watch(SCARDCONTEXT context, Listener const& listener);
    Result<std::string> read_uid(SCARDCONTEXT context, std::string const& reader);
    Result<std::string> read_uid_once(SCARDCONTEXT context, std::string const& reader, bool& pcsc_failure);
    bool stopping();

    std::string m_reader_filter;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::optional<SCARDCONTEXT> m_context; // the context the driver thread waits on, for SCardCancel
    std::thread m_thread;
};

} // namespace kiosk::drivers
