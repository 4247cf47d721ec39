#include "analysis/step_through.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <stdexcept>
#include <unordered_set>

#include "base/errors.h"
#include "coding/bit_io.h"
#include "coding/range_coder.h"
#include "methods/equal_info.h"

namespace eqlab {

namespace {

std::string bitString(const BitWriter& bits, uint64_t from, uint64_t to) {
    std::string s;
    for (uint64_t i = from; i < to; ++i) s += char('0' + bits.at(i));
    return s;
}

void setBefore(StepFrame& f, const CoderState& s) {
    f.lowBefore = s.low;
    f.highBefore = s.high;
    f.pendingBefore = s.pending;
}

void setAfter(StepFrame& f, const CoderState& s) {
    f.low = s.low;
    f.high = s.high;
    f.pending = s.pending;
}

// The model's `n` most probable bytes (ties: the lower byte first), plus
// `chosen` if it is not among them, with their slices of `cdf`.
std::vector<StepCandidate> candidatesOf(ByteModel& model, const Cdf& cdf, int chosen, int n) {
    std::array<float, kAlphabet> p{};
    model.probabilities(p.data());
    std::array<int, kAlphabet> order{};
    std::iota(order.begin(), order.end(), 0);
    const int top = std::clamp(n, 0, kAlphabet);
    std::partial_sort(order.begin(), order.begin() + top, order.end(),
                      [&](int a, int b) { return p[a] != p[b] ? p[a] > p[b] : a < b; });
    std::vector<StepCandidate> out;
    const auto add = [&](int s) { out.push_back({uint8_t(s), p[s], cdf.cum[s], cdf.freq(s)}); };
    for (int i = 0; i < top; ++i) add(order[i]);
    if (std::none_of(order.begin(), order.begin() + top, [&](int s) { return s == chosen; })) add(chosen);
    return out;
}

// The encoder's walk: replays the method segment by segment on one model,
// with the coder steps encodeChunks() and encodeEqualInfo() take.
class EncodeWalk {
public:
    EncodeWalk(const uint8_t* data, size_t n, const CodecParams& params, ByteModel& model, const StepOptions& options,
               ProgressTicker& ticker, StepThrough& out)
        : data_(data),
          n_(n),
          params_(params),
          precision_(params.effectivePrecision()),
          model_(model),
          options_(options),
          ticker_(ticker),
          out_(out),
          enc_(bits_) {}

    void run() {
        for (uint64_t begin = 0; begin < n_; begin = params_.chunkEnd(begin, n_)) {
            const uint64_t end = params_.chunkEnd(begin, n_);
            if (params_.method == Method::EqualInfoAc)
                windows(begin, end);
            else
                chunk(begin, end);
        }
        for (const StepFrame& f : out_.frames) out_.bits += f.emitted + f.padding;
        if (out_.bits != bitString(bits_, 0, bits_.size()))
            throw std::logic_error("step-through: the frames' bits are not the coder's");
    }

    const BitWriter& bits() const { return bits_; }

private:
    // One ac/static-ac chunk: a stream from an empty context, terminated and
    // padded to whole tokens.
    void chunk(uint64_t begin, uint64_t end) {
        open(begin, true);
        for (pos_ = begin; pos_ < end; ++pos_) {
            const Cdf cdf = model_.cdf(precision_);
            const int x = data_[pos_];
            StepFrame f = codeFrame(cdf, x);
            enc_.encode(cdf, x);
            finishCode(f, cdf, x, enc_.state().terminatedBits());
        }
        StepFrame& close = closeFrame();
        const uint64_t written = bits_.size();
        enc_.finish();
        const uint64_t used = bits_.size() - start_;
        const uint64_t k = uint64_t(params_.tokenBits);
        endSegment(close, written, used, (used + k - 1) / k * k);
    }

    // One eqinfo-ac stream: greedy windows of b bits.
    void windows(uint64_t begin, uint64_t end) {
        const uint64_t b = uint64_t(params_.windowBits);
        const bool distinct = params_.termination == CodecParams::Termination::Distinct;
        pos_ = begin;
        for (uint64_t w = 0; pos_ < end; ++w) {
            open(pos_, resetsModelAt(w, params_.m1Reset));
            std::unordered_set<BitString> terminators;
            BitString last;
            int nextByte = -1;
            double nextByteBits = 0;
            uint64_t needed = 0;
            for (; pos_ < end; ++pos_) {
                const Cdf cdf = model_.cdf(precision_);
                const int x = data_[pos_];
                StepFrame f = codeFrame(cdf, x);
                bool fits;
                if (distinct) {
                    fits = codeDistinct(enc_, bits_, start_, b, cdf, x, terminators, last, &needed);
                } else {
                    needed = enc_.stateAfter(cdf, x).committedBits();
                    fits = needed <= b;
                    if (fits) enc_.encode(cdf, x);
                }
                if (!fits) {
                    nextByte = x;
                    nextByteBits = cdf.surprisalBits(x);
                    break;
                }
                finishCode(f, cdf, x, distinct ? last.size() : enc_.state().committedBits());
            }
            if (pos_ == segmentBegin_) throw std::logic_error("step-through: a byte did not fit into an empty window");
            StepFrame& close = closeFrame();
            close.nextByte = nextByte;
            close.nextByteBits = nextByteBits;
            close.bitsWithNext = nextByte >= 0 && needed <= b + kWhyClosedSearchBits ? needed : 0;
            const uint64_t written = bits_.size();
            uint64_t used;
            if (distinct) {
                used = closeDistinct(enc_, bits_, start_, last);
            } else {
                used = enc_.state().committedBits();
                enc_.finish();
            }
            endSegment(close, written, used, b);
        }
    }

    // Opens a segment at byte `begin`: the Reset frame.
    void open(uint64_t begin, bool modelReset) {
        segmentBegin_ = begin;
        start_ = bits_.size();
        if (modelReset) model_.reset();
        StepFrame f;
        f.kind = StepFrame::Kind::Reset;
        f.segment = out_.segments.size();
        f.byteIndex = begin;
        f.bitBegin = start_;
        f.modelReset = modelReset;
        f.segmentBits = segmentBits();
        setBefore(f, enc_.state());
        setAfter(f, CoderState{});
        out_.segments.push_back({begin, begin, start_, 0, 0, out_.frames.size(), 0});
        out_.frames.push_back(std::move(f));
    }

    // A Code frame for byte x at pos_, before the coder codes it.
    StepFrame codeFrame(const Cdf& cdf, int x) {
        StepFrame f;
        f.segment = out_.segments.size() - 1;
        f.byteIndex = pos_;
        f.cum = cdf.cum[x];
        f.freq = cdf.freq(x);
        f.total = cdf.total();
        f.surprisalBits = cdf.surprisalBits(x);
        f.bitBegin = bits_.size();
        f.segmentBits = segmentBits();
        setBefore(f, enc_.state());
        return f;
    }

    // Records the Code frame once byte x is coded, with the segment's bits so far.
    void finishCode(StepFrame& f, const Cdf& cdf, int x, uint64_t used) {
        setAfter(f, enc_.state());
        f.emitted = bitString(bits_, f.bitBegin, bits_.size());
        f.segmentBitsUsed = used;
        f.candidates = candidatesOf(model_, cdf, x, options_.candidates);
        model_.advance(uint8_t(x));
        out_.frames.push_back(std::move(f));
        ticker_.tick(pos_ + 1);
    }

    StepFrame& closeFrame() {
        StepFrame f;
        f.kind = StepFrame::Kind::Close;
        f.segment = out_.segments.size() - 1;
        f.byteIndex = pos_;
        f.segmentBits = segmentBits();
        setBefore(f, enc_.state());
        setAfter(f, CoderState{});
        out_.frames.push_back(std::move(f));
        return out_.frames.back();
    }

    // Ends the open segment, whose Code frames wrote bits up to `written`:
    // its termination (the bits written past `written`) and the padding up
    // to `total` bits. A termination that drops trailing zeros instead takes
    // them back from the Code frames that wrote them, as the trace does
    // (Trace::closeStream): the padding stands for them.
    void endSegment(StepFrame& close, uint64_t written, uint64_t used, uint64_t total) {
        if (bits_.size() >= written) {
            close.emitted = bitString(bits_, written, bits_.size());
        } else {
            uint64_t drop = written - bits_.size();
            for (size_t i = out_.frames.size() - 1; drop > 0 && i-- > 0;) {
                std::string& e = out_.frames[i].emitted;
                for (; drop > 0 && !e.empty(); --drop) {
                    if (e.back() != '0') throw std::logic_error("step-through: a termination dropped a 1 bit");
                    e.pop_back();
                }
            }
        }
        close.bitBegin = bits_.size() - close.emitted.size();
        close.padding = std::string(size_t(start_ + total - bits_.size()), '0');
        bits_.padTo(start_ + total);
        close.segmentBitsUsed = used;
        close.segmentBits = total;
        StepSegment& s = out_.segments.back();
        s.byteEnd = pos_;
        s.bitsUsed = used;
        s.bitsTotal = total;
        s.lastFrame = out_.frames.size() - 1;
    }

    // b for a window; 0 for a chunk, whose size is known only at its end.
    uint64_t segmentBits() const { return params_.method == Method::EqualInfoAc ? uint64_t(params_.windowBits) : 0; }

    const uint8_t* data_;
    size_t n_;
    const CodecParams& params_;
    int precision_;
    ByteModel& model_;
    const StepOptions& options_;
    ProgressTicker& ticker_;
    StepThrough& out_;
    BitWriter bits_;
    RangeEncoder enc_;
    uint64_t pos_ = 0, segmentBegin_ = 0, start_ = 0;
};

// The decoder's walk over the encoder's bits: fills each Code frame's code
// register and bits read, and checks that the decoder finds the same byte,
// reaches the same interval and, for distinct windows, stops where the window did.
void decodeWalk(const BitWriter& bits, const CodecParams& params, ByteModel& model, ProgressTicker& ticker,
                uint64_t done, StepThrough& walk) {
    const int precision = params.effectivePrecision();
    const bool distinct =
        params.method == Method::EqualInfoAc && params.termination == CodecParams::Termination::Distinct;
    const std::vector<uint8_t>& packed = bits.bytes();
    const auto disagree = [](const char* what) {
        throw std::logic_error(std::string("step-through: the decoder disagrees with the encoder: ") + what);
    };
    for (const StepSegment& seg : walk.segments) {
        RangeDecoder dec(packed.data(), seg.bitBegin, seg.bitBegin + seg.bitsTotal);
        const BitString target = windowString(packed, seg.bitBegin, seg.bitsTotal);
        std::unordered_set<BitString> used;
        const auto windowBit = [&](uint64_t i) { return i < seg.bitsTotal ? bitAt(packed, seg.bitBegin + i) : 0u; };
        if (walk.frames[seg.firstFrame].modelReset) model.reset();
        for (size_t i = seg.firstFrame + 1; i < seg.lastFrame; ++i) {
            StepFrame& f = walk.frames[i];
            f.code = dec.code();
            f.bitsRead = dec.bitsRead();
            const int c = dec.decode(model.cdf(precision));
            const CoderState& s = dec.state();
            if (c != walk.bytes[f.byteIndex]) disagree("another byte");
            if (s.low != f.low || s.high != f.high || s.pending != f.pending) disagree("another interval");
            if (distinct) {
                std::optional<BitString> t = distinctTerminator(s, windowBit, used, seg.bitsTotal);
                if (!t) disagree("no terminator");
                if ((*t == target) != (i + 1 == seg.lastFrame)) disagree("the window ends elsewhere");
                used.insert(std::move(*t));
            }
            model.advance(uint8_t(c));
            ticker.tick(done + f.byteIndex + 1);
        }
        walk.frames[seg.lastFrame].code = dec.code();
        walk.frames[seg.lastFrame].bitsRead = dec.bitsRead();
    }
}

}  // namespace

size_t StepThrough::frameOfByte(uint64_t i) const {
    const auto it = std::find_if(frames.begin(), frames.end(), [&](const StepFrame& f) {
        return f.kind == StepFrame::Kind::Code && f.byteIndex == i;
    });
    if (it == frames.end()) throw std::out_of_range("step-through: no frame codes byte " + std::to_string(i));
    return size_t(it - frames.begin());
}

size_t StepThrough::frameOfSegment(uint64_t w) const {
    if (w >= segments.size()) throw std::out_of_range("step-through: no segment " + std::to_string(w));
    return segments[size_t(w)].firstFrame;
}

std::vector<uint32_t> StepThrough::tokens() const {
    const size_t k = size_t(params.tokenBits);
    std::vector<uint32_t> out;
    for (size_t i = 0; i + k <= bits.size(); i += k) {
        uint32_t v = 0;
        for (size_t j = 0; j < k; ++j) v = (v << 1) | uint32_t(bits[i + j] - '0');
        out.push_back(v);
    }
    return out;
}

const char* stepKindName(StepFrame::Kind kind) {
    switch (kind) {
        case StepFrame::Kind::Reset:
            return "reset";
        case StepFrame::Kind::Code:
            return "code";
        case StepFrame::Kind::Close:
            return "close";
    }
    return "?";
}

StepThrough stepThrough(const uint8_t* data, size_t size, const CodecParams& params, ByteModel& model,
                        const StepOptions& options) {
    params.validate();
    if (params.method != Method::StaticAc && params.method != Method::Ac && params.method != Method::EqualInfoAc)
        throw InvalidArgument("step-through: " + params.label() +
                              " is not a range-coder method (static-ac, ac or eqinfo-ac)");
    StepThrough walk;
    walk.params = params;
    walk.params.precision = params.effectivePrecision();
    walk.model = model.name();
    walk.inputBytes = size;
    walk.bytes.assign(data, data + std::min(size, kMaxStepBytes));
    walk.decoding = options.decode;
    const uint64_t n = walk.bytes.size();
    ProgressTicker ticker(options.progress, options.decode ? 2 * n : n, 64);
    EncodeWalk encoder(walk.bytes.data(), walk.bytes.size(), walk.params, model, options, ticker, walk);
    encoder.run();
    if (options.decode) decodeWalk(encoder.bits(), walk.params, model, ticker, n, walk);
    ticker.finish();
    return walk;
}

}  // namespace eqlab
