// The campaign's records as every stage sees them after ingest: villages, commitments and
// cells (one sector or omni site each), validated, in WGS84, with unknown fields kept.
#pragma once

#include <deadzone/core/date.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/geo/types.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace deadzone {

/// Fields of the source that deadzone does not know, passed through to outputs in source order.
/// Values are kept as the source's text.
using Attributes = std::vector<std::pair<std::string, std::string>>;

struct Village {
    std::string id;
    std::string name;
    std::string province;
    std::string district;
    std::string commune;
    std::optional<double> population;
    std::optional<std::int64_t> households;
    /// Valid, counter-clockwise, WGS84. A village given as a Point is a geodesic disc here.
    geo::MultiPolygon geometry;
    /// Set when the source gave only a point (geometry is then the disc around it).
    std::optional<geo::Point> point;
    Attributes extra;
    Location source; // the file name and row or FID it was read from (core/source.hpp)
};

struct Commitment {
    std::string village_id;
    std::string operator_code;
    Date deadline;
    std::optional<Date> registered_on;
    Attributes extra;
    Location source;
    // After source, so that positional initialisers written before these fields stay right.
    /// Public-utility (universal service) fund support for this commitment, in VND.
    std::optional<std::int64_t> support_fund_vnd;
    std::string note;
};

enum class Tech { g2, g3, g4, g5 };

/// Why a cell is not on air yet, as the operator reports it (DESIGN.md "Delays").
enum class DelayReason { power, weather, access, permit, pole_fee, backhaul, equipment, funding, other };
inline constexpr DelayReason all_delay_reasons[] = {
    DelayReason::power,  DelayReason::weather,   DelayReason::access,  DelayReason::permit, DelayReason::pole_fee,
    DelayReason::backhaul, DelayReason::equipment, DelayReason::funding, DelayReason::other};
const char* to_string(DelayReason reason) noexcept;
std::optional<DelayReason> parse_delay_reason(std::string_view text) noexcept;
/// The reasons a provincial department can act on itself (grid power, permits, pole fees, access).
bool province_can_act(DelayReason reason) noexcept;

/// The operator's account of a late cell; every field optional.
struct Delay {
    std::optional<DelayReason> reason;
    std::string note;
    std::optional<Date> expected_on_air_date; // the operator's revised date (planned/building cells)
    std::string power_source;                 // grid|solar|generator|none, or empty
    std::string backhaul;                     // fiber|microwave|satellite, or empty
    bool empty() const noexcept {
        return !reason && note.empty() && !expected_on_air_date && power_source.empty() && backhaul.empty();
    }
};

enum class CellStatus { planned, building, on_air, off_air };

/// "2G", "3G", "4G", "5G".
const char* to_string(Tech tech) noexcept;
/// Accepts 2G..5G (any case) and GSM/UMTS/LTE/NR.
std::optional<Tech> parse_tech(std::string_view text) noexcept;
const char* to_string(CellStatus status) noexcept;
std::optional<CellStatus> parse_cell_status(std::string_view text) noexcept;

struct Cell {
    std::string operator_code;
    std::string site_id;
    std::string cell_id; // may be empty: one cell per site
    geo::Point position;
    Tech tech = Tech::g4;
    CellStatus status = CellStatus::on_air;
    std::optional<Date> on_air_date;
    std::optional<Date> off_air_date;
    // Radio fields as given; missing ones take the campaign's per-technology defaults.
    std::optional<double> height_m;
    std::optional<double> freq_mhz;
    std::optional<double> eirp_dbm;
    std::optional<double> azimuth_deg;   // empty = omni
    std::optional<double> beamwidth_deg;
    std::optional<double> tilt_deg;
    std::optional<double> range_m;       // fixed footprint radius, overrides the model
    Delay delay;
    Attributes extra;
    Location source;

    /// "VTL/S123/1" — unique within a campaign.
    std::string key() const;
    bool is_omni() const noexcept { return !azimuth_deg.has_value(); }
    /// The half-open interval of days [first, end) during which the cell is in service, or
    /// nullopt if it never is (planned, building, or on/off air without an on-air date).
    struct Service {
        Date first;
        std::optional<Date> end; // first day off air, if any
    };
    std::optional<Service> service() const noexcept;
    bool in_service(Date day) const noexcept;
};

/// One field measurement (drive test, walk test, crowdsourced): a received level at a point
/// and time, for one operator and technology (docs/measurements.md).
struct Sample {
    geo::Point position;       // WGS84
    Date day;                  // the date of `time` as written (its own time zone)
    std::string time;          // ISO 8601 as given
    std::string operator_code; // campaign code (an mcc_mnc is mapped through the campaign)
    Tech tech = Tech::g4;
    /// RSRP (4G/5G), RSCP (3G) or RxLev (2G) in dBm.
    double level_dbm = 0.0;
    std::string cell_id;        // optional, as given
    std::string origin;         // optional `source` column: "drive_test", a company name ...
    Location source;            // the file name and row it was read from
};

} // namespace deadzone
