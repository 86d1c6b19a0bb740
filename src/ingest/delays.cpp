// Delay fields: the operators' own account of why a cell is not on air yet. They explain a
// delay and move no verdict, so they are strict about their vocabulary (a typo would drop a
// village from a province's to-do list) but an explanation left on an on-air cell only warns.
#include "delays.hpp"

#include <fmt/format.h>

#include <array>

namespace deadzone::ingest::detail {

namespace {

enum DelayField { d_reason, d_note, d_expected, d_power, d_backhaul };
enum CommitmentExtra { c_fund, c_note };

constexpr std::array<const char*, 4> power_sources{"grid", "solar", "generator", "none"};
constexpr std::array<const char*, 3> backhauls{"fiber", "microwave", "satellite"};

template <std::size_t N>
std::string canonical_choice(std::string_view text, const std::array<const char*, N>& choices) {
    for (const char* choice : choices) {
        if (iequals(text, choice)) {
            return choice;
        }
    }
    if (iequals(text, "fibre")) { // British spelling of the same thing
        return "fiber";
    }
    return {};
}

template <std::size_t N>
std::string choices_text(const std::array<const char*, N>& choices) {
    std::string text;
    for (const char* choice : choices) {
        text += text.empty() ? "" : "|";
        text += choice;
    }
    return text;
}

} // namespace

const std::vector<FieldSpec>& delay_specs() {
    static const std::vector<FieldSpec> specs{
        {"delay_reason", {"delay_cause"}, false},
        {"delay_note", {"delay_comment"}, false},
        {"expected_on_air_date", {"expected_on_air", "revised_on_air_date", "expected_date", "expected_o"}, false},
        {"power_source", {"power"}, false},
        {"backhaul", {"transmission"}, false},
    };
    return specs;
}

const std::vector<FieldSpec>& commitment_extra_specs() {
    static const std::vector<FieldSpec> specs{
        {"support_fund_vnd", {"support_fund", "fund_vnd", "vtci_vnd", "support_fu"}, false},
        {"note", {"notes", "comment"}, false},
    };
    return specs;
}

void read_delay_fields(const LayerInfo& layer, const std::vector<FieldSpec>& specs, std::size_t first,
                       const Row& row, const Campaign& campaign, Cell& cell, Diagnostics& diagnostics) {
    const auto index = [&](int field) { return static_cast<int>(first) + field; };
    const auto value = [&](int field) -> const std::string& { return row.values[static_cast<std::size_t>(index(field))]; };
    const auto label = [&](int field) { return field_label(layer, specs, index(field)); };
    const bool on_air = cell.status == CellStatus::on_air;

    if (const auto& text = value(d_reason); !text.empty()) {
        if (const auto reason = parse_delay_reason(trim(text))) {
            cell.delay.reason = *reason;
            if (on_air) {
                diagnostics.warning(row.where, label(d_reason), "delay_on_air",
                                    fmt::format("delay_reason '{}' on a cell that is on air: it is not late any more",
                                                to_string(*reason)));
            }
        } else {
            diagnostics.error(row.where, label(d_reason), "bad_delay_reason",
                              fmt::format("'{}' is not a delay reason (power|weather|access|permit|pole_fee|"
                                          "backhaul|equipment|funding|other)", text));
        }
    }
    cell.delay.note = trim(value(d_note));

    if (const auto& text = value(d_expected); !text.empty()) {
        const auto date = Date::parse(text);
        if (!date) {
            diagnostics.error(row.where, label(d_expected), "bad_date",
                              fmt::format("'{}' is not a date (YYYY-MM-DD)", text));
        } else if (on_air) {
            diagnostics.error(row.where, label(d_expected), "expected_on_air_cell",
                              fmt::format("expected_on_air_date {} on a cell that is already on air", date->iso()));
        } else if (campaign.start_date && *date < *campaign.start_date) {
            diagnostics.error(row.where, label(d_expected), "expected_before_start",
                              fmt::format("expected_on_air_date {} is before the campaign's start_date {}",
                                          date->iso(), campaign.start_date->iso()));
        } else {
            cell.delay.expected_on_air_date = *date;
        }
    }

    if (const auto& text = value(d_power); !text.empty()) {
        cell.delay.power_source = canonical_choice(trim(text), power_sources);
        if (cell.delay.power_source.empty()) {
            diagnostics.error(row.where, label(d_power), "bad_power_source",
                              fmt::format("'{}' is not a power source ({})", text, choices_text(power_sources)));
        }
    }
    if (const auto& text = value(d_backhaul); !text.empty()) {
        cell.delay.backhaul = canonical_choice(trim(text), backhauls);
        if (cell.delay.backhaul.empty()) {
            diagnostics.error(row.where, label(d_backhaul), "bad_backhaul",
                              fmt::format("'{}' is not a backhaul ({})", text, choices_text(backhauls)));
        }
    }
}

void read_commitment_extras(const LayerInfo& layer, const std::vector<FieldSpec>& specs, std::size_t first,
                            const Row& row, Commitment& commitment, Diagnostics& diagnostics) {
    const auto index = [&](int field) { return static_cast<int>(first) + field; };
    const auto& fund = row.values[static_cast<std::size_t>(index(c_fund))];
    if (!fund.empty()) {
        const auto amount = parse_integer(fund);
        if (!amount) {
            diagnostics.error(row.where, field_label(layer, specs, index(c_fund)), "bad_number",
                              fmt::format("'{}' is not a whole number of VND", fund));
        } else if (*amount < 0) {
            diagnostics.error(row.where, field_label(layer, specs, index(c_fund)), "out_of_range",
                              fmt::format("support_fund_vnd {} is negative", *amount));
        } else {
            commitment.support_fund_vnd = *amount;
        }
    }
    commitment.note = trim(row.values[static_cast<std::size_t>(index(c_note))]);
}

} // namespace deadzone::ingest::detail
