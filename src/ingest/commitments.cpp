// Commitments: (village, operator, deadline) rows, checked against the campaign's operators and,
// when given, the villages.
#include "delays.hpp"
#include "detail.hpp"

#include <deadzone/ingest/ingest.hpp>

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

namespace deadzone::ingest {

namespace {

enum CommitmentField { f_village, f_operator, f_deadline, f_registered, f_extras_first };

const std::vector<detail::FieldSpec>& commitment_specs() {
    static const std::vector<detail::FieldSpec> specs = [] {
        std::vector<detail::FieldSpec> own{
        {"village_id", {"village", "village_code", "id", "code", "ma_thon"}, true},
        {"operator", {"operator_code", "op", "carrier", "mno", "nha_mang"}, true},
        {"deadline", {"due", "due_date", "deadline_date", "han"}, true},
        {"registered_on", {"registered", "registration_date", "registered_date"}, false},
        };
        const auto& extras = detail::commitment_extra_specs();
        own.insert(own.end(), extras.begin(), extras.end());
        return own;
    }();
    return specs;
}

} // namespace

std::vector<Commitment> read_commitments(const std::filesystem::path& file, const Campaign& campaign,
                                         const std::vector<Village>* villages,
                                         Diagnostics& diagnostics) {
    const auto& specs = commitment_specs();
    Diagnostics local;
    std::vector<Commitment> commitments;
    std::unordered_set<std::string> village_ids;
    if (villages != nullptr) {
        village_ids.reserve(villages->size());
        for (const auto& village : *villages) {
            village_ids.insert(village.id);
        }
    }
    std::unordered_map<std::string, std::string> seen;

    const auto on_row = [&](const detail::LayerInfo& layer, detail::Row& row) {
        const std::size_t errors_before = local.error_count();
        bool rejected = false;
        const auto label = [&](int index) { return detail::field_label(layer, specs, index); };
        const auto require = [&](int index) -> const std::string& {
            return detail::required_value(layer, specs, row, index, local, rejected);
        };
        const auto date = [&](int index, const std::string& text) -> std::optional<Date> {
            const auto parsed = Date::parse(text);
            if (!parsed) {
                local.error(row.where, label(index), "bad_date", Date::parse_problem(text));
            }
            return parsed;
        };

        Commitment commitment;
        commitment.source = row.source;
        commitment.village_id = require(f_village);
        commitment.operator_code = require(f_operator);
        if (!commitment.operator_code.empty() && !campaign.operators.empty()) {
            if (const auto* op = campaign.find_operator(commitment.operator_code)) {
                commitment.operator_code = op->code;
            } else {
                local.error(row.where, label(f_operator), "unknown_operator",
                            fmt::format("operator '{}' is not one of the campaign's operators", commitment.operator_code));
            }
        }
        if (!commitment.village_id.empty() && villages != nullptr &&
            village_ids.find(commitment.village_id) == village_ids.end()) {
            local.error(row.where, label(f_village), "unknown_village",
                        fmt::format("village_id '{}' is not in the villages", commitment.village_id));
        }
        if (const auto& text = require(f_deadline); !text.empty()) {
            if (const auto parsed = date(f_deadline, text)) {
                commitment.deadline = *parsed;
            }
        }
        if (const auto& text = row.values[f_registered]; !text.empty()) {
            commitment.registered_on = date(f_registered, text);
        }
        if (commitment.registered_on && local.error_count() == errors_before &&
            *commitment.registered_on > commitment.deadline) {
            local.warning(row.where, label(f_registered), "registered_after_deadline",
                          fmt::format("registered on {}, after its deadline {}", commitment.registered_on->iso(),
                                      commitment.deadline.iso()));
        }
        if (!commitment.village_id.empty() && !commitment.operator_code.empty()) {
            const auto key = commitment.village_id + "\n" + commitment.operator_code;
            const auto [it, inserted] = seen.emplace(key, source_text(row.source));
            if (!inserted) {
                local.error(row.where, label(f_village), "duplicate_commitment",
                            fmt::format("village '{}' already has a commitment by {} at {}",
                                        commitment.village_id, commitment.operator_code, it->second));
            }
        }
        detail::read_commitment_extras(layer, specs, f_extras_first, row, commitment, local);
        commitment.extra = std::move(row.extra);
        if (local.error_count() == errors_before && !rejected) {
            commitments.push_back(std::move(commitment));
        }
    };

    detail::read_table(file, specs, local, [](const detail::LayerInfo&) {}, on_row, detail::input_rules(campaign));
    detail::flush_sorted(local, diagnostics);
    return commitments;
}

} // namespace deadzone::ingest
