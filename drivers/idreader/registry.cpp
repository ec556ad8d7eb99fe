// The ID reader backends by name.
#include "drivers/idreader/pcsc/pcsc_reader.h"
#include "drivers/idreader/serial/serial_mrz_reader.h"
#include "drivers/idreader/sim/sim_idreader.h"
#include "drivers/registry_table.h"

namespace kiosk::drivers {

namespace {

std::vector<registry::Backend<IdReader>> const& idreaders()
{
    static std::vector<registry::Backend<IdReader>> const list {
        { "sim", [](DriverSpec const& spec, DriverContext const&) { return SimIdReader::create(spec); } },
        { "serial", [](DriverSpec const& spec, DriverContext const&) { return SerialMrzReader::create(spec); } },
        { "pcsc", [](DriverSpec const& spec, DriverContext const&) { return PcscReader::create(spec); } },
    };
    return list;
}

} // namespace

Result<std::unique_ptr<IdReader>> make_idreader(std::string const& spec, DriverContext const& context)
{
    return registry::make<IdReader>("ID reader", spec, context, idreaders());
}

std::vector<std::string> idreader_backends()
{
    return registry::names(idreaders());
}

} // namespace kiosk::drivers
