#include "methods/container_stream.h"

#include <QTemporaryFile>
#include <algorithm>

#include "base/binary_io.h"
#include "base/errors.h"
#include "base/hashes.h"
#include "base/input_stream.h"
#include "base/output_file.h"
#include "coding/token_stream.h"
#include "coding/tokens.h"
#include "methods/ac_codec.h"
#include "methods/container.h"
#include "methods/equal_info.h"
#include "methods/gzip_codec.h"

namespace eqlab {

namespace {

// What an output must not be: the input, and any other file the run reads.
std::vector<std::string> inputsOf(const std::string& inPath, const StreamOptions& options) {
    std::vector<std::string> inputs = options.otherInputs;
    inputs.push_back(inPath);
    return inputs;
}

constexpr size_t kCopyPieceBytes = 1 << 20;    // payload bytes copied or read at a time
constexpr uint64_t kWindowBytesGuess = 64;     // eqinfo-ac decoding: frame windows = frame bytes / this
constexpr uint64_t kBytesPerPieceGuess = 4;    // sentencepiece decoding: frame tokens = frame bytes / this
constexpr size_t kMaxHeadReadBytes = 1 << 20;  // a container's head is read in pieces of this: never by its claim

// Frames are cut at whole chunks (ac, static-ac) or streams (eqinfo-ac).
uint64_t frameFor(const CodecParams& p, uint64_t frameBytes) {
    if (!usesRangeCoder(p.method)) return std::max<uint64_t>(1, frameBytes);
    return std::max<uint64_t>(1, frameBytes / p.chunkBytes) * p.chunkBytes;
}

// Whether the method's tokens can be made frame by frame (container_stream.h):
// all but eqinfo-ac's shortest termination.
bool framesWork(const CodecParams& p) {
    return !(p.method == Method::EqualInfoAc && p.termination == CodecParams::Termination::Shortest);
}

void report(const ProgressFn& progress, uint64_t done, uint64_t total) {
    if (progress && !progress(done, total)) throw Cancelled();
}

// The payload while its length is not known yet: a temporary file (removed
// when this goes), then copied behind the header.
class PayloadSpool {
public:
    PayloadSpool() {
        if (!file_.open()) throw IoError("cannot create a temporary file: " + file_.errorString().toStdString());
    }
    void write(const uint8_t* data, size_t size) {
        if (size == 0) return;
        if (file_.write(reinterpret_cast<const char*>(data), qint64(size)) != qint64(size))
            throw IoError("cannot write the temporary file " + file_.fileName().toStdString() + ": " +
                          file_.errorString().toStdString());
        crc_ = crc32Update(crc_, data, size);
        bytes_ += size;
    }
    // Copies everything written to `out`; returns the CRC-32 of it.
    uint32_t copyTo(OutputFile& out) {
        if (!file_.flush() || !file_.seek(0))
            throw IoError("cannot read back the temporary file: " + file_.errorString().toStdString());
        std::vector<uint8_t> buf(kCopyPieceBytes);
        uint64_t left = bytes_;
        while (left > 0) {
            const qint64 n =
                file_.read(reinterpret_cast<char*>(buf.data()), qint64(std::min<uint64_t>(left, buf.size())));
            if (n <= 0) throw IoError("cannot read back the temporary file: " + file_.errorString().toStdString());
            out.write(buf.data(), size_t(n));
            left -= uint64_t(n);
        }
        return crc_;
    }
    uint64_t bytes() const { return bytes_; }

private:
    QTemporaryFile file_;
    uint32_t crc_ = 0;
    uint64_t bytes_ = 0;
};

// The bytes of `pending` that end a sentencepiece segment (methods/sentencepiece_codec.h):
// what can be tokenized before more input is read.
size_t wholeSegments(const std::vector<uint8_t>& pending) {
    size_t pos = 0;
    for (size_t end; (end = sentencePieceSegmentEnd(pending.data() + pos, pending.size() - pos, /*atEnd=*/false)) > 0;)
        pos += end;
    return pos;
}

// The whole input, for the methods coded in memory.
std::vector<uint8_t> readAll(InputStream& in, std::vector<uint8_t> start) {
    std::vector<uint8_t> buf(kCopyPieceBytes);
    for (size_t n; (n = in.read(buf.data(), buf.size())) > 0;) start.insert(start.end(), buf.begin(), buf.begin() + n);
    return start;
}

StreamSummary summaryOf(const Encoded& e, uint64_t tokens, uint64_t containerBytes) {
    return {e.params, e.inputBytes, tokens, e.vocab, containerBytes};
}

}  // namespace

StreamSummary compressStream(const std::string& inPath, const std::string& outPath, const CodecParams& params,
                             const ModelSet& models, const StreamOptions& options) {
    params.validate();
    InputStream in(inPath);
    OutputFile out(outPath, inputsOf(inPath, options));
    const uint64_t total = in.sizeHint();
    EncodeOptions eo;
    eo.stats = false;
    eo.threads = options.threads;

    const uint64_t frame = frameFor(params, options.frameBytes);
    std::vector<uint8_t> buf(static_cast<size_t>(frame));
    size_t n = in.read(buf.data(), buf.size());
    if (n < buf.size() || !framesWork(params)) {
        // One frame holds it all (or frames do not work): what encode() and writeContainer() do.
        buf.resize(n);
        const std::vector<uint8_t> data = n < frame ? std::move(buf) : readAll(in, std::move(buf));
        eo.progress = options.progress;
        const Encoded e = encode(data.data(), data.size(), params, models, eo);
        const std::vector<uint8_t> container = writeContainer(e, models);
        out.write(container);
        out.commit();
        return summaryOf(e, e.tokens.size(), container.size());
    }

    PayloadSpool spool;
    const ByteSinkFn toSpool = [&](const uint8_t* p, size_t size) { spool.write(p, size); };
    Encoded whole;  // everything but the tokens
    whole.params = params;
    uint32_t crc = 0;
    std::vector<uint8_t> sideVarints;  // eqinfo-ac with M1's context outliving a window: per stream window counts
    std::unique_ptr<TokenPacker> packer;
    std::unique_ptr<GzipDeflater> deflater;
    if (params.method == Method::Gzip) deflater = std::make_unique<GzipDeflater>(params.gzipLevel);
    uint64_t tokens = 0;
    // `pending` holds input read but not coded yet: a frame, and for
    // sentencepiece the start of a segment that the next frame completes.
    std::vector<uint8_t> pending(buf.begin(), buf.begin() + std::ptrdiff_t(n));
    crc = crc32Update(crc, buf.data(), n);
    for (;;) {
        const bool last = n < buf.size();
        const size_t take = params.method == Method::SentencePiece && !last ? wholeSegments(pending) : pending.size();
        const uint8_t* data = pending.data();
        if (params.method == Method::Gzip) {
            deflater->feed(data, take, last, toSpool);
        } else if (params.method == Method::Bytes) {
            spool.write(data, take);
            tokens += take;
        } else if (take > 0) {
            const Encoded e = encode(data, take, params, models, eo);
            if (!packer) {
                whole.params = e.params;
                whole.vocab = e.vocab;
                whole.side = e.side;  // eqinfo-ac, distinct windows: the same (empty) side for every frame
                packer = std::make_unique<TokenPacker>(e.storageBits());
                if (params.method != Method::EqualInfoAc) whole.side.clear();
            }
            packer->add(e.tokens, toSpool);
            tokens += e.tokens.size();
            if (usesRangeCoder(params.method) && params.method != Method::EqualInfoAc) {
                whole.side.insert(whole.side.end(), e.side.begin(), e.side.end());  // per chunk varints
            } else if (params.method == Method::EqualInfoAc && params.m1Reset != 1) {
                const std::vector<uint8_t> v = inflateBytes(e.side, params.chunkCount(take) * 10 + 16);
                sideVarints.insert(sideVarints.end(), v.begin(), v.end());
            }
        }
        whole.inputBytes += take;
        pending.erase(pending.begin(), pending.begin() + std::ptrdiff_t(take));
        report(options.progress, whole.inputBytes, total);
        if (last) break;
        n = in.read(buf.data(), buf.size());
        crc = crc32Update(crc, buf.data(), n);
        pending.insert(pending.end(), buf.begin(), buf.begin() + std::ptrdiff_t(n));
    }
    switch (params.method) {
        case Method::Bytes:
            whole.params.tokenBits = 8;
            whole.vocab = 256;
            break;
        case Method::Gzip: {
            // The zlib stream cut into k-bit tokens, the last zero-padded.
            const uint64_t k = uint64_t(params.tokenBits);
            whole.vocab = uint64_t(1) << k;
            tokens = (spool.bytes() * 8 + k - 1) / k;
            const std::vector<uint8_t> pad(size_t((tokens * k + 7) / 8 - spool.bytes()), 0);
            spool.write(pad.data(), pad.size());
            break;
        }
        default:
            if (!packer) throw std::logic_error("compressStream: no frame was coded");
            packer->finish(toSpool);
            if (params.method == Method::EqualInfoAc && params.m1Reset != 1) whole.side = deflateBytes(sideVarints);
            break;
    }
    whole.inputCrc = crc;
    const std::vector<uint8_t> head = writeContainerHead(whole, tokens, models);
    out.write(head);
    ByteSink tail;
    tail.u32(spool.copyTo(out));
    out.write(tail.data());
    out.commit();
    return summaryOf(whole, tokens, head.size() + spool.bytes() + 4);
}

namespace {

// The payload of a container read piece by piece, its CRC-32 kept as it goes.
class PayloadReader {
public:
    PayloadReader(InputStream& in, uint64_t payloadBytes, uint64_t tokenCount, int storageBits)
        : in_(in), left_(payloadBytes), tokensLeft_(tokenCount), unpacker_(storageBits) {}

    // Reads up to `size` raw payload bytes (bytes, gzip); 0 at the end.
    size_t bytes(uint8_t* data, size_t size) {
        const size_t n = size_t(std::min<uint64_t>(size, left_));
        in_.readExactly(data, n, "payload");
        crc_ = crc32Update(crc_, data, n);
        left_ -= n;
        return n;
    }
    // The next `count` tokens (count <= tokens left).
    std::vector<uint32_t> tokens(uint64_t count) {
        if (count > tokensLeft_) throw FormatError("the side information asks for more tokens than the payload holds");
        std::vector<uint32_t> out;
        std::swap(out, carry_);
        std::vector<uint8_t> buf;
        while (out.size() < count) {
            buf.resize(
                size_t(std::min<uint64_t>(kCopyPieceBytes, std::max<uint64_t>(1, (count - out.size()) / 2 + 1))));
            const size_t n = bytes(buf.data(), buf.size());
            if (n == 0) break;
            unpacker_.feed(buf.data(), n, out);
        }
        if (out.size() < count) throw FormatError("the payload ends before its tokens do");
        carry_.assign(out.begin() + std::ptrdiff_t(count), out.end());
        out.resize(size_t(count));
        tokensLeft_ -= count;
        return out;
    }
    uint64_t tokensLeft() const { return tokensLeft_; }
    // Reads what is left of the payload (padding), then checks its CRC-32 and
    // that nothing follows. A second call does nothing.
    void finish() {
        if (finished_) return;
        finished_ = true;
        std::vector<uint8_t> buf(kCopyPieceBytes);
        while (bytes(buf.data(), buf.size()) > 0) {
        }
        uint8_t stored[4];
        in_.readExactly(stored, 4, "payload checksum");
        ByteSource s(stored, 4, "eqlab container");
        if (s.u32("payload checksum") != crc_) s.fail("payload checksum mismatch: the tokens are corrupted");
        uint8_t extra;
        if (in_.read(&extra, 1) != 0) s.fail("unexpected bytes after the end of the container");
    }

private:
    InputStream& in_;
    uint64_t left_, tokensLeft_;
    TokenUnpacker unpacker_;
    std::vector<uint32_t> carry_;  // tokens unpacked beyond the last request
    uint32_t crc_ = 0;
    bool finished_ = false;
};

// Where decoded bytes go: the output, the running CRC-32 and length, the progress.
class DecodedSink {
public:
    DecodedSink(OutputFile& out, uint64_t expected, const ProgressFn& progress)
        : out_(out), expected_(expected), progress_(progress) {}
    void write(const uint8_t* data, size_t size) {
        if (size > expected_ - bytes_)
            throw FormatError("corrupted container: it decodes to more than its " + std::to_string(expected_) +
                              " bytes");
        out_.write(data, size);
        crc_ = crc32Update(crc_, data, size);
        bytes_ += size;
        report(progress_, bytes_, expected_);
    }
    void write(const std::vector<uint8_t>& data) { write(data.data(), data.size()); }
    uint64_t bytes() const { return bytes_; }
    uint32_t crc() const { return crc_; }

private:
    OutputFile& out_;
    uint64_t expected_;
    const ProgressFn& progress_;
    uint64_t bytes_ = 0;
    uint32_t crc_ = 0;
};

// ac, static-ac: frames of whole chunks, each chunk's tokens from the side information.
void decodeChunkFrames(const Encoded& e, const ByteModel& model, PayloadReader& payload, DecodedSink& sink,
                       const StreamOptions& options) {
    const CodecParams& p = e.params;
    ByteSource side(e.side.data(), e.side.size(), "side information");
    const uint64_t chunks = p.chunkCount(e.inputBytes);
    const uint64_t perFrame = frameFor(p, options.frameBytes) / p.chunkBytes;
    for (uint64_t c = 0; c < chunks; c += perFrame) {
        const uint64_t count = std::min(perFrame, chunks - c);
        ByteSink frameSide;
        uint64_t frameTokens = 0;
        for (uint64_t i = 0; i < count; ++i) {
            const uint64_t t = side.varint("chunk length");
            frameSide.varint(t);
            frameTokens += t;
        }
        const uint64_t begin = c * p.chunkBytes;
        const uint64_t bytes = p.chunkEnd(begin + (count - 1) * p.chunkBytes, e.inputBytes) - begin;
        const std::vector<uint32_t> tokens = payload.tokens(frameTokens);
        if (p.chunkBytes > options.frameBytes) {
            // A chunk longer than a frame: its bytes go on as they are decoded.
            decodeChunkTo(tokensToBits(tokens, p.tokenBits), frameTokens * uint64_t(p.tokenBits), p, bytes, model,
                          [&](const uint8_t* d, size_t size) { sink.write(d, size); });
            continue;
        }
        sink.write(decodeChunks(tokensToBits(tokens, p.tokenBits), frameTokens * uint64_t(p.tokenBits), p, bytes,
                                frameSide.data(), model, {}, options.threads));
    }
}

// eqinfo-ac, distinct windows, M1 reset every window: frames of whole windows.
void decodeWindowFrames(const Encoded& e, const ByteModel& model, PayloadReader& payload, DecodedSink& sink,
                        const StreamOptions& options) {
    const CodecParams& p = e.params;
    const uint64_t tokensPerWindow = uint64_t(p.windowBits / p.tokenBits);
    const uint64_t perFrame = std::max<uint64_t>(1, options.frameBytes / kWindowBytesGuess);
    while (payload.tokensLeft() > 0) {
        const uint64_t windows = std::min(perFrame, payload.tokensLeft() / tokensPerWindow);
        if (windows == 0) throw FormatError("corrupted bitstream: not a whole number of windows");
        const std::vector<uint32_t> tokens = payload.tokens(windows * tokensPerWindow);
        sink.write(decodeDistinctWindowRun(tokensToBits(tokens, p.tokenBits), windows * uint64_t(p.windowBits), p,
                                           sink.bytes(), e.inputBytes, model, {}, options.threads));
    }
}

// eqinfo-ac, M1's context outliving a window: frames of whole streams, their
// window counts from the side information.
void decodeStreamFrames(const Encoded& e, const ByteModel& model, PayloadReader& payload, DecodedSink& sink,
                        const StreamOptions& options) {
    const CodecParams& p = e.params;
    const uint64_t streams = p.chunkCount(e.inputBytes);
    const uint64_t windowsHeld = payload.tokensLeft() * uint64_t(p.tokenBits) / uint64_t(p.windowBits);
    // Every stream holds at least one window: refused before the side information is inflated.
    if (streams > windowsHeld) throw FormatError("corrupted bitstream: fewer windows than streams");
    const std::vector<uint64_t> counts = readStreamWindowsSide(e.side, streams);
    const uint64_t tokensPerWindow = uint64_t(p.windowBits / p.tokenBits);
    const uint64_t perFrame = frameFor(p, options.frameBytes) / p.chunkBytes;
    for (uint64_t s = 0; s < streams; s += perFrame) {
        const uint64_t count = std::min(perFrame, streams - s);
        uint64_t windows = 0;
        for (uint64_t i = s; i < s + count; ++i) {
            if (counts[i] > windowsHeld)
                throw FormatError("corrupted side information: a stream's window count is out of range");
            windows += counts[i];
        }
        const std::vector<uint64_t> frameCounts(counts.begin() + std::ptrdiff_t(s),
                                                counts.begin() + std::ptrdiff_t(s + count));
        const uint64_t begin = s * p.chunkBytes;
        const uint64_t bytes = p.chunkEnd(begin + (count - 1) * p.chunkBytes, e.inputBytes) - begin;
        const std::vector<uint32_t> tokens = payload.tokens(windows * tokensPerWindow);
        sink.write(decodeEqualInfo(tokensToBits(tokens, p.tokenBits), windows * uint64_t(p.windowBits), p, bytes,
                                   streamWindowsSide(frameCounts), model, {}, options.threads));
    }
}

// sentencepiece: the pieces' text, unescaped up to an escape the next frame may complete.
void decodePieceFrames(const SentencePieceModel& sp, PayloadReader& payload, DecodedSink& sink,
                       const StreamOptions& options) {
    const uint64_t perFrame = std::max<uint64_t>(1, options.frameBytes / kBytesPerPieceGuess);
    std::string text;
    while (payload.tokensLeft() > 0) {
        text += sp.decodeEscaped(payload.tokens(std::min(perFrame, payload.tokensLeft())));
        const size_t cut = completeEscapedPrefix(text);
        sink.write(unescapeFromSentencePiece(text.substr(0, cut)));
        text.erase(0, cut);
    }
    sink.write(unescapeFromSentencePiece(text));
}

// bytes, gzip: the payload bytes themselves, or inflated as they come.
void decodeByteFrames(const Encoded& e, PayloadReader& payload, DecodedSink& sink) {
    std::vector<uint8_t> buf(kCopyPieceBytes);
    if (e.params.method == Method::Bytes) {
        for (size_t n; (n = payload.bytes(buf.data(), buf.size())) > 0;) sink.write(buf.data(), n);
        return;
    }
    GzipInflater inflater(e.inputBytes);
    for (size_t n; !inflater.finished() && (n = payload.bytes(buf.data(), buf.size())) > 0;)
        inflater.feed(buf.data(), n, [&](const uint8_t* p, size_t size) { sink.write(p, size); });
    if (!inflater.finished()) throw FormatError("corrupted gzip stream: incomplete");
}

}  // namespace

uint64_t decompressStream(const std::string& inPath, const std::string& outPath,
                          const std::function<std::shared_ptr<ByteModel>()>& loadM1, const StreamOptions& options) {
    InputStream in(inPath);
    // The head, read in pieces: a forged header length costs what the file holds, not what it claims.
    std::vector<uint8_t> head(kContainerPreambleBytes);
    ContainerHead h;
    try {
        head.resize(in.read(head.data(), head.size()));
        const size_t headBytes = containerHeadBytes(head.data(), head.size());
        while (head.size() < headBytes) {
            const size_t at = head.size();
            head.resize(std::min(headBytes, at + kMaxHeadReadBytes));
            in.readExactly(head.data() + at, head.size() - at, "header");
        }
        h = readContainerHead(head.data(), head.size());
    } catch (const FormatError& e) {
        throw FormatError(inPath + ": " + e.what());
    }
    std::vector<uint8_t>().swap(head);
    const Container& c = h.container;
    const Encoded& e = c.encoded;
    const ModelSet models = c.models(loadM1);
    // Opened once the header and model are known good: a file that is no container touches no output.
    OutputFile out(outPath, inputsOf(inPath, options));
    PayloadReader payload(in, h.payloadBytes, h.tokenCount, e.storageBits());
    DecodedSink sink(out, e.inputBytes, options.progress);
    try {
        const Method m = e.params.method;
        if (!framesWork(e.params)) {
            Encoded whole = e;
            whole.tokens = payload.tokens(h.tokenCount);
            payload.finish();  // the CRC before decoding: damaged tokens are refused as such
            sink.write(decode(whole, models, options.progress, options.threads));
        } else if (m == Method::Bytes || m == Method::Gzip) {
            decodeByteFrames(e, payload, sink);
        } else if (m == Method::SentencePiece) {
            decodePieceFrames(*models.sentencePiece, payload, sink, options);
        } else if (m != Method::EqualInfoAc) {
            decodeChunkFrames(e, *models.byteModel, payload, sink, options);
        } else if (e.params.m1Reset == 1) {
            if (!e.side.empty() && inflateBytes(e.side, 16).size() != 0)
                throw FormatError("corrupted side information: distinct windows need none");
            decodeWindowFrames(e, *models.byteModel, payload, sink, options);
        } else {
            decodeStreamFrames(e, *models.byteModel, payload, sink, options);
        }
        const bool byteFrames = m == Method::Bytes || m == Method::Gzip;  // read the payload as bytes, not tokens
        if (!byteFrames && payload.tokensLeft() != 0)
            throw FormatError("corrupted bitstream: tokens left over after the output");
        payload.finish();
        if (sink.bytes() != e.inputBytes)
            throw FormatError("decoded " + std::to_string(sink.bytes()) + " bytes, expected " +
                              std::to_string(e.inputBytes));
        if (sink.crc() != e.inputCrc)
            throw FormatError("the decoded data does not match the original's CRC-32: wrong model or corrupted data");
    } catch (const FormatError& err) {
        const std::string where = inPath + ": " + err.what();
        if (out.inPlace() && out.bytesWritten() > 0)
            throw FormatError(where + " (the " + std::to_string(out.bytesWritten()) + " bytes already written to " +
                              outPath + " are not the original)");
        throw FormatError(where);
    }
    out.commit();
    return sink.bytes();
}

}  // namespace eqlab
