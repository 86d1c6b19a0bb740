// `deadzone store copy FROM TO`: a store's whole history moved to another store (between
// backends): the campaign, every upload with its id, time and counts, every version with the
// uploads it was known from and to, and the tokens. Backend-neutral: the history is replayed
// upload by upload from the source's snapshots — the versions an upload opened are the records
// whose digest is new at it, those it closed the ones whose digest went away — and each step
// is checked against the counts the source logged for that upload.
#include "core.hpp"
#include "store_detail.hpp"

#include <deadzone/store/store.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <type_traits>
#include <unordered_map>

namespace deadzone::store {

namespace {

using Digests = std::unordered_map<std::string, std::string>; // key -> digest of the version in force

/// Replays one upload of one record kind into `target`: closes the versions it closed, opens
/// the ones it opened; `in_force` goes from the state before the upload to the state after it.
template <typename Record>
std::int64_t replay(Backend& target, const std::vector<Record>& after, const Upload& upload, Digests& in_force) {
    using Traits = detail::EntityTraits<Record>;
    // Cells, and samples of an upload naming an operator, are that operator's: keys start with it.
    const bool scoped = (Traits::entity == Entity::cell || Traits::entity == Entity::sample) &&
                        !upload.operator_code.empty();
    const std::string scope = scoped ? upload.operator_code : std::string{};
    const std::string prefix = scoped ? scope + '\x1f' : std::string{}; // the operator's keys
    std::vector<const Record*> records;
    for (const auto& r : after) {
        if constexpr (std::is_same_v<Record, Cell> || std::is_same_v<Record, Sample>) {
            if (scoped && r.operator_code != upload.operator_code) {
                continue; // another operator's cells: this upload did not touch them
            }
        }
        {
            records.push_back(&r);
        }
    }
    detail::Prepared prepared;
    const std::size_t n = records.size();
    prepared.keys.resize(n);
    prepared.digests.resize(n);
    prepared.wkb.resize(Traits::entity == Entity::village ? n : 0);
    prepared.sources.resize(n);
    Digests now;
    std::vector<NewVersion<Record>> opened;
    std::int64_t added = 0, changed = 0, ended = 0;
    for (std::size_t i = 0; i < n; ++i) {
        prepared.keys[i] = Traits::key(*records[i]);
        Traits::prepare(*records[i], i, prepared);
        now.emplace(prepared.keys[i], prepared.digests[i]);
        const auto it = in_force.find(prepared.keys[i]);
        if (it == in_force.end() || it->second != prepared.digests[i]) {
            (it == in_force.end() ? added : changed) += 1;
            // Samples keep their order: the snapshot lists them by upload, then ordinal.
            opened.push_back(NewVersion<Record>{records[i], &prepared.digests[i],
                                                prepared.wkb.empty() ? nullptr : &prepared.wkb[i],
                                                static_cast<std::int64_t>(opened.size()), &prepared.keys[i]});
        }
    }
    std::vector<std::int64_t> closed;
    std::unordered_map<std::string, std::int64_t> row_of;
    for (const auto& v : target.current_versions(Traits::entity, scope)) {
        row_of.emplace(v.key, v.row_id);
    }
    for (auto it = in_force.begin(); it != in_force.end();) {
        if (scoped && it->first.compare(0, prefix.size(), prefix) != 0) {
            ++it;
            continue;
        }
        const auto now_it = now.find(it->first);
        if (now_it == now.end() || now_it->second != it->second) {
            ended += now_it == now.end() ? 1 : 0;
            closed.push_back(row_of.at(it->first));
        }
        it = now_it == now.end() ? in_force.erase(it) : std::next(it);
    }
    if (added != upload.added || changed != upload.changed || ended != upload.ended) {
        throw StoreError(fmt::format("upload #{} replays as {} added, {} changed, {} ended but the log says {}, {}, {}: "
                                     "the source store's history is damaged; nothing was copied",
                                     upload.id, added, changed, ended, upload.added, upload.changed, upload.ended));
    }
    std::sort(closed.begin(), closed.end());
    target.close_versions(Traits::entity, closed, upload.id);
    target.insert_versions(opened, upload.id);
    for (auto& [key, digest] : now) {
        in_force[key] = digest;
    }
    return static_cast<std::int64_t>(opened.size());
}

CopyResult copy_history(Backend& source, Backend& target, const Progress& progress) {
    CopyResult result;
    target.create_schema();
    const StoredCampaign stored = source.read_campaign();
    const Campaign campaign = detail::parse_campaign_text(stored.json_text, stored.base_dir,
                                                          source.location() + ":campaign");
    const auto log = source.read_uploads();
    Digests villages, commitments, cells, samples;
    for (std::size_t i = 0; i < log.size(); ++i) {
        const Upload& u = log[i];
        progress.report(static_cast<double>(i) / static_cast<double>(log.size()), fmt::format("upload #{}", u.id));
        if (target.append_upload(u) != u.id) {
            throw StoreError(fmt::format("{}: upload ids are not consecutive at #{}; nothing was copied",
                                         source.location(), u.id));
        }
        ++result.uploads;
        if (u.kind == UploadKind::campaign) {
            target.write_campaign(stored, campaign, u.id);
            continue;
        }
        ingest::Inputs after;
        source.read_versions_at(u.id, after);
        switch (u.kind) {
        case UploadKind::villages: result.versions += replay(target, after.villages, u, villages); break;
        case UploadKind::commitments: result.versions += replay(target, after.commitments, u, commitments); break;
        case UploadKind::stations: result.versions += replay(target, after.cells, u, cells); break;
        case UploadKind::measurements: result.versions += replay(target, after.samples, u, samples); break;
        case UploadKind::campaign: break;
        }
    }
    for (const auto& token : source.read_tokens()) {
        target.insert_token(token);
        ++result.tokens;
    }
    return result;
}

} // namespace

CopyResult copy_store(const std::string& from_uri, const std::string& to_uri, const Progress& progress) {
    auto source = detail::make_backend(from_uri, false);
    const auto to = detail::parse_store_uri(to_uri);
    auto target = detail::make_backend(to_uri, true);
    CopyResult result;
    source->begin(false);
    try {
        target->begin(true);
        try {
            result = copy_history(*source, *target, progress);
            target->commit();
        } catch (...) {
            target->rollback();
            throw;
        }
        source->commit();
    } catch (...) {
        source->rollback();
        target.reset();
        if (to.kind == detail::StoreUri::Kind::gpkg) {
            // The file was made by this copy and holds nothing committed.
            std::error_code ec;
            std::filesystem::remove(to.path, ec);
            std::filesystem::remove(to.path.string() + "-wal", ec);
            std::filesystem::remove(to.path.string() + "-shm", ec);
        }
        throw;
    }
    progress.report(1.0, "done");
    return result;
}

} // namespace deadzone::store
