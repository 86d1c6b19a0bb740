// gen-campaign (records): the generator's villages, communes, plans, cells and commitments, and
// the coverage it checks every placement with.
#pragma once

#include "names.hpp"

namespace gen {

// ---------------------------------------------------------------------------------------------
// Shared records.

struct GenVillage {
    std::string id;
    std::string name;
    std::size_t province = 0;
    std::string district;
    std::string commune;
    std::size_t commune_index = 0;
    int population = 0;
    int households = 0;
    geo::Point center;
    geo::MultiPolygon geometry; // as deadzone sees it (a disc for point villages)
    std::optional<geo::Point> point; // set when the village is published as a Point
    geo::Box box;
};

/// The campaign outcome planned for a commune's villages.
enum class Outcome {
    by_june,       // programme site on air before 2022-06-30 (inclusive)
    by_july,       // 2022-07-01 .. 2022-07-30
    late,          // August or September
    planned,       // not on air; a planned/building cell would cover it
    hopeless,      // not on air and no listed cell would cover it
};

struct Commune {
    std::string name;
    std::size_t province = 0;
    std::string district;
    geo::Point center;
    std::vector<std::size_t> villages;
    std::string operator_code;
    Outcome outcome = Outcome::by_june;
};

/// The days a village is meant to be covered by its operator: [from, to) intervals.
struct Plan {
    std::vector<std::pair<Date, std::optional<Date>>> covered;
    bool potential = true; // whether some listed cell may cover it at all

    bool covered_on(Date day) const {
        return std::any_of(covered.begin(), covered.end(),
                           [day](const auto& span) { return span.first <= day && (!span.second || day < *span.second); });
    }
};

/// Where a cell is written (each format exercises another reader).
enum class Sink { viettel_csv, vinaphone_geojson, mobifone_gpkg, mobifone_opencellid };

struct OpenCellIdRow {
    int area = 0;
    long cell = 0;
    int unit = 0;
    int samples = 0;
    std::int64_t created = 0;
    std::int64_t updated = 0;
    int average_signal = 0;
};

struct GenCell {
    Cell cell;
    geo::MultiPolygon footprint; // one polygon (the link-budget model's)
    geo::Box box;
    bool legacy = false; // built before the programme
    Sink sink = Sink::viettel_csv;
    std::string province;
    std::optional<OpenCellIdRow> opencellid;
};

struct Commitment {
    std::size_t village = 0;
    std::string operator_code;
    Date deadline;
    Date registered_on;
};

// ---------------------------------------------------------------------------------------------
// Coverage, as the overlay stage measures it: overlay::covered_fraction, the library's own clips,
// union and equal-area ratio, so that a placement the generator checks is the verdict deadzone gives.

using BoxEntry = std::pair<geo::Box, std::size_t>;
using BoxTree = bgi::rtree<BoxEntry, bgi::rstar<16>>;

class Coverage {
public:
    Coverage(const Campaign& campaign, const std::vector<GenVillage>& villages)
        : m_campaign(campaign), m_model(deadzone::model::make_link_budget_model(campaign)), m_villages(villages) {}

    GenCell make(Cell cell) const {
        GenCell out;
        out.footprint = {m_model->footprint(cell, deadzone::model::radio_params(cell, m_campaign))};
        out.box = bg::return_envelope<geo::Box>(out.footprint);
        out.cell = std::move(cell);
        return out;
    }

    void add(GenCell cell) {
        const std::size_t index = m_cells.size();
        m_by_operator[cell.cell.operator_code].insert({cell.box, index});
        m_all.insert({cell.box, index});
        m_cells.push_back(std::move(cell));
    }

    const std::vector<GenCell>& cells() const noexcept { return m_cells; }
    std::vector<GenCell>& cells() noexcept { return m_cells; }

    /// Cells (existing, filtered) plus extra candidate cells touching village v.
    template <class Keep>
    double fraction(std::size_t v, const std::string* operator_code, Keep keep,
                    const std::vector<GenCell>& extra = {}) const {
        const auto& village = m_villages[v];
        std::vector<const geo::MultiPolygon*> footprints;
        std::vector<BoxEntry> hits;
        const BoxTree* tree = &m_all;
        if (operator_code != nullptr) {
            const auto it = m_by_operator.find(*operator_code);
            tree = it != m_by_operator.end() ? &it->second : nullptr;
        }
        if (tree != nullptr) {
            tree->query(bgi::intersects(village.box), std::back_inserter(hits));
        }
        std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        for (const auto& hit : hits) {
            if (keep(m_cells[hit.second])) {
                footprints.push_back(&m_cells[hit.second].footprint);
            }
        }
        for (const auto& cell : extra) {
            if ((operator_code == nullptr || cell.cell.operator_code == *operator_code) && keep(cell) &&
                bg::intersects(cell.box, village.box)) {
                footprints.push_back(&cell.footprint);
            }
        }
        return deadzone::overlay::covered_fraction(village.geometry, footprints);
    }

    double fraction_at(std::size_t v, const std::string& op, Date day, const std::vector<GenCell>& extra = {}) const {
        return fraction(v, &op, [day](const GenCell& c) { return c.cell.in_service(day); }, extra);
    }
    /// As if every listed cell of the operator were in service.
    double potential(std::size_t v, const std::string& op, const std::vector<GenCell>& extra = {}) const {
        return fraction(v, &op, [](const GenCell&) { return true; }, extra);
    }
    double legacy_any(std::size_t v, const std::vector<GenCell>& extra = {}) const {
        return fraction(v, nullptr, [](const GenCell& c) { return c.legacy; }, extra);
    }

    /// Off-air dates of the operator's cells touching v (the days coverage may drop).
    std::vector<Date> drop_days(std::size_t v, const std::string& op, const std::vector<GenCell>& extra) const {
        std::vector<Date> days;
        const auto it = m_by_operator.find(op);
        if (it != m_by_operator.end()) {
            std::vector<BoxEntry> hits;
            it->second.query(bgi::intersects(m_villages[v].box), std::back_inserter(hits));
            for (const auto& hit : hits) {
                if (const auto& off = m_cells[hit.second].cell.off_air_date) {
                    days.push_back(*off);
                }
            }
        }
        for (const auto& cell : extra) {
            if (cell.cell.off_air_date) {
                days.push_back(*cell.cell.off_air_date);
            }
        }
        return days;
    }

    /// Villages whose box meets any of these cells' boxes, ascending.
    std::vector<std::size_t> touched(const std::vector<GenCell>& cells, const BoxTree& villages) const {
        std::set<std::size_t> out;
        for (const auto& cell : cells) {
            std::vector<BoxEntry> hits;
            villages.query(bgi::intersects(cell.box), std::back_inserter(hits));
            for (const auto& hit : hits) {
                out.insert(hit.second);
            }
        }
        return {out.begin(), out.end()};
    }

    const Campaign& campaign() const noexcept { return m_campaign; }

private:
    const Campaign& m_campaign;
    std::unique_ptr<deadzone::model::CoverageModel> m_model;
    const std::vector<GenVillage>& m_villages;
    std::vector<GenCell> m_cells;
    std::map<std::string, BoxTree> m_by_operator;
    BoxTree m_all;
};


} // namespace gen
