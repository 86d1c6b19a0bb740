// The store core: one generic put path for every record kind (validate, digest, plan against
// the current versions inside the backend's write transaction, log, close, insert), snapshots
// and the versioning invariants. Backend-neutral: a backend only reads and writes rows.
#include "core.hpp"
#include "store_detail.hpp"

#include <deadzone/core/source.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/store/backend.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <tuple>
#include <unordered_set>

namespace deadzone::store {

namespace detail {

Plan make_plan(const std::vector<CurrentVersion>& current, const std::vector<std::string>& keys,
               const std::vector<std::string>& digests, ImportMode mode) {
    std::unordered_map<std::string_view, const CurrentVersion*> by_key;
    by_key.reserve(current.size());
    for (const auto& version : current) {
        by_key.emplace(version.key, &version);
    }
    Plan plan;
    std::unordered_set<std::string_view> seen;
    seen.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        seen.insert(keys[i]);
        const auto it = by_key.find(keys[i]);
        if (it == by_key.end()) {
            plan.open.push_back(i);
            ++plan.added;
        } else if (it->second->digest != digests[i]) {
            plan.close.push_back(it->second->row_id);
            plan.open.push_back(i);
            ++plan.changed;
        } else {
            ++plan.unchanged;
        }
    }
    if (mode == ImportMode::replace) {
        for (const auto& version : current) {
            if (seen.count(version.key) == 0) {
                plan.close.push_back(version.row_id);
                ++plan.ended;
            }
        }
    }
    // Deterministic write order, whatever order the backend listed the versions in.
    std::sort(plan.close.begin(), plan.close.end());
    return plan;
}

void check_unique(const Prepared& prepared, const std::vector<std::string>& labels, const char* field) {
    std::unordered_map<std::string_view, std::size_t> first;
    std::vector<Problem> problems;
    for (std::size_t i = 0; i < prepared.keys.size(); ++i) {
        const auto [it, inserted] = first.emplace(prepared.keys[i], i);
        if (!inserted) {
            problems.push_back(Problem{Severity::error, *prepared.sources[i], field, "duplicate_id",
                                       fmt::format("{} appears again (first at {})", labels[i],
                                                   source_text(*prepared.sources[it->second]))});
        }
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }
}

std::vector<Problem> check_replace(const Plan& plan, std::size_t records, std::size_t current,
                                   const UploadMeta& meta, const std::string& what) {
    std::vector<Problem> warnings;
    if (meta.mode != ImportMode::replace || plan.ended == 0) {
        return warnings;
    }
    const Location where{meta.file_name, std::nullopt, {}, std::nullopt};
    if (records == 0 && !meta.allow_empty) {
        throw InputError(where, "", "empty_replace",
                         fmt::format("holds no records: as a full current list it would end all {} current {}; "
                                     "refused, nothing recorded (an empty upload must be allowed explicitly)",
                                     current, what));
    }
    if (2 * plan.ended > static_cast<std::int64_t>(current)) {
        warnings.push_back(Problem{Severity::warning, where, "", "ends_many",
                                   fmt::format("this upload ends {} of the {} current {} (more than half)",
                                               plan.ended, current, what)});
    }
    return warnings;
}

UploadMeta safe_meta(const UploadMeta& meta) {
    UploadMeta out = meta;
    out.file_name = escape_log_text(meta.file_name);
    out.uploaded_by = escape_log_text(meta.uploaded_by);
    return out;
}

namespace {

/// The backend's transaction as a scope: rolled back unless committed.
class Transaction {
public:
    Transaction(Backend& backend, bool write) : m_backend(backend) {
        m_backend.begin(write);
        m_open = true;
    }
    ~Transaction() {
        if (m_open) {
            m_backend.rollback();
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        m_backend.commit();
        m_open = false;
    }

private:
    Backend& m_backend;
    bool m_open = false;
};

/// Stamps the time (never earlier than the previous upload's, so time order = id order) and
/// appends the log row; sets u.id.
void append_upload(Backend& backend, const std::vector<Upload>& log, Upload& u) {
    u.uploaded_at = now_utc();
    for (const auto& earlier : log) {
        u.uploaded_at = std::max(u.uploaded_at, earlier.uploaded_at);
    }
    u.rows_rejected = 0;
    u.id = backend.append_upload(u);
}

Upload upload_for(UploadKind kind, const UploadMeta& meta, std::size_t rows, const Plan& plan) {
    const UploadMeta safe = safe_meta(meta);
    Upload u;
    u.kind = kind;
    u.operator_code = safe.operator_code;
    u.mode = safe.mode;
    u.uploaded_by = safe.uploaded_by;
    u.file_name = safe.file_name;
    u.sha256 = safe.sha256;
    u.rows_accepted = static_cast<std::int64_t>(rows);
    u.rows_warned = safe.rows_warned;
    u.added = plan.added;
    u.changed = plan.changed;
    u.ended = plan.ended;
    return u;
}

/// For a no-op: the latest upload of the same kind and operator whose file had this SHA-256.
std::optional<std::int64_t> same_file(const std::vector<Upload>& log, UploadKind kind, const UploadMeta& meta) {
    std::optional<std::int64_t> found;
    for (const auto& u : log) {
        if (u.kind == kind && u.sha256 == meta.sha256 && u.operator_code == meta.operator_code) {
            found = std::max(found.value_or(u.id), u.id);
        }
    }
    return found;
}

/// The one put-and-version path: every record kind goes through here.
template <typename Record>
ImportResult put_records(Backend& backend, const Campaign& campaign, const std::vector<Record>& records,
                         const UploadMeta& given) {
    using Traits = EntityTraits<Record>;
    UploadMeta meta = given;
    Traits::validate(records, campaign, meta);
    const std::size_t n = records.size();
    Prepared prepared;
    prepared.keys.resize(n);
    prepared.digests.resize(n);
    prepared.wkb.resize(Traits::entity == Entity::village ? n : 0);
    prepared.sources.resize(n);
    std::vector<std::string> labels(n);
    for (std::size_t i = 0; i < n; ++i) {
        prepared.keys[i] = Traits::key(records[i]);
        prepared.sources[i] = &records[i].source;
        labels[i] = Traits::label(records[i]);
        Traits::prepare(records[i], i, prepared);
    }
    check_unique(prepared, labels, Traits::key_field);

    Transaction tx{backend, true};
    // Planned inside the write lock, against the state the previous writer committed.
    const auto current = backend.current_versions(Traits::entity, scope_of(Traits::entity, meta));
    const Plan plan = make_plan(current, prepared.keys, prepared.digests, meta.mode);
    Traits::check_references(backend, records, prepared, plan, meta);
    ImportResult result;
    result.warnings = check_replace(plan, n, current.size(), meta, Traits::what(meta));
    result.added = plan.added;
    result.changed = plan.changed;
    result.ended = plan.ended;
    result.unchanged = plan.unchanged;
    const auto log = backend.read_uploads();
    if (plan.empty()) {
        result.same_file_as = same_file(log, Traits::kind, meta);
        return result; // nothing written, not even a log row
    }
    std::uint64_t bytes = plan.close.size() * 128;
    std::vector<NewVersion<Record>> versions;
    versions.reserve(plan.open.size());
    for (const std::size_t i : plan.open) {
        bytes += Traits::approx_bytes(records[i], prepared, i);
        versions.push_back(NewVersion<Record>{&records[i], &prepared.digests[i],
                                              prepared.wkb.empty() ? nullptr : &prepared.wkb[i],
                                              static_cast<std::int64_t>(i), &prepared.keys[i]});
    }
    backend.reserve(bytes);
    Upload upload = upload_for(Traits::kind, meta, n, plan);
    append_upload(backend, log, upload);
    backend.close_versions(Traits::entity, plan.close, upload.id);
    backend.insert_versions(versions, upload.id);
    tx.commit();
    result.upload = upload;
    return result;
}

/// Key order, byte-wise (what SQLite's BINARY collation gives too), whatever the backend's.
/// Samples stay in the backend's order (by upload, then row): the order analysis reads them in.
void sort_inputs(ingest::Inputs& inputs) {
    std::sort(inputs.villages.begin(), inputs.villages.end(),
              [](const Village& a, const Village& b) { return a.id < b.id; });
    std::sort(inputs.commitments.begin(), inputs.commitments.end(), [](const Commitment& a, const Commitment& b) {
        return std::tie(a.village_id, a.operator_code) < std::tie(b.village_id, b.operator_code);
    });
    std::sort(inputs.cells.begin(), inputs.cells.end(), [](const Cell& a, const Cell& b) {
        return std::tie(a.operator_code, a.site_id, a.cell_id) < std::tie(b.operator_code, b.site_id, b.cell_id);
    });
}

} // namespace

Campaign parse_campaign_text(const std::string& json_text, const std::filesystem::path& base_dir,
                             const std::string& source_name) {
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(Location{source_name, std::nullopt, {}, std::nullopt}, "", "bad_json", e.what());
    }
    Campaign campaign = ingest::parse_campaign(document, base_dir, source_name);
    // Inside the store the records are the inputs; the campaign's file paths mean nothing.
    campaign.villages.reset();
    campaign.commitments.reset();
    campaign.stations.clear();
    campaign.file.clear();
    return campaign;
}

} // namespace detail

Store::Store(std::unique_ptr<Backend> backend, Campaign campaign)
    : m_backend(std::move(backend)), m_campaign(std::move(campaign)) {}

Store::~Store() = default;

std::unique_ptr<Store> Store::create(std::unique_ptr<Backend> backend, const CampaignDocument& document) {
    Campaign campaign = detail::parse_campaign_text(document.json_text, document.base_dir, document.file_name);
    {
        detail::Transaction tx{*backend, true};
        backend->create_schema();
        Upload upload;
        upload.kind = UploadKind::campaign;
        upload.file_name = escape_log_text(document.file_name);
        upload.sha256 = document.sha256;
        upload.uploaded_by = escape_log_text(document.uploaded_by);
        upload.rows_accepted = 1;
        upload.added = 1;
        detail::append_upload(*backend, {}, upload);
        backend->write_campaign(StoredCampaign{document.json_text, document.base_dir}, campaign, upload.id);
        tx.commit();
    }
    return std::unique_ptr<Store>(new Store(std::move(backend), std::move(campaign)));
}

std::unique_ptr<Store> Store::open(std::unique_ptr<Backend> backend) {
    StoredCampaign stored;
    {
        detail::Transaction tx{*backend, false};
        stored = backend->read_campaign();
        tx.commit();
    }
    Campaign campaign;
    try {
        campaign = detail::parse_campaign_text(stored.json_text, stored.base_dir, backend->location() + ":campaign");
    } catch (const InputError& e) {
        // The store's own record is wrong, not the user's input: a damaged store.
        throw StoreError(fmt::format("{}: damaged deadzone store: the recorded campaign cannot be read ({})",
                                     backend->location(),
                                     e.problems().empty() ? std::string{} : e.problems().front().message));
    }
    return std::unique_ptr<Store>(new Store(std::move(backend), std::move(campaign)));
}

std::string Store::location() const {
    return m_backend->location();
}

ImportResult Store::put_villages(const std::vector<Village>& villages, const UploadMeta& meta) {
    return detail::put_records(*m_backend, m_campaign, villages, meta);
}

ImportResult Store::put_commitments(const std::vector<Commitment>& commitments, const UploadMeta& meta) {
    return detail::put_records(*m_backend, m_campaign, commitments, meta);
}

ImportResult Store::put_cells(const std::vector<Cell>& cells, const UploadMeta& meta) {
    return detail::put_records(*m_backend, m_campaign, cells, meta);
}

ImportResult Store::put_samples(const std::vector<Sample>& samples, const UploadMeta& meta) {
    return detail::put_records(*m_backend, m_campaign, samples, meta);
}

std::vector<Upload> Store::uploads() const {
    detail::Transaction tx{*m_backend, false};
    auto log = m_backend->read_uploads();
    tx.commit();
    return log;
}

Snapshot Store::snapshot(std::optional<std::int64_t> upload_id) const {
    // One read transaction: the log and every kind of record are seen at one instant.
    detail::Transaction tx{*m_backend, false};
    const auto log = m_backend->read_uploads();
    Snapshot snap;
    const auto it = upload_id ? std::find_if(log.begin(), log.end(), [&](const Upload& u) { return u.id == *upload_id; })
                              : (log.empty() ? log.end() : std::prev(log.end()));
    if (it == log.end()) {
        throw UsageError(upload_id ? fmt::format("{}: there is no upload #{}", location(), *upload_id)
                                   : fmt::format("{}: the store has no uploads", location()));
    }
    snap.known_at = *it;
    snap.campaign = m_campaign;
    m_backend->read_versions_at(snap.known_at.id, snap.inputs);
    tx.commit();
    detail::sort_inputs(snap.inputs);
    return snap;
}

std::vector<std::string> Store::check_integrity() const {
    detail::Transaction tx{*m_backend, false};
    std::vector<std::string> problems = m_backend->check_integrity();
    // Versioning invariant: at most one current version per key.
    for (const auto entity : {Entity::village, Entity::commitment, Entity::cell, Entity::sample}) {
        auto current = m_backend->current_versions(entity, "");
        std::sort(current.begin(), current.end(),
                  [](const CurrentVersion& a, const CurrentVersion& b) { return a.key < b.key; });
        for (std::size_t i = 1; i < current.size(); ++i) {
            if (current[i].key == current[i - 1].key && (i + 1 == current.size() || current[i + 1].key != current[i].key)) {
                std::string label = current[i].key;
                std::replace(label.begin(), label.end(), '\x1f', '/');
                problems.push_back(fmt::format("{} {} has more than one current version", to_string(entity), label));
            }
        }
    }
    tx.commit();
    return problems;
}

} // namespace deadzone::store
