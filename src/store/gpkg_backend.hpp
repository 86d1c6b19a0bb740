// The GeoPackage backend's class, shared by its two source files: gpkg_backend.cpp (transactions,
// log, campaign, closing versions, disk space) and gpkg_rows.cpp (record rows and geometry blobs).
#pragma once

#include "sqlite.hpp"

#include <deadzone/store/backend.hpp>
#include <deadzone/store/gpkg.hpp>

namespace deadzone::store::detail {

class GpkgBackend final : public Backend {
public:
    GpkgBackend(const std::filesystem::path& path, bool create, const GpkgOptions& options);

    std::string location() const override { return m_db.path(); }

    void begin(bool write) override;
    void commit() override;
    void rollback() noexcept override;
    void reserve(std::uint64_t bytes) override;

    void create_schema() override;
    void write_campaign(const StoredCampaign& stored, const Campaign& campaign, std::int64_t upload_id) override;
    StoredCampaign read_campaign() override;

    std::int64_t append_upload(const Upload& upload) override;
    std::vector<Upload> read_uploads() override;

    std::vector<CurrentVersion> current_versions(Entity entity, const std::string& operator_code) override;
    void close_versions(Entity entity, const std::vector<std::int64_t>& row_ids, std::int64_t upload_id) override;
    void insert_versions(const std::vector<NewVersion<Village>>& versions, std::int64_t upload_id) override;
    void insert_versions(const std::vector<NewVersion<Commitment>>& versions, std::int64_t upload_id) override;
    void insert_versions(const std::vector<NewVersion<Cell>>& versions, std::int64_t upload_id) override;
    void insert_versions(const std::vector<NewVersion<Sample>>& versions, std::int64_t upload_id) override;
    void read_versions_at(std::int64_t upload_id, ingest::Inputs& out) override;

    std::vector<std::string> check_integrity() override;

    // gpkg_tokens.cpp
    void insert_token(const TokenRecord& token) override;
    std::vector<TokenRecord> read_tokens() override;
    void set_token_revoked(const std::string& id, const std::string& revoked_at) override;

private:
    void enable_wal();
    std::filesystem::path folder() const;
    void require_free(std::uint64_t need, const char* when) const;
    void read_villages_at(std::int64_t upload_id, ingest::Inputs& out);
    void read_commitments_at(std::int64_t upload_id, ingest::Inputs& out);
    void read_cells_at(std::int64_t upload_id, ingest::Inputs& out);
    void read_samples_at(std::int64_t upload_id, ingest::Inputs& out);

    Database m_db;
    GpkgOptions m_options;
    int m_schema = schema_version; // the stored schema's version (1 until the first write upgrades it)
    int m_upgraded_from = 0;       // the version the open write transaction upgraded from, if any
    bool m_wal = false;
    bool m_write = false;
    std::int64_t m_pages_before = 0;
};

/// deadzone_tokens with its guard triggers, if missing (new stores and the first token write of
/// an older one; no schema version change: a build without tokens ignores the table).
void create_token_table(Database& db);

/// The table holding one record kind.
const char* table_of(Entity entity) noexcept;

} // namespace deadzone::store::detail
