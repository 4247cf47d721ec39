#include "methods/arithmetic_codec.h"

#include "base/binary_io.h"
#include "coding/range_coder.h"

namespace eqlab {

CoderResult encodeChunked(const uint8_t* data, size_t size, const CodecParams& params, ByteModel& model,
                          const EncodeOptions& options) {
    params.validate();
    const int precision = params.effectivePrecision();
    const uint64_t k = uint64_t(params.tokenBits);
    CoderResult r;
    Trace& t = r.trace;
    if (options.trace) t.startCoderTrace(size, "chunk");
    ByteSink side;
    RangeEncoder enc(r.bits);
    ProgressTicker ticker(options.progress, size);
    for (size_t begin = 0; begin < size; begin += params.chunkBytes) {
        const size_t end = std::min(size, begin + size_t(params.chunkBytes));
        const uint64_t start = r.bits.size();
        model.reset();
        model.setLookahead(data + begin, end - begin);
        for (size_t i = begin; i < end; ++i) {
            const Cdf& cdf = model.cdf(precision);
            const int x = data[i];
            if (options.stats || options.trace) {
                const double cost = cdf.surprisalBits(x);
                r.surprisalBits += cost;
                if (options.trace) {
                    t.surprisalBits[i] = float(cost);
                    t.segmentOfByte[i] = uint32_t(t.segments.size());
                    t.bitBegin[i] = r.bits.size();
                }
            }
            enc.encode(cdf, x);
            if (options.trace) t.bitEnd[i] = r.bits.size();
            model.advance(uint8_t(x));
            ticker.tick(i);
        }
        enc.finish();
        const uint64_t used = r.bits.size() - start;
        const uint64_t tokens = (used + k - 1) / k;
        r.bits.padTo(start + tokens * k);
        side.varint(tokens);
        if (options.trace) {
            t.closeStream(begin, end, start + used);
            t.segments.push_back({begin, end, start, used, tokens * k, -1});
        }
    }
    ticker.finish();
    r.side = std::move(side.data());
    return r;
}

std::vector<uint8_t> decodeChunked(const std::vector<uint8_t>& packed, uint64_t nbits,
                                   const CodecParams& params, uint64_t outputBytes,
                                   const std::vector<uint8_t>& side, ByteModel& model,
                                   const ProgressFn& progress) {
    params.validate();
    const int precision = params.effectivePrecision();
    const uint64_t k = uint64_t(params.tokenBits);
    ByteSource sideIn(side.data(), side.size(), "side information");
    std::vector<uint8_t> out;
    out.reserve(size_t(outputBytes));
    ProgressTicker ticker(progress, outputBytes);
    uint64_t start = 0;
    while (out.size() < outputBytes) {
        const uint64_t n = std::min<uint64_t>(params.chunkBytes, outputBytes - out.size());
        const uint64_t tokens = sideIn.varint("chunk length");
        if (tokens > (nbits - start) / k) sideIn.fail("a chunk extends past the end of the bitstream");
        const uint64_t end = start + tokens * k;
        RangeDecoder dec(packed.data(), start, end);
        model.reset();
        for (uint64_t i = 0; i < n; ++i) {
            const int x = dec.decode(model.cdf(precision));
            out.push_back(uint8_t(x));
            model.advance(uint8_t(x));
            ticker.tick(out.size());
        }
        start = end;
    }
    if (start != nbits) throw FormatError("corrupted bitstream: bits left over after the last chunk");
    if (sideIn.remaining() != 0) sideIn.fail("unexpected data after the last chunk length");
    ticker.finish();
    return out;
}

}  // namespace eqlab
