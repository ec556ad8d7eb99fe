#include "kiosk/core/session_store.h"

#include <algorithm>

namespace kiosk::core {

PinLockout::PinLockout(Clock const& clock, AuditLog& audit, std::filesystem::path state_file)
    : m_clock(clock)
    , m_audit(audit)
    , m_file(std::move(state_file))
{
    // Wrong PINs before a restart or a power cut still count.
    auto lockout = load_unlock_lockout(m_file);
    m_failed = lockout.failed;
    auto now_unix = std::chrono::duration_cast<std::chrono::seconds>(m_clock.wall_now().time_since_epoch()).count();
    if (lockout.locked_until_unix > now_unix)
        m_locked_until
            = m_clock.now() + std::min(std::chrono::seconds(lockout.locked_until_unix - now_unix), longest_lock);
    else if (lockout.failed >= free_tries && lockout.locked_until_unix == 0)
        m_locked_until = m_clock.now() + first_lock; // unreadable: locked, the first step
}

int PinLockout::count_failure()
{
    ++m_failed;
    UnlockLockout lockout { m_failed, 0 };
    std::chrono::seconds lock {};
    if (m_failed >= free_tries) {
        lock = std::min(first_lock * (1 << std::min(m_failed - free_tries, 7)), longest_lock);
        m_locked_until = m_clock.now() + lock;
        lockout.locked_until_unix
            = std::chrono::duration_cast<std::chrono::seconds>(m_clock.wall_now().time_since_epoch() + lock).count();
    }
    save(lockout);
    return static_cast<int>(lock.count());
}

void PinLockout::succeeded()
{
    m_failed = 0;
    m_locked_until = {};
    save({});
}

void PinLockout::save(UnlockLockout const& lockout)
{
    if (auto saved = save_unlock_lockout(m_file, lockout); !saved)
        m_audit.record("unlock_state_error", { { "code", to_string(saved.error().code) } });
}

SessionStore::SessionStore(Clock const& clock, AuditLog& audit, std::filesystem::path runtime_dir, SessionLimits limits,
    std::filesystem::path unlock_state)
    : m_audit(audit)
    , m_runtime_dir(std::move(runtime_dir))
    , m_limits(limits)
    , m_lockout(clock, audit, std::move(unlock_state))
{
}

SessionStore::~SessionStore() = default;

Result<void> SessionStore::begin()
{
    auto vault = SessionVault::create(m_runtime_dir);
    if (!vault)
        return std::unexpected(vault.error());
    m_vault = std::move(*vault);
    m_documents.clear();
    m_removed.clear();
    m_next_number = 1;
    m_pages_printed = 0;
    m_extra_quota = 0;
    m_print_jobs.clear();
    return {};
}

SessionStore::WipeResult SessionStore::wipe(PurgePrintJobs const& purge_print_jobs)
{
    WipeResult result;
    if (purge_print_jobs && !m_print_jobs.empty()) {
        if (auto purged = purge_print_jobs(m_print_jobs); !purged) {
            result.ok = false;
            m_audit.record("wipe_error", { { "what", "print_jobs" }, { "code", to_string(purged.error().code) } });
        }
    }
    result.documents = static_cast<int>(m_documents.size());
    result.pages_printed = m_pages_printed;
    m_documents.clear();
    m_removed.clear();
    if (m_vault) {
        if (auto destroyed = m_vault->destroy(); !destroyed) {
            result.ok = false;
            m_audit.record("wipe_error", { { "what", "storage" }, { "code", to_string(destroyed.error().code) } });
        }
        m_vault.reset();
    }
    m_print_jobs.clear();
    m_pages_printed = 0;
    m_extra_quota = 0;
    m_next_number = 1;
    m_audit.record("wipe_detail",
        { { "documents", static_cast<int64_t>(result.documents) },
            { "pages_printed", static_cast<int64_t>(result.pages_printed) } });
    return result;
}

TrayDocument const* SessionStore::find(int number) const
{
    auto found = std::ranges::find(m_documents, number, &TrayDocument::number);
    return found == m_documents.end() ? nullptr : &*found;
}

TrayDocument* SessionStore::find_mutable(int number)
{
    return const_cast<TrayDocument*>(find(number));
}

Result<TrayPage> SessionStore::add_page(
    int number, std::string const& name, std::span<const uint8_t> jpeg, TrayPage size)
{
    if (!m_vault)
        return make_error(ErrorCode::not_found, "no session");
    if (m_removed.contains(number))
        return make_error(ErrorCode::not_found, "document deleted");
    if (jpeg.size() > storage_left())
        return make_error(ErrorCode::storage_full, "session storage limit reached");
    auto* document = find_mutable(number);
    if (!document) {
        TrayDocument fresh;
        fresh.number = number;
        fresh.name = name;
        m_documents.push_back(std::move(fresh));
        document = &m_documents.back();
    }
    TrayPage page = size;
    page.vault_name = "doc" + std::to_string(number) + "-page" + std::to_string(document->pages_made + 1) + ".jpg";
    if (auto written = m_vault->write(page.vault_name, jpeg); !written) {
        if (document->pages.empty())
            std::erase_if(m_documents, [&](TrayDocument const& d) { return d.number == number; });
        return std::unexpected(written.error());
    }
    ++document->pages_made;
    document->pages.push_back(page);
    return page;
}

Result<TrayDocument const*> SessionStore::add_pdf(
    std::string name, std::span<const uint8_t> pdf, std::optional<int> pages, bool printable)
{
    if (!m_vault)
        return make_error(ErrorCode::not_found, "no session");
    if (pdf.size() > storage_left())
        return make_error(ErrorCode::storage_full, "session storage limit reached");
    TrayDocument document;
    document.number = take_number();
    document.name = std::move(name);
    document.pdf_readable = pages.has_value();
    document.pdf_printable = pages.has_value() && printable;
    document.pdf_pages = pages.value_or(0);
    document.pdf_vault_name = "doc" + std::to_string(document.number) + ".pdf";
    if (auto written = m_vault->write(document.pdf_vault_name, pdf); !written)
        return std::unexpected(written.error());
    m_documents.push_back(std::move(document));
    return &m_documents.back();
}

Result<void> SessionStore::rewrite_page(std::string const& vault_name, std::span<const uint8_t> jpeg)
{
    if (!m_vault)
        return make_error(ErrorCode::not_found, "no session");
    return m_vault->write(vault_name, jpeg);
}

Result<std::vector<uint8_t>> SessionStore::read(std::string const& vault_name) const
{
    if (!m_vault)
        return make_error(ErrorCode::not_found, "no session");
    return m_vault->read(vault_name);
}

uint64_t SessionStore::stored_size(TrayDocument const& document) const
{
    if (!m_vault)
        return 0;
    if (document.is_pdf())
        return m_vault->size(document.pdf_vault_name).value_or(0);
    uint64_t bytes = 0;
    for (auto const& page : document.pages)
        bytes += m_vault->size(page.vault_name).value_or(0);
    return bytes;
}

bool SessionStore::rename(int number, std::string name)
{
    auto* document = find_mutable(number);
    if (!document)
        return false;
    document->name = std::move(name);
    return true;
}

bool SessionStore::remove(int number)
{
    auto* document = find_mutable(number);
    if (!document)
        return false;
    if (m_vault) {
        for (auto const& page : document->pages)
            (void)m_vault->remove(page.vault_name);
        if (document->is_pdf())
            (void)m_vault->remove(document->pdf_vault_name);
    }
    m_audit.record("document_deleted", { { "pages", static_cast<int64_t>(document->page_count()) } });
    std::erase_if(m_documents, [&](TrayDocument const& d) { return d.number == number; });
    m_removed.insert(number);
    return true;
}

bool SessionStore::move_page(int number, int index, int by)
{
    auto* document = find_mutable(number);
    if (!document || document->is_pdf())
        return false;
    int target = index + by;
    int count = static_cast<int>(document->pages.size());
    if (index < 0 || index >= count || target < 0 || target >= count)
        return false;
    auto& pages = document->pages;
    auto from = pages.begin() + index;
    if (by > 0)
        std::rotate(from, from + 1, pages.begin() + target + 1);
    else
        std::rotate(pages.begin() + target, from, from + 1);
    m_audit.record("page_moved", { { "pages", static_cast<int64_t>(count) } });
    return true;
}

Result<SessionStore::PageRemoval> SessionStore::remove_page(int number, std::string const& vault_name)
{
    auto* document = find_mutable(number);
    if (!document || !m_vault)
        return PageRemoval::absent;
    auto it = std::ranges::find(document->pages, vault_name, &TrayPage::vault_name);
    if (it == document->pages.end())
        return PageRemoval::absent;
    if (document->pages.size() == 1)
        return PageRemoval::last_page;
    // The file goes first: a page still listed is a page still stored, never the other way round.
    if (auto removed = m_vault->remove(it->vault_name); !removed && removed.error().code != ErrorCode::not_found)
        return std::unexpected(removed.error());
    document->pages.erase(it);
    m_audit.record("page_deleted", { { "pages_left", static_cast<int64_t>(document->pages.size()) } });
    return PageRemoval::removed;
}

Result<std::filesystem::path> SessionStore::scratch_directory(std::string_view name)
{
    if (!m_vault)
        return make_error(ErrorCode::not_found, "no session");
    return m_vault->scratch_directory(name);
}

int SessionStore::pages_left() const
{
    return std::max(0, m_limits.page_quota + m_extra_quota - m_pages_printed);
}

uint64_t SessionStore::storage_left() const
{
    uint64_t limit = static_cast<uint64_t>(m_limits.storage_mb) << 20;
    uint64_t used = m_vault ? m_vault->stored_bytes() : 0;
    return used >= limit ? 0 : limit - used;
}

} // namespace kiosk::core
