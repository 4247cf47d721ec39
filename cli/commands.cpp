#include "commands.h"

#include <c10/util/Exception.h>
#include <unistd.h>
#include <zlib.h>

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>

#include "analysis/analyze.h"
#include "analysis/json_report.h"
#include "analysis/paper_figures.h"
#include "base/binary_io.h"
#include "base/errors.h"
#include "base/file_io.h"
#include "base/json_writer.h"
#include "base/output_file.h"
#include "bench_input.h"
#include "bench_latency.h"
#include "bench_phases.h"
#include "cli_common.h"
#include "methods/codec.h"
#include "methods/container.h"
#include "methods/container_stream.h"
#include "methods/default_models.h"
#include "models/m1_byte_model.h"
#include "models/model_files.h"
#include "models/unigram_model.h"
#include "nn/m1_train_args.h"
#include "nn/m1_trainer.h"
#include "nn/process_group.h"
#include "nn/torch_tuning.h"
#include "step_command.h"
#include "study_commands.h"

namespace eqlab::cli {

namespace {

constexpr int kDefaultBenchMegabytes = 8;  // bench input size

ModelSet modelsFor(const CodecParams& params, const QString& modelPath) {
    std::string note;
    ModelSet set = loadModelsFor(params.method, modelPath.toStdString(), &note);
    if (!note.empty()) err("note: " + note);
    return set;
}

int cmdCompress(const QStringList& args) {
    QCommandLineParser p;
    CodecOptions o;
    o.add(p);
    if (!parseOrThrow(p, args, 2, "eqlab-cli compress -m METHOD [-b BITS] [-k TOKEN_BITS] [--model FILE] IN OUT"))
        return 0;
    const CodecParams params = o.params(p);
    const ModelSet models = modelsFor(params, p.value(o.model));
    const std::string in = p.positionalArguments()[0].toStdString();
    StreamOptions so;
    so.threads = threadsOf(p, o.threads);
    if (!p.value(o.model).isEmpty()) so.otherInputs.push_back(p.value(o.model).toStdString());
    so.progress = stderrProgress("compress", in == "-" ? 0 : uint64_t(QFileInfo(QString::fromStdString(in)).size()));
    // Frame by frame: memory stays bounded whatever the input's length (methods/container_stream.h).
    const StreamSummary s = compressStream(in, p.positionalArguments()[1].toStdString(), params, models, so);
    const double bits = double(s.tokens) * std::log2(double(s.vocab));
    char line[256];
    std::snprintf(line, sizeof line,
                  "%s: %llu bytes -> %llu tokens (%.3f bytes/token, %.3f bits/byte), container %llu bytes",
                  s.params.label().c_str(), (unsigned long long)s.inputBytes, (unsigned long long)s.tokens,
                  s.tokens ? double(s.inputBytes) / double(s.tokens) : 0.0,
                  s.inputBytes ? bits / double(s.inputBytes) : 0.0, (unsigned long long)s.containerBytes);
    err(line);
    return 0;
}

int cmdDecompress(const QStringList& args) {
    QCommandLineParser p;
    QCommandLineOption model{"model", "M1 weights file, when the container needs one that is not bundled.", "FILE"};
    QCommandLineOption threads{"threads", "Worker threads where chunks are independent.", "N", "1"};
    p.addOption(model);
    p.addOption(threads);
    if (!parseOrThrow(p, args, 2, "eqlab-cli decompress [--model FILE] IN OUT")) return 0;
    const std::string in = p.positionalArguments()[0].toStdString();
    const QString modelPath = p.value(model);
    StreamOptions so;
    so.threads = threadsOf(p, threads);
    if (!modelPath.isEmpty()) so.otherInputs.push_back(modelPath.toStdString());
    so.progress = stderrProgress("decompress", in == "-" ? 0 : uint64_t(QFileInfo(QString::fromStdString(in)).size()));
    // Frame by frame, the header's claims checked against its payload first (methods/container_stream.h).
    decompressStream(
        in, p.positionalArguments()[1].toStdString(),
        [&]() -> std::shared_ptr<ByteModel> {
            const std::string path = modelPath.isEmpty() ? defaultM1Path() : modelPath.toStdString();
            return std::shared_ptr<ByteModel>(loadByteModel(path));
        },
        so);
    return 0;
}

int cmdAnalyze(const QStringList& args) {
    QCommandLineParser p;
    CodecOptions o;
    o.add(p);
    QCommandLineOption json{"json", "Print one JSON object."};
    QCommandLineOption trace{"trace", "Include the trace arrays (per byte, per window, per token)."};
    p.addOption(json);
    p.addOption(trace);
    if (!parseOrThrow(p, args, 1, "eqlab-cli analyze -m METHOD [...] [--json] [--trace] IN")) return 0;
    AnalyzeOptions ao;
    ao.params = o.params(p);
    const std::vector<uint8_t> data = readFile(p.positionalArguments()[0].toStdString());
    ao.modelPath = p.value(o.model).toStdString();
    ao.trace = p.isSet(trace);
    ao.checkRoundTrip = false;  // the report is about encoding; compress/decompress test the round trip
    ao.threads = threadsOf(p, o.threads);
    if (data.size() >= kProgressMinBytes) ao.progress = stderrStatus("analyze");
    const Analysis a = analyze(data.data(), data.size(), ao);
    if (!a.note.empty()) err("note: " + a.note);
    if (p.isSet(json)) {
        // Streamed: a trace as a QJsonDocument tree costs ~1.5 KB of memory per input byte.
        OutputFile out("-");
        JsonWriter w([&out](const char* data, size_t size) { out.write(reinterpret_cast<const uint8_t*>(data), size); },
                     /*indentDepth=*/2);
        writeAnalysisJson(w, a.encoded, a.modelName, a.encodeSeconds, p.isSet(trace));
        out.commit();
    } else {
        const QJsonObject report = analysisJson(a.encoded, a.modelName, a.encodeSeconds, /*withTrace=*/false);
        for (auto it = report.begin(); it != report.end(); ++it) {
            QString v = it.value().isString() ? it.value().toString()
                        : it.value().isNull() ? "-"
                                              : QString::number(it.value().toDouble(), 'g', 8);
            std::printf("%-22s %s\n", it.key().toUtf8().constData(), v.toUtf8().constData());
        }
    }
    return 0;
}

int cmdInfo(const QStringList& args) {
    QCommandLineParser p;
    if (!parseOrThrow(p, args, 1, "eqlab-cli info FILE")) return 0;
    const std::string path = p.positionalArguments()[0].toStdString();
    const std::vector<uint8_t> bytes = readFile(path);
    QJsonObject o;
    o["file"] = QString::fromStdString(path);
    o["file_bytes"] = double(bytes.size());
    if (looksLikeContainer(bytes.data(), bytes.size())) {
        const Container c = readContainer(bytes.data(), bytes.size());
        const Encoded& e = c.encoded;
        o["kind"] = "eqlab container";
        o["format_version"] = kContainerVersion;
        o["method"] = QString::fromStdString(e.params.label());
        o["original_bytes"] = double(e.inputBytes);
        o["original_crc32"] = QString::number(e.inputCrc, 16);
        o["tokens"] = double(e.tokens.size());
        o["vocab"] = double(e.vocab);
        o["side_info_bytes"] = double(e.side.size());
        o["model_kind"] = QString::fromStdString(containerModelName(c.modelKind));
        o["model_name"] = QString::fromStdString(c.modelName);
        o["model_hash"] = QString::fromStdString(c.modelHash);
        if (usesRangeCoder(e.params.method)) {
            o["precision"] = e.params.effectivePrecision();
            o["chunk_bytes"] = double(e.params.chunkBytes);
        }
    } else if (bytes.size() >= 4 && std::memcmp(bytes.data(), "EQUG", 4) == 0) {
        const UnigramModel m = UnigramModel::deserialize(bytes.data(), bytes.size());
        uint64_t total = 0;
        for (uint64_t c : m.counts()) total += c;
        o["kind"] = "unigram model";
        o["name"] = QString::fromStdString(m.name());
        o["version"] = int(UnigramModel::kVersion);
        o["bytes_counted"] = double(total);
        o["hash"] = QString::fromStdString(m.hash());
    } else if (m1::isM1File(bytes.data(), bytes.size())) {
        const m1::M1Weights w = m1::M1Weights::deserialize(bytes.data(), bytes.size());
        o["kind"] = "M1 weights";
        o["version"] = int(m1::kWeightsVersion);
        o["config"] = QString::fromStdString(w.config.describe());
        o["non_embedding_params"] = double(w.config.nonEmbeddingParams());
        o["flops_per_byte"] = w.config.flopsPerByte();
        o["steps"] = double(w.provenance.steps);
        o["seed"] = double(w.provenance.seed);
        o["valid_bits_per_byte"] = w.provenance.validBitsPerByte;
        o["bytes_seen"] = double(w.provenance.bytesSeen);
        o["train_seconds"] = w.provenance.trainSeconds;
        o["corpus"] = QString::fromStdString(w.provenance.corpusName);
        o["corpus_id"] = QString::fromStdString(w.provenance.corpusHash);
        o["note"] = QString::fromStdString(w.provenance.note);
        o["hash"] = QString::fromStdString(m1WeightsHash(w, w.provenance.numericsVersion));
        o["numerics_version"] = m1::kNumericsVersion;
        o["oldest_numerics_version"] = m1::kOldestNumericsVersion;
        o["stamped_numerics_version"] = w.provenance.numericsVersion;
    } else {
        try {
            const SentencePieceModel m = SentencePieceModel::fromSerialized(bytes);
            o["kind"] = "sentencepiece model";
            o["vocab"] = m.vocabSize();
            o["hash"] = QString::fromStdString(m.hash());
        } catch (const FormatError&) {
            throw FormatError(path + ": not a file eqlab knows (container, unigram, M1 or SentencePiece model)");
        }
    }
    printJson(QJsonDocument(o));
    return 0;
}

int cmdFitUnigram(const QStringList& args) {
    QCommandLineParser p;
    QCommandLineOption name{"name", "Name stored in the model (default: the corpus file name).", "NAME"};
    p.addOption(name);
    if (!parseOrThrow(p, args, 2, "eqlab-cli fit-unigram CORPUS OUT")) return 0;
    const QString corpus = p.positionalArguments()[0];
    const std::vector<uint8_t> data = readFile(corpus.toStdString());
    const QString n = p.isSet(name) ? p.value(name) : corpus.section('/', -1);
    UnigramModel::fit(data.data(), data.size(), n.toStdString()).save(p.positionalArguments()[1].toStdString());
    err("fit-unigram: " + std::to_string(data.size()) + " bytes counted");
    return 0;
}

// Re-stamps an M1 model for this eqlab's runtime numerics: the tensors stay
// as they are, and new containers are coded under the new numerics.
// Containers coded with the model before still decode with it while the
// runtime computes their version (M1Model::withHash); an eqlab older than
// the new version refuses the re-stamped model.
int cmdStampM1(const QStringList& args) {
    QCommandLineParser p;
    if (!parseOrThrow(p, args, 2, "eqlab-cli stamp-m1 MODEL OUT")) return 0;
    m1::M1Weights w = m1::M1Weights::load(p.positionalArguments()[0].toStdString());
    const int was = w.provenance.numericsVersion;
    w.provenance.numericsVersion = m1::kNumericsVersion;
    writeFile(p.positionalArguments()[1].toStdString(), w.serialize());
    const bool stillDecode = m1::computesNumerics(was);
    err("stamp-m1: numerics version " + std::to_string(was) + " -> " + std::to_string(m1::kNumericsVersion) +
        (was == m1::kNumericsVersion ? " (unchanged)"
         : stillDecode
             ? ": containers coded with it before still decode (this eqlab computes both); eqlab builds older than "
               "version " +
                   std::to_string(m1::kNumericsVersion) + " refuse the new file"
             : ": containers coded with it before do not decode"));
    return 0;
}

int cmdTrainSp(const QStringList& args) {
    QCommandLineParser p;
    QCommandLineOption vocab{"vocab", "Vocabulary size (at least 260).", "N", "4096"};
    QCommandLineOption type{"type", "unigram (default) or bpe.", "TYPE", "unigram"};
    p.addOption(vocab);
    p.addOption(type);
    if (!parseOrThrow(p, args, 2, "eqlab-cli train-sp CORPUS OUT --vocab N")) return 0;
    const std::string t = p.value(type).toStdString();
    if (t != "unigram" && t != "bpe") throw InvalidArgument("--type must be unigram or bpe");
    SentencePieceModel::train(p.positionalArguments()[0].toStdString(), p.positionalArguments()[1].toStdString(),
                              CodecOptions::toInt(p, vocab), t);
    return 0;
}

// ---- paper -----------------------------------------------------------------

int cmdPaper(const QStringList& args) {
    QCommandLineParser p;
    QCommandLineOption json{"json", "Print a JSON array, one object per method."};
    p.addOption(json);
    if (!parseOrThrow(p, args, 0, "eqlab-cli paper [--json]")) return 0;
    // 0 marks a figure the paper does not give: null in JSON, "-" in the table.
    auto value = [](double v) { return v > 0 ? QJsonValue(v) : QJsonValue(QJsonValue::Null); };
    auto cell = [](double v) { return v > 0 ? QString::number(v, 'f', 3) : QString("-"); };
    QJsonArray out;
    if (!p.isSet(json)) {
        std::printf(
            "| method | b | bytes/token v=256 | v=65536 | uniform bits/byte | M2 bits/byte v=256 | v=65536 | learnable "
            "|\n");
        std::printf("|---|---|---|---|---|---|---|---|\n");
    }
    for (const PaperFigure& f : paperFigures()) {
        const QString name = QString::fromStdString(methodName(f.method));
        if (p.isSet(json)) {
            QJsonObject o;
            o["method"] = name;
            o["window_bits"] = f.windowBits > 0 ? QJsonValue(f.windowBits) : QJsonValue(QJsonValue::Null);
            o["bytes_per_token_v256"] = value(f.bytesPerToken256);
            o["bytes_per_token_v65536"] = value(f.bytesPerToken65k);
            o["uniform_bits_per_byte"] = value(f.uniformBitsPerByte);
            o["m2_bits_per_byte_v256"] = value(f.m2BitsPerByte256);
            o["m2_bits_per_byte_v65536"] = value(f.m2BitsPerByte65k);
            o["learnable"] = f.learnable;
            out.append(o);
        } else {
            std::printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", qPrintable(name),
                        f.windowBits > 0 ? qPrintable(QString::number(f.windowBits)) : "-",
                        qPrintable(cell(f.bytesPerToken256)), qPrintable(cell(f.bytesPerToken65k)),
                        qPrintable(cell(f.uniformBitsPerByte)), qPrintable(cell(f.m2BitsPerByte256)),
                        qPrintable(cell(f.m2BitsPerByte65k)), f.learnable ? "yes" : "no");
        }
    }
    if (p.isSet(json)) printJson(QJsonDocument(out));
    return 0;
}

// ---- train-m1 --------------------------------------------------------------

int cmdTrainM1(const QStringList& args) {
    QCommandLineParser p;
    // The options are m1_train_args.h's, shared with eqlab-train-m1; Qt only tokenises.
    std::vector<QCommandLineOption> options;
    for (const m1::TrainM1Option& o : m1::trainM1Options())
        options.emplace_back(QString::fromStdString(o.name), QString::fromStdString(o.help),
                             QString::fromStdString(o.valueName));
    for (const QCommandLineOption& o : options) p.addOption(o);
    if (!parseOrThrow(p, args, 0, QString("eqlab-cli train-m1 ") + m1::kTrainM1Usage)) return 0;
    m1::TrainM1Args parsed = m1::trainM1ArgsFrom([&](const std::string& name) -> std::optional<std::string> {
        const QString n = QString::fromStdString(name);
        if (!p.isSet(n)) return std::nullopt;
        return p.value(n).toStdString();
    });
    const m1::M1Config& c = parsed.config;
    m1::TrainOptions& o = parsed.options;
    o.note = "eqlab-cli " + args.mid(1).join(' ').toStdString();
    o.group = nn::joinLaunchedGroup(o.distTimeoutSeconds);  // launched by torchrun or Slurm: data parallel
    if (!o.group || o.group->rank() == 0)
        std::fprintf(stderr, "train-m1: %s, %.2fM non-embedding parameters, %s\n", c.describe().c_str(),
                     double(c.nonEmbeddingParams()) / 1e6,
                     o.resume         ? "resuming"
                     : o.init.empty() ? "from scratch"
                                      : "fine-tuning");
    const m1::TrainResult r = guarded([&] {
        return nn::reportingFailure(o.group.get(), [&] {
            return m1::train(c, o, [](const m1::TrainProgress& pr) {
                if (m1::worthALine(pr, 50)) std::fprintf(stderr, "%s\n", m1::describe(pr).c_str());
                return true;
            });
        });
    });
    if (r.rank == 0)
        std::fprintf(stderr, "train-m1: %lld steps, valid %.3f bits/byte, %.0f s%s\n", (long long)r.steps,
                     r.validBitsPerByte, r.seconds,
                     r.ranks > 1 ? (", " + std::to_string(r.ranks) + " ranks").c_str() : "");
    return 0;
}

// ---- bench -----------------------------------------------------------------

double secondsOf(const std::function<void()>& f, int minRepeats = 1) {
    // Best of a few runs: the least disturbed by the other processes on the machine.
    double best = 1e100;
    for (int i = 0; i < minRepeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

// M1's runtime alone: GFLOP/s (M1's FLOPs per row) of calls of `rows` rows,
// one per stream, on `threads` threads, with the short contexts of
// Equal-Info windows (each stream restarts every 8 positions).
double runtimeGflops(const m1::M1Runtime& rt, int rows, int threads, int repeats) {
    constexpr int kCalls = 16;   // calls timed per repeat
    constexpr int kRestart = 8;  // positions before a stream restarts
    WorkerTeam team(threads);
    std::vector<m1::M1Stream> streams;
    for (int r = 0; r < rows; ++r) streams.push_back(rt.newStream(kRestart));
    std::vector<m1::M1Stream*> ptrs;
    for (auto& st : streams) ptrs.push_back(&st);
    std::vector<int> tokens(static_cast<size_t>(rows), 'e');
    std::vector<float> probs(size_t(rows) * m1::kVocab);
    const double s = secondsOf(
        [&] {
            for (int c = 0; c < kCalls; ++c) {
                if (c % kRestart == 0)
                    for (auto& st : streams) st.length = 0;
                rt.step(ptrs.data(), tokens.data(), rows, probs.data(), &team);
            }
        },
        repeats);
    return double(kCalls) * rows * rt.config().flopsPerByte() / s / 1e9;
}

int cmdEvalM1(const QStringList& args) {
    QCommandLineParser p;
    QCommandLineOption bytes{"bytes", "Score the first N bytes of each text.", "N", "100000"},
        window{"window", "Bytes per scored window, each predicted from BOS.", "N", "1024"},
        json{"json", "Print one JSON object."};
    p.addOption(bytes);
    p.addOption(window);
    p.addOption(json);
    p.addPositionalArgument("MODEL", "M1 weights (.eqm1).");
    p.addPositionalArgument("TEXT", "Texts to score.", "TEXT...");
    if (!parseOrThrow(p, args, -2, "eqlab-cli eval-m1 MODEL TEXT... [--bytes N] [--window N] [--json]")) return 0;
    const QStringList pos = p.positionalArguments();
    bool ok1 = false, ok2 = false;
    const qulonglong n = p.value(bytes).toULongLong(&ok1);
    const int w = p.value(window).toInt(&ok2);
    if (!ok1 || !ok2 || n == 0 || w < 2) throw InvalidArgument("--bytes and --window expect positive numbers");
    guarded([&] {
        const m1::M1Weights weights = m1::M1Weights::load(pos[0].toStdString());
        QJsonObject out;
        for (const QString& text : pos.mid(1)) {
            const double bpb = m1::validationBitsPerByte(weights, text.toStdString(), n, w);
            if (!std::isfinite(bpb))
                throw FormatError(pos[0].toStdString() +
                                  ": the model produces non-finite probabilities (NaN or "
                                  "infinity) on " +
                                  text.toStdString() + ": its weights overflow float arithmetic");
            out[text.section('/', -1)] = bpb;
            if (!p.isSet(json)) std::printf("%-28s %.4f bits/byte\n", qPrintable(text.section('/', -1)), bpb);
        }
        if (p.isSet(json)) printJson(QJsonDocument(out));
    });
    return 0;
}

int cmdBench(const QStringList& args) {
    QCommandLineParser p;
    QCommandLineOption json{"json", "Print one JSON object."};
    QCommandLineOption mb{"megabytes", "Size of the benchmark input (FILE repeated if it is shorter).", "MB",
                          QString::number(kDefaultBenchMegabytes)};
    QCommandLineOption input{"input",
                             "Text for the benchmark input (default: a text that does not repeat, generated "
                             "from the bundled sample by an order-3 character chain, the same on every machine).",
                             "FILE"};
    p.addOption(input);
    QCommandLineOption repeats{"repeats", "Runs per measurement; the best is reported.", "N", "3"};
    QCommandLineOption threadsOpt{"threads", "Threads for the M1 measurements.", "N", "1"};
    p.addOption(json);
    p.addOption(mb);
    p.addOption(repeats);
    p.addOption(threadsOpt);
    if (!parseOrThrow(p, args, 0, "eqlab-cli bench [--json] [--megabytes N] [--input FILE]")) return 0;
    const int reps = std::max(1, CodecOptions::toInt(p, repeats));
    const size_t size = size_t(std::max(1, CodecOptions::toInt(p, mb))) << 20;
    // The bundled sample: the chain's source for the default input, and what M1 codes.
    const std::vector<uint8_t> sample = readFile(resourcePath(kSampleTextFile));
    std::vector<uint8_t> data;
    std::string source;
    if (p.isSet(input)) {
        const std::vector<uint8_t> file = readFile(p.value(input).toStdString());
        if (file.empty()) throw InvalidArgument("the benchmark input is empty");
        source = p.value(input).toStdString() + (file.size() < size ? " (repeated)" : "");
        data.reserve(size);
        while (data.size() < size)
            data.insert(data.end(), file.begin(),
                        file.begin() + std::ptrdiff_t(std::min(file.size(), size - data.size())));
    } else {
        data = chainText(sample, size);
        source = "text generated from " + resourcePath(kSampleTextFile) + " (order-3 character chain, seed 1)";
    }

    QJsonObject o;
    o["input_bytes"] = double(size);
    o["input_source"] = QString::fromStdString(source);
    o["threads"] = 1;
    auto rate = [&](double s) { return double(size) / s; };

    // Range coder under the static unigram (static-ac), encode and decode.
    CodecParams params;
    params.method = Method::StaticAc;
    const ModelSet models = loadModelsFor(Method::StaticAc, "");
    EncodeOptions fast;
    fast.stats = false;
    Encoded e;
    const double encS = secondsOf([&] { e = encode(data.data(), data.size(), params, models, fast); }, reps);
    const double decS = secondsOf([&] { decode(e, models); }, reps);
    o["static_ac_encode_bytes_per_s"] = rate(encS);
    o["static_ac_decode_bytes_per_s"] = rate(decS);
    o["static_ac_bits_per_byte"] = e.bitsPerByte();

    // Equal-Info windows under the same model (b = 16, k = 8).
    CodecParams eq;
    eq.method = Method::EqualInfoAc;
    Encoded ee;
    const double eqEncS = secondsOf([&] { ee = encode(data.data(), data.size(), eq, models, fast); }, reps);
    const double eqDecS = secondsOf([&] { decode(ee, models); }, reps);
    o["eqinfo_unigram_encode_bytes_per_s"] = rate(eqEncS);
    o["eqinfo_unigram_decode_bytes_per_s"] = rate(eqDecS);

    // zlib on the same data, same process.
    std::vector<uint8_t> z(compressBound(uLong(size)));
    uLongf zlen = 0;
    const double zEncS = secondsOf(
        [&] {
            zlen = z.size();
            compress2(z.data(), &zlen, data.data(), uLong(size), Z_DEFAULT_COMPRESSION);
        },
        reps);
    std::vector<uint8_t> back(size);
    const double zDecS = secondsOf(
        [&] {
            uLongf blen = back.size();
            uncompress(back.data(), &blen, z.data(), zlen);
        },
        reps);
    o["zlib_encode_bytes_per_s"] = rate(zEncS);
    o["zlib_decode_bytes_per_s"] = rate(zDecS);
    o["zlib_bits_per_byte"] = 8.0 * double(zlen) / double(size);
    o["static_ac_encode_vs_zlib"] = zEncS / encS;
    o["static_ac_decode_vs_zlib"] = zDecS / decS;

    // M1 (the bundled model): ac and eqinfo-ac on the bundled sample text, and
    // the machine's limit: torch::mm GFLOP/s over M1's FLOPs per byte.
    const int m1Threads = threadsOf(p, threadsOpt);
    const std::string m1Path = defaultM1Path();
    std::unique_ptr<ByteModel> m1Model;
    if (QFileInfo::exists(QString::fromStdString(m1Path))) m1Model = loadByteModel(m1Path);
    double m1Rates[4] = {0, 0, 0, 0};
    double roofline = 0, gflops = 0, flopsPerByte = 0;
    const int kRuntimeRows[] = {1, 4, 16, 64};  // rows per runtime call measured alone
    std::vector<double> runtimeRates;
    QJsonObject byRows;
    if (m1Model) {
        const ModelSet m{std::shared_ptr<ByteModel>(std::move(m1Model)), nullptr};
        EncodeOptions mo;
        mo.stats = false;
        mo.threads = m1Threads;
        for (int i = 0; i < 2; ++i) {
            CodecParams mp;
            mp.method = i == 0 ? Method::Ac : Method::EqualInfoAc;
            Encoded me;
            const double encS = secondsOf([&] { me = encode(sample.data(), sample.size(), mp, m, mo); }, reps);
            const double decS = secondsOf([&] { decode(me, m, {}, m1Threads); }, reps);
            m1Rates[2 * i] = double(sample.size()) / encS;
            m1Rates[2 * i + 1] = double(sample.size()) / decS;
        }
        const m1::M1Weights weights = m1::M1Weights::load(m1Path);
        const m1::M1Runtime runtime(weights, weights.provenance.numericsVersion);  // as the coder computes it
        flopsPerByte = weights.config.flopsPerByte();
        for (int rows : kRuntimeRows) {
            runtimeRates.push_back(runtimeGflops(runtime, rows, m1Threads, reps));
            byRows[QString::number(rows)] = runtimeRates.back();
        }
        o["runtime_gflops_by_rows"] = byRows;
        gflops = nn::matmulGflops(m1Threads);
        roofline = gflops * 1e9 / flopsPerByte;
        o["m1_threads"] = m1Threads;
        o["m1_input_bytes"] = double(sample.size());
        o["m1_input_source"] = QString::fromStdString(resourcePath(kSampleTextFile));
        o["ac_encode_bytes_per_s"] = m1Rates[0];
        o["ac_decode_bytes_per_s"] = m1Rates[1];
        o["encode_bytes_per_s"] = m1Rates[2];  // eqinfo-ac b=16, k=8
        o["decode_bytes_per_s"] = m1Rates[3];
        o["matmul_gflops"] = gflops;
        o["m1_flops_per_byte"] = flopsPerByte;
        o["roofline_bytes_per_s"] = roofline;
        o["encode_fraction_of_roofline"] = m1Rates[2] / roofline;
        o["decode_fraction_of_roofline"] = m1Rates[3] / roofline;
    }

    if (p.isSet(json)) {
        printJson(QJsonDocument(o));
    } else {
        std::printf("input: %.1f MB of %s, 1 thread, best of %d\n", double(size) / 1e6, source.c_str(), reps);
        std::printf("%-28s %10s %10s %10s\n", "", "enc MB/s", "dec MB/s", "bits/byte");
        std::printf("%-28s %10.1f %10.1f %10.3f\n", "static-ac (range coder)", rate(encS) / 1e6, rate(decS) / 1e6,
                    e.bitsPerByte());
        std::printf("%-28s %10.1f %10.1f %10.3f\n", "eqinfo-ac b=16 (unigram)", rate(eqEncS) / 1e6, rate(eqDecS) / 1e6,
                    ee.bitsPerByte());
        std::printf("%-28s %10.1f %10.1f %10.3f\n", "zlib level 6", rate(zEncS) / 1e6, rate(zDecS) / 1e6,
                    8.0 * double(zlen) / double(size));
        std::printf("static-ac / zlib speed: encode %.2fx, decode %.2fx\n", zEncS / encS, zDecS / decS);
        if (roofline > 0) {
            std::printf("\nM1 on the bundled sample text (%s, %zu bytes), %d thread(s):\n",
                        resourcePath(kSampleTextFile).c_str(), sample.size(), m1Threads);
            std::printf("%-28s %10.0f %10.0f bytes/s\n", "ac", m1Rates[0], m1Rates[1]);
            std::printf("%-28s %10.0f %10.0f bytes/s\n", "eqinfo-ac b=16 k=8", m1Rates[2], m1Rates[3]);
            std::printf("limit: torch::mm %.1f GFLOP/s / %.2f MFLOP per byte = %.0f bytes/s\n", gflops,
                        flopsPerByte / 1e6, roofline);
            std::printf("eqinfo-ac: encode at %.1f%% of the limit, decode at %.1f%%\n", 100 * m1Rates[2] / roofline,
                        100 * m1Rates[3] / roofline);
            std::printf("runtime alone, GFLOP/s by rows per call (short contexts):");
            for (size_t i = 0; i < runtimeRates.size(); ++i) std::printf(" %d: %.1f", kRuntimeRows[i], runtimeRates[i]);
            std::printf("\n");
        }
    }
    return 0;
}

const char* kUsage =
    "usage: eqlab-cli COMMAND [options]\n"
    "commands:\n"
    "  compress -m METHOD [-b BITS] [-k TOKEN_BITS] [--model FILE] IN OUT\n"
    "  decompress [--model FILE] IN OUT\n"
    "  analyze -m METHOD [...] [--json] [--trace] IN\n"
    "  info FILE\n"
    "  fit-unigram CORPUS OUT\n"
    "  train-sp CORPUS OUT --vocab N\n"
    "  train-m1 --corpus FILE --valid FILE --out FILE [--steps N ...] [--resume]\n"
    "  eval-m1 MODEL TEXT... [--bytes N]   (libtorch bits/byte, windows from BOS)\n"
    "  stamp-m1 MODEL OUT   (re-stamps an M1 model for this eqlab's runtime numerics)\n"
    "  bench [--json]\n"
    "  bench-phases [--kib N] [--threads N] [--json]   (each phase of an analysis, as progress weighs them)\n"
    "  build-dataset -m METHOD [...] --corpus FILE --out DIR [--example-bytes N --seq N --max-bytes N]\n"
    "                [--shard I/N]   (only shard I of N, into the shard folder DIR)\n"
    "  merge-dataset --out DIR SHARD_DIR...   (a sharded build's dataset, as one build-dataset makes it)\n"
    "  train-m2 --data DIR [--run DIR] [--log FILE.csv] [--minutes M ...] [--resume]\n"
    "  reproduce --corpus FILE --budget MINUTES [--json]\n"
    "  bench-m2 [--vocab V --batch B ...] [--json]\n"
    "  bench-latency [-m METHOD ...] [--threads N] [--json]   (Explore's analysis latency, the step-through)\n"
    "  paper [--json]   (the paper's reference figures)\n"
    "  study NAME [options] [--json] [IN]   (the studies: eqlab-cli study --help)\n"
    "  step -m METHOD [-b -k --model] [--decode] [--json] [--text TEXT | IN]   (the coder, byte by byte)\n"
    "METHOD: bytes, gzip, static-ac, ac, eqinfo-ac, sentencepiece. IN may be '-' for stdin.\n"
    "Run 'eqlab-cli COMMAND --help' for a command's options.\n";

// What a command printed on stdout went somewhere: stdio buffers it, so a
// full disk or a closed pipe shows only at the last flush. A command that
// succeeded but whose output was lost exits 1 with the reason.
int withStdoutChecked(const QString& command, int code) {
    if (stdoutFlushed()) return code;
    // stdio drops what a failed write held, so the last flush may find nothing
    // left to write: the reason is then the errno of the write that failed.
    const std::string reason = errno ? std::strerror(errno) : "write error";
    err("eqlab-cli" + (command.isEmpty() ? std::string() : " " + command.toStdString()) +
        ": cannot write to stdout: " + reason);
    return code == 0 ? 1 : code;
}

int runCommand(const QStringList& args) {
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h" || args[1] == "help") {
        std::fprintf(args.size() < 2 ? stderr : stdout, "%s", kUsage);
        return args.size() < 2 ? 2 : 0;
    }
    static const std::map<QString, std::function<int(const QStringList&)>> commands = {
        {"compress", cmdCompress},
        {"decompress", cmdDecompress},
        {"analyze", cmdAnalyze},
        {"info", cmdInfo},
        {"fit-unigram", cmdFitUnigram},
        {"train-sp", cmdTrainSp},
        {"bench", cmdBench},
        {"bench-phases", cmdBenchPhases},
        {"train-m1", cmdTrainM1},
        {"eval-m1", cmdEvalM1},
        {"stamp-m1", cmdStampM1},
        {"build-dataset", cmdBuildDataset},
        {"merge-dataset", cmdMergeDataset},
        {"train-m2", cmdTrainM2},
        {"reproduce", cmdReproduce},
        {"bench-m2", cmdBenchM2},
        {"paper", cmdPaper},
        {"study", cmdStudy},
        {"step", cmdStep},
        {"bench-latency", cmdBenchLatency},
    };
    const auto it = commands.find(args[1]);
    if (it == commands.end()) {
        err("eqlab-cli: unknown command '" + args[1].toStdString() + "'\n" + kUsage);
        return 2;
    }
    QStringList sub = args.mid(1);
    sub[0] = args[0] + " " + args[1];
    try {
        return it->second(sub);
    } catch (const InvalidArgument& e) {
        err("eqlab-cli " + args[1].toStdString() + ": " + e.what());
        return 2;
    } catch (const Error& e) {
        err("eqlab-cli " + args[1].toStdString() + ": " + e.what());
        return 1;
    } catch (const std::exception& e) {
        err("eqlab-cli " + args[1].toStdString() + ": internal error: " + e.what());
        return 3;
    }
}

}  // namespace

int run(const QStringList& args) {
    return withStdoutChecked(args.size() > 1 ? args[1] : QString(), runCommand(args));
}

}  // namespace eqlab::cli
