#include "methods/window_chains.h"

#include <algorithm>
#include <stdexcept>

namespace eqlab {

WindowChains::WindowChains(std::vector<uint64_t> begins, uint64_t joinWithin) : joinWithin_(joinWithin) {
    if (begins.empty() || begins[0] != 0 || !std::is_sorted(begins.begin(), begins.end()))
        throw std::logic_error("WindowChains: lane starts must begin at 0 and ascend");
    lanes_.resize(begins.size());
    for (size_t k = 0; k < begins.size(); ++k) {
        lanes_[k].begin = begins[k];
        if (k + 1 < begins.size()) lanes_[k].next = k + 1;
    }
}

WindowChains WindowChains::spread(uint64_t n, size_t lanes, uint64_t minSpacing) {
    const uint64_t count = std::clamp<uint64_t>(n / std::max<uint64_t>(minSpacing, 1), 1, std::max<size_t>(lanes, 1));
    const uint64_t spacing = n / count;  // rounded down: (count - 1) * spacing < n
    std::vector<uint64_t> begins;
    for (uint64_t k = 0; k < count; ++k) begins.push_back(k * spacing);
    return WindowChains(std::move(begins), spacing / 2);
}

void WindowChains::finishes(size_t lane) {
    std::lock_guard<std::mutex> hold(*lock_);
    lanes_[lane].done = true;
}

bool WindowChains::opens(size_t lane, uint64_t q) {
    std::lock_guard<std::mutex> hold(*lock_);
    Lane& me = lanes_[lane];
    if (me.discarded) return false;
    while (me.next != kNone) {
        Lane& later = lanes_[me.next];
        if (q < later.begin) break;  // not yet where the later lane started
        const auto it = std::lower_bound(later.starts.begin(), later.starts.end(), q);
        if (it != later.starts.end() && *it == q) {
            // The chains meet: from q on, the later lane's windows are this lane's.
            later.entry = size_t(it - later.starts.begin());
            me.joinsAt = later.entry;
            me.done = true;
            return false;
        }
        // The later lane passed q with a window across it: the chains differ
        // here and may meet further on, unless they have run side by side for
        // joinWithin bytes already.
        if (it != later.starts.end() && q - later.begin < joinWithin_) break;
        // q lies past every window the later lane opened (or the chains do
        // not meet), so none of its windows is in this lane's chain: the
        // later lane is discarded (it stops at its next window). Where it had
        // joined the lane after it, this lane's chain may still meet that one.
        later.discarded = true;
        me.next = later.next;
    }
    me.starts.push_back(q);
    return true;
}

std::vector<WindowChains::Piece> WindowChains::chain() const {
    std::vector<Piece> out;
    for (size_t k = 0;;) {
        const Lane& l = lanes_[k];
        if (l.discarded || !l.done) throw std::logic_error("WindowChains: the chain runs through an unfinished lane");
        out.push_back({k, l.entry, l.starts.size()});
        if (l.joinsAt == kNone) return out;  // it coded to the stream's end
        k = l.next;
    }
}

}  // namespace eqlab
