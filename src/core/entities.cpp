#include <deadzone/core/campaign.hpp>
#include <deadzone/core/entities.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace deadzone {

namespace {
bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}
} // namespace

const char* to_string(Tech tech) noexcept {
    switch (tech) {
    case Tech::g2: return "2G";
    case Tech::g3: return "3G";
    case Tech::g4: return "4G";
    case Tech::g5: return "5G";
    }
    return "?";
}

std::optional<Tech> parse_tech(std::string_view text) noexcept {
    if (iequals(text, "2G") || iequals(text, "GSM")) return Tech::g2;
    if (iequals(text, "3G") || iequals(text, "UMTS")) return Tech::g3;
    if (iequals(text, "4G") || iequals(text, "LTE")) return Tech::g4;
    if (iequals(text, "5G") || iequals(text, "NR")) return Tech::g5;
    return std::nullopt;
}

const char* to_string(CellStatus status) noexcept {
    switch (status) {
    case CellStatus::planned: return "planned";
    case CellStatus::building: return "building";
    case CellStatus::on_air: return "on_air";
    case CellStatus::off_air: return "off_air";
    }
    return "?";
}

std::optional<CellStatus> parse_cell_status(std::string_view text) noexcept {
    if (iequals(text, "planned")) return CellStatus::planned;
    if (iequals(text, "building")) return CellStatus::building;
    if (iequals(text, "on_air") || iequals(text, "on-air") || iequals(text, "onair")) return CellStatus::on_air;
    if (iequals(text, "off_air") || iequals(text, "off-air") || iequals(text, "offair")) return CellStatus::off_air;
    return std::nullopt;
}

const char* to_string(DelayReason reason) noexcept {
    switch (reason) {
    case DelayReason::power: return "power";
    case DelayReason::weather: return "weather";
    case DelayReason::access: return "access";
    case DelayReason::permit: return "permit";
    case DelayReason::pole_fee: return "pole_fee";
    case DelayReason::backhaul: return "backhaul";
    case DelayReason::equipment: return "equipment";
    case DelayReason::funding: return "funding";
    case DelayReason::other: return "other";
    }
    return "?";
}

std::optional<DelayReason> parse_delay_reason(std::string_view text) noexcept {
    for (const auto reason : all_delay_reasons) {
        if (iequals(text, to_string(reason))) {
            return reason;
        }
    }
    return std::nullopt;
}

bool province_can_act(DelayReason reason) noexcept {
    return reason == DelayReason::power || reason == DelayReason::permit || reason == DelayReason::pole_fee ||
           reason == DelayReason::access;
}

std::string Cell::key() const {
    return operator_code + "/" + site_id + "/" + cell_id;
}

std::optional<Cell::Service> Cell::service() const noexcept {
    if (status != CellStatus::on_air && status != CellStatus::off_air) {
        return std::nullopt;
    }
    if (!on_air_date) {
        return std::nullopt;
    }
    if (off_air_date && *off_air_date <= *on_air_date) {
        return std::nullopt;
    }
    if (status == CellStatus::off_air && !off_air_date) {
        return std::nullopt;
    }
    return Service{*on_air_date, off_air_date};
}

bool Cell::in_service(Date day) const noexcept {
    const auto interval = service();
    return interval && interval->first <= day && (!interval->end || day < *interval->end);
}

const Operator* Campaign::find_operator(std::string_view code) const noexcept {
    for (const auto& op : operators) {
        if (iequals(op.code, code)) {
            return &op;
        }
    }
    return nullptr;
}

const Operator* Campaign::operator_for_mcc_mnc(std::string_view mcc_mnc) const noexcept {
    for (const auto& op : operators) {
        for (const auto& code : op.mcc_mnc) {
            if (code == mcc_mnc) {
                return &op;
            }
        }
    }
    return nullptr;
}

const RadioDefaults& Campaign::defaults_for(Tech tech) const {
    const auto it = radio_defaults.find(tech);
    if (it == radio_defaults.end()) {
        throw std::logic_error(std::string{"campaign has no radio defaults for "} + to_string(tech));
    }
    return it->second;
}

} // namespace deadzone
