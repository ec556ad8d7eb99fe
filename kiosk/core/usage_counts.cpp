// Aggregated usage counts for the audit log.
#include "kiosk/core/usage_counts.h"

#include <algorithm>

namespace kiosk::core {

UsageCounts::UsageCounts(AuditLog& audit, Clock const& clock)
    : m_audit(audit)
    , m_clock(clock)
    , m_since(clock.now())
{
}

UsageCounts::~UsageCounts()
{
    flush();
}

void UsageCounts::add(Counts& counts, std::string_view name)
{
    auto at
        = std::ranges::lower_bound(counts, name, {}, [](auto const& entry) { return std::string_view(entry.first); });
    if (at != counts.end() && at->first == name)
        ++at->second;
    else
        counts.insert(at, { std::string(name), 1 });
}

void UsageCounts::count_partner(std::string_view slug)
{
    add(m_partners, slug);
}

void UsageCounts::count_form(std::string_view slug)
{
    add(m_forms, slug);
}

void UsageCounts::count_blocked_host(std::string_view partner, std::string_view host)
{
    std::string key = std::string(partner) + "/" + std::string(host.empty() ? "(other)" : host);
    bool known = std::ranges::binary_search(
        m_blocked_hosts, std::string_view(key), {}, [](auto const& entry) { return std::string_view(entry.first); });
    if (!known && m_blocked_hosts.size() >= max_blocked_hosts)
        key = std::string(partner) + "/(other)";
    add(m_blocked_hosts, key);
}

void UsageCounts::count_site_failure(std::string_view partner, std::string_view kind)
{
    add(m_site_failures, std::string(partner) + "/" + std::string(kind));
}

void UsageCounts::flush_if_due()
{
    if (m_clock.now() - m_since >= period)
        flush();
}

void UsageCounts::flush()
{
    if (m_partners.empty() && m_forms.empty() && m_blocked_hosts.empty() && m_site_failures.empty())
        return;
    m_audit.record("usage",
        { { "partners", AuditCounts { m_partners } }, { "forms", AuditCounts { m_forms } },
            { "blocked_hosts", AuditCounts { m_blocked_hosts } },
            { "site_failures", AuditCounts { m_site_failures } } });
    m_partners.clear();
    m_forms.clear();
    m_blocked_hosts.clear();
    m_site_failures.clear();
    m_since = m_clock.now();
}

} // namespace kiosk::core
