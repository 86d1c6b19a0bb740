// Private helper of the dissolve's merges: the edges of a shape, indexed, to tell which rings of
// the other operand of a union its boundary cannot reach, and on which side of it they lie.
#pragma once

#include <deadzone/geo/types.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace deadzone::overlay::detail {

/// Every edge of every ring of a shape, in runs of consecutive edges under an R-tree of their
/// envelopes. It refers to the rings' points: the shape's point buffers must outlive it (moving
/// the rings is fine, changing or destroying them is not).
class EdgeIndex {
public:
    explicit EdgeIndex(const geo::MultiPolygon& shape);
    ~EdgeIndex();
    EdgeIndex(const EdgeIndex&) = delete;
    EdgeIndex& operator=(const EdgeIndex&) = delete;

    /// Some edge's envelope meets `box` (boundaries included).
    bool reaches(const geo::Box& box) const;

    /// Whether `p` lies inside the shape (an odd number of its rings around it), for a point
    /// inside a `clear` box that no edge's envelope meets (`reaches(clear)` is false). Then
    /// every edge spanning p's latitude lies wholly east or wholly west of p, so the answer is a
    /// count of edges with no arithmetic. Empty if that precondition does not hold.
    std::optional<bool> contains(const geo::Point& p, const geo::Box& clear) const;

private:
    struct Run {
        const geo::Point* points; // the run's first point; its edges end at points[1..edges]
        std::uint32_t edges;
    };
    struct Tree;
    std::vector<Run> m_runs;
    std::unique_ptr<Tree> m_tree;
};

} // namespace deadzone::overlay::detail
