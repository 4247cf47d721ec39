#include "methods/m1_chunk_codec.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "base/binary_io.h"
#include "methods/equal_info.h"
#include "coding/range_coder.h"

namespace eqlab {

namespace {

constexpr size_t kRowsPerGroup = 32;      // chunks stepped together (each holds a KV cache of ~layers*context*d*8 bytes)
constexpr size_t kWindowsPerGroup = 64;   // windows decoded together
constexpr int kWindowCacheStart = 32;     // initial KV capacity of a window's stream (grows if needed)

struct ChunkOut {
    BitWriter bits;
    double surprisal = 0.0;
    std::vector<float> cost;                  // per byte (trace)
    std::vector<uint64_t> bitBegin, bitEnd;  // per byte, relative to the chunk (trace)
    uint64_t used = 0;
};

// Runs fn(group index, team) for every group on `threads` threads. With
// fewer groups than threads, the threads left over form teams that share
// each group's runtime calls (a short input is one group).
void forEachGroup(size_t groups, int threads, const std::function<void(size_t, WorkerTeam*)>& fn) {
    threads = std::max(1, threads);
    const int workers = int(std::clamp<size_t>(groups, 1, size_t(threads)));
    std::atomic<size_t> next{0};
    std::exception_ptr error;
    std::mutex m;
    auto worker = [&] {
        WorkerTeam team(threads / workers);
        for (size_t g; (g = next++) < groups;) {
            try {
                fn(g, &team);
            } catch (...) {
                std::lock_guard<std::mutex> lock(m);
                if (!error) error = std::current_exception();
                next = groups;
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < workers; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

// Steps chunks [c0, c1) of a `size`-byte input through the runtime in
// lockstep. At step t every chunk that still holds a byte t feeds BOS (t = 0)
// or its byte t - 1 (byteAt(position)), then consume(chunk, t, distribution)
// codes its byte t. Rows never mix, so this equals one chunk at a time.
template <class ByteAt, class Consume>
void lockstepChunks(const m1::M1Runtime& rt, WorkerTeam* team, size_t c0, size_t c1, uint64_t size, uint32_t chunkBytes,
                    SharedProgress& ticker, ByteAt byteAt, Consume consume) {
    std::vector<m1::M1Stream> streams;
    for (size_t c = c0; c < c1; ++c) streams.push_back(rt.newStream());
    std::vector<float> probs((c1 - c0) * m1::kVocab);
    for (size_t t = 0;; ++t) {
        std::vector<m1::M1Stream*> rows;
        std::vector<int> tokens;
        std::vector<size_t> which;
        for (size_t c = c0; c < c1; ++c) {
            const uint64_t begin = uint64_t(c) * chunkBytes;
            if (t >= std::min<uint64_t>(size, begin + chunkBytes) - begin) continue;
            rows.push_back(&streams[c - c0]);
            tokens.push_back(t == 0 ? m1::kBos : int(byteAt(begin + t - 1)));
            which.push_back(c);
        }
        if (rows.empty()) return;
        rt.step(rows.data(), tokens.data(), int(rows.size()), probs.data(), team);
        for (size_t i = 0; i < which.size(); ++i) consume(which[i], t, &probs[i * m1::kVocab]);
        ticker.add(which.size());
    }
}

}  // namespace

CoderResult encodeChunkedM1(const uint8_t* data, size_t size, const CodecParams& params, const M1Model& model,
                            const EncodeOptions& options, int threads) {
    params.validate();
    const int precision = params.effectivePrecision();
    const uint64_t k = uint64_t(params.tokenBits);
    const m1::M1Runtime& rt = model.runtime();
    const size_t chunks = (size + params.chunkBytes - 1) / params.chunkBytes;
    std::vector<ChunkOut> out(chunks);
    SharedProgress ticker(options.progress, size);
    const bool trace = options.trace;

    forEachGroup((chunks + kRowsPerGroup - 1) / kRowsPerGroup, threads, [&](size_t g, WorkerTeam* team) {
        const size_t c0 = g * kRowsPerGroup, c1 = std::min(chunks, c0 + kRowsPerGroup);
        std::vector<RangeEncoder> encoders;
        for (size_t c = c0; c < c1; ++c) {
            encoders.emplace_back(out[c].bits);
            if (trace) {
                const size_t n = std::min(size, (c + 1) * size_t(params.chunkBytes)) - c * size_t(params.chunkBytes);
                out[c].cost.resize(n);
                out[c].bitBegin.resize(n);
                out[c].bitEnd.resize(n);
            }
        }
        Cdf cdf;
        lockstepChunks(rt, team, c0, c1, size, params.chunkBytes, ticker, [&](uint64_t i) { return data[i]; },
                       [&](size_t c, size_t t, const float* probs) {
                           ChunkOut& o = out[c];
                           const int x = data[c * size_t(params.chunkBytes) + t];
                           quantizeProbabilities(probs, precision, cdf);
                           if (options.stats || trace) {
                               const double cost = cdf.surprisalBits(x);
                               o.surprisal += cost;
                               if (trace) {
                                   o.cost[t] = float(cost);
                                   o.bitBegin[t] = o.bits.size();
                               }
                           }
                           encoders[c - c0].encode(cdf, x);
                           if (trace) o.bitEnd[t] = o.bits.size();
                       });
        for (size_t c = c0; c < c1; ++c) {
            encoders[c - c0].finish();
            out[c].used = out[c].bits.size();
        }
    });

    // Concatenate the chunks, each padded to whole tokens, exactly as the one-stream path lays them out.
    CoderResult r;
    ByteSink side;
    Trace& tr = r.trace;
    if (trace) tr.startCoderTrace(size, "chunk");
    for (size_t c = 0; c < chunks; ++c) {
        ChunkOut& o = out[c];
        const uint64_t start = r.bits.size();
        for (uint64_t i = 0; i < o.used; ++i) r.bits.put(o.bits.at(i));
        const uint64_t tokens = (o.used + k - 1) / k;
        r.bits.padTo(start + tokens * k);
        side.varint(tokens);
        r.surprisalBits += o.surprisal;
        if (trace) {
            const size_t begin = c * size_t(params.chunkBytes);
            const size_t n = o.cost.size();
            for (size_t i = 0; i < n; ++i) {
                tr.surprisalBits[begin + i] = o.cost[i];
                tr.segmentOfByte[begin + i] = uint32_t(c);
                tr.bitBegin[begin + i] = start + o.bitBegin[i];
                tr.bitEnd[begin + i] = start + o.bitEnd[i];
            }
            tr.closeStream(begin, begin + n, start + o.used);
            tr.segments.push_back({begin, begin + n, start, o.used, tokens * k, -1});
        }
    }
    r.side = std::move(side.data());
    return r;
}

std::vector<uint8_t> decodeChunkedM1(const std::vector<uint8_t>& packed, uint64_t nbits, const CodecParams& params,
                                     uint64_t outputBytes, const std::vector<uint8_t>& side, const M1Model& model,
                                     const ProgressFn& progress, int threads) {
    params.validate();
    const int precision = params.effectivePrecision();
    const uint64_t k = uint64_t(params.tokenBits);
    const m1::M1Runtime& rt = model.runtime();
    const size_t chunks = size_t((outputBytes + params.chunkBytes - 1) / params.chunkBytes);
    // Chunk bit offsets from the side information.
    ByteSource sideIn(side.data(), side.size(), "side information");
    std::vector<uint64_t> starts(chunks + 1, 0);
    for (size_t c = 0; c < chunks; ++c) {
        const uint64_t tokens = sideIn.varint("chunk length");
        if (tokens > (nbits - starts[c]) / k) sideIn.fail("a chunk extends past the end of the bitstream");
        starts[c + 1] = starts[c] + tokens * k;
    }
    if (starts[chunks] != nbits) throw FormatError("corrupted bitstream: bits left over after the last chunk");
    if (sideIn.remaining() != 0) sideIn.fail("unexpected data after the last chunk length");

    std::vector<uint8_t> out(static_cast<size_t>(outputBytes));
    SharedProgress ticker(progress, outputBytes);
    forEachGroup((chunks + kRowsPerGroup - 1) / kRowsPerGroup, threads, [&](size_t g, WorkerTeam* team) {
        const size_t c0 = g * kRowsPerGroup, c1 = std::min(chunks, c0 + kRowsPerGroup);
        std::vector<RangeDecoder> decoders;
        for (size_t c = c0; c < c1; ++c) decoders.emplace_back(packed.data(), starts[c], starts[c + 1]);
        Cdf cdf;
        lockstepChunks(rt, team, c0, c1, outputBytes, params.chunkBytes, ticker, [&](uint64_t i) { return out[i]; },
                       [&](size_t c, size_t t, const float* probs) {
                           quantizeProbabilities(probs, precision, cdf);
                           out[c * size_t(params.chunkBytes) + t] = uint8_t(decoders[c - c0].decode(cdf));
                       });
    });
    return out;
}

std::vector<uint8_t> decodeDistinctWindowsM1(const std::vector<uint8_t>& packed, uint64_t nbits,
                                             const CodecParams& params, uint64_t outputBytes, const M1Model& model,
                                             const ProgressFn& progress, int threads, std::vector<uint64_t>* windowBytes) {
    const int precision = params.effectivePrecision();
    const uint64_t b = uint64_t(params.windowBits);
    const size_t windows = size_t(nbits / b);
    const m1::M1Runtime& rt = model.runtime();
    std::vector<std::vector<uint8_t>> decoded(windows);
    SharedProgress ticker(progress, outputBytes);
    forEachGroup((windows + kWindowsPerGroup - 1) / kWindowsPerGroup, threads, [&](size_t g, WorkerTeam* team) {
        const size_t w0 = g * kWindowsPerGroup, w1 = std::min(windows, w0 + kWindowsPerGroup);
        struct Row {
            m1::M1Stream stream;
            RangeDecoder dec;
            BitString target;
            std::unordered_set<BitString> used;
            bool finished = false;
        };
        std::vector<Row> rows;
        rows.reserve(w1 - w0);
        for (size_t w = w0; w < w1; ++w)
            rows.push_back({rt.newStream(kWindowCacheStart), RangeDecoder(packed.data(), w * b, w * b + b),
                            windowString(packed, w * b, b), {}, false});
        std::vector<float> probs(kWindowsPerGroup * m1::kVocab);
        Cdf cdf;
        for (size_t t = 0;; ++t) {
            std::vector<m1::M1Stream*> active;
            std::vector<int> tokens;
            std::vector<size_t> which;
            for (size_t i = 0; i < rows.size(); ++i) {
                if (rows[i].finished) continue;
                active.push_back(&rows[i].stream);
                tokens.push_back(t == 0 ? m1::kBos : decoded[w0 + i].back());
                which.push_back(i);
            }
            if (active.empty()) break;
            rt.step(active.data(), tokens.data(), int(active.size()), probs.data(), team);
            for (size_t a = 0; a < which.size(); ++a) {
                Row& row = rows[which[a]];
                std::vector<uint8_t>& bytes = decoded[w0 + which[a]];
                const uint64_t start = (w0 + which[a]) * b;
                quantizeProbabilities(&probs[a * m1::kVocab], precision, cdf);
                bytes.push_back(uint8_t(row.dec.decode(cdf)));
                std::optional<BitString> term = distinctTerminator(
                    row.dec.state(), [&](uint64_t i) { return i < b ? bitAt(packed, start + i) : 0u; }, row.used, b);
                if (!term || bytes.size() > outputBytes)
                    throw FormatError("corrupted bitstream: a window's bits match no byte count");
                if (*term == row.target) row.finished = true; else row.used.insert(std::move(*term));
            }
            ticker.add(which.size());
        }
    });
    // Windows must tile the streams: none crosses a stream boundary.
    std::vector<uint8_t> out;
    out.reserve(size_t(outputBytes));
    if (windowBytes) windowBytes->clear();
    for (const auto& bytes : decoded) {
        if (windowBytes) windowBytes->push_back(bytes.size());
        const uint64_t pos = out.size();
        const uint64_t streamEnd = std::min<uint64_t>(outputBytes, (pos / params.chunkBytes + 1) * uint64_t(params.chunkBytes));
        if (bytes.size() > streamEnd - pos) throw FormatError("corrupted bitstream: a window crosses a stream boundary");
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    if (out.size() != outputBytes)
        throw FormatError("corrupted bitstream: decoded " + std::to_string(out.size()) + " bytes, expected " +
                          std::to_string(outputBytes));
    return out;
}

}  // namespace eqlab
