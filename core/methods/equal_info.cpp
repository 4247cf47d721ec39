#include "methods/equal_info.h"

#include <limits>
#include <memory>
#include <unordered_set>
#include <mutex>
#include <thread>
#include <stdexcept>

#include <algorithm>

#include "base/binary_io.h"
#include "methods/gzip_codec.h"
#include "models/m1_byte_model.h"
#include "methods/m1_chunk_codec.h"
#include "coding/range_coder.h"

namespace eqlab {

namespace {

// A window can hold at most this many bytes during a scan without a stream
// limit: with P <= 24 and b <= 4096 no real window comes near it, and it keeps
// a decoder fed hostile bits from looping for long.
constexpr uint64_t kMaxScanBytes = uint64_t(1) << 22;

// Decodes the first byte of the window starting at bit `begin`.
uint8_t firstByteOfWindow(const std::vector<uint8_t>& packed, uint64_t begin, int windowBits,
                          int precision, ByteModel& model) {
    RangeDecoder dec(packed.data(), begin, begin + uint64_t(windowBits));
    model.reset();
    return uint8_t(dec.decode(model.cdf(precision)));
}

// Pending underflow bits beyond this make distinct termination give up (the
// 128-bit arithmetic below would overflow); 2^-90 is never reached in practice.
constexpr uint64_t kMaxPendingForDistinct = 90;

}  // namespace

BitString windowString(const std::vector<uint8_t>& packed, uint64_t begin, uint64_t b) {
    BitString w(size_t(b), '0');
    for (uint64_t i = 0; i < b; ++i) w[size_t(i)] = char('0' + bitAt(packed, begin + i));
    while (!w.empty() && w.back() == '0') w.pop_back();
    return w;
}

namespace {

// Decodes a distinctly terminated window: bytes until T*(m) equals its bits.
std::vector<uint8_t> scanDistinct(const std::vector<uint8_t>& packed, uint64_t windowBegin, int windowBits,
                                  int precision, ByteModel& model, uint64_t maxBytes) {
    const uint64_t b = uint64_t(windowBits);
    const BitString target = windowString(packed, windowBegin, b);
    auto windowBit = [&](uint64_t i) { return i < b ? bitAt(packed, windowBegin + i) : 0u; };
    RangeDecoder dec(packed.data(), windowBegin, windowBegin + b);
    model.reset();
    std::unordered_set<BitString> used;
    std::vector<uint8_t> bytes;
    while (bytes.size() < maxBytes) {
        const int c = dec.decode(model.cdf(precision));
        bytes.push_back(uint8_t(c));
        model.advance(uint8_t(c));
        std::optional<BitString> t = distinctTerminator(dec.state(), windowBit, used, b);
        if (!t) break;
        if (*t == target) return bytes;
        used.insert(std::move(*t));
    }
    throw FormatError("corrupted bitstream: a window's bits match no byte count");
}

}  // namespace

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

WindowScan scanWindow(const std::vector<uint8_t>& packed, uint64_t windowBegin, int windowBits,
                      int precision, ByteModel& model, std::optional<uint8_t> lookahead,
                      uint64_t maxBytes) {
    const uint64_t b = uint64_t(windowBits);
    maxBytes = std::min(maxBytes, kMaxScanBytes);
    RangeDecoder dec(packed.data(), windowBegin, windowBegin + b);
    model.reset();
    // The last 1 bit of the window (relative to its start), or -1.
    int64_t lastOne = -1;
    for (int64_t i = int64_t(b) - 1; i >= 0; --i)
        if (bitAt(packed, windowBegin + uint64_t(i))) { lastOne = i; break; }
    auto windowBit = [&](uint64_t i) { return i < b ? bitAt(packed, windowBegin + i) : 0u; };

    WindowScan scan;
    for (;;) {
        const Cdf& cdf = model.cdf(precision);
        if (!scan.bytes.empty()) {
            const CoderState& s = dec.state();
            bool fits = false;
            if (lookahead) fits = stateAfter(s, cdf, *lookahead).committedBits() <= b;
            scan.nextFits.push_back(fits);
            // Rule 1: the emitted bits match by construction; what follows must be
            // the termination (nothing, or a single 1) and then only zeros.
            const bool zeroEnd = s.low == 0 && s.pending == 0;
            const bool canonical = zeroEnd ? lastOne < int64_t(s.emitted)
                                           : (windowBit(s.emitted) == 1 && lastOne == int64_t(s.emitted));
            scan.canonical.push_back(canonical);
        }
        if (scan.bytes.size() >= maxBytes) break;
        const int c = dec.decode(cdf);
        if (dec.state().committedBits() > b) break;
        scan.bytes.push_back(uint8_t(c));
        model.advance(uint8_t(c));
    }
    return scan;
}

namespace {

// Distinct termination: codes x into the window that began at bit `start` and
// keeps the window's terminators; writes nothing and returns false when x no
// longer fits.
bool codeDistinct(RangeEncoder& enc, BitWriter& bits, uint64_t start, uint64_t b, const Cdf& cdf, int x,
                  std::unordered_set<BitString>& terminators, BitString& last) {
    const uint64_t mark = bits.size();
    const CoderState before = enc.state();
    enc.encode(cdf, x);
    std::optional<BitString> t =
        distinctTerminator(enc.state(), [&](uint64_t i) { return bits.at(start + i); }, terminators, b);
    if (!t) {
        bits.truncate(mark);
        enc.setState(before);
        return false;
    }
    terminators.insert(*t);
    last = std::move(*t);
    return true;
}

// Ends a distinct window: its bits become its terminator. Returns the bits used.
uint64_t closeDistinct(RangeEncoder& enc, BitWriter& bits, uint64_t start, const BitString& last) {
    bits.truncate(start);
    for (char c : last) bits.put(unsigned(c - '0'));
    enc.restart();
    return last.size();
}

// Byte i (of r's input) was coded under cdf into bits [mark, now) of window `window`.
void recordByte(CoderResult& r, const EncodeOptions& options, size_t i, const Cdf& cdf, int x, size_t window,
                uint64_t mark) {
    if (!options.stats && !options.trace) return;
    const double cost = cdf.surprisalBits(x);
    r.surprisalBits += cost;
    if (!options.trace) return;
    r.trace.surprisalBits[i] = float(cost);
    r.trace.segmentOfByte[i] = uint32_t(window);
    r.trace.bitBegin[i] = mark;
    r.trace.bitEnd[i] = r.bits.size();
}

// Pads the window of bytes [first, pos) that began at bit `start` to b bits and records it.
void endWindow(CoderResult& r, std::vector<Segment>& windows, const EncodeOptions& options, size_t first, size_t pos,
               uint64_t start, uint64_t used, uint64_t b, int8_t decodable) {
    if (pos == first) throw std::logic_error("eqinfo-ac: a byte did not fit into an empty window");
    r.bits.padTo(start + b);
    if (options.trace) r.trace.closeStream(first, pos, start + used);
    windows.push_back({first, pos, start, used, b, decodable});
}

CoderResult encodeSerial(const uint8_t* data, size_t size, const CodecParams& params, ByteModel& model,
                         const EncodeOptions& options) {
    params.validate();
    const int precision = params.effectivePrecision();
    const uint64_t b = uint64_t(params.windowBits);
    const bool distinct = params.termination == CodecParams::Termination::Distinct;
    CoderResult r;
    Trace& t = r.trace;
    if (options.trace) t.startCoderTrace(size, "window");
    std::vector<Segment> windows;
    RangeEncoder enc(r.bits);
    ProgressTicker ticker(options.progress, 2 * uint64_t(size));

    // Pass 1: greedy windows.
    for (size_t streamBegin = 0; streamBegin < size; streamBegin += params.chunkBytes) {
        const size_t streamEnd = std::min(size, streamBegin + size_t(params.chunkBytes));
        size_t pos = streamBegin;
        while (pos < streamEnd) {
            const uint64_t start = r.bits.size();
            const size_t first = pos;
            model.reset();
            model.setLookahead(data + pos, streamEnd - pos);
            std::unordered_set<BitString> terminators;  // distinct: T*(1..m) of this window
            BitString last;
            while (pos < streamEnd) {
                const Cdf& cdf = model.cdf(precision);
                const int x = data[pos];
                const uint64_t mark = r.bits.size();
                if (distinct) {
                    if (!codeDistinct(enc, r.bits, start, b, cdf, x, terminators, last)) break;
                } else {
                    if (enc.stateAfter(cdf, x).committedBits() > b) break;
                    enc.encode(cdf, x);
                }
                recordByte(r, options, pos, cdf, x, windows.size(), mark);
                model.advance(uint8_t(x));
                ++pos;
            }
            uint64_t used;
            if (distinct) {
                used = closeDistinct(enc, r.bits, start, last);
            } else {
                used = enc.state().committedBits();
                enc.finish();
            }
            endWindow(r, windows, options, first, pos, start, used, b, -1);
            ticker.tick(pos);
        }
    }

    // Pass 2: what a decoder can tell on its own; side information where it cannot.
    const std::vector<uint8_t>& packed = r.bits.bytes();
    ByteSink side;
    std::vector<uint64_t> ranks;  // per ambiguous window: the true count's rank, largest first
    for (size_t w = 0; w < windows.size(); ++w) {
        Segment& win = windows[w];
        const uint64_t n = win.byteEnd - win.byteBegin;
        const uint64_t streamEnd =
            std::min<uint64_t>(size, (win.byteBegin / params.chunkBytes + 1) * uint64_t(params.chunkBytes));
        const uint64_t remaining = streamEnd - win.byteBegin;
        const bool hasNext = w + 1 < windows.size();
        std::optional<uint8_t> lookahead;
        if (hasNext) lookahead = data[windows[w + 1].byteBegin];
        if (distinct) {
            // The window's own bits decide its length (by construction); with
            // stats on, check that they do by decoding it.
            if (options.stats) {
                const std::vector<uint8_t> got = scanDistinct(packed, win.bitBegin, params.windowBits, precision, model, n);
                if (got.size() != n || !std::equal(got.begin(), got.end(), data + win.byteBegin))
                    throw std::logic_error("eqinfo-ac: a distinct window does not decode to its own bytes");
            }
            win.tokenOnlyDecodable = 1;
            ++r.tokenOnlyDecodable;
            ticker.tick(size + win.byteEnd);
            continue;
        }
        // Token-only needs the scan beyond the stream's end; the container decoder stops at it.
        const uint64_t scanLimit = options.stats ? kMaxScanBytes : remaining;
        WindowScan scan = scanWindow(packed, win.bitBegin, params.windowBits, precision, model, lookahead, scanLimit);
        for (uint64_t i = 0; i < n; ++i)
            if (i >= scan.bytes.size() || scan.bytes[i] != data[win.byteBegin + i])
                throw std::logic_error("eqinfo-ac: a window does not decode to its own bytes");
        const std::vector<uint64_t> exact = scan.candidates(remaining, hasNext);
        const auto it = std::find(exact.begin(), exact.end(), n);
        if (it == exact.end()) throw std::logic_error("eqinfo-ac: a window's true length is not a candidate");
        if (exact.size() > 1) ranks.push_back(uint64_t(exact.end() - 1 - it));
        if (options.stats) {
            const std::vector<uint64_t> alone = scan.candidates(std::nullopt, hasNext);
            const bool decodable = alone.size() == 1 && alone[0] == n;
            win.tokenOnlyDecodable = decodable ? 1 : 0;
            r.tokenOnlyDecodable += decodable;
        }
        ticker.tick(size + win.byteEnd);
    }
    for (uint64_t rank : ranks) side.varint(rank);
    r.side = deflateBytes(side.data());
    ticker.finish();
    r.windows = windows.size();
    r.sideInfoWindows = ranks.size();
    if (options.trace) t.segments = std::move(windows);
    return r;
}

// Joins the results of consecutive runs of whole streams (parts[g] coded
// bytes [begins[g], begins[g + 1])): bits, counts and traces, offsets shifted.
// Distinct windows are whole b-bit windows, so token boundaries line up.
CoderResult concatenateStreams(std::vector<CoderResult>& parts, const std::vector<size_t>& begins, size_t size,
                               const EncodeOptions& options) {
    CoderResult r;
    if (options.trace) r.trace.startCoderTrace(size, "window");
    for (size_t g = 0; g < parts.size(); ++g) {
        CoderResult& p = parts[g];
        const uint64_t bitOffset = r.bits.size();
        const uint64_t windowOffset = r.windows;
        for (uint64_t i = 0; i < p.bits.size(); ++i) r.bits.put(p.bits.at(i));
        r.surprisalBits += p.surprisalBits;
        r.windows += p.windows;
        r.tokenOnlyDecodable += p.tokenOnlyDecodable;
        if (options.trace) {
            const size_t base = begins[g];
            for (size_t i = 0; i < begins[g + 1] - base; ++i) {
                r.trace.surprisalBits[base + i] = p.trace.surprisalBits[i];
                r.trace.segmentOfByte[base + i] = p.trace.segmentOfByte[i] + uint32_t(windowOffset);
                r.trace.bitBegin[base + i] = p.trace.bitBegin[i] + bitOffset;
                r.trace.bitEnd[base + i] = p.trace.bitEnd[i] + bitOffset;
            }
            for (Segment s : p.trace.segments) {
                s.byteBegin += base;
                s.byteEnd += base;
                s.bitBegin += bitOffset;
                r.trace.segments.push_back(s);
            }
        }
    }
    r.side = deflateBytes({});  // distinct windows need no side information
    return r;
}

// Distinct windows of several streams in lockstep, under M1: every stream
// codes one byte per round, and the streams whose model needs new
// probabilities get them from one runtime call together, so one pass over
// M1's weights serves all of them (an Equal-Info window holds ~2-5 bytes, so
// one stream alone would pay a weight pass per window). With several
// threads, a team shares each runtime call (an input's streams can be few
// and of unequal length, so splitting them between threads leaves one idle).
// Each stream's bits are exactly what encodeSerial writes for it alone.
struct Lane {
    size_t begin = 0, end = 0;  // the stream's bytes in `data`
    std::unique_ptr<ByteModel> model;
    M1Model* m1 = nullptr;
    CoderResult r;
    std::unique_ptr<RangeEncoder> enc;
    std::vector<Segment> windows;
    size_t pos = 0, first = 0;
    uint64_t start = 0;
    bool open = false;
    std::unordered_set<BitString> terminators;
    BitString last;
    bool done() const { return pos >= end && !open; }
};

CoderResult encodeLockstep(const uint8_t* data, size_t size, const CodecParams& params, const ByteModel& model,
                           const EncodeOptions& options) {
    const int precision = params.effectivePrecision();
    const uint64_t b = uint64_t(params.windowBits);
    std::vector<std::unique_ptr<Lane>> lanes;
    for (size_t begin = 0; begin < size; begin += params.chunkBytes) {
        auto lane = std::make_unique<Lane>();
        lane->begin = lane->pos = begin;
        lane->end = std::min(size, begin + size_t(params.chunkBytes));
        lane->model = model.clone();
        lane->m1 = dynamic_cast<M1Model*>(lane->model.get());
        lane->enc = std::make_unique<RangeEncoder>(lane->r.bits);
        if (options.trace) lane->r.trace.startCoderTrace(lane->end - lane->begin, "window");
        lanes.push_back(std::move(lane));
    }
    // With stats on, a second half of the progress is the check below.
    ProgressTicker ticker(options.progress, (options.stats ? 2 : 1) * uint64_t(size));
    uint64_t coded = 0;
    WorkerTeam team(std::max(1, options.threads));
    auto close = [&](Lane& l) {
        const uint64_t used = closeDistinct(*l.enc, l.r.bits, l.start, l.last);
        endWindow(l.r, l.windows, options, l.first - l.begin, l.pos - l.begin, l.start, used, b, 1);
        l.open = false;
    };
    std::vector<M1Model*> pending;
    for (;;) {
        pending.clear();
        for (auto& lp : lanes) {
            Lane& l = *lp;
            if (l.done()) continue;
            if (!l.open) {
                l.start = l.r.bits.size();
                l.first = l.pos;
                l.model->reset();
                l.model->setLookahead(data + l.pos, l.end - l.pos);
                l.terminators.clear();
                l.last.clear();
                l.open = true;
            }
            if (l.m1) pending.push_back(l.m1);
        }
        if (pending.empty() && std::all_of(lanes.begin(), lanes.end(), [](const auto& l) { return l->done(); })) break;
        M1Model::computeBatch(pending, &team);
        for (auto& lp : lanes) {
            Lane& l = *lp;
            if (!l.open) continue;
            const Cdf& cdf = l.model->cdf(precision);
            const int x = data[l.pos];
            const uint64_t mark = l.r.bits.size();
            if (!codeDistinct(*l.enc, l.r.bits, l.start, b, cdf, x, l.terminators, l.last)) {
                close(l);
                continue;
            }
            recordByte(l.r, options, l.pos - l.begin, cdf, x, l.windows.size(), mark);
            l.model->advance(uint8_t(x));
            ++l.pos;
            ticker.tick(++coded);
            if (l.pos == l.end) close(l);
        }
    }
    std::vector<CoderResult> parts;
    std::vector<size_t> begins;
    std::vector<uint64_t> windowBytes;  // every window's byte count, in order
    for (auto& lp : lanes) {
        for (const Segment& w : lp->windows) windowBytes.push_back(w.byteEnd - w.byteBegin);
        lp->r.windows = lp->windows.size();
        lp->r.tokenOnlyDecodable = lp->windows.size();
        if (options.trace) lp->r.trace.segments = std::move(lp->windows);
        parts.push_back(std::move(lp->r));
        begins.push_back(lp->begin);
    }
    begins.push_back(size);
    CoderResult r = concatenateStreams(parts, begins, size, options);
    if (options.stats) {
        // What the counts above take from construction, checked as the serial
        // encoder checks it window by window: each window decodes from its own
        // b bits alone to exactly its bytes. All windows at once, on the
        // decoder's batched window path.
        std::vector<uint64_t> decodedBytes;
        std::vector<uint8_t> decoded;
        ProgressFn checking;
        if (options.progress) checking = [&](uint64_t done, uint64_t) {
            try {
                ticker.tick(size + done);
                return true;
            } catch (const Cancelled&) {
                return false;
            }
        };
        try {
            decoded = decodeDistinctWindowsM1(r.bits.bytes(), r.bits.size(), params, size,
                                              dynamic_cast<const M1Model&>(model), checking, std::max(1, options.threads),
                                              &decodedBytes);
        } catch (const FormatError& e) {
            throw std::logic_error(std::string("eqinfo-ac: the windows do not decode alone: ") + e.what());
        }
        if (decodedBytes != windowBytes || decoded.size() != size || !std::equal(decoded.begin(), decoded.end(), data))
            throw std::logic_error("eqinfo-ac: a distinct window does not decode to its own bytes");
    }
    ticker.finish();
    return r;
}

// Distinct windows on several threads: streams are independent, so groups of
// them are encoded by model clones side by side and the results concatenated
// (each group is whole b-bit windows, so token boundaries line up).
CoderResult encodeThreaded(const uint8_t* data, size_t size, const CodecParams& params, const ByteModel& model,
                           const EncodeOptions& options, size_t groups) {
    const size_t streams = (size + params.chunkBytes - 1) / params.chunkBytes;
    std::vector<CoderResult> parts(groups);
    std::vector<size_t> begins(groups + 1);
    for (size_t g = 0; g <= groups; ++g) begins[g] = std::min(size, streams * g / groups * size_t(params.chunkBytes));
    SharedProgress shared(options.progress, 2 * uint64_t(size));
    std::exception_ptr error;
    std::mutex errorLock;
    std::vector<std::thread> pool;
    for (size_t g = 0; g < groups; ++g) {
        pool.emplace_back([&, g] {
            try {
                std::unique_ptr<ByteModel> own = model.clone();
                EncodeOptions o = options;
                o.threads = 1;
                uint64_t last = 0;
                o.progress = [&](uint64_t done, uint64_t) {
                    shared.add(done - last);
                    last = done;
                    return true;
                };
                parts[g] = encodeSerial(data + begins[g], begins[g + 1] - begins[g], params, *own, o);
            } catch (...) {
                std::lock_guard<std::mutex> lock(errorLock);
                if (!error) error = std::current_exception();
            }
        });
    }
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);

    return concatenateStreams(parts, begins, size, options);
}

}  // namespace

CoderResult encodeEqualInfo(const uint8_t* data, size_t size, const CodecParams& params, ByteModel& model,
                            const EncodeOptions& options) {
    params.validate();
    const size_t streams = (size + params.chunkBytes - 1) / params.chunkBytes;
    const size_t groups = std::min(streams, size_t(std::max(1, options.threads)));
    const bool distinct = params.termination == CodecParams::Termination::Distinct;
    // Under M1, streams go in lockstep (one weight pass for many windows),
    // and the stats check decodes all windows together afterwards.
    const bool lockstep = distinct && dynamic_cast<const M1Model*>(&model) != nullptr;
    if (lockstep) return encodeLockstep(data, size, params, model, options);
    if (distinct && groups > 1) return encodeThreaded(data, size, params, model, options, groups);
    return encodeSerial(data, size, params, model, options);
}

std::vector<uint8_t> decodeEqualInfo(const std::vector<uint8_t>& packed, uint64_t nbits,
                                     const CodecParams& params, uint64_t outputBytes,
                                     const std::vector<uint8_t>& side, ByteModel& model,
                                     const ProgressFn& progress, const BatchedWindowDecoder& batchedDecoder) {
    params.validate();
    const int precision = params.effectivePrecision();
    const uint64_t b = uint64_t(params.windowBits);
    if (nbits % b != 0) throw FormatError("corrupted bitstream: not a whole number of windows");
    const bool distinct = params.termination == CodecParams::Termination::Distinct;
    if (distinct && batchedDecoder) {
        if (!side.empty() && inflateBytes(side, 16).size() != 0)
            throw FormatError("corrupted side information: distinct windows need none");
        return batchedDecoder(packed, nbits, params, outputBytes, progress);
    }
    const uint64_t windowCount = nbits / b;

    // Side information: for each window with several consistent counts, which one.
    const std::vector<uint8_t> sideBytes = inflateBytes(side, windowCount * 10 + 16);
    ByteSource sideIn(sideBytes.data(), sideBytes.size(), "side information");

    std::vector<uint8_t> out;
    out.reserve(size_t(outputBytes));
    ProgressTicker ticker(progress, outputBytes);
    for (uint64_t w = 0; w < windowCount; ++w) {
        if (out.size() >= outputBytes) throw FormatError("corrupted bitstream: windows left over after the output");
        const uint64_t pos = out.size();
        const uint64_t streamEnd =
            std::min<uint64_t>(outputBytes, (pos / params.chunkBytes + 1) * uint64_t(params.chunkBytes));
        const uint64_t remaining = streamEnd - pos;
        if (distinct) {
            const std::vector<uint8_t> got = scanDistinct(packed, w * b, params.windowBits, precision, model, remaining);
            out.insert(out.end(), got.begin(), got.end());
            ticker.tick(out.size());
            continue;
        }
        const bool hasNext = w + 1 < windowCount;
        std::optional<uint8_t> lookahead;
        if (hasNext) lookahead = firstByteOfWindow(packed, (w + 1) * b, params.windowBits, precision, model);
        WindowScan scan = scanWindow(packed, w * b, params.windowBits, precision, model, lookahead, remaining);
        const std::vector<uint64_t> c = scan.candidates(remaining, hasNext);
        if (c.empty())
            throw FormatError("corrupted bitstream: window " + std::to_string(w) + " matches no byte count");
        uint64_t n = c.back();
        if (c.size() > 1) {
            const uint64_t rank = sideIn.varint("window length");
            if (rank >= c.size()) sideIn.fail("window length out of range");
            n = c[c.size() - 1 - rank];
        }
        out.insert(out.end(), scan.bytes.begin(), scan.bytes.begin() + std::ptrdiff_t(n));
        ticker.tick(out.size());
    }
    if (out.size() != outputBytes)
        throw FormatError("corrupted bitstream: decoded " + std::to_string(out.size()) + " bytes, expected " +
                          std::to_string(outputBytes));
    ticker.finish();
    return out;
}

}  // namespace eqlab
