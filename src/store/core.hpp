// The store core's internals: per-entity traits (key, canonical digest, ownership and reference
// checks) and the upload plan, shared by the one generic put path in store_core.cpp.
#pragma once

#include <deadzone/store/backend.hpp>
#include <deadzone/store/store.hpp>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace deadzone::store::detail {

/// What the core computed for each record of an upload before opening a transaction.
struct Prepared {
    std::vector<std::string> keys;
    std::vector<std::string> digests;
    std::vector<std::vector<unsigned char>> wkb; // villages only
    std::vector<const Location*> sources;
};

/// Which versions one upload opens and closes.
struct Plan {
    std::vector<std::size_t> open;   // indexes of records to insert as new versions
    std::vector<std::int64_t> close; // row ids of current versions to close
    std::int64_t added = 0;
    std::int64_t changed = 0;
    std::int64_t ended = 0;
    std::int64_t unchanged = 0;
    bool empty() const noexcept { return open.empty() && close.empty(); }
};

Plan make_plan(const std::vector<CurrentVersion>& current, const std::vector<std::string>& keys,
               const std::vector<std::string>& digests, ImportMode mode);

/// Duplicate keys within one upload: InputError naming both rows.
void check_unique(const Prepared& prepared, const std::vector<std::string>& labels, const char* field);

/// An empty replace that would end every current record is refused unless allowed; a replace
/// ending more than half of them gives a warning (returned).
std::vector<Problem> check_replace(const Plan& plan, std::size_t records, std::size_t current,
                                   const UploadMeta& meta, const std::string& what);

/// The log's copy of text from outside: one line, no terminal controls.
UploadMeta safe_meta(const UploadMeta& meta);

/// The campaign recorded in a store, parsed (its input file paths cleared); InputError naming
/// `source_name` when it does not parse.
Campaign parse_campaign_text(const std::string& json_text, const std::filesystem::path& base_dir,
                             const std::string& source_name);

// ---- Per-entity traits: one specialisation per versioned record kind ----

template <typename Record>
struct EntityTraits;

template <>
struct EntityTraits<Village> {
    static constexpr Entity entity = Entity::village;
    static constexpr UploadKind kind = UploadKind::villages;
    static constexpr const char* key_field = "village_id";
    static std::string key(const Village& v) { return entity_key({v.id}); }
    static std::string label(const Village& v);
    static std::string what(const UploadMeta& meta);
    /// Canonical digest; fills prepared.wkb[i] on the way (the geometry as ISO WKB).
    static void prepare(const Village& v, std::size_t i, Prepared& prepared);
    static std::uint64_t approx_bytes(const Village& v, const Prepared& prepared, std::size_t i);
    /// Nothing to check before the transaction.
    static void validate(const std::vector<Village>&, const Campaign&, UploadMeta&) {}
    /// A village may not end while a current commitment names it.
    static void check_references(Backend& backend, const std::vector<Village>& villages, const Prepared& prepared,
                                 const Plan& plan, const UploadMeta& meta);
};

template <>
struct EntityTraits<Commitment> {
    static constexpr Entity entity = Entity::commitment;
    static constexpr UploadKind kind = UploadKind::commitments;
    static constexpr const char* key_field = "village_id";
    static std::string key(const Commitment& c) { return entity_key({c.village_id, c.operator_code}); }
    static std::string label(const Commitment& c);
    static std::string what(const UploadMeta& meta);
    static void prepare(const Commitment& c, std::size_t i, Prepared& prepared);
    static std::uint64_t approx_bytes(const Commitment& c, const Prepared& prepared, std::size_t i);
    /// Every commitment's operator is one of the campaign's.
    static void validate(const std::vector<Commitment>& commitments, const Campaign& campaign, UploadMeta& meta);
    /// Every village named is current in the store at this moment (inside the write lock).
    static void check_references(Backend& backend, const std::vector<Commitment>& commitments,
                                 const Prepared& prepared, const Plan& plan, const UploadMeta& meta);
};

template <>
struct EntityTraits<Cell> {
    static constexpr Entity entity = Entity::cell;
    static constexpr UploadKind kind = UploadKind::stations;
    static constexpr const char* key_field = "cell_id";
    static std::string key(const Cell& c) { return entity_key({c.operator_code, c.site_id, c.cell_id}); }
    static std::string label(const Cell& c);
    static std::string what(const UploadMeta& meta);
    static void prepare(const Cell& c, std::size_t i, Prepared& prepared);
    static std::uint64_t approx_bytes(const Cell& c, const Prepared& prepared, std::size_t i);
    /// Ownership: the upload names one campaign operator and holds only its cells (meta's
    /// operator code is set to the campaign's spelling).
    static void validate(const std::vector<Cell>& cells, const Campaign& campaign, UploadMeta& meta);
    static void check_references(Backend&, const std::vector<Cell>&, const Prepared&, const Plan&,
                                 const UploadMeta&) {}
};

template <>
struct EntityTraits<Sample> {
    static constexpr Entity entity = Entity::sample;
    static constexpr UploadKind kind = UploadKind::measurements;
    static constexpr const char* key_field = "time";
    static std::string key(const Sample& s) { return sample_key(s); }
    static std::string label(const Sample& s);
    static std::string what(const UploadMeta& meta);
    static void prepare(const Sample& s, std::size_t i, Prepared& prepared);
    static std::uint64_t approx_bytes(const Sample& s, const Prepared& prepared, std::size_t i);
    /// Ownership as for cells when the upload names an operator; without one every sample's
    /// operator must be one of the campaign's (meta's operator code is set to its spelling).
    static void validate(const std::vector<Sample>& samples, const Campaign& campaign, UploadMeta& meta);
    static void check_references(Backend&, const std::vector<Sample>&, const Prepared&, const Plan&,
                                 const UploadMeta&) {}
};

/// The upload's scope in current_versions: cells are per operator, samples per operator when
/// the upload names one, the rest is store-wide.
inline std::string scope_of(Entity entity, const UploadMeta& meta) {
    return entity == Entity::cell || entity == Entity::sample ? meta.operator_code : std::string{};
}

} // namespace deadzone::store::detail
