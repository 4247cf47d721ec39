#include "methods/gzip_codec.h"

#include <zlib.h>

#include <climits>

#include "base/errors.h"

namespace eqlab {

namespace {

constexpr int kZlibWindowBits = 15;  // zlib format, 32 KiB window: what compress2 writes
constexpr int kZlibMemLevel = 8;     // zlib's default

// Bit position in the compressed stream and byte position in the output at a
// DEFLATE block boundary.
struct Boundary {
    uint64_t bit;
    uint64_t byte;
};

std::vector<Boundary> blockBoundaries(const std::vector<uint8_t>& stream, uint64_t outputBytes) {
    std::vector<Boundary> out{{16, 0}};  // the deflate data starts after the 2-byte header
    std::vector<uint8_t> sink(std::max<uint64_t>(outputBytes, 1));
    z_stream z{};
    if (inflateInit(&z) != Z_OK) throw Error("zlib: inflateInit failed");
    z.next_in = const_cast<Bytef*>(stream.data());
    z.avail_in = uInt(stream.size());
    z.next_out = sink.data();
    z.avail_out = uInt(sink.size());
    for (;;) {
        int rc = inflate(&z, Z_BLOCK);
        if (rc == Z_STREAM_END) {
            // The last block ends where the 4-byte Adler-32 footer begins (byte aligned).
            const uint64_t endBit = (uint64_t(z.total_in) - 4) * 8;
            if (out.empty() || out.back().byte < z.total_out) out.push_back({endBit, uint64_t(z.total_out)});
            break;
        }
        if (rc != Z_OK) {
            inflateEnd(&z);
            throw Error("zlib: cannot re-read its own stream");
        }
        if (z.data_type & 128)  // stopped at a block boundary (or just after the header)
            out.push_back({uint64_t(z.total_in) * 8 - uint64_t(z.data_type & 7), uint64_t(z.total_out)});
    }
    inflateEnd(&z);
    return out;
}

}  // namespace

GzipResult gzipEncode(const uint8_t* data, size_t size, int level, bool wantTrace) {
    if (size > UINT_MAX / 2) throw InvalidArgument("gzip: input too large for one zlib call");
    GzipResult r;
    uLongf bound = compressBound(uLong(size));
    r.stream.resize(bound);
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, kZlibWindowBits, kZlibMemLevel, Z_DEFAULT_STRATEGY) != Z_OK)
        throw InvalidArgument("gzip: invalid compression level " + std::to_string(level));
    z.next_in = const_cast<Bytef*>(data);
    z.avail_in = uInt(size);
    z.next_out = r.stream.data();
    z.avail_out = uInt(r.stream.size());
    int rc = deflate(&z, Z_FINISH);
    r.stream.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw Error("zlib: deflate failed");

    if (wantTrace) {
        Trace& t = r.trace;
        t.alignment = Alignment::DeflateBlock;
        t.segmentKind = "block";
        t.bitBegin.resize(size);
        t.bitEnd.resize(size);
        t.segmentOfByte.resize(size);
        std::vector<Boundary> bounds = blockBoundaries(r.stream, size);
        // Consecutive boundaries delimit blocks; blocks that produce no bytes
        // (header, empty final block) are folded into their neighbours.
        for (size_t j = 0; j + 1 < bounds.size(); ++j) {
            const Boundary& a = bounds[j];
            const Boundary& c = bounds[j + 1];
            if (c.byte == a.byte) continue;
            Segment s{a.byte, c.byte, a.bit, c.bit - a.bit, c.bit - a.bit, -1};
            for (uint64_t i = a.byte; i < c.byte; ++i) {
                t.bitBegin[i] = a.bit;
                t.bitEnd[i] = c.bit;
                t.segmentOfByte[i] = uint32_t(t.segments.size());
            }
            t.segments.push_back(s);
        }
    }
    return r;
}

namespace {

constexpr size_t kStreamPieceBytes = 1 << 16;  // zlib's output buffer per call when streaming

}  // namespace

struct GzipDeflater::Impl {
    z_stream z{};
};

GzipDeflater::GzipDeflater(int level) : impl_(std::make_unique<Impl>()) {
    if (deflateInit2(&impl_->z, level, Z_DEFLATED, kZlibWindowBits, kZlibMemLevel, Z_DEFAULT_STRATEGY) != Z_OK)
        throw InvalidArgument("gzip: invalid compression level " + std::to_string(level));
}

GzipDeflater::~GzipDeflater() {
    deflateEnd(&impl_->z);
}

void GzipDeflater::feed(const uint8_t* data, size_t size, bool last, const ByteSinkFn& sink) {
    z_stream& z = impl_->z;
    uint8_t out[kStreamPieceBytes];
    z.next_in = const_cast<Bytef*>(data);
    z.avail_in = uInt(size);
    for (;;) {
        z.next_out = out;
        z.avail_out = sizeof out;
        const int rc = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
        if (rc == Z_STREAM_ERROR) throw Error("zlib: deflate failed");
        if (sizeof out - z.avail_out) sink(out, sizeof out - z.avail_out);
        if (last ? rc == Z_STREAM_END : (z.avail_in == 0 && z.avail_out != 0)) break;
    }
}

struct GzipInflater::Impl {
    z_stream z{};
    uint64_t maxBytes = 0;
    bool finished = false;
};

GzipInflater::GzipInflater(uint64_t maxBytes) : impl_(std::make_unique<Impl>()) {
    if (inflateInit(&impl_->z) != Z_OK) throw Error("zlib: inflateInit failed");
    impl_->maxBytes = maxBytes;
}

GzipInflater::~GzipInflater() {
    inflateEnd(&impl_->z);
}

void GzipInflater::feed(const uint8_t* data, size_t size, const ByteSinkFn& sink) {
    z_stream& z = impl_->z;
    uint8_t out[kStreamPieceBytes];
    z.next_in = const_cast<Bytef*>(data);
    z.avail_in = uInt(size);
    if (impl_->finished) return;
    do {
        z.next_out = out;
        z.avail_out = sizeof out;
        const int rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            throw FormatError(std::string("corrupted gzip stream: ") + (z.msg ? z.msg : "inflate failed"));
        const size_t n = sizeof out - z.avail_out;
        if (uint64_t(z.total_out) > impl_->maxBytes)
            throw FormatError("corrupted gzip stream: it inflates to more than the container's " +
                              std::to_string(impl_->maxBytes) + " bytes");
        if (n) sink(out, n);
        impl_->finished = rc == Z_STREAM_END;
        if (rc == Z_BUF_ERROR) break;  // needs more input
    } while (!impl_->finished && (z.avail_in != 0 || z.avail_out == 0));
}

bool GzipInflater::finished() const {
    return impl_->finished;
}

uint64_t GzipInflater::produced() const {
    return impl_->z.total_out;
}

std::vector<uint8_t> gzipDecode(const std::vector<uint8_t>& stream, uint64_t outputBytes) {
    // The output grows as the stream inflates, never to what the container claims up front.
    std::vector<uint8_t> out;
    GzipInflater inflater(outputBytes);
    inflater.feed(stream.data(), stream.size(), [&](const uint8_t* p, size_t n) { out.insert(out.end(), p, p + n); });
    if (!inflater.finished()) throw FormatError("corrupted gzip stream: incomplete or too long");
    if (out.size() != outputBytes)
        throw FormatError("corrupted gzip stream: it inflates to " + std::to_string(out.size()) +
                          " bytes, the container says " + std::to_string(outputBytes));
    return out;
}

std::vector<uint8_t> deflateBytes(const std::vector<uint8_t>& data) {
    uLongf len = compressBound(uLong(data.size()));
    std::vector<uint8_t> out(len);
    if (compress2(out.data(), &len, data.data(), uLong(data.size()), Z_BEST_COMPRESSION) != Z_OK)
        throw Error("zlib: compress failed");
    out.resize(len);
    return out;
}

std::vector<uint8_t> inflateBytes(const std::vector<uint8_t>& data, uint64_t maxBytes) {
    std::vector<uint8_t> out;
    z_stream z{};
    if (inflateInit(&z) != Z_OK) throw Error("zlib: inflateInit failed");
    z.next_in = const_cast<Bytef*>(data.data());
    z.avail_in = uInt(data.size());
    uint8_t buf[1 << 14];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = buf;
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.insert(out.end(), buf, buf + (sizeof buf - z.avail_out));
        if (out.size() > maxBytes) rc = Z_DATA_ERROR;
        if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) rc = Z_BUF_ERROR;  // truncated
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) throw FormatError("side information is corrupted");
    return out;
}

}  // namespace eqlab
