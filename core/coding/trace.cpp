#include "coding/trace.h"

#include <algorithm>
#include <stdexcept>

namespace eqlab {

std::string alignmentName(Alignment a) {
    switch (a) {
        case Alignment::Exact:
            return "exact";
        case Alignment::Emission:
            return "emission";
        case Alignment::DeflateBlock:
            return "deflate-block";
    }
    return "unknown";
}

void Trace::startCoderTrace(size_t bytes, const char* kind) {
    alignment = Alignment::Emission;
    segmentKind = kind;
    surprisalBits.resize(bytes);
    segmentOfByte.resize(bytes);
    bitBegin.resize(bytes);
    bitEnd.resize(bytes);
}

void Trace::closeStream(size_t first, size_t last, uint64_t end) {
    for (size_t i = last; i-- > first && bitEnd[i] > end;) {
        bitEnd[i] = end;
        bitBegin[i] = std::min(bitBegin[i], end);
    }
    if (last > first) bitEnd[last - 1] = end;
}

void Trace::append(const Trace& part, uint64_t byteBase, uint64_t bitOffset) {
    copyBytes(part, 0, part.bitBegin.size(), int64_t(byteBase), int64_t(segments.size()), int64_t(bitOffset));
    for (Segment s : part.segments) {
        s.byteBegin += byteBase;
        s.byteEnd += byteBase;
        s.bitBegin += bitOffset;
        segments.push_back(s);
    }
}

void Trace::copyBytes(const Trace& part, size_t first, size_t last, int64_t byteShift, int64_t segmentShift,
                      int64_t bitShift) {
    for (size_t i = first; i < last; ++i)
        recordByte(size_t(int64_t(i) + byteShift), part.surprisalBits[i],
                   uint32_t(int64_t(part.segmentOfByte[i]) + segmentShift),
                   uint64_t(int64_t(part.bitBegin[i]) + bitShift), uint64_t(int64_t(part.bitEnd[i]) + bitShift));
}

void Trace::alignTokensByEmission() {
    for (TokenSpan& t : tokens) {
        // First byte still emitting at or after the token's first bit.
        auto lo = size_t(std::upper_bound(bitEnd.begin(), bitEnd.end(), t.bitBegin) - bitEnd.begin());
        // A byte that emitted nothing exactly at the token's start belongs to this token.
        while (lo > 0 && bitBegin[lo - 1] == t.bitBegin && bitEnd[lo - 1] == t.bitBegin) --lo;
        // First byte whose bits start at or after the token's end.
        auto hi = size_t(std::lower_bound(bitBegin.begin(), bitBegin.end(), t.bitEnd) - bitBegin.begin());
        t.byteBegin = lo;
        t.byteEnd = std::max(lo, hi);
    }
}

void Trace::validate(uint64_t inputBytes) const {
    auto fail = [](const char* m) { throw std::logic_error(std::string("trace: ") + m); };
    if (bitBegin.size() != inputBytes || bitEnd.size() != inputBytes) fail("per-byte bit ranges missing");
    if (!surprisalBits.empty() && surprisalBits.size() != inputBytes) fail("surprisal size");
    if (!segments.empty() && segmentOfByte.size() != inputBytes) fail("segment index size");
    for (uint64_t i = 0; i < inputBytes; ++i) {
        if (bitBegin[i] > bitEnd[i]) fail("byte bit range reversed");
        if (i && (bitBegin[i] < bitBegin[i - 1] || bitEnd[i] < bitEnd[i - 1])) fail("byte ranges not monotone");
    }
    uint64_t expect = 0;
    for (const Segment& s : segments) {
        if (s.byteBegin != expect || s.byteEnd < s.byteBegin) fail("segments do not tile the input");
        if (s.bitsUsed > s.bitsTotal) fail("segment uses more bits than it occupies");
        expect = s.byteEnd;
    }
    if (!segments.empty() && expect != inputBytes) fail("segments do not cover the input");
    for (const TokenSpan& t : tokens)
        if (t.byteBegin > t.byteEnd || t.byteEnd > inputBytes || t.bitBegin > t.bitEnd) fail("token span out of range");
}

}  // namespace eqlab
