#include "methods/equal_info.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <unordered_set>

#include "base/binary_io.h"
#include "base/thread_count.h"
#include "methods/gzip_codec.h"
#include "methods/lane_engine.h"
#include "methods/window_chains.h"

namespace eqlab {

namespace {

// A window can hold at most this many bytes during a scan without a stream
// limit: with P <= 24 and b <= 4096 no real window comes near it, and it keeps
// a decoder fed hostile bits from looping for long.
constexpr uint64_t kMaxScanBytes = uint64_t(1) << 22;

// Pending underflow bits beyond this make distinct termination give up (the
// 128-bit arithmetic below would overflow); 2^-90 is never reached in practice.
constexpr uint64_t kMaxPendingForDistinct = 90;

// Windows decoded together under a model that batches streams.
constexpr size_t kWindowsPerGroup = 64;
// Streams encoded together under a model that batches streams: enough to
// fill a runtime call (a stream has one open window, a few rows), few enough
// to bound the group's memory (each stream holds its bits, trace and cache).
constexpr size_t kStreamsPerGroup = 256;
// Fewer streams than this (times the threads), under a model that batches
// streams and with M1's context reset at every window, are each coded by
// several lanes (window_chains.h), about this many lanes in all (a thread):
// alone, a stream gives each model call one window's few rows, and every
// call reads all the weights.
constexpr size_t kLanesWanted = 32;
// ...lanes at least this many bytes apart per bit of b: a lane's wasted start
// (where its chain meets the true one: within 64 bytes at b = 16, a few
// hundred at b = 128) stays a small part of what it codes. A lane that has
// not met the next lane's chain within half of its spacing past its start
// discards it (WindowChains' joinWithin).
constexpr uint64_t kLaneBytesPerWindowBit = 32;
// With T threads, T times kLanesWanted lanes, in up to T groups of at least
// this many lanes that have bytes to code (laneGroups).
constexpr size_t kLanesPerThread = 8;

}  // namespace

BitString windowString(const std::vector<uint8_t>& packed, uint64_t begin, uint64_t b) {
    BitString w(size_t(b), '0');
    for (uint64_t i = 0; i < b; ++i) w[size_t(i)] = char('0' + bitAt(packed, begin + i));
    while (!w.empty() && w.back() == '0') w.pop_back();
    return w;
}

std::optional<BitString> distinctTerminator(const CoderState& s, const std::function<unsigned(uint64_t)>& emittedBit,
                                            const std::unordered_set<BitString>& used, uint64_t maxBits) {
    __extension__ typedef unsigned __int128 u128;
    const uint64_t e = s.emitted;
    const uint64_t p = s.pending;
    if (p > kMaxPendingForDistinct || e > maxBits) return std::nullopt;
    BitString prefix(size_t(e), '0');
    for (uint64_t i = 0; i < e; ++i) prefix[size_t(i)] = char('0' + emittedBit(i));
    // The interval after the emitted bits, in units of 2^-(p + 32):
    // low = 0 1^p <low bits 2..32>, high = 1 0^p <high bits 2..32> (+ implicit 1s).
    const int scale = int(p) + kStateBits;
    const u128 lo = (((u128(1) << p) - 1) << (kStateBits - 1)) | u128(s.low & (kHalf - 1));
    const u128 hi = (u128(1) << (p + kStateBits - 1)) | u128(s.high & (kHalf - 1));
    // Length 0 after the emitted bits: the interval starts exactly there.
    if (lo == 0) {
        BitString t = prefix;
        while (!t.empty() && t.back() == '0') t.pop_back();
        if (!used.count(t)) return t;
    }
    // Then suffixes of l bits ending in 1 (odd numerators j / 2^l), shortest and lowest first.
    for (int l = 1; l <= scale && e + uint64_t(l) <= maxBits; ++l) {
        const u128 step = u128(1) << (scale - l);
        u128 j = (lo + step - 1) / step;
        if ((j & 1) == 0) ++j;
        for (const u128 jmax = hi / step; j <= jmax; j += 2) {
            BitString t = prefix;
            for (int i = l - 1; i >= 0; --i) t += char('0' + int((j >> i) & 1));
            if (!used.count(t)) return t;
        }
    }
    return std::nullopt;
}

std::vector<uint64_t> WindowScan::candidates(std::optional<uint64_t> limit, bool hasNext) const {
    std::vector<uint64_t> out;
    for (uint64_t n = 1; n <= bytes.size(); ++n) {
        if (limit && n > *limit) break;
        if (!canonical[n - 1]) continue;
        bool consistent;
        if (limit && n == *limit)
            consistent = true;  // the stream ends here
        else if (hasNext)
            consistent = !nextFits[n - 1];  // greedy: had the next byte fitted, it would be here
        else
            consistent = !limit;  // tokens only: nothing follows, any length is possible
        if (consistent) out.push_back(n);
    }
    return out;
}

bool codeDistinct(RangeEncoder& enc, BitWriter& bits, uint64_t start, uint64_t b, const Cdf& cdf, int x,
                  std::unordered_set<BitString>& terminators, BitString& last, uint64_t* needed) {
    const uint64_t mark = bits.size();
    const CoderState before = enc.state();
    enc.encode(cdf, x);
    const auto emitted = [&](uint64_t i) { return bits.at(start + i); };
    std::optional<BitString> t = distinctTerminator(enc.state(), emitted, terminators, b);
    if (!t) {
        if (needed) {
            const std::optional<BitString> longer =
                distinctTerminator(enc.state(), emitted, terminators, b + kWhyClosedSearchBits);
            // A terminator that drops trailing zeros can be shorter than
            // the bits the coder emitted, which must fit all the same.
            *needed = longer ? std::max<uint64_t>(longer->size(), enc.state().emitted) : 0;
        }
        bits.truncate(mark);
        enc.setState(before);
        return false;
    }
    terminators.insert(*t);
    last = std::move(*t);
    return true;
}

uint64_t closeDistinct(RangeEncoder& enc, BitWriter& bits, uint64_t start, const BitString& last) {
    bits.truncate(start);
    for (char c : last) bits.put(unsigned(c - '0'));
    enc.restart();
    return last.size();
}

bool resetsModelAt(uint64_t w, uint32_t m1Reset) {
    return w == 0 || (m1Reset != 0 && w % m1Reset == 0);
}

namespace {

// Bit i of the b-bit window that starts at bit `begin`, zero past its end
// (the zero-padded continuation terminations are defined against).
unsigned windowBitAt(const std::vector<uint8_t>& packed, uint64_t begin, uint64_t b, uint64_t i) {
    return i < b ? bitAt(packed, begin + i) : 0u;
}

// Lanes that code each stream at most (see kLanesWanted); WindowChains::spread()
// makes fewer where a stream is too short for them.
size_t lanesPerStream(const ByteModel& model, const CodecParams& params, size_t streams, int threads) {
    const size_t wanted = kLanesWanted * size_t(std::max(threads, 1));
    if (!model.batchesStreams() || params.m1Reset != 1 || streams == 0 || streams >= wanted) return 1;
    return (wanted + streams - 1) / streams;
}

// Which lane the lane engine's lane j is (order[j], lane k of stream s
// being s * perStream + k), and lanes per engine group.
struct LaneGroups {
    std::vector<size_t> order;
    size_t perGroup = 0;
};

// One lane a stream (perStream 1): every stream, up to kStreamsPerGroup a
// group, in order. Several lanes a stream (as many as its length allows,
// WindowChains::spread): in one group, or with T > 1 threads in up to T
// groups of equally many,
// each on a thread of its own with model calls of its own. A team of
// threads sharing each call instead meets at 16 barriers a call and codes
// on one thread while the others wait, and every thread computes the
// LayerNorms (2 threads, eqinfo-ac b = 16 encoding of 64 KB, perf: barriers
// 5.5% of the time, LayerNorm 5.5%). A stream's lanes are about equally long
// (WindowChains::spread), and a group gets at least kLanesPerThread of them
// (a call of fewer rows makes poor use of the weights it reads); threads
// left over share the groups' calls as teams (threads / groups a team, so a
// thread may be left idle where the groups do not divide the threads).
LaneGroups laneGroups(const std::vector<WindowChains>& chains, size_t perStream, int threads) {
    LaneGroups g;
    for (size_t s = 0; s < chains.size(); ++s)
        for (size_t k = 0; k < chains[s].lanes(); ++k) g.order.push_back(s * perStream + k);
    if (perStream == 1) {
        g.perGroup = kStreamsPerGroup;
        return g;
    }
    const size_t T = std::clamp<size_t>(g.order.size() / kLanesPerThread, 1, size_t(std::max(threads, 1)));
    g.perGroup = T == 1 ? 0 : (g.order.size() + T - 1) / T;  // 0: all in one group
    return g;
}

// One lane's windows, as its encoder leaves them: bits and trace relative to
// the lane's first byte and bit, every window (byte and bit offsets relative
// too), and each byte's cost where the stream has several lanes (joining
// them sums the costs in byte order, as one lane does).
struct StreamOut {
    CoderResult r;
    std::vector<Segment> windows;
    std::vector<double> costs;
};

// Trace entries a lane sizes for at first; it doubles them as it goes (a lane
// may code from its start to the stream's end, or stop a few windows in).
constexpr size_t kLaneTraceStart = 4096;

// Encodes bytes of one stream into greedy windows of b bits (distinct or
// shortest termination), each from a fresh coder, and with a reset model
// context at every m1Reset-th window (every window by default): from lane
// `lane`'s start in `chains` until the stream ends or the chains say stop.
class StreamEncoder final : public Lane {
public:
    StreamEncoder(const uint8_t* stream, size_t streamBytes, WindowChains& chains, size_t lane,
                  const CodecParams& params, const EncodeOptions& options, StreamOut& out)
        : begin_(chains.begin(lane)),
          bytes_(stream + std::min<uint64_t>(begin_, streamBytes)),
          n_(begin_ < streamBytes ? streamBytes - size_t(begin_) : 0),
          chains_(chains),
          lane_(lane),
          keepCosts_(chains.lanes() > 1 && (options.stats || options.trace)),
          precision_(params.effectivePrecision()),
          b_(uint64_t(params.windowBits)),
          distinct_(params.termination == CodecParams::Termination::Distinct),
          m1Reset_(params.m1Reset),
          options_(options),
          out_(out),
          enc_(out.r.bits) {}

    void start(ModelBatch&, size_t) override {}  // every window resets the stream as it opens
    bool next(ModelBatch& batch, size_t s) override {
        if (open_) return true;
        if (pos_ == n_) {
            chains_.finishes(lane_);
            return false;
        }
        if (!chains_.opens(lane_, begin_ + pos_)) return false;
        start_ = out_.r.bits.size();
        first_ = pos_;
        if (resetsModelAt(out_.windows.size(), m1Reset_)) {
            batch.reset(s);
            batch.setLookahead(s, bytes_ + pos_, n_ - pos_);
        }
        terminators_.clear();
        last_.clear();
        open_ = true;
        return true;
    }

    uint64_t step(ModelBatch& batch, size_t s) override {
        const Cdf& cdf = batch.cdf(s, precision_);
        const int x = bytes_[pos_];
        const uint64_t mark = out_.r.bits.size();
        uint64_t needed = 0;
        if (distinct_) {
            if (!codeDistinct(enc_, out_.r.bits, start_, b_, cdf, x, terminators_, last_,
                              options_.trace ? &needed : nullptr))
                return closeBefore(cdf, x, needed), 0;
        } else {
            needed = enc_.stateAfter(cdf, x).committedBits();
            if (needed > b_) return closeBefore(cdf, x, needed), 0;
            enc_.encode(cdf, x);
        }
        record(cdf, x, mark);
        batch.advance(s, uint8_t(x));
        if (++pos_ == n_) close();
        return 1;
    }

private:
    // Byte pos_ coded as x under `cdf`, its bits from `mark` on: its cost, and its trace entry.
    void record(const Cdf& cdf, int x, uint64_t mark) {
        Trace& t = out_.r.trace;
        if (options_.trace && pos_ >= t.bitBegin.size())
            t.startCoderTrace(std::min(n_, std::max(2 * pos_, kLaneTraceStart)), "window");
        const double cost = out_.r.recordByte(options_, pos_, cdf, x, uint32_t(out_.windows.size()), mark);
        if (keepCosts_) out_.costs.push_back(cost);
    }
    // Ends the open window because byte x, costing `needed` bits with it, does not fit.
    void closeBefore(const Cdf& cdf, int x, uint64_t needed) {
        close();
        if (!options_.trace) return;
        Segment& w = out_.windows.back();
        w.nextByte = int16_t(x);
        w.nextByteBits = float(cdf.surprisalBits(x));
        w.bitsWithNext = needed <= b_ + kWhyClosedSearchBits ? needed : 0;
    }
    // Ends the open window: terminated, padded to b bits and recorded.
    void close() {
        uint64_t used;
        if (distinct_) {
            used = closeDistinct(enc_, out_.r.bits, start_, last_);
        } else {
            used = enc_.state().committedBits();
            enc_.finish();
        }
        if (pos_ == first_) throw std::logic_error("eqinfo-ac: a byte did not fit into an empty window");
        out_.r.bits.padTo(start_ + b_);
        if (options_.trace) out_.r.trace.closeStream(first_, pos_, start_ + used);
        out_.windows.push_back({first_, pos_, start_, used, b_, int8_t(distinct_ ? 1 : -1)});
        open_ = false;
    }

    const uint64_t begin_;  // the lane's first byte in the stream
    const uint8_t* bytes_;  // the stream from there on: n_ bytes
    size_t n_;
    WindowChains& chains_;
    size_t lane_;
    bool keepCosts_;
    int precision_;
    uint64_t b_;
    bool distinct_;
    uint32_t m1Reset_;
    const EncodeOptions& options_;
    StreamOut& out_;
    RangeEncoder enc_;
    size_t pos_ = 0, first_ = 0;
    uint64_t start_ = 0;
    bool open_ = false;
    std::unordered_set<BitString> terminators_;  // distinct: T*(1..m) of the open window
    BitString last_;                             // distinct: T*(m), the open window's bits if it ends now
};

// A stream's windows, joined from its lanes' along the chain from its first
// byte (window_chains.h): bits, windows, costs and trace relative to the stream.
StreamOut joinChain(const WindowChains& chains, const StreamOut* lanes, size_t streamBytes, uint64_t b,
                    const EncodeOptions& options) {
    StreamOut out;
    Trace& t = out.r.trace;
    if (options.trace) t.startCoderTrace(streamBytes, "window");
    for (const WindowChains::Piece& p : chains.chain()) {
        const StreamOut& lane = lanes[p.lane];
        if (lane.windows.size() != p.end) throw std::logic_error("eqinfo-ac: a lane's windows and its chain disagree");
        if (p.first == p.end) continue;
        const uint64_t laneBegin = chains.begin(p.lane);
        const uint64_t bitBase = out.r.bits.size(), laneBit = p.first * b;
        const uint32_t windowBase = uint32_t(out.windows.size());
        out.r.bits.appendRange(lane.r.bits, laneBit, p.end * b);
        for (size_t w = p.first; w < p.end; ++w) {
            Segment win = lane.windows[w];
            win.byteBegin += laneBegin;
            win.byteEnd += laneBegin;
            win.bitBegin = win.bitBegin - laneBit + bitBase;
            out.windows.push_back(win);
        }
        const size_t from = size_t(lane.windows[p.first].byteBegin), to = size_t(lane.windows[p.end - 1].byteEnd);
        if (!lane.costs.empty()) out.costs.insert(out.costs.end(), lane.costs.begin() + from, lane.costs.begin() + to);
        if (options.trace)
            t.copyBytes(lane.r.trace, from, to, int64_t(laneBegin), int64_t(windowBase) - int64_t(p.first),
                        int64_t(bitBase) - int64_t(laneBit));
    }
    for (size_t w = 0; w < out.windows.size(); ++w)
        if (out.windows[w].byteBegin != (w ? out.windows[w - 1].byteEnd : 0))
            throw std::logic_error("eqinfo-ac: a stream's joined windows do not tile it");
    if (out.windows.empty() || out.windows.back().byteEnd != streamBytes)
        throw std::logic_error("eqinfo-ac: a stream's joined windows do not cover it");
    if (chains.lanes() == 1)
        out.r.surprisalBits = lanes[0].r.surprisalBits;
    else
        for (double c : out.costs) out.r.surprisalBits += c;  // in byte order, as one lane sums them
    out.r.windows = out.windows.size();
    if (options.trace) t.segments = out.windows;
    return out;
}

// Decodes one distinctly terminated window: bytes until T*(m) equals its
// bits. At most maxBytes bytes, else the bits are corrupt.
class DistinctWindowDecoder final : public Lane {
public:
    DistinctWindowDecoder(const std::vector<uint8_t>& packed, uint64_t begin, uint64_t b, int precision,
                          uint64_t maxBytes, std::vector<uint8_t>& out)
        : packed_(packed),
          begin_(begin),
          b_(b),
          precision_(precision),
          maxBytes_(maxBytes),
          dec_(packed.data(), begin, begin + b),
          target_(windowString(packed, begin, b)),
          out_(out) {}

    bool next(ModelBatch&, size_t) override { return !finished_; }
    uint64_t step(ModelBatch& batch, size_t s) override {
        const int c = dec_.decode(batch.cdf(s, precision_));
        out_.push_back(uint8_t(c));
        batch.advance(s, uint8_t(c));
        std::optional<BitString> t = distinctTerminator(
            dec_.state(), [&](uint64_t i) { return windowBitAt(packed_, begin_, b_, i); }, used_, b_);
        if (!t || ++bytes_ > maxBytes_) throw FormatError("corrupted bitstream: a window's bits match no byte count");
        if (*t == target_)
            finished_ = true;
        else
            used_.insert(std::move(*t));
        return 1;
    }

private:
    const std::vector<uint8_t>& packed_;
    uint64_t begin_, b_;
    int precision_;
    uint64_t maxBytes_;
    RangeDecoder dec_;
    BitString target_;
    std::unordered_set<BitString> used_;  // T*(1..m-1)
    std::vector<uint8_t>& out_;           // the window's bytes are appended
    uint64_t bytes_ = 0;                  // bytes of this window so far
    bool finished_ = false;
};

// Decodes one stream's distinctly terminated windows in order on one model
// stream whose context outlives a window (CodecParams::m1Reset != 1): the
// coder starts afresh at every window, the model only where resetsModelAt()
// says. The stream must end exactly with its last window.
class ContextStreamDecoder final : public Lane {
public:
    ContextStreamDecoder(const std::vector<uint8_t>& packed, uint64_t firstWindow, uint64_t windows,
                         const CodecParams& params, uint64_t streamBytes, std::vector<uint8_t>& out,
                         std::vector<uint64_t>& windowBytes)
        : packed_(packed),
          first_(firstWindow),
          windows_(windows),
          b_(uint64_t(params.windowBits)),
          precision_(params.effectivePrecision()),
          m1Reset_(params.m1Reset),
          streamBytes_(streamBytes),
          out_(out),
          windowBytes_(windowBytes) {}

    void start(ModelBatch&, size_t) override {}  // the first window resets the stream as it opens
    bool next(ModelBatch& batch, size_t s) override {
        if (window_ && window_->next(batch, s)) return true;
        if (window_) {
            windowBytes_.push_back(out_.size() - windowStart_);
            window_.reset();
            ++w_;
        }
        if (w_ == windows_) {
            if (out_.size() != streamBytes_)
                throw FormatError("corrupted bitstream: a stream's windows do not hold its bytes");
            return false;
        }
        if (out_.size() >= streamBytes_) throw FormatError("corrupted bitstream: windows left over after a stream");
        if (resetsModelAt(w_, m1Reset_)) batch.reset(s);
        windowStart_ = out_.size();
        window_ = std::make_unique<DistinctWindowDecoder>(packed_, (first_ + w_) * b_, b_, precision_,
                                                          streamBytes_ - windowStart_, out_);
        return true;
    }
    uint64_t step(ModelBatch& batch, size_t s) override { return window_->step(batch, s); }

private:
    const std::vector<uint8_t>& packed_;
    uint64_t first_, windows_, b_;
    int precision_;
    uint32_t m1Reset_;
    uint64_t streamBytes_;
    std::vector<uint8_t>& out_;
    std::vector<uint64_t>& windowBytes_;
    std::unique_ptr<DistinctWindowDecoder> window_;
    uint64_t w_ = 0, windowStart_ = 0;
};

// Scans a window as a decoder without the side information sees it (the
// shortest termination): WindowScan. Reports `units` when done.
class WindowScanner final : public Lane {
public:
    WindowScanner(const std::vector<uint8_t>& packed, uint64_t begin, uint64_t b, int precision,
                  std::optional<uint8_t> lookahead, uint64_t maxBytes, uint64_t units, WindowScan& out)
        : packed_(packed),
          begin_(begin),
          b_(b),
          precision_(precision),
          lookahead_(lookahead),
          maxBytes_(std::min(maxBytes, kMaxScanBytes)),
          units_(units),
          dec_(packed.data(), begin, begin + b),
          out_(out) {
        for (int64_t i = int64_t(b) - 1; i >= 0; --i)
            if (bitAt(packed, begin + uint64_t(i))) {
                lastOne_ = i;
                break;
            }
    }

    bool next(ModelBatch&, size_t) override { return !done_; }
    uint64_t step(ModelBatch& batch, size_t s) override {
        const Cdf& cdf = batch.cdf(s, precision_);
        if (!out_.bytes.empty()) {
            const CoderState& st = dec_.state();
            bool fits = false;
            if (lookahead_) fits = stateAfter(st, cdf, *lookahead_).committedBits() <= b_;
            out_.nextFits.push_back(fits);
            // Rule 1: the emitted bits match by construction; what follows must be
            // the termination (nothing, or a single 1) and then only zeros.
            const bool zeroEnd = st.low == 0 && st.pending == 0;
            const bool canonical = zeroEnd ? lastOne_ < int64_t(st.emitted)
                                           : (windowBit(st.emitted) == 1 && lastOne_ == int64_t(st.emitted));
            out_.canonical.push_back(canonical);
        }
        if (out_.bytes.size() >= maxBytes_) return finish();
        const int c = dec_.decode(cdf);
        if (dec_.state().committedBits() > b_) return finish();
        out_.bytes.push_back(uint8_t(c));
        batch.advance(s, uint8_t(c));
        return 0;
    }

private:
    unsigned windowBit(uint64_t i) const { return windowBitAt(packed_, begin_, b_, i); }
    uint64_t finish() {
        done_ = true;
        return units_;
    }

    const std::vector<uint8_t>& packed_;
    uint64_t begin_, b_;
    int precision_;
    std::optional<uint8_t> lookahead_;
    uint64_t maxBytes_, units_;
    RangeDecoder dec_;
    int64_t lastOne_ = -1;  // the window's last 1 bit (relative to its start), or -1
    WindowScan& out_;
    bool done_ = false;
};

// Decodes the first byte of a window (the look-ahead of the window before).
class FirstByteDecoder final : public Lane {
public:
    FirstByteDecoder(const uint8_t* packed, uint64_t begin, uint64_t b, int precision, uint8_t& out)
        : dec_(packed, begin, begin + b), precision_(precision), out_(out) {}
    bool next(ModelBatch&, size_t) override { return !done_; }
    uint64_t step(ModelBatch& batch, size_t s) override {
        out_ = uint8_t(dec_.decode(batch.cdf(s, precision_)));
        done_ = true;
        return 0;
    }

private:
    RangeDecoder dec_;
    int precision_;
    uint8_t& out_;
    bool done_ = false;
};

// The bytes of all the parts together.
size_t totalSize(const std::vector<std::vector<uint8_t>>& parts) {
    size_t n = 0;
    for (const auto& p : parts) n += p.size();
    return n;
}

// Decodes every distinctly terminated window of bits [0, nbits) on the lane
// engine and joins them, checking that they tile the streams of an
// outputBytes-byte input from byte startByte on (where the first window
// opens). windowBytes, if given, receives each window's byte count.
std::vector<uint8_t> decodeDistinctWindowsFrom(const std::vector<uint8_t>& packed, uint64_t nbits,
                                               const CodecParams& params, uint64_t startByte, uint64_t outputBytes,
                                               const ByteModel& model, SharedProgress& progress, int threads,
                                               std::vector<uint64_t>* windowBytes) {
    const uint64_t b = uint64_t(params.windowBits);
    const size_t windows = size_t(nbits / b);
    // No window holds more than a stream.
    const uint64_t maxBytes = std::min<uint64_t>(outputBytes, params.chunkBytes);
    std::vector<std::vector<uint8_t>> decoded(windows);
    runLanes(
        model, {windows, kWindowsPerGroup, threads},
        [&](size_t w) {
            return std::make_unique<DistinctWindowDecoder>(packed, w * b, b, params.effectivePrecision(), maxBytes,
                                                           decoded[w]);
        },
        progress);
    std::vector<uint8_t> out;
    out.reserve(totalSize(decoded));  // what the windows hold, not what the header claims
    if (windowBytes) windowBytes->clear();
    for (auto& bytes : decoded) {
        if (windowBytes) windowBytes->push_back(bytes.size());
        const uint64_t pos = startByte + out.size();
        if (pos >= outputBytes) throw FormatError("corrupted bitstream: windows left over after the output");
        if (bytes.size() > params.chunkEnd(pos, outputBytes) - pos)
            throw FormatError("corrupted bitstream: a window crosses a stream boundary");
        out.insert(out.end(), bytes.begin(), bytes.end());
        std::vector<uint8_t>().swap(bytes);
    }
    return out;
}

// The same for a whole input: the windows must cover it exactly.
std::vector<uint8_t> decodeDistinctWindows(const std::vector<uint8_t>& packed, uint64_t nbits,
                                           const CodecParams& params, uint64_t outputBytes, const ByteModel& model,
                                           SharedProgress& progress, int threads,
                                           std::vector<uint64_t>* windowBytes = nullptr) {
    std::vector<uint8_t> out = decodeDistinctWindowsFrom(packed, nbits, params, /*startByte=*/0, outputBytes, model,
                                                         progress, threads, windowBytes);
    if (out.size() != outputBytes)
        throw FormatError("corrupted bitstream: decoded " + std::to_string(out.size()) + " bytes, expected " +
                          std::to_string(outputBytes));
    return out;
}

// Decodes windows whose M1 context outlives a window (m1Reset != 1): every
// stream is a lane (ContextStreamDecoder), its window count from the side
// information. windowBytes, if given, receives each window's byte count.
std::vector<uint8_t> decodeContextStreams(const std::vector<uint8_t>& packed, uint64_t nbits, const CodecParams& params,
                                          uint64_t outputBytes, const std::vector<uint64_t>& streamWindows,
                                          const ByteModel& model, SharedProgress& progress, int threads,
                                          std::vector<uint64_t>* windowBytes) {
    const uint64_t b = uint64_t(params.windowBits);
    const size_t streams = size_t(params.chunkCount(outputBytes));
    if (streamWindows.size() != streams)
        throw FormatError("corrupted side information: " + std::to_string(streamWindows.size()) +
                          " stream window counts for " + std::to_string(streams) + " streams");
    std::vector<uint64_t> firstWindow(streams + 1, 0);
    for (size_t s = 0; s < streams; ++s) {
        const uint64_t streamBytes =
            params.chunkEnd(s * uint64_t(params.chunkBytes), outputBytes) - s * uint64_t(params.chunkBytes);
        // Every window holds at least one byte of its stream.
        if (streamWindows[s] < 1 || streamWindows[s] > streamBytes)
            throw FormatError("corrupted side information: a stream's window count is out of range");
        firstWindow[s + 1] = firstWindow[s] + streamWindows[s];
    }
    if (firstWindow[streams] != nbits / b)
        throw FormatError("corrupted side information: the streams' windows do not add up to the bitstream's");
    std::vector<std::vector<uint8_t>> decoded(streams);
    std::vector<std::vector<uint64_t>> counts(streams);
    runLanes(
        model, {streams, kStreamsPerGroup, threads},
        [&](size_t s) {
            const uint64_t begin = s * uint64_t(params.chunkBytes);
            return std::make_unique<ContextStreamDecoder>(packed, firstWindow[s], streamWindows[s], params,
                                                          params.chunkEnd(begin, outputBytes) - begin, decoded[s],
                                                          counts[s]);
        },
        progress);
    std::vector<uint8_t> out;
    out.reserve(totalSize(decoded));
    if (windowBytes) windowBytes->clear();
    for (size_t s = 0; s < streams; ++s) {
        out.insert(out.end(), decoded[s].begin(), decoded[s].end());
        if (windowBytes) windowBytes->insert(windowBytes->end(), counts[s].begin(), counts[s].end());
        std::vector<uint8_t>().swap(decoded[s]);
    }
    return out;
}

// What pass 2 of the shortest termination keeps of one window's scan.
struct ResolvedWindow {
    int64_t rank = -1;      // the true count's rank among several consistent counts; -1: only one
    int8_t decodable = -1;  // with stats: 1/0 whether the tokens alone decode it
};

// Scans one window (WindowScanner) and keeps only what pass 2 needs: checks
// that the window decodes to its own n bytes and that n is a candidate.
class ShortestWindowResolver final : public Lane {
public:
    ShortestWindowResolver(const std::vector<uint8_t>& packed, const Segment& win, const uint8_t* bytes,
                           uint64_t remaining, std::optional<uint8_t> lookahead, const CodecParams& params, bool stats,
                           ResolvedWindow& out)
        : scanner_(packed, win.bitBegin, uint64_t(params.windowBits), params.effectivePrecision(), lookahead,
                   stats ? kMaxScanBytes : remaining, win.byteEnd - win.byteBegin, scan_),
          bytes_(bytes),
          n_(win.byteEnd - win.byteBegin),
          remaining_(remaining),
          hasNext_(lookahead.has_value()),
          stats_(stats),
          out_(out) {}

    void start(ModelBatch& batch, size_t s) override { scanner_.start(batch, s); }
    bool next(ModelBatch& batch, size_t s) override {
        if (scanner_.next(batch, s)) return true;
        resolve();
        return false;
    }
    uint64_t step(ModelBatch& batch, size_t s) override { return scanner_.step(batch, s); }

private:
    void resolve() {
        for (uint64_t i = 0; i < n_; ++i)
            if (i >= scan_.bytes.size() || scan_.bytes[i] != bytes_[i])
                throw std::logic_error("eqinfo-ac: a window does not decode to its own bytes");
        const std::vector<uint64_t> exact = scan_.candidates(remaining_, hasNext_);
        const auto it = std::find(exact.begin(), exact.end(), n_);
        if (it == exact.end()) throw std::logic_error("eqinfo-ac: a window's true length is not a candidate");
        if (exact.size() > 1) out_.rank = int64_t(exact.end() - 1 - it);
        if (stats_) {
            const std::vector<uint64_t> alone = scan_.candidates(std::nullopt, hasNext_);
            out_.decodable = alone.size() == 1 && alone[0] == n_ ? 1 : 0;
        }
        scan_ = WindowScan{};
    }

    WindowScan scan_;
    WindowScanner scanner_;
    const uint8_t* bytes_;
    uint64_t n_, remaining_;
    bool hasNext_, stats_;
    ResolvedWindow& out_;
};

// Shortest termination, pass 2: what a decoder can tell on its own, and the
// side information where it cannot (see equal_info.h). Every window is a
// lane (a scan from its own bits, the next window's first byte as look-ahead).
void resolveShortestWindows(CoderResult& r, std::vector<Segment>& windows, const uint8_t* data, size_t size,
                            const CodecParams& params, const ByteModel& model, const EncodeOptions& options,
                            SharedProgress& progress) {
    std::vector<ResolvedWindow> resolved(windows.size());
    runLanes(
        model, {windows.size(), kWindowsPerGroup, options.threads},
        [&](size_t w) {
            std::optional<uint8_t> lookahead;
            if (w + 1 < windows.size()) lookahead = data[windows[w + 1].byteBegin];
            const Segment& win = windows[w];
            const uint64_t remaining = params.chunkEnd(win.byteBegin, size) - win.byteBegin;
            return std::make_unique<ShortestWindowResolver>(r.bits.bytes(), win, data + win.byteBegin, remaining,
                                                            lookahead, params, options.stats, resolved[w]);
        },
        progress);
    ByteSink side;
    for (size_t w = 0; w < windows.size(); ++w) {
        if (resolved[w].rank >= 0) {
            side.varint(uint64_t(resolved[w].rank));
            ++r.sideInfoWindows;
        }
        if (options.stats) {
            windows[w].tokenOnlyDecodable = resolved[w].decodable;
            r.tokenOnlyDecodable += uint64_t(resolved[w].decodable);
        }
    }
    r.side = deflateBytes(side.data());
}

}  // namespace

std::vector<uint8_t> streamWindowsSide(const std::vector<uint64_t>& streamWindows) {
    ByteSink side;
    for (uint64_t n : streamWindows) side.varint(n);
    return deflateBytes(side.data());
}

std::vector<uint64_t> readStreamWindowsSide(const std::vector<uint8_t>& side, uint64_t streams) {
    // At most 10 bytes a varint.
    const std::vector<uint8_t> bytes = inflateBytes(side, streams * 10 + 16);
    ByteSource in(bytes.data(), bytes.size(), "side information");
    std::vector<uint64_t> out;
    out.reserve(size_t(streams));
    for (uint64_t s = 0; s < streams; ++s) out.push_back(in.varint("stream window count"));
    if (in.remaining() != 0) in.fail("bytes left over after the stream window counts");
    return out;
}

std::vector<uint8_t> decodeDistinctWindowRun(const std::vector<uint8_t>& packed, uint64_t nbits,
                                             const CodecParams& params, uint64_t startByte, uint64_t outputBytes,
                                             const ByteModel& model, const ProgressFn& progress, int threads) {
    params.validate();
    const uint64_t b = uint64_t(params.windowBits);
    if (nbits % b != 0) throw FormatError("corrupted bitstream: not a whole number of windows");
    if (startByte + nbits / b > outputBytes)
        throw FormatError("corrupted bitstream: windows left over after the output");
    SharedProgress shared(progress, outputBytes - startByte);
    std::vector<uint8_t> out =
        decodeDistinctWindowsFrom(packed, nbits, params, startByte, outputBytes, model, shared, threads, nullptr);
    shared.finish();
    return out;
}

WindowScan scanWindow(const std::vector<uint8_t>& packed, uint64_t windowBegin, int windowBits, int precision,
                      const ByteModel& model, std::optional<uint8_t> lookahead, uint64_t maxBytes) {
    WindowScan scan;
    WindowScanner lane(packed, windowBegin, uint64_t(windowBits), precision, lookahead, maxBytes, 0, scan);
    const std::unique_ptr<ModelBatch> batch = model.openBatch(1, nullptr);
    runLane(lane, *batch, 0);
    return scan;
}

CoderResult encodeEqualInfo(const uint8_t* data, size_t size, const CodecParams& params, const ByteModel& model,
                            const EncodeOptions& options) {
    params.validate();
    const bool distinct = params.termination == CodecParams::Termination::Distinct;
    const size_t chunk = params.chunkBytes;
    const size_t streams = size_t(params.chunkCount(size));
    // The second half of the progress: the check (distinct, with stats and checkWindows) or pass 2
    // (shortest), as encodePasses (codec.h) names them.
    const bool check = options.stats && options.checkWindows;
    const bool secondPass = check || !distinct;
    SharedProgress progress(options.progress, (secondPass ? 2 : 1) * uint64_t(size));

    // Pass 1: greedy windows. Under M1 up to 256 streams go in one group (an
    // input's streams can be few and of unequal length, so splitting them
    // between threads would leave one idle; a team shares each runtime call
    // instead). Fewer streams than kLanesWanted a thread are each coded by
    // several lanes (window_chains.h), in a group a thread (laneGroups).
    const int threads = usableThreads(options.threads);
    const size_t perStream = lanesPerStream(model, params, streams, threads);
    auto streamBytes = [&](size_t s) { return size_t(params.chunkEnd(s * chunk, size) - s * chunk); };
    std::vector<WindowChains> chains;
    chains.reserve(streams);
    for (size_t s = 0; s < streams; ++s)
        chains.push_back(
            WindowChains::spread(streamBytes(s), perStream, kLaneBytesPerWindowBit * uint64_t(params.windowBits)));
    std::vector<StreamOut> lanes(streams * perStream);
    const LaneGroups groups = laneGroups(chains, perStream, threads);
    runLanes(
        model, {groups.order.size(), groups.perGroup, options.threads},
        [&](size_t engineLane) {
            const size_t i = groups.order[engineLane];
            const size_t s = i / perStream;
            return std::make_unique<StreamEncoder>(data + s * chunk, streamBytes(s), chains[s], i % perStream, params,
                                                   options, lanes[i]);
        },
        progress);
    CoderResult r;
    if (options.trace) r.trace.startCoderTrace(size, "window");
    std::vector<Segment> windows;  // every window, offsets into the whole input and bitstream
    std::vector<uint64_t> streamWindows;
    for (size_t s = 0; s < streams; ++s) {
        StreamOut part =
            joinChain(chains[s], &lanes[s * perStream], streamBytes(s), uint64_t(params.windowBits), options);
        for (size_t k = 0; k < perStream; ++k) lanes[s * perStream + k] = StreamOut{};
        streamWindows.push_back(part.windows.size());
        for (Segment w : part.windows) {
            w.byteBegin += s * chunk;
            w.byteEnd += s * chunk;
            w.bitBegin += r.bits.size();
            windows.push_back(w);
        }
        r.append(part.r, s * chunk, options.trace);
    }

    const bool contextOutlivesWindow = params.m1Reset != 1;
    if (distinct) {
        // Every window decodes from its own bits by construction (and, when
        // M1's context outlives a window, from those of its stream's windows
        // before it). With stats and checkWindows on, check it: decode every window, all of
        // them together.
        r.tokenOnlyDecodable = r.windows;
        if (check) {
            std::vector<uint64_t> decodedBytes;
            std::vector<uint8_t> decoded;
            try {
                decoded = contextOutlivesWindow
                              ? decodeContextStreams(r.bits.bytes(), r.bits.size(), params, size, streamWindows, model,
                                                     progress, options.threads, &decodedBytes)
                              : decodeDistinctWindows(r.bits.bytes(), r.bits.size(), params, size, model, progress,
                                                      options.threads, &decodedBytes);
            } catch (const FormatError& e) {
                throw std::logic_error(std::string("eqinfo-ac: the windows do not decode alone: ") + e.what());
            }
            bool same = decodedBytes.size() == windows.size() && decoded.size() == size &&
                        std::equal(decoded.begin(), decoded.end(), data);
            for (size_t w = 0; same && w < windows.size(); ++w)
                same = decodedBytes[w] == windows[w].byteEnd - windows[w].byteBegin;
            if (!same) throw std::logic_error("eqinfo-ac: a distinct window does not decode to its own bytes");
        }
        // Distinct windows need no side information, unless M1's context
        // outlives a window: then a stream's windows must be decoded in
        // order, and the side information says how many each stream has so
        // that the streams can be decoded side by side.
        r.side = contextOutlivesWindow ? streamWindowsSide(streamWindows) : deflateBytes({});
    } else {
        resolveShortestWindows(r, windows, data, size, params, model, options, progress);
        if (options.trace) r.trace.segments = windows;
    }
    progress.finish();
    return r;
}

std::vector<uint8_t> decodeEqualInfo(const std::vector<uint8_t>& packed, uint64_t nbits, const CodecParams& params,
                                     uint64_t outputBytes, const std::vector<uint8_t>& side, const ByteModel& model,
                                     const ProgressFn& progress, int threads) {
    params.validate();
    const int precision = params.effectivePrecision();
    const uint64_t b = uint64_t(params.windowBits);
    if (nbits % b != 0) throw FormatError("corrupted bitstream: not a whole number of windows");
    // Every window holds at least one byte: more windows than bytes is
    // corrupt, and is refused before any is decoded.
    if (nbits / b > outputBytes) throw FormatError("corrupted bitstream: windows left over after the output");
    SharedProgress shared(progress, outputBytes);
    if (params.termination == CodecParams::Termination::Distinct && params.m1Reset != 1) {
        // Every stream holds at least one window: more streams than windows is
        // corrupt, and is refused before the side information is read.
        if (params.chunkCount(outputBytes) > nbits / b)
            throw FormatError("corrupted bitstream: fewer windows than streams");
        const std::vector<uint64_t> streamWindows = readStreamWindowsSide(side, params.chunkCount(outputBytes));
        std::vector<uint8_t> out =
            decodeContextStreams(packed, nbits, params, outputBytes, streamWindows, model, shared, threads, nullptr);
        shared.finish();
        return out;
    }
    if (params.termination == CodecParams::Termination::Distinct) {
        if (!side.empty() && inflateBytes(side, 16).size() != 0)
            throw FormatError("corrupted side information: distinct windows need none");
        std::vector<uint8_t> out = decodeDistinctWindows(packed, nbits, params, outputBytes, model, shared, threads);
        shared.finish();
        return out;
    }
    const uint64_t windowCount = nbits / b;

    // Side information: for each window with several consistent counts, which one.
    const std::vector<uint8_t> sideBytes = inflateBytes(side, windowCount * 10 + 16);
    ByteSource sideIn(sideBytes.data(), sideBytes.size(), "side information");

    // Every window's first byte (the look-ahead of the window before it), all at once.
    std::vector<uint8_t> firstBytes(static_cast<size_t>(windowCount));
    runLanes(
        model, {size_t(windowCount), kWindowsPerGroup, threads},
        [&](size_t w) { return std::make_unique<FirstByteDecoder>(packed.data(), w * b, b, precision, firstBytes[w]); },
        shared);

    // Then window by window: how many bytes a window holds depends on where it starts.
    std::vector<uint8_t> out;  // grows with what the windows hold, never to what the header claims up front
    const std::unique_ptr<ModelBatch> batch = model.openBatch(1, nullptr);
    for (uint64_t w = 0; w < windowCount; ++w) {
        if (out.size() >= outputBytes) throw FormatError("corrupted bitstream: windows left over after the output");
        const uint64_t pos = out.size();
        const uint64_t remaining = params.chunkEnd(pos, outputBytes) - pos;
        const bool hasNext = w + 1 < windowCount;
        std::optional<uint8_t> lookahead;
        if (hasNext) lookahead = firstBytes[size_t(w + 1)];
        WindowScan scan;
        WindowScanner lane(packed, w * b, b, precision, lookahead, remaining, 0, scan);
        runLane(lane, *batch, 0);
        const std::vector<uint64_t> c = scan.candidates(remaining, hasNext);
        if (c.empty()) throw FormatError("corrupted bitstream: window " + std::to_string(w) + " matches no byte count");
        uint64_t n = c.back();
        if (c.size() > 1) {
            const uint64_t rank = sideIn.varint("window length");
            if (rank >= c.size()) sideIn.fail("window length out of range");
            n = c[c.size() - 1 - rank];
        }
        out.insert(out.end(), scan.bytes.begin(), scan.bytes.begin() + std::ptrdiff_t(n));
        shared.add(n);
    }
    if (out.size() != outputBytes)
        throw FormatError("corrupted bitstream: decoded " + std::to_string(out.size()) + " bytes, expected " +
                          std::to_string(outputBytes));
    shared.finish();
    return out;
}

}  // namespace eqlab
