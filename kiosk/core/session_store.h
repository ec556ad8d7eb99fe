// What a resident's session holds and does, apart from any screen: its documents in the session vault (the tray),
// its print quota and storage limit, its print jobs, and the wipe that removes all of it. Also the lockout of wrong
// agent PINs, which outlives sessions. The UI drives it; tests use it without SDL.
#pragma once

#include "kiosk/core/agents.h"
#include "kiosk/core/audit_log.h"
#include "kiosk/core/clock.h"
#include "kiosk/core/error.h"
#include "kiosk/core/session_vault.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace kiosk::core {

struct TrayPage {
    std::string vault_name; // encrypted JPEG in the session vault
    int width = 0, height = 0, channels = 0, dpi = 0;
};

struct TrayDocument {
    int number = 0; // widget id doc_<number>; numbers start at 1 and are never reused in a session
    std::string name;
    std::string pdf_vault_name; // a downloaded PDF or a form; empty for scans
    int pdf_pages = 0;
    bool pdf_readable = true; // false: damaged or password-locked, kept but not printable or sendable
    bool pdf_printable = true; // false: its author forbade printing it (it can still be sent to a site)
    std::vector<TrayPage> pages; // a scan's pages, in the order they are printed, prepared and previewed
    int pages_made = 0; // numbers the pages' vault names, so a deleted page's name is never reused
    bool is_pdf() const { return !pdf_vault_name.empty(); }
    int page_count() const { return is_pdf() ? pdf_pages : static_cast<int>(pages.size()); }
};

// Wrong agent PINs in a row, and until when unlocking is refused: five wrong PINs lock for 30 s, then twice as long
// after each further failure, about an hour at most. Kept on disk (core::save_unlock_lockout), so that restarting
// the kiosk or cutting the power does not give five more tries.
class PinLockout {
public:
    PinLockout(Clock const& clock, AuditLog& audit, std::filesystem::path state_file);

    bool locked() const { return m_clock.now() < m_locked_until; }
    Clock::duration remaining() const { return locked() ? m_locked_until - m_clock.now() : Clock::duration {}; }
    int failed() const { return m_failed; }
    // Counts a try as failed, on disk too, before its PIN is checked: ending the session while it is checked does
    // not make it free. Returns the seconds of lock this try brings (0 for the first four).
    int count_failure();
    // A right PIN: the count starts again.
    void succeeded();

    static constexpr int free_tries = 5;
    static constexpr std::chrono::seconds first_lock { 30 };
    static constexpr std::chrono::seconds longest_lock { 30 << 7 };

private:
    void save(UnlockLockout const& lockout);

    Clock const& m_clock;
    AuditLog& m_audit;
    std::filesystem::path m_file;
    int m_failed = 0;
    Clock::time_point m_locked_until {};
};

struct SessionLimits {
    int page_quota = 0; // pages a resident may print, before an agent adds more
    int storage_mb = 0; // what the session may store in its vault
};

class SessionStore {
public:
    // unlock_state: the file of the PIN lockout (core::unlock_state_file).
    SessionStore(Clock const& clock, AuditLog& audit, std::filesystem::path runtime_dir, SessionLimits limits,
        std::filesystem::path unlock_state);
    SessionStore(SessionStore const&) = delete;
    SessionStore& operator=(SessionStore const&) = delete;
    ~SessionStore();

    // A new session: a new vault, an empty tray, the whole quota. An error when the vault cannot be made (the
    // kiosk is then out of order).
    Result<void> begin();
    bool open() const { return m_vault != nullptr; }

    struct WipeResult {
        bool ok = true; // false: a print job or a file may be left; the error is audited
        int documents = 0;
        int pages_printed = 0;
    };
    // Removes every trace of the session: its print jobs at the server (through purge_print_jobs, which may be
    // empty when there is no printer), its documents, its vault and key. Audited as wipe_detail. Safe to call with
    // no session open.
    using PurgePrintJobs = std::function<Result<void>(std::vector<int> const& job_ids)>;
    WipeResult wipe(PurgePrintJobs const& purge_print_jobs);

    // The tray: every document of the session, oldest first.
    std::vector<TrayDocument> const& documents() const { return m_documents; }
    TrayDocument const* find(int number) const;
    // The number the next document will get (a scan takes it before its first page arrives).
    int take_number() { return m_next_number++; }

    // Stores one scanned page, after the document's pages (a new document named name when number has none yet).
    // ErrorCode::storage_full when the page does not fit the session's storage: the pages already stored stay.
    // ErrorCode::not_found for a document deleted meanwhile (while the feeder still ran): it does not come back.
    Result<TrayPage> add_page(int number, std::string const& name, std::span<const uint8_t> jpeg, TrayPage size);
    // Stores a PDF (a download or a form) as a new document. pages: its page count, or nothing when it is damaged
    // or locked (kept, so the resident still has it, but not printable). The pointer lasts until the tray changes.
    Result<TrayDocument const*> add_pdf(
        std::string name, std::span<const uint8_t> pdf, std::optional<int> pages, bool printable = true);
    // Replaces a stored page's pixels (a watermark): same name, same size.
    Result<void> rewrite_page(std::string const& vault_name, std::span<const uint8_t> jpeg);
    Result<std::vector<uint8_t>> read(std::string const& vault_name) const;
    // The bytes a document takes (what a site's size limit is compared with).
    uint64_t stored_size(TrayDocument const& document) const;
    bool rename(int number, std::string name);
    // Removes a document and its files. False when there is no such document.
    bool remove(int number);
    // Moves a scan's page by one place or more. False when the move makes no sense (a PDF, out of range).
    bool move_page(int number, int index, int by);
    enum class PageRemoval { removed, last_page, absent };
    // Removes one page of a scan by its vault name (which a move does not change). A document's only page is not
    // removed (last_page): deleting it deletes the document, which the caller asks for with remove().
    Result<PageRemoval> remove_page(int number, std::string const& vault_name);
    // A scratch folder of the session's vault, for programs that cannot use the vault (the browser).
    Result<std::filesystem::path> scratch_directory(std::string_view name);
    SessionVault const* vault() const { return m_vault.get(); } // for tests: what a session has stored

    // The quota: pages printed are charged when they came out.
    int pages_left() const;
    int pages_printed() const { return m_pages_printed; }
    void add_quota(int pages) { m_extra_quota += pages; }
    void charge(int pages) { m_pages_printed += pages; }
    // Bytes the session may still store before reaching storage_mb.
    uint64_t storage_left() const;

    // Every print job submitted in the session, cancelled and purged at the server by the wipe.
    void add_print_job(int job_id) { m_print_jobs.push_back(job_id); }
    std::vector<int> const& print_jobs() const { return m_print_jobs; }

    // Wrong agent PINs: not wiped with a session.
    PinLockout& lockout() { return m_lockout; }
    PinLockout const& lockout() const { return m_lockout; }

private:
    TrayDocument* find_mutable(int number);

    AuditLog& m_audit;
    std::filesystem::path m_runtime_dir;
    SessionLimits m_limits;
    std::unique_ptr<SessionVault> m_vault;
    std::vector<TrayDocument> m_documents;
    int m_next_number = 1;
    std::set<int> m_removed; // numbers of documents deleted in this session
    int m_pages_printed = 0;
    int m_extra_quota = 0;
    std::vector<int> m_print_jobs;
    PinLockout m_lockout;
};

} // namespace kiosk::core
