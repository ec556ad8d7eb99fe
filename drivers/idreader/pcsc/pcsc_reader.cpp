// The PC/SC driver: a SCardGetStatusChange loop on its own thread, UIDs through FF CA 00 00 00.
#include "drivers/idreader/pcsc/pcsc_reader.h"

#include "kiosk/core/hex.h"

#include <PCSC/pcsclite.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <iostream>
#include <utility>
#include <vector>

namespace kiosk::drivers {

namespace {

// pcsc-lite's pseudo-reader whose state changes when a reader is plugged in or out.
constexpr char const pnp_reader[] = "\\\\?PnP?\\Notification";

// A bound on each wait, so a lost SCardCancel (sent before the wait began) delays stop() by this at most.
constexpr DWORD status_timeout_ms = 1000;

// The driver's technical details go to the journal (stderr under systemd); the person never sees them.
void log_detail(std::string const& text)
{
    std::clog << "kiosk: idreader pcsc: " << text << '\n';
}

std::string describe(LONG rv)
{
    char code[16];
    std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(rv));
    return std::string(pcsc_stringify_error(rv)) + " (" + code + ")";
}

bool service_lost(LONG rv)
{
    return rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED || rv == SCARD_E_INVALID_HANDLE
        || rv == SCARD_F_COMM_ERROR || rv == SCARD_E_NO_MEMORY || rv == SCARD_F_INTERNAL_ERROR;
}

// The names of the readers pcscd knows, or the error that prevented listing them.
Result<std::vector<std::string>> list_readers(SCARDCONTEXT context, LONG& rv)
{
    for (int attempt = 0; attempt < 3; ++attempt) {
        DWORD size = 0;
        rv = SCardListReaders(context, nullptr, nullptr, &size);
        if (rv == SCARD_E_NO_READERS_AVAILABLE)
            return std::vector<std::string> {};
        if (rv != SCARD_S_SUCCESS)
            return make_error(ErrorCode::idreader_failed, "SCardListReaders: " + describe(rv));
        std::vector<char> buffer(size);
        rv = SCardListReaders(context, nullptr, buffer.data(), &size);
        if (rv == SCARD_E_INSUFFICIENT_BUFFER)
            continue; // a reader arrived between the two calls
        if (rv == SCARD_E_NO_READERS_AVAILABLE)
            return std::vector<std::string> {};
        if (rv != SCARD_S_SUCCESS)
            return make_error(ErrorCode::idreader_failed, "SCardListReaders: " + describe(rv));
        std::vector<std::string> names;
        buffer.resize(size);
        for (std::size_t at = 0; at < buffer.size() && buffer[at] != '\0';) {
            std::string name(buffer.data() + at);
            at += name.size() + 1;
            names.push_back(std::move(name));
        }
        return names;
    }
    return make_error(ErrorCode::idreader_failed, "SCardListReaders: the list keeps changing");
}

} // namespace

Result<std::unique_ptr<IdReader>> PcscReader::create(DriverSpec const& spec)
{
    TRY(spec.allow_only({ "reader" }));
    return std::unique_ptr<IdReader>(std::make_unique<PcscReader>(spec.get("reader").value_or("")));
}

PcscReader::PcscReader(std::string reader_filter)
    : m_reader_filter(std::move(reader_filter))
{
}

PcscReader::~PcscReader()
{
    stop();
}

Result<void> PcscReader::start(Listener listener)
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return make_error(ErrorCode::idreader_failed, "PC/SC reader is already started");
    m_stopping = false;
    // pcscd not running yet is no error: the thread keeps trying, as it does after a pcscd restart.
    m_thread = std::thread([this, listener = std::move(listener)] { run(listener); });
    return {};
}

void PcscReader::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_thread.joinable())
            return;
        m_stopping = true;
        if (m_context)
            SCardCancel(*m_context);
    }
    m_wake.notify_all();
    m_thread.join();
}

bool PcscReader::stopping()
{
    std::lock_guard lock(m_mutex);
    return m_stopping;
}

Result<std::string> PcscReader::uid_from_response(std::span<unsigned char const> response)
{
    if (response.size() < 2)
        return make_error(
            ErrorCode::idreader_failed, "the card answered FF CA with " + std::to_string(response.size()) + " bytes");
    unsigned sw = (static_cast<unsigned>(response[response.size() - 2]) << 8) | response.back();
    auto uid = response.first(response.size() - 2);
    if (sw == 0x9000) {
        if (uid.size() == 4 || uid.size() == 7 || uid.size() == 10)
            return to_hex(uid, HexCase::upper);
        return make_error(
            ErrorCode::idreader_failed, "the card's UID has " + std::to_string(uid.size()) + " bytes, not 4, 7 or 10");
    }
    std::array<unsigned char, 2> sw_bytes { response[response.size() - 2], response.back() };
    if (sw == 0x6A81)
        return make_error(ErrorCode::idreader_failed, "the reader does not support FF CA, get UID (SW 6A81)");
    return make_error(
        ErrorCode::idreader_failed, "the card refused FF CA, get UID (SW " + to_hex(sw_bytes, HexCase::upper) + ")");
}

Result<std::string> PcscReader::read_uid(SCARDCONTEXT context, std::string const& reader)
{
    // A card swapped quickly, or still settling after power-on, can fail at the PC/SC level
    // (e.g. SCARD_E_NOT_TRANSACTED, SCARD_W_RESET_CARD): try again briefly. A status word is the card's
    // final answer and is not retried.
    bool pcsc_failure = false;
    Result<std::string> uid = make_error(ErrorCode::idreader_failed, "no attempt");
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (attempt > 0) {
            std::unique_lock lock(m_mutex);
            if (m_wake.wait_for(lock, std::chrono::milliseconds(200), [&] { return m_stopping; }))
                break;
        }
        uid = read_uid_once(context, reader, pcsc_failure);
        if (uid || !pcsc_failure)
            break;
    }
    return uid;
}

Result<std::string> PcscReader::read_uid_once(SCARDCONTEXT context, std::string const& reader, bool& pcsc_failure)
{
    pcsc_failure = true;
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    LONG rv = SCardConnect(
        context, reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
    if (rv != SCARD_S_SUCCESS)
        return make_error(ErrorCode::idreader_failed, "SCardConnect(" + reader + "): " + describe(rv));
    struct Disconnect {
        SCARDHANDLE card;
        ~Disconnect() { SCardDisconnect(card, SCARD_LEAVE_CARD); }
    } disconnect { card };

    SCARD_IO_REQUEST const* pci = protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    std::array<unsigned char, 5> command { 0xFF, 0xCA, 0x00, 0x00, 0x00 };
    // Once more at most: 6CXX says "ask again with Le = XX".
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::array<unsigned char, 258> response {};
        DWORD length = response.size();
        rv = SCardTransmit(card, pci, command.data(), command.size(), nullptr, response.data(), &length);
        if (rv != SCARD_S_SUCCESS)
            return make_error(ErrorCode::idreader_failed, "SCardTransmit(" + reader + "): " + describe(rv));
        std::span<unsigned char const> answer(response.data(), std::min<std::size_t>(length, response.size()));
        if (attempt == 0 && answer.size() == 2 && answer[0] == 0x6C) {
            command[4] = answer[1];
            continue;
        }
        pcsc_failure = false;
        return uid_from_response(answer);
    }
    pcsc_failure = false;
    return make_error(ErrorCode::idreader_failed, "the card asked twice for another length (6CXX)");
}

void PcscReader::run(Listener listener)
{
    std::chrono::milliseconds backoff { 250 };
    std::string last_problem; // logged once, not at every attempt while pcscd stays away
    for (;;) {
        SCARDCONTEXT context = 0;
        LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context);
        if (rv == SCARD_S_SUCCESS) {
            bool registered = false;
            {
                std::lock_guard lock(m_mutex);
                if (!m_stopping)
                    m_context = context;
                registered = !m_stopping;
            }
            log_detail("connected to pcscd");
            last_problem.clear();
            backoff = std::chrono::milliseconds(250);
            WatchEnd end = registered ? watch(context, listener) : WatchEnd::stopped;
            {
                std::lock_guard lock(m_mutex);
                m_context.reset();
            }
            SCardReleaseContext(context);
            if (end == WatchEnd::stopped)
                return;
        } else if (describe(rv) != last_problem) {
            last_problem = describe(rv);
            log_detail("SCardEstablishContext: " + last_problem + "; trying again");
        }

        std::unique_lock lock(m_mutex);
        if (m_wake.wait_for(lock, backoff, [&] { return m_stopping; }))
            return;
        backoff = std::min(backoff * 2, max_backoff);
    }
}

PcscReader::WatchEnd PcscReader::watch(SCARDCONTEXT context, Listener const& listener)
{
    struct Slot {
        std::string reader;
        DWORD state = SCARD_STATE_UNAWARE;
        bool present = false;
        std::optional<std::string> uid; // set when card_inserted was sent, so card_removed is too
    };
    std::vector<Slot> slots;
    DWORD pnp_state = SCARD_STATE_UNAWARE;
    bool list_changed = true;

    auto card_gone = [&](Slot& slot) {
        slot.present = false;
        if (slot.uid)
            listener(IdEvent { IdEvent::Kind::card_removed, *std::exchange(slot.uid, std::nullopt), {} });
    };
    auto lost = [&](std::string const& what) {
        log_detail(what + "; reconnecting to pcscd");
        // The cards can no longer be followed: say they left; those still there are reported again.
        for (auto& slot : slots)
            card_gone(slot);
        return WatchEnd::service_lost;
    };

    while (!stopping()) {
        if (list_changed) {
            list_changed = false;
            LONG rv = SCARD_S_SUCCESS;
            auto names = list_readers(context, rv);
            if (!names) {
                if (service_lost(rv))
                    return lost(names.error().detail);
                log_detail(names.error().detail);
                names = std::vector<std::string> {};
            }
            std::erase_if(
                *names, [&](std::string const& name) { return name.find(m_reader_filter) == std::string::npos; });
            for (auto& slot : slots) {
                if (std::ranges::find(*names, slot.reader) == names->end()) {
                    log_detail("reader removed: " + slot.reader);
                    card_gone(slot);
                }
            }
            std::erase_if(
                slots, [&](Slot const& slot) { return std::ranges::find(*names, slot.reader) == names->end(); });
            for (auto& name : *names) {
                if (std::ranges::find(slots, name, &Slot::reader) == slots.end()) {
                    log_detail("reader added: " + name);
                    Slot slot;
                    slot.reader = name;
                    slots.push_back(std::move(slot));
                }
            }
        }

        std::vector<SCARD_READERSTATE> states(slots.size() + 1);
        states[0].szReader = pnp_reader;
        states[0].dwCurrentState = pnp_state;
        for (std::size_t i = 0; i < slots.size(); ++i) {
            states[i + 1].szReader = slots[i].reader.c_str();
            states[i + 1].dwCurrentState = slots[i].state;
        }
        LONG rv = SCardGetStatusChange(context, status_timeout_ms, states.data(), static_cast<DWORD>(states.size()));
        if (rv == SCARD_E_TIMEOUT || rv == SCARD_E_CANCELLED)
            continue;
        if (rv == SCARD_E_UNKNOWN_READER) {
            list_changed = true;
            continue;
        }
        if (rv != SCARD_S_SUCCESS) {
            if (service_lost(rv))
                return lost("SCardGetStatusChange: " + describe(rv));
            log_detail("SCardGetStatusChange: " + describe(rv));
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, std::chrono::milliseconds(status_timeout_ms), [&] { return m_stopping; });
            continue;
        }

        if (states[0].dwEventState & SCARD_STATE_CHANGED)
            list_changed = true;
        pnp_state = states[0].dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);

        for (std::size_t i = 0; i < slots.size(); ++i) {
            Slot& slot = slots[i];
            DWORD event = states[i + 1].dwEventState;
            slot.state = event & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
            if (event & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE)) {
                list_changed = true;
                continue;
            }
            bool present = (event & SCARD_STATE_PRESENT) != 0;
            if (present && !slot.present) {
                slot.present = true;
                if (event & SCARD_STATE_MUTE) {
                    log_detail("card in " + slot.reader + " does not answer (mute)");
                    continue;
                }
                if (auto uid = read_uid(context, slot.reader)) {
                    slot.uid = *uid;
                    listener(IdEvent { IdEvent::Kind::card_inserted, *uid, {} });
                } else {
                    log_detail(uid.error().detail);
                }
            } else if (!present && slot.present) {
                card_gone(slot);
            }
        }
    }
    return WatchEnd::stopped;
}

} // namespace kiosk::drivers
