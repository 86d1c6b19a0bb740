// The store core's knowledge of each record kind: its key, its canonical digest (what "same
// content" means), ownership and reference rules. Backend-neutral: no storage engine here.
#include "core.hpp"
#include "store_detail.hpp"

#include <deadzone/core/source.hpp>
#include <deadzone/geo/gdal.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ogr_geometry.h>

#include <algorithm>
#include <charconv>
#include <tuple>
#include <unordered_set>

namespace deadzone::store {

const char* to_string(Entity entity) noexcept {
    switch (entity) {
    case Entity::village: return "village";
    case Entity::commitment: return "commitment";
    case Entity::cell: return "cell";
    case Entity::sample: return "sample";
    }
    return "?";
}

std::string entity_key(std::initializer_list<std::string_view> fields) {
    std::string key;
    bool first = true;
    for (const auto field : fields) {
        if (!first) {
            key += '\x1f';
        }
        first = false;
        key += field;
    }
    return key;
}

namespace {

std::string shortest(double value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string{buffer, static_cast<std::size_t>(end - buffer)};
}

} // namespace

std::string sample_key(const Sample& s) {
    return entity_key({s.operator_code, s.time, to_string(s.tech), shortest(s.position.x()), shortest(s.position.y()),
                       s.cell_id});
}

std::string attributes_to_json(const Attributes& extra, const Location& source) {
    auto array = nlohmann::json::array();
    for (const auto& [key, value] : extra) {
        array.push_back(nlohmann::json::array({key, value}));
    }
    try {
        return array.dump();
    } catch (const nlohmann::json::exception&) {
        throw InputError(source, "", "not_utf8",
                         "an attribute is not valid UTF-8 text; save the file as UTF-8");
    }
}

Attributes attributes_from_json(const std::string& text, const std::string& where) {
    Attributes extra;
    try {
        for (const auto& item : nlohmann::json::parse(text)) {
            extra.emplace_back(item.at(0).get<std::string>(), item.at(1).get<std::string>());
        }
    } catch (const nlohmann::json::exception& e) {
        throw StoreError(fmt::format("{}: damaged extra attributes: {}", where, e.what()));
    }
    return extra;
}

std::optional<Date> parse_stored_date(const std::optional<std::string>& text, const std::string& where) {
    if (!text) {
        return std::nullopt;
    }
    const auto date = Date::parse(*text);
    if (!date) {
        throw StoreError(fmt::format("{}: damaged date '{}'", where, *text));
    }
    return date;
}

namespace detail {

namespace {

/// Canonical record text: length-prefixed fields, so no value can be mistaken for another or
/// for a missing one. Its SHA-256 is the record's digest; the form must never change, or every
/// record of an existing store would look changed on its next upload.
class Canon {
public:
    Canon& text(std::string_view value) {
        m_text += std::to_string(value.size());
        m_text += ':';
        m_text += value;
        return *this;
    }
    Canon& number(const std::optional<double>& value) {
        if (!value) {
            return missing();
        }
        // The shortest form that reads back to the same double: equal text = equal value.
        char buffer[32];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, *value).ptr;
        return text(std::string_view{buffer, static_cast<std::size_t>(end - buffer)});
    }
    Canon& integer(const std::optional<std::int64_t>& value) {
        return value ? text(std::to_string(*value)) : missing();
    }
    Canon& date(const std::optional<Date>& value) { return value ? text(value->iso()) : missing(); }
    Canon& bytes(const std::vector<unsigned char>& value) {
        return text(std::string_view{reinterpret_cast<const char*>(value.data()), value.size()});
    }
    Canon& missing() {
        m_text += '-';
        return *this;
    }
    Canon& extra(const Attributes& attributes) {
        integer(static_cast<std::int64_t>(attributes.size()));
        for (const auto& [key, value] : attributes) {
            text(key).text(value);
        }
        return *this;
    }
    std::string digest() const { return sha256_hex(m_text); }

private:
    std::string m_text;
};

std::vector<unsigned char> iso_wkb(const geo::MultiPolygon& geometry) {
    const auto ogr = geo::to_ogr(geometry);
    std::vector<unsigned char> wkb(ogr->WkbSize());
    ogr->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return wkb;
}

std::uint64_t text_bytes(const Attributes& extra) {
    std::uint64_t bytes = 8;
    for (const auto& [key, value] : extra) {
        bytes += key.size() + value.size() + 8;
    }
    return bytes;
}

} // namespace

// ---- villages ----

std::string EntityTraits<Village>::label(const Village& v) {
    return fmt::format("village '{}'", v.id);
}

std::string EntityTraits<Village>::what(const UploadMeta&) {
    return "villages";
}

void EntityTraits<Village>::prepare(const Village& v, std::size_t i, Prepared& prepared) {
    prepared.wkb[i] = iso_wkb(v.geometry);
    Canon canon;
    canon.text(v.id).text(v.name).text(v.province).text(v.district).text(v.commune);
    canon.number(v.population).integer(v.households).bytes(prepared.wkb[i]);
    canon.number(v.point ? std::optional<double>{v.point->x()} : std::nullopt);
    canon.number(v.point ? std::optional<double>{v.point->y()} : std::nullopt);
    prepared.digests[i] = canon.extra(v.extra).digest();
}

std::uint64_t EntityTraits<Village>::approx_bytes(const Village& v, const Prepared& prepared, std::size_t i) {
    return 160 + prepared.wkb[i].size() + 2 * v.id.size() + v.name.size() + v.province.size() + v.district.size() +
           v.commune.size() + source_text(v.source).size() + text_bytes(v.extra);
}

void EntityTraits<Village>::check_references(Backend& backend, const std::vector<Village>&, const Prepared& prepared,
                                             const Plan& plan, const UploadMeta& meta) {
    if (plan.ended == 0) {
        return;
    }
    const std::unordered_set<std::string> kept(prepared.keys.begin(), prepared.keys.end());
    struct Named {
        std::string village_id;
        std::string source;
    };
    std::vector<Named> orphaned;
    for (const auto& c : backend.current_versions(Entity::commitment, "")) {
        std::string village_id = c.key.substr(0, c.key.find('\x1f'));
        if (kept.count(village_id) == 0) {
            orphaned.push_back(Named{std::move(village_id), c.source});
        }
    }
    std::sort(orphaned.begin(), orphaned.end(), [](const Named& a, const Named& b) {
        return std::tie(a.village_id, a.source) < std::tie(b.village_id, b.source);
    });
    orphaned.erase(std::unique(orphaned.begin(), orphaned.end(),
                               [](const Named& a, const Named& b) {
                                   return a.village_id == b.village_id && a.source == b.source;
                               }),
                   orphaned.end());
    std::vector<Problem> problems;
    for (const auto& o : orphaned) {
        problems.push_back(Problem{Severity::error, Location{meta.file_name, std::nullopt, {}, std::nullopt}, "village_id", "village_in_use",
                                   fmt::format("village '{}' is missing from this upload but the commitment at {} "
                                               "names it; upload commitments without it first",
                                               o.village_id, o.source)});
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }
}

// ---- commitments ----

std::string EntityTraits<Commitment>::label(const Commitment& c) {
    return fmt::format("commitment of '{}' for village '{}'", c.operator_code, c.village_id);
}

std::string EntityTraits<Commitment>::what(const UploadMeta&) {
    return "commitments";
}

void EntityTraits<Commitment>::prepare(const Commitment& c, std::size_t i, Prepared& prepared) {
    Canon canon;
    canon.text(c.village_id).text(c.operator_code).date(c.deadline).date(c.registered_on);
    canon.extra(c.extra);
    // Fields added in schema version 2: tagged entries only when set, so a record without them
    // keeps the digest version 1 gave it (re-imports of old files stay no-ops).
    if (c.support_fund_vnd) {
        canon.text("support_fund_vnd").integer(c.support_fund_vnd);
    }
    if (!c.note.empty()) {
        canon.text("note").text(c.note);
    }
    prepared.digests[i] = canon.digest();
}

std::uint64_t EntityTraits<Commitment>::approx_bytes(const Commitment& c, const Prepared&, std::size_t) {
    return 176 + 2 * (c.village_id.size() + c.operator_code.size()) + source_text(c.source).size() + c.note.size() +
           text_bytes(c.extra);
}

void EntityTraits<Commitment>::validate(const std::vector<Commitment>& commitments, const Campaign& campaign,
                                        UploadMeta&) {
    std::vector<Problem> problems;
    for (const auto& c : commitments) {
        if (campaign.find_operator(c.operator_code) == nullptr) {
            problems.push_back(Problem{Severity::error, c.source, "operator", "unknown_operator",
                                       fmt::format("operator '{}' is not in the campaign", c.operator_code)});
        }
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }
}

void EntityTraits<Commitment>::check_references(Backend& backend, const std::vector<Commitment>& commitments,
                                                const Prepared&, const Plan&, const UploadMeta&) {
    std::unordered_set<std::string> villages;
    for (auto& v : backend.current_versions(Entity::village, "")) {
        villages.insert(std::move(v.key));
    }
    std::vector<Problem> problems;
    for (const auto& c : commitments) {
        if (villages.count(entity_key({c.village_id})) == 0) {
            problems.push_back(Problem{Severity::error, c.source, "village_id", "unknown_village",
                                       fmt::format("village '{}' is not in the store", c.village_id)});
        }
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }
}

// ---- cells ----

std::string EntityTraits<Cell>::label(const Cell& c) {
    return fmt::format("cell '{}'", c.key());
}

std::string EntityTraits<Cell>::what(const UploadMeta& meta) {
    return fmt::format("cells of {}", meta.operator_code);
}

void EntityTraits<Cell>::prepare(const Cell& c, std::size_t i, Prepared& prepared) {
    // The operator is not part of the text: an upload holds one operator's cells only.
    Canon canon;
    canon.text(c.site_id).text(c.cell_id).number(c.position.x()).number(c.position.y());
    canon.text(to_string(c.tech)).text(to_string(c.status)).date(c.on_air_date).date(c.off_air_date);
    canon.number(c.height_m).number(c.freq_mhz).number(c.eirp_dbm).number(c.azimuth_deg);
    canon.number(c.beamwidth_deg).number(c.tilt_deg).number(c.range_m);
    canon.extra(c.extra);
    // Schema version 2's delay fields, tagged and only when set (see the commitments above).
    const Delay& d = c.delay;
    if (d.reason) {
        canon.text("delay_reason").text(to_string(*d.reason));
    }
    if (!d.note.empty()) {
        canon.text("delay_note").text(d.note);
    }
    if (d.expected_on_air_date) {
        canon.text("expected_on_air_date").date(d.expected_on_air_date);
    }
    if (!d.power_source.empty()) {
        canon.text("power_source").text(d.power_source);
    }
    if (!d.backhaul.empty()) {
        canon.text("backhaul").text(d.backhaul);
    }
    prepared.digests[i] = canon.digest();
}

std::uint64_t EntityTraits<Cell>::approx_bytes(const Cell& c, const Prepared&, std::size_t) {
    return 320 + 2 * (c.site_id.size() + c.cell_id.size()) + source_text(c.source).size() + c.delay.note.size() +
           c.delay.power_source.size() + c.delay.backhaul.size() + (c.delay.empty() ? 0 : 32) + text_bytes(c.extra);
}

void EntityTraits<Cell>::validate(const std::vector<Cell>& cells, const Campaign& campaign, UploadMeta& meta) {
    const Operator* op = campaign.find_operator(meta.operator_code);
    if (op == nullptr) {
        throw InputError(Location{meta.file_name, std::nullopt, {}, std::nullopt}, "operator", "unknown_operator",
                         fmt::format("operator '{}' is not in the campaign", meta.operator_code));
    }
    meta.operator_code = op->code;
    // An operator's upload may only contain, and so only change, its own cells.
    std::vector<Problem> problems;
    for (const auto& c : cells) {
        if (c.operator_code != op->code) {
            problems.push_back(Problem{Severity::error, c.source, "operator", "wrong_operator",
                                       fmt::format("cell '{}' belongs to '{}'; this upload is for '{}' only",
                                                   c.key(), c.operator_code, op->code)});
        }
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }
}

// ---- samples (field measurements) ----

std::string EntityTraits<Sample>::label(const Sample& s) {
    return fmt::format("the sample of '{}' ({}) at {} ({}, {}){}", s.operator_code, to_string(s.tech), s.time,
                       shortest(s.position.x()), shortest(s.position.y()),
                       s.cell_id.empty() ? std::string{} : fmt::format(" of cell '{}'", s.cell_id));
}

std::string EntityTraits<Sample>::what(const UploadMeta& meta) {
    return meta.operator_code.empty() ? std::string{"samples"} : fmt::format("samples of {}", meta.operator_code);
}

void EntityTraits<Sample>::prepare(const Sample& s, std::size_t i, Prepared& prepared) {
    // The key's fields (operator included: a multi-operator upload holds several), then the rest.
    Canon canon;
    canon.text(s.operator_code).text(s.time).text(to_string(s.tech)).number(s.position.x()).number(s.position.y());
    canon.text(s.cell_id).date(s.day).number(s.level_dbm).text(s.origin);
    prepared.digests[i] = canon.digest();
}

std::uint64_t EntityTraits<Sample>::approx_bytes(const Sample& s, const Prepared& prepared, std::size_t i) {
    return 200 + prepared.keys[i].size() + 2 * (s.operator_code.size() + s.time.size() + s.cell_id.size()) +
           s.origin.size() + source_text(s.source).size();
}

void EntityTraits<Sample>::validate(const std::vector<Sample>& samples, const Campaign& campaign, UploadMeta& meta) {
    const Operator* op = nullptr;
    if (!meta.operator_code.empty()) {
        op = campaign.find_operator(meta.operator_code);
        if (op == nullptr) {
            throw InputError(Location{meta.file_name, std::nullopt, {}, std::nullopt}, "operator", "unknown_operator",
                             fmt::format("operator '{}' is not in the campaign", meta.operator_code));
        }
        meta.operator_code = op->code;
    }
    // An operator's upload may only contain, and so only change, its own samples.
    std::vector<Problem> problems;
    for (const auto& s : samples) {
        if (op != nullptr && s.operator_code != op->code) {
            problems.push_back(Problem{Severity::error, s.source, "operator", "wrong_operator",
                                       fmt::format("this sample belongs to '{}'; this upload is for '{}' only",
                                                   s.operator_code, op->code)});
        } else if (op == nullptr && campaign.find_operator(s.operator_code) == nullptr) {
            problems.push_back(Problem{Severity::error, s.source, "operator", "unknown_operator",
                                       fmt::format("operator '{}' is not in the campaign", s.operator_code)});
        }
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }
}

} // namespace detail

} // namespace deadzone::store
