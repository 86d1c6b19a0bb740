#include "gpkg_rtree.hpp"

#include <deadzone/core/error.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <utility>

namespace deadzone::emit::detail {

namespace {

// The R*Tree's on-disk form (SQLite's rtree module, for a two-dimensional 32-bit float tree):
// table <name>_node holds one blob per node, all of the size node 1 was created with: a 16-bit
// depth (meaningful in the root, node 1, only), a 16-bit cell count, then cells of a 64-bit id
// (a feature's id in a leaf, a child's node number above) and four floats (min x, max x, min y,
// max y), all big-endian; <name>_parent maps every other node to its parent and <name>_rowid
// every id to its leaf.
constexpr std::size_t cell_bytes = 8 + 4 * 4;
constexpr std::size_t header_bytes = 4;

struct Box {
    float min_x, max_x, min_y, max_y;
};

struct Cell {
    std::int64_t id; // a fid in the leaves; above, the child's index in the level below
    Box box;
};

using Node = std::vector<Cell>;

/// `text` between `quote`s, each `quote` in it doubled: an SQL identifier ('"') or string ('\'').
std::string enclosed(const std::string& text, char quote) {
    std::string out(1, quote);
    for (const char c : text) {
        out += c;
        if (c == quote) out += quote;
    }
    return out + quote;
}

std::string quoted(const std::string& name) { return enclosed(name, '"'); }
std::string literal(const std::string& text) { return enclosed(text, '\''); }

class Database {
public:
    Database(sqlite3* db, std::filesystem::path file) : m_db(db), m_file(std::move(file)) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw Failure(m_file.string() + ": cannot write the spatial index: " + what + ": " + sqlite3_errmsg(m_db));
    }
    void exec(const std::string& sql) const {
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql.substr(0, 80));
    }
    struct Finalize {
        void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
    };
    using Statement = std::unique_ptr<sqlite3_stmt, Finalize>;
    Statement prepare(const std::string& sql) const {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) fail(sql.substr(0, 80));
        return Statement{statement};
    }
    void step_done(sqlite3_stmt* statement, const char* what) const {
        if (sqlite3_step(statement) != SQLITE_DONE) fail(what);
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
    }
    std::int64_t integer(const std::string& sql) const {
        auto statement = prepare(sql);
        if (sqlite3_step(statement.get()) != SQLITE_ROW) fail(sql.substr(0, 80));
        return sqlite3_column_int64(statement.get(), 0);
    }

private:
    sqlite3* m_db;
    std::filesystem::path m_file;
};

double centre_x(const Cell& c) { return static_cast<double>(c.box.min_x) + c.box.max_x; }
double centre_y(const Cell& c) { return static_cast<double>(c.box.min_y) + c.box.max_y; }

/// Sort-tile-recursive packing of one level: nodes of `capacity` cells (the last of each slice
/// may hold fewer), slices of whole nodes along x, each slice's cells ordered along y; ties by id
/// (ids are unique in a level), so the tree depends on the boxes alone.
std::vector<Node> pack(std::vector<Cell> cells, std::size_t capacity) {
    const std::size_t nodes = (cells.size() + capacity - 1) / capacity;
    const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
    const std::size_t per_slice = slices * capacity;
    std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) {
        const double ca = centre_x(a), cb = centre_x(b);
        return ca != cb ? ca < cb : a.id < b.id;
    });
    std::vector<Node> out;
    out.reserve(nodes);
    for (std::size_t begin = 0; begin < cells.size(); begin += per_slice) {
        const auto end = std::min(cells.size(), begin + per_slice);
        std::sort(cells.begin() + static_cast<std::ptrdiff_t>(begin), cells.begin() + static_cast<std::ptrdiff_t>(end),
                  [](const Cell& a, const Cell& b) {
                      const double ca = centre_y(a), cb = centre_y(b);
                      return ca != cb ? ca < cb : a.id < b.id;
                  });
        for (std::size_t n = begin; n < end; n += capacity) {
            out.emplace_back(cells.begin() + static_cast<std::ptrdiff_t>(n),
                             cells.begin() + static_cast<std::ptrdiff_t>(std::min(end, n + capacity)));
        }
    }
    return out;
}

Box bounds(const Node& node) {
    Box box = node.front().box;
    for (const auto& c : node) {
        box.min_x = std::min(box.min_x, c.box.min_x);
        box.max_x = std::max(box.max_x, c.box.max_x);
        box.min_y = std::min(box.min_y, c.box.min_y);
        box.max_y = std::max(box.max_y, c.box.max_y);
    }
    return box;
}

/// `value`'s low `bytes` bytes, most significant first (SQLite's R*Tree is big-endian).
void put_big_endian(unsigned char* out, std::uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) {
        out[i] = static_cast<unsigned char>(value);
        value >>= 8;
    }
}

void put_float(unsigned char* out, float value) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    put_big_endian(out, bits, 4);
}

std::vector<unsigned char> node_blob(const Node& node, const std::vector<std::int64_t>* child_numbers,
                                     unsigned depth, std::size_t size) {
    std::vector<unsigned char> blob(size, 0);
    put_big_endian(blob.data(), depth, 2);
    put_big_endian(blob.data() + 2, node.size(), 2);
    unsigned char* at = blob.data() + header_bytes;
    for (const auto& c : node) {
        const auto id = child_numbers != nullptr ? (*child_numbers)[static_cast<std::size_t>(c.id)] : c.id;
        put_big_endian(at, static_cast<std::uint64_t>(id), 8);
        put_float(at + 8, c.box.min_x);
        put_float(at + 12, c.box.max_x);
        put_float(at + 16, c.box.min_y);
        put_float(at + 20, c.box.max_y);
        at += cell_bytes;
    }
    return blob;
}

/// The triggers that keep the index in step with edits (GeoPackage 1.2 annex "Spatial indexes"),
/// spelled as GDAL 3.6 spells them.
std::vector<std::string> triggers(const std::string& table, const std::string& column, const std::string& fid) {
    const std::string rtree = "rtree_" + table + "_" + column;
    const auto t = quoted(table), c = quoted(column), i = quoted(fid), r = quoted(rtree);
    const std::string values = "VALUES (NEW." + i + ",ST_MinX(NEW." + c + "), ST_MaxX(NEW." + c + "),ST_MinY(NEW." + c +
                               "), ST_MaxY(NEW." + c + "))";
    return {
        "CREATE TRIGGER " + quoted(rtree + "_insert") + " AFTER INSERT ON " + t + " WHEN (new." + c +
            " NOT NULL AND NOT ST_IsEmpty(NEW." + c + ")) BEGIN INSERT OR REPLACE INTO " + r + " " + values + "; END",
        "CREATE TRIGGER " + quoted(rtree + "_update1") + " AFTER UPDATE OF " + c + " ON " + t + " WHEN OLD." + i +
            " = NEW." + i + " AND (NEW." + c + " NOTNULL AND NOT ST_IsEmpty(NEW." + c +
            ")) BEGIN INSERT OR REPLACE INTO " + r + " " + values + "; END",
        "CREATE TRIGGER " + quoted(rtree + "_update2") + " AFTER UPDATE OF " + c + " ON " + t + " WHEN OLD." + i +
            " = NEW." + i + " AND (NEW." + c + " ISNULL OR ST_IsEmpty(NEW." + c + ")) BEGIN DELETE FROM " + r +
            " WHERE id = OLD." + i + "; END",
        "CREATE TRIGGER " + quoted(rtree + "_update3") + " AFTER UPDATE ON " + t + " WHEN OLD." + i + " != NEW." + i +
            " AND (NEW." + c + " NOTNULL AND NOT ST_IsEmpty(NEW." + c + ")) BEGIN DELETE FROM " + r +
            " WHERE id = OLD." + i + "; INSERT OR REPLACE INTO " + r + " " + values + "; END",
        "CREATE TRIGGER " + quoted(rtree + "_update4") + " AFTER UPDATE ON " + t + " WHEN OLD." + i + " != NEW." + i +
            " AND (NEW." + c + " ISNULL OR ST_IsEmpty(NEW." + c + ")) BEGIN DELETE FROM " + r + " WHERE id IN (OLD." +
            i + ", NEW." + i + "); END",
        "CREATE TRIGGER " + quoted(rtree + "_delete") + " AFTER DELETE ON " + t + " WHEN old." + c +
            " NOT NULL BEGIN DELETE FROM " + r + " WHERE id = OLD." + i + "; END",
    };
}

/// Builds the tree and writes its three tables; node 1 (the root) exists, empty, as SQLite
/// created it with the virtual table.
void fill(const Database& db, const std::string& rtree, std::vector<RtreeEntry> entries) {
    if (entries.empty()) {
        return;
    }
    const auto node_size = db.integer("SELECT length(data) FROM " + quoted(rtree + "_node") + " WHERE nodeno = 1");
    if (node_size < static_cast<std::int64_t>(header_bytes + 2 * cell_bytes)) {
        db.fail("node size " + std::to_string(node_size));
    }
    const auto size = static_cast<std::size_t>(node_size);
    const std::size_t capacity = (size - header_bytes) / cell_bytes;

    std::vector<Cell> cells;
    cells.reserve(entries.size());
    for (const auto& e : entries) {
        cells.push_back({e.id, {rtree_lower(e.min_x), rtree_upper(e.max_x), rtree_lower(e.min_y), rtree_upper(e.max_y)}});
    }
    entries = {};
    // levels[0] the leaves, levels.back() the root alone.
    std::vector<std::vector<Node>> levels;
    levels.push_back(pack(std::move(cells), capacity));
    while (levels.back().size() > 1) {
        const auto& below = levels.back();
        std::vector<Cell> parents;
        parents.reserve(below.size());
        for (std::size_t k = 0; k < below.size(); ++k) {
            parents.push_back({static_cast<std::int64_t>(k), bounds(below[k])});
        }
        levels.push_back(pack(std::move(parents), capacity));
    }
    // Node numbers: the root is 1, then each level from the top down, in packing order.
    std::vector<std::vector<std::int64_t>> numbers(levels.size());
    std::int64_t next = 1;
    for (std::size_t l = levels.size(); l-- > 0;) {
        for (std::size_t k = 0; k < levels[l].size(); ++k) numbers[l].push_back(next++);
    }

    auto write_node = db.prepare("INSERT OR REPLACE INTO " + quoted(rtree + "_node") + "(nodeno, data) VALUES (?, ?)");
    auto write_parent = db.prepare("INSERT INTO " + quoted(rtree + "_parent") + "(nodeno, parentnode) VALUES (?, ?)");
    auto write_rowid = db.prepare("INSERT INTO " + quoted(rtree + "_rowid") + "(rowid, nodeno) VALUES (?, ?)");
    const auto depth = static_cast<unsigned>(levels.size() - 1);
    for (std::size_t l = levels.size(); l-- > 0;) {
        const auto* children = l > 0 ? &numbers[l - 1] : nullptr;
        for (std::size_t k = 0; k < levels[l].size(); ++k) {
            const auto number = numbers[l][k];
            const auto blob = node_blob(levels[l][k], children, number == 1 ? depth : 0U, size);
            sqlite3_bind_int64(write_node.get(), 1, number);
            sqlite3_bind_blob(write_node.get(), 2, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
            db.step_done(write_node.get(), "a node");
            if (children != nullptr) {
                for (const auto& c : levels[l][k]) {
                    sqlite3_bind_int64(write_parent.get(), 1, (*children)[static_cast<std::size_t>(c.id)]);
                    sqlite3_bind_int64(write_parent.get(), 2, number);
                    db.step_done(write_parent.get(), "a node's parent");
                }
            }
        }
    }
    // The rowid table in id order (appends to its B-tree).
    std::vector<std::pair<std::int64_t, std::int64_t>> leaf_of;
    for (std::size_t k = 0; k < levels[0].size(); ++k) {
        for (const auto& c : levels[0][k]) leaf_of.emplace_back(c.id, numbers[0][k]);
    }
    std::sort(leaf_of.begin(), leaf_of.end());
    for (const auto& [id, leaf] : leaf_of) {
        sqlite3_bind_int64(write_rowid.get(), 1, id);
        sqlite3_bind_int64(write_rowid.get(), 2, leaf);
        db.step_done(write_rowid.get(), "a row's leaf");
    }
}

} // namespace

// SQLite's rtreeValueDown and rtreeValueUp: the float cast, and when that rounded the wrong way,
// the value scaled by 1 -/+ 2^-23 (towards minus or plus infinity) and cast again.
constexpr double towards_zero = 1.0 - 1.0 / 8388608.0;
constexpr double away_from_zero = 1.0 + 1.0 / 8388608.0;

float rtree_lower(double value) {
    auto f = static_cast<float>(value);
    if (f > value) f = static_cast<float>(value * (value < 0 ? away_from_zero : towards_zero));
    return f;
}

float rtree_upper(double value) {
    auto f = static_cast<float>(value);
    if (f < value) f = static_cast<float>(value * (value < 0 ? towards_zero : away_from_zero));
    return f;
}

void write_gpkg_rtree(GDALDataset& dataset, const std::string& table, const std::string& column,
                      std::vector<RtreeEntry> entries, const std::filesystem::path& file) {
    auto* handle = static_cast<sqlite3*>(dataset.GetInternalHandle("SQLITE_HANDLE"));
    if (handle == nullptr) {
        throw Failure(file.string() + ": cannot write the spatial index: GDAL gives no SQLite handle");
    }
    const Database db{handle, file};
    // Writing an R*Tree's own tables is what SQLite's defensive mode forbids; off while we do.
    int defensive = 0;
    sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
    sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, 0, nullptr);
    struct Restore {
        sqlite3* handle;
        int defensive;
        ~Restore() { sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, defensive, nullptr); }
    } restore{handle, defensive};

    if (dataset.StartTransaction() != OGRERR_NONE) {
        db.fail("cannot start a transaction");
    }
    try {
        if (db.integer("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_extensions'") == 0) {
            db.exec("CREATE TABLE gpkg_extensions (table_name TEXT,column_name TEXT,extension_name TEXT NOT NULL,"
                    "definition TEXT NOT NULL,scope TEXT NOT NULL,CONSTRAINT ge_tce UNIQUE (table_name, column_name, "
                    "extension_name))");
        }
        db.exec("INSERT INTO gpkg_extensions (table_name,column_name,extension_name,definition,scope) VALUES (" +
                literal(table) + ", " + literal(column) +
                ", 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')");
        const std::string rtree = "rtree_" + table + "_" + column;
        db.exec("CREATE VIRTUAL TABLE " + quoted(rtree) + " USING rtree(id, minx, maxx, miny, maxy)");
        fill(db, rtree, std::move(entries));
        for (const auto& sql : triggers(table, column, "fid")) {
            db.exec(sql);
        }
    } catch (...) {
        dataset.RollbackTransaction();
        throw;
    }
    if (dataset.CommitTransaction() != OGRERR_NONE) {
        db.fail("cannot commit");
    }
}

} // namespace deadzone::emit::detail
