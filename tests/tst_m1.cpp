// M1: training lowers the loss; weight files round-trip and reject damage;
// the deterministic runtime matches the libtorch module and gives
// bit-identical probabilities whatever the batch, order or thread; ac and
// eqinfo-ac under M1 round-trip the harness.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <thread>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "coding/tokens.h"
#include "methods/codec.h"
#include "methods/container.h"
#include "methods/default_models.h"
#include "methods/equal_info.h"
#include "models/m1_byte_model.h"
#include "models/model_files.h"
#include "nn/m1_module.h"
#include "nn/m1_trainer.h"
#include "test_inputs.h"

using namespace eqlab;

namespace {

const char* kTinyM1 = EQLAB_TEST_DATA "/tiny-m1.eqm1";

std::vector<uint8_t> textBytes(size_t n) {
    std::vector<uint8_t> t = test::sampleText();
    while (t.size() < n) t.insert(t.end(), t.begin(), t.end());
    t.resize(n);
    return t;
}

// Next-byte probabilities after feeding BOS then `bytes`, one row at a time.
std::vector<float> runAlone(const m1::M1Runtime& rt, const std::vector<uint8_t>& bytes) {
    m1::M1Stream s = rt.newStream();
    m1::M1Stream* p = &s;
    std::vector<float> out(m1::kVocab);
    int tok = m1::kBos;
    rt.step(&p, &tok, 1, out.data());
    for (uint8_t b : bytes) {
        tok = b;
        rt.step(&p, &tok, 1, out.data());
    }
    return out;
}

// A byte model that forwards to another and hides its type, so the codecs
// take their generic paths (the serial eqinfo-ac encoder) on M1's numbers.
class OpaqueModel final : public ByteModel {
public:
    explicit OpaqueModel(std::unique_ptr<ByteModel> inner) : inner_(std::move(inner)) {}
    ModelKind kind() const override { return inner_->kind(); }
    std::string name() const override { return inner_->name(); }
    std::string hash() const override { return inner_->hash(); }
    std::vector<uint8_t> serialize() const override { return inner_->serialize(); }
    void reset() override { inner_->reset(); }
    const Cdf& cdf(int precision) override { return inner_->cdf(precision); }
    void probabilities(float* out) override { inner_->probabilities(out); }
    void advance(uint8_t byte) override { inner_->advance(byte); }
    std::unique_ptr<ByteModel> clone() const override { return std::make_unique<OpaqueModel>(inner_->clone()); }
    void setLookahead(const uint8_t* bytes, size_t count) override { inner_->setLookahead(bytes, count); }

private:
    std::unique_ptr<ByteModel> inner_;
};

// A one-layer, two-head M1 of width d (MLP 2d, context = seq) trained on the
// sample text on one thread, writing to `out`.
struct TinyRun {
    m1::M1Config config;
    m1::TrainOptions options;
};
TinyRun tinyRun(int d, int seq, int64_t steps, int batch, const QString& out) {
    TinyRun t;
    t.config.dModel = d;
    t.config.heads = 2;
    t.config.layers = 1;
    t.config.mlp = 2 * d;
    t.config.context = seq;
    t.options.corpus = t.options.valid = resourcePath(kSampleTextFile);
    t.options.out = out.toStdString();
    t.options.steps = steps;
    t.options.batch = batch;
    t.options.seq = seq;
    t.options.threads = 1;
    return t;
}

}  // namespace

class TestM1 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainingLowersTheLoss() {
        QTemporaryDir dir;
        auto [c, o] = tinyRun(/*d=*/32, /*seq=*/64, /*steps=*/80, /*batch=*/8, dir.filePath("m.eqm1"));
        o.lr = 3e-3;
        o.validEvery = 20;
        o.validBytes = 4096;
        std::vector<double> valid;
        const auto r = m1::train(c, o, [&](const m1::TrainProgress& p) {
            if (p.validBitsPerByte) valid.push_back(*p.validBitsPerByte);
            return p.step < 60;  // stopped: a checkpoint at step 60 of 80
        });
        QVERIFY(r.stopped);
        QCOMPARE(r.steps, int64_t(60));
        QVERIFY(valid.size() >= 3);
        QVERIFY2(valid.back() < valid.front() - 0.3,
                 qPrintable(QString("%1 -> %2").arg(valid.front()).arg(valid.back())));
        QVERIFY(valid.back() < 7.0);

        // Resume continues from the checkpoint, exactly where it stopped: its
        // weights end bit for bit where an uninterrupted run of 80 steps ends
        // (one thread: libtorch is deterministic on the CPU).
        o.resume = true;
        const auto r2 = m1::train(c, o, {});
        QCOMPARE(r2.steps, int64_t(80));
        const m1::M1Weights w = m1::M1Weights::load(o.out);
        QCOMPARE(w.provenance.steps, uint64_t(80));
        QCOMPARE(w.provenance.numericsVersion, m1::kNumericsVersion);  // the trainer stamps its numerics
        auto whole = o;
        whole.resume = false;
        whole.out = dir.filePath("whole.eqm1").toStdString();
        const auto r3 = m1::train(c, whole, {});
        QCOMPARE(r2.validBitsPerByte, r3.validBitsPerByte);
        QVERIFY2(w.tensorBytes() == m1::M1Weights::load(whole.out).tensorBytes(),
                 "the resumed run's weights differ from the uninterrupted run's");
    }

    // Training is reproducible from the seed at a fixed thread count.
    void trainingIsReproducible() {
        QTemporaryDir dir;
        auto [c, o] = tinyRun(/*d=*/16, /*seq=*/32, /*steps=*/12, /*batch=*/4, dir.filePath("a.eqm1"));
        o.seed = 5;
        o.augment = 0.5;  // the variations draw from the run's generator too
        o.validEvery = 100;
        o.validBytes = 2048;
        std::vector<std::vector<uint8_t>> runs;
        for (const char* name : {"a.eqm1", "b.eqm1"}) {
            o.out = dir.filePath(name).toStdString();
            m1::train(c, o, {});
            runs.push_back(m1::M1Weights::load(o.out).tensorBytes());
        }
        QVERIFY(runs[0] == runs[1]);
        o.seed = 6;
        o.out = dir.filePath("c.eqm1").toStdString();
        m1::train(c, o, {});
        QVERIFY(m1::M1Weights::load(o.out).tensorBytes() != runs[0]);
    }

    void augmentationVariesLayoutAndTypography() {
        const std::string raw =
            "He said \"it's time\" -- and the Congress agreed that the Nation's 'interest' came first, as it must.";
        std::mt19937_64 rng(1);
        QCOMPARE(m1::augmentText(raw, 0.0, rng), raw);
        const std::string a = m1::augmentText(raw, 1.0, rng);
        QVERIFY2(a.find('\n') != std::string::npos, a.c_str());
        QVERIFY(a.find('"') == std::string::npos);
        QVERIFY(a.find("--") == std::string::npos);
        QVERIFY2(a.find("said \u201cit\u2019s time\u201d\u2014and") != std::string::npos ||
                     a.find("said\n\u201cit\u2019s time\u201d\u2014and") != std::string::npos,
                 a.c_str());
        QVERIFY(a.find("\u2018interest\u2019") != std::string::npos);
        std::string back = a;  // undoing the variations gives the text back
        for (auto [from, to] : {std::pair<std::string, std::string>{"\u201c", "\""},
                                {"\u201d", "\""},
                                {"\u2018", "'"},
                                {"\u2019", "'"},
                                {"\u2014", " -- "},
                                {"\n", " "}})
            for (size_t i; (i = back.find(from)) != std::string::npos;) back.replace(i, from.size(), to);
        QCOMPARE(back, raw);
    }

    // --init starts from given weights; --keep-best keeps the best validation.
    void fineTuneStartsFromWeights() {
        QTemporaryDir dir;
        auto [c, o] = tinyRun(/*d=*/32, /*seq=*/64, /*steps=*/40, /*batch=*/8, dir.filePath("base.eqm1"));
        o.lr = 3e-3;
        o.validEvery = 40;
        o.validBytes = 4096;
        const double base = m1::train(c, o, {}).validBitsPerByte;
        auto [c2, o2] = tinyRun(/*d=*/16, /*seq=*/64, /*steps=*/4, /*batch=*/8, dir.filePath("tuned.eqm1"));
        o2.init = o.out;  // its config (d = 32) wins over the one asked for
        o2.lr = 1e-4;
        o2.validEvery = 2;
        o2.validBytes = 4096;
        o2.keepBest = true;
        std::vector<double> valid;
        m1::train(c2, o2, [&](const m1::TrainProgress& p) {
            if (p.validBitsPerByte) valid.push_back(*p.validBitsPerByte);
            return true;
        });
        QCOMPARE(m1::M1Weights::load(o2.out).config.dModel, 32);
        QVERIFY2(std::abs(valid.front() - base) < 0.2, qPrintable(QString("%1 vs %2").arg(valid.front()).arg(base)));
        const m1::M1Weights best = m1::M1Weights::load(o2.out + ".best");
        QCOMPARE(best.provenance.validBitsPerByte, *std::min_element(valid.begin(), valid.end()));
    }

    // Bad inputs are refused before the first step, naming the file: the
    // corpus or validation text empty, compressed, binary or shorter than one
    // sequence, and an output that cannot be written (a missing folder once
    // failed only after training, at the first checkpoint).
    void badInputIsRefusedBeforeTraining_data() {
        QTest::addColumn<QString>("corpus");  // what the corpus file holds
        QTest::addColumn<QString>("valid");   // what the validation file holds
        QTest::addColumn<QString>("out");     // the output, in the temporary folder
        QTest::addColumn<QString>("named");   // the file the error must name
        QTest::addColumn<QString>("words");   // and words it must contain
        QTest::newRow("empty corpus") << "empty"
                                      << "text"
                                      << "m.eqm1"
                                      << "corpus.txt"
                                      << "is empty";
        QTest::newRow("corpus of NUL bytes") << "nul"
                                             << "text"
                                             << "m.eqm1"
                                             << "corpus.txt"
                                             << "not text";
        QTest::newRow("corpus of random bytes") << "random"
                                                << "text"
                                                << "m.eqm1"
                                                << "corpus.txt"
                                                << "not text";
        QTest::newRow("gzip corpus") << "gzip"
                                     << "text"
                                     << "m.eqm1"
                                     << "corpus.txt"
                                     << "gzip-compressed";
        QTest::newRow("corpus shorter than one sequence") << "short"
                                                          << "text"
                                                          << "m.eqm1"
                                                          << "corpus.txt"
                                                          << "one training sequence";
        QTest::newRow("empty validation text") << "text"
                                               << "empty"
                                               << "m.eqm1"
                                               << "valid.txt"
                                               << "is empty";
        QTest::newRow("binary validation text") << "text"
                                                << "nul"
                                                << "m.eqm1"
                                                << "valid.txt"
                                                << "not text";
        QTest::newRow("validation text shorter than one window") << "text"
                                                                 << "short"
                                                                 << "m.eqm1"
                                                                 << "valid.txt"
                                                                 << "one validation window";
        QTest::newRow("output folder missing") << "text"
                                               << "text"
                                               << "missing/m.eqm1"
                                               << "missing/m.eqm1"
                                               << "cannot write";
        QTest::newRow("output is the corpus") << "text"
                                              << "text"
                                              << "corpus.txt"
                                              << "corpus.txt"
                                              << "is the input";
    }
    void badInputIsRefusedBeforeTraining() {
        QFETCH(QString, corpus);
        QFETCH(QString, valid);
        QFETCH(QString, out);
        QFETCH(QString, named);
        QFETCH(QString, words);
        QTemporaryDir dir;
        auto contents = [](const QString& kind) {
            std::vector<uint8_t> b;
            std::mt19937 rng(3);
            if (kind == "text") b = textBytes(4096);
            if (kind == "nul") b.assign(4096, 0);
            if (kind == "random")
                for (int i = 0; i < 4096; ++i) b.push_back(uint8_t(rng()));
            if (kind == "gzip") {  // gzip's header, then text (a stored block would look like this)
                b = {0x1f, 0x8b, 0x08, 0x00};
                const std::vector<uint8_t> t = textBytes(4092);
                b.insert(b.end(), t.begin(), t.end());
            }
            if (kind == "short") b = textBytes(40);
            return b;
        };
        auto [c, o] = tinyRun(/*d=*/16, /*seq=*/64, /*steps=*/3, /*batch=*/2, dir.filePath(out));
        o.corpus = dir.filePath("corpus.txt").toStdString();
        o.valid = dir.filePath("valid.txt").toStdString();
        writeFile(o.corpus, contents(corpus));
        writeFile(o.valid, contents(valid));
        o.validEvery = 1;  // a run that trained would report every step
        o.validBytes = 4096;
        int reports = 0;
        QString message;
        try {
            m1::train(c, o, [&](const m1::TrainProgress&) {
                ++reports;
                return true;
            });
        } catch (const std::exception& e) {
            message = e.what();
        }
        QVERIFY2(message.contains(dir.filePath(named)), qPrintable(message));
        QVERIFY2(message.contains(words), qPrintable(message));
        QCOMPARE(reports, 0);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList({"corpus.txt", "valid.txt"}));
    }

    // --valid-bytes below one window is refused before training too.
    void validBytesBelowOneWindowIsRefused() {
        QTemporaryDir dir;
        auto [c, o] = tinyRun(/*d=*/16, /*seq=*/64, /*steps=*/3, /*batch=*/2, dir.filePath("m.eqm1"));
        o.validBytes = 63;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, m1::train(c, o, {}));
        QVERIFY(!QFile::exists(dir.filePath("m.eqm1")));
    }

    void weightsRoundTrip() {
        const m1::M1Weights w = m1::M1Weights::load(kTinyM1);
        const std::vector<uint8_t> bytes = w.serialize();
        const m1::M1Weights back = m1::M1Weights::deserialize(bytes.data(), bytes.size());
        QCOMPARE(back.tensorBytes(), w.tensorBytes());
        QCOMPARE(back.provenance.steps, w.provenance.steps);
        QCOMPARE(back.provenance.numericsVersion, w.provenance.numericsVersion);
        const auto a = M1Model::load(kTinyM1);
        QVERIFY(a->hash() == M1Model(std::make_shared<const m1::M1Weights>(back)).hash());
        QVERIFY(QString::fromStdString(a->name()).contains("d=32"));
    }

    void damagedWeightsAreRefused_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad magic") << "magic"
                                   << "not a byte model";
        QTest::newRow("future version") << "version"
                                        << "unsupported version";
        QTest::newRow("flipped bit") << "flip"
                                     << "checksum";
        QTest::newRow("truncated") << "truncate"
                                   << "checksum";
        QTest::newRow("a unigram file") << "unigram"
                                        << "M1";
    }
    void damagedWeightsAreRefused() {
        QFETCH(QString, damage);
        QFETCH(QString, message);
        std::vector<uint8_t> b = readFile(kTinyM1);
        if (damage == "magic") b[3] = 'X';
        if (damage == "version") b[4] = 9;
        if (damage == "flip") b[b.size() / 2] ^= 4;
        if (damage == "truncate") b.resize(b.size() - 1000);
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.eqm1").toStdString();
        writeFile(path, b);
        try {
            if (damage == "unigram") {
                M1Model::load(resourcePath(kDefaultUnigramFile));
            } else if (damage == "magic") {
                loadByteModel(path);  // no longer recognisable as M1
            } else {
                M1Model::load(path);
            }
            QFAIL("damaged weights loaded");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    // The tests' tiny M1 is a version 1 file, written before the format
    // recorded numerics: it reads as stamped for numerics version 1.
    void version1FileReadsAsNumerics1() {
        const std::vector<uint8_t> b = readFile(kTinyM1);
        QCOMPARE(int(b[4]), 1);
        QCOMPARE(m1::M1Weights::load(kTinyM1).provenance.numericsVersion, 1);
    }

    // A model made for other numerics than the runtime's is refused by the
    // coder's loader, naming both versions and the command that re-stamps it;
    // re-stamped (eqlab-cli stamp-m1 sets the field so), it loads.
    void otherNumericsAreRefused_data() {
        QTest::addColumn<int>("stamped");
        QTest::newRow("the next version") << m1::kNumericsVersion + 1;
        QTest::newRow("a much later version") << m1::kNumericsVersion + 1000;
        QTest::newRow("unstamped (0)") << 0;
    }
    void otherNumericsAreRefused() {
        QFETCH(int, stamped);
        m1::M1Weights w = m1::M1Weights::load(kTinyM1);
        w.provenance.numericsVersion = stamped;
        QTemporaryDir dir;
        const std::string path = dir.filePath("other.eqm1").toStdString();
        writeFile(path, w.serialize());
        QCOMPARE(m1::M1Weights::load(path).provenance.numericsVersion, stamped);
        try {
            loadByteModel(path);
            QFAIL("a model of other numerics loaded");
        } catch (const FormatError& e) {
            const QString m = e.what();
            QVERIFY2(m.contains(QString("made for numerics version %1,").arg(stamped)), e.what());
            QVERIFY2(m.contains(QString("computes version %1;").arg(m1::kNumericsVersion)), e.what());
            QVERIFY2(m.contains("eqlab-cli stamp-m1"), e.what());
        }
        w.provenance.numericsVersion = m1::kNumericsVersion;
        writeFile(path, w.serialize());
        QVERIFY(loadByteModel(path) != nullptr);
    }

    void wrongShapeIsRefused() {
        m1::M1Weights w = m1::M1Weights::load(kTinyM1);
        w.tensors["head.bias"].shape = {2, 128};
        const std::vector<uint8_t> bytes = w.serialize();
        QVERIFY_THROWS_EXCEPTION(m1::M1FormatError, m1::M1Weights::deserialize(bytes.data(), bytes.size()));
    }

    // The runtime against the libtorch module: log-probabilities within 1e-4,
    // under each numerics version.
    void runtimeMatchesTorch_data() {
        QTest::addColumn<int>("numerics");
        for (int v = m1::kOldestNumericsVersion; v <= m1::kNumericsVersion; ++v)
            QTest::newRow(qPrintable(QString("numerics %1").arg(v))) << v;
    }
    void runtimeMatchesTorch() {
        QFETCH(int, numerics);
        const m1::M1Weights w = m1::M1Weights::load(kTinyM1);
        m1::M1 model(w.config);
        model->loadWeights(w);
        model->eval();
        torch::NoGradGuard guard;
        const m1::M1Runtime rt(w, numerics);
        const std::vector<uint8_t> text = textBytes(5000);
        const int T = w.config.context;
        for (size_t start : {size_t(0), size_t(777), size_t(3001)}) {
            auto in = torch::empty({1, T}, torch::kLong);
            in[0][0] = m1::kBos;
            for (int t = 1; t < T; ++t) in[0][t] = int64_t(text[start + size_t(t) - 1]);
            const auto ref = torch::log_softmax(model->forward(in), -1);  // [1, T, 256]
            m1::M1Stream s = rt.newStream();
            m1::M1Stream* ps = &s;
            std::vector<float> probs(m1::kVocab);
            float worst = 0.0f;
            for (int t = 0; t < T; ++t) {
                int tok = int(in[0][t].item<int64_t>());
                rt.step(&ps, &tok, 1, probs.data());
                for (int v = 0; v < m1::kVocab; ++v)
                    worst = std::max(worst, std::abs(std::log(probs[size_t(v)]) - ref[0][t][v].item<float>()));
            }
            QVERIFY2(worst < 1e-4f, qPrintable(QString("max |log p difference| = %1").arg(worst)));
        }
    }

    // The runtime's output bits are part of the container format (numerics
    // version m1::kNumericsVersion): pinned here as SHA-256 of every
    // probability, for the tiny M1 (partial output tiles, 16-wide heads) and
    // a synthetic model with full tiles and 64-wide heads, one stream past
    // its context and a batch with prefills. The same on every x86-64 (each
    // of the product's clones does the same arithmetic). A change here means
    // old containers no longer decode: bump kNumericsVersion, or undo it.
    // Every numerics version the runtime computes has its own pins: version
    // 1's are those of the releases before version 2, unchanged.
    void runtimeOutputIsPinned_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("numerics");
        QTest::addColumn<QByteArray>("sha256");
        QTest::newRow("tiny, numerics 1")
            << QString(kTinyM1) << 1 << QByteArray("b38bc4d4c270bdf752d970fb68aa4f4c518d3f7c4cf443a80c8ac27666dc14d8");
        QTest::newRow("synthetic d=128 heads=2, numerics 1")
            << QString() << 1 << QByteArray("940bfc652d7e9382824267c32987457fc61481bee676028e52928819eaab46de");
        QTest::newRow("tiny, numerics 2")
            << QString(kTinyM1) << 2 << QByteArray("a33c432c9b8c015f2acce97c2f0b1311bd09070a69b0a378c943a6a983b3e9f9");
        QTest::newRow("synthetic d=128 heads=2, numerics 2")
            << QString() << 2 << QByteArray("9167a937b3268ac45c2799a09b35736d72bf08257f2dbed2d8db4c3be6778758");
    }
    void runtimeOutputIsPinned() {
        QFETCH(QString, model);
        QFETCH(int, numerics);
        QFETCH(QByteArray, sha256);
        m1::M1Weights w;
        if (!model.isEmpty()) {
            w = m1::M1Weights::load(model.toStdString());
        } else {
            w.config = m1::M1Config{};
            w.config.dModel = 128;
            w.config.heads = 2;
            w.config.layers = 2;
            w.config.mlp = 256;
            w.config.context = 64;
            uint32_t state = 2024;
            for (const auto& [name, shape] : m1::M1Weights::expectedShapes(w.config)) {
                m1::Tensor t;
                t.shape = shape;
                size_t n = 1;
                for (int s : shape) n *= size_t(s);
                const bool norm = name.find("ln") != std::string::npos && name.find("weight") != std::string::npos;
                for (size_t i = 0; i < n; ++i) {
                    state = state * 1664525u + 1013904223u;
                    const float u = float(state >> 8) / float(1u << 24) - 0.5f;  // [-0.5, 0.5)
                    t.data.push_back(norm ? 1.0f + 0.2f * u : 0.12f * u);
                }
                w.tensors[name] = std::move(t);
            }
        }
        const m1::M1Runtime rt(w, numerics);
        const std::vector<uint8_t> text = textBytes(1000);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        auto add = [&](const std::vector<float>& p) {
            hash.addData(QByteArrayView(reinterpret_cast<const char*>(p.data()), qsizetype(p.size() * sizeof(float))));
        };
        // One stream, one token per call, 150 positions (past the context of 64).
        m1::M1Stream s = rt.newStream();
        m1::M1Stream* ps = &s;
        std::vector<float> probs(m1::kVocab);
        for (int t = 0; t < 150; ++t) {
            const int tok = t == 0 ? m1::kBos : text[size_t(t - 1)];
            rt.step(&ps, &tok, 1, probs.data());
            add(probs);
        }
        // Three streams, calls of 1-4 rows each (prefills), 40 positions.
        std::vector<m1::M1Stream> streams;
        for (int k = 0; k < 3; ++k) streams.push_back(rt.newStream(4));
        std::vector<int> fed(3, 0);
        for (int call = 0; fed[0] < 40; ++call) {
            std::vector<m1::M1Stream*> rows;
            std::vector<int> toks;
            for (int k = 0; k < 3; ++k)
                for (int r = 0; r < (call + k) % 4 + 1; ++r, ++fed[size_t(k)]) {
                    rows.push_back(&streams[size_t(k)]);
                    toks.push_back(fed[size_t(k)] == 0 ? m1::kBos : text[size_t(300 * k + fed[size_t(k)] - 1)]);
                }
            std::vector<float> out(toks.size() * m1::kVocab);
            rt.step(rows.data(), toks.data(), int(toks.size()), out.data());
            add(out);
        }
        const QByteArray got = hash.result().toHex();
        QVERIFY2(got == sha256, qPrintable("runtime output SHA-256 " + QString(got)));
    }

    void deterministicExpIsAccurate() {
        for (float x = -87.0f; x <= 0.0f; x += 0.0137f) {
            const double e = std::exp(double(x));
            QVERIFY(std::abs(double(m1::deterministicExp(x)) - e) <= 3e-7 * e);
        }
    }

    // Found by fuzz/m1_weights: finite weights whose logits overflow to
    // infinities give NaN after the softmax's max is taken out, and NaN went
    // into an int conversion (undefined; clang's UBSan stops there). NaN
    // comes out as NaN, the infinities as the clamp gives them, and the
    // model then refuses to code (a quantised NaN would be a silent uniform).
    void deterministicExpOfNonFinite() {
        QVERIFY(std::isnan(m1::deterministicExp(std::numeric_limits<float>::quiet_NaN())));
        QCOMPARE(m1::deterministicExp(-std::numeric_limits<float>::infinity()), 0.0f);
        QCOMPARE(m1::deterministicExp(std::numeric_limits<float>::infinity()), m1::deterministicExp(88.0f));
    }

    void weightsWithOverflowingLogitsAreRefused() {
        auto w = std::make_shared<m1::M1Weights>(m1::M1Weights::load(kTinyM1));
        std::vector<float>& head = w->tensors.at("head.weight").data;
        for (size_t i = 0; i < head.size(); ++i) head[i] = i % 2 ? -3e38f : 3e38f;
        M1Model model(w);
        try {
            model.cdf(/*precision=*/16);
            QFAIL("a model whose probabilities are NaN gave a CDF");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains("non-finite"), e.what());
        }
    }

    // Bit-identical probabilities whatever the batch size, the row order,
    // and past the context (the sliding KV cache), under each numerics version.
    void runtimeIsBatchInvariant_data() {
        QTest::addColumn<int>("numerics");
        for (int v = m1::kOldestNumericsVersion; v <= m1::kNumericsVersion; ++v)
            QTest::newRow(qPrintable(QString("numerics %1").arg(v))) << v;
    }
    void runtimeIsBatchInvariant() {
        QFETCH(int, numerics);
        const m1::M1Runtime rt(m1::M1Weights::load(kTinyM1), numerics);
        const std::vector<uint8_t> text = textBytes(4000);
        const int rows = 7, len = 150;  // > context 64
        std::vector<std::vector<uint8_t>> seqs;
        for (int r = 0; r < rows; ++r) seqs.emplace_back(text.begin() + r * 311, text.begin() + r * 311 + len + r);
        std::vector<std::vector<float>> alone;
        for (const auto& s : seqs) alone.push_back(runAlone(rt, s));
        // All rows together, in reverse order, each fed until its own end.
        std::vector<m1::M1Stream> streams;
        for (int r = 0; r < rows; ++r) streams.push_back(rt.newStream());
        std::vector<float> last(size_t(rows) * m1::kVocab);
        for (int t = 0; t <= len + rows; ++t) {
            std::vector<m1::M1Stream*> ptrs;
            std::vector<int> toks;
            std::vector<int> which;
            for (int r = rows - 1; r >= 0; --r) {
                const int n = int(seqs[size_t(r)].size());
                if (t > n) continue;
                ptrs.push_back(&streams[size_t(r)]);
                toks.push_back(t == 0 ? m1::kBos : seqs[size_t(r)][size_t(t - 1)]);
                which.push_back(r);
            }
            std::vector<float> out(ptrs.size() * m1::kVocab);
            rt.step(ptrs.data(), toks.data(), int(ptrs.size()), out.data());
            for (size_t i = 0; i < which.size(); ++i)
                std::memcpy(&last[size_t(which[i]) * m1::kVocab], &out[i * m1::kVocab], m1::kVocab * sizeof(float));
        }
        for (int r = 0; r < rows; ++r)
            QVERIFY(std::memcmp(&last[size_t(r) * m1::kVocab], alone[size_t(r)].data(), m1::kVocab * sizeof(float)) ==
                    0);
    }

    // Encoding on one thread and decoding on two threads at once gives the same bytes.
    void threadsDoNotChangeTheCode() {
        const ModelSet m = loadModelsFor(Method::EqualInfoAc, "");
        const std::vector<uint8_t> text = textBytes(6000);
        const Encoded e = encode(text.data(), text.size(), CodecParams{}, m);
        std::vector<uint8_t> a, b;
        auto* model = dynamic_cast<M1Model*>(m.byteModel.get());
        QVERIFY(model);
        ModelSet m1{std::shared_ptr<ByteModel>(model->clone()), nullptr};
        ModelSet m2{std::shared_ptr<ByteModel>(model->clone()), nullptr};
        std::thread t1([&] { a = decode(e, m1); });
        std::thread t2([&] { b = decode(e, m2); });
        t1.join();
        t2.join();
        QVERIFY(a == text);
        QVERIFY(b == text);
    }

    // eqinfo-ac under M1 with its streams in lockstep (one runtime call for the
    // windows of many streams) writes exactly the serial encoder's bits,
    // trace and statistics (the serial one reached through a model that hides
    // M1's type), on any thread count; so do few streams, each coded by
    // several lanes from guessed starts (window_chains.h).
    void lockstepWindowsEqualSerial_data() {
        QTest::addColumn<int>("chunk");
        QTest::addColumn<bool>("oneByte");  // a run of one byte: lanes whose chains never meet
        QTest::newRow("13 streams, the last one short") << 700 << false;
        QTest::newRow("3 streams, lanes from guessed starts") << 4000 << false;
        QTest::newRow("1 stream, lanes from guessed starts") << 9000 << false;
        QTest::newRow("1 stream of one byte, lanes that never meet") << 9000 << true;
    }
    void lockstepWindowsEqualSerial() {
        QFETCH(int, chunk);
        QFETCH(bool, oneByte);
        const ModelSet m = loadModelsFor(Method::EqualInfoAc, "");
        const ModelSet opaque{std::make_shared<OpaqueModel>(m.byteModel->clone()), nullptr};
        const std::vector<uint8_t> text = oneByte ? std::vector<uint8_t>(9000, 'e') : textBytes(9000);
        for (int b : {16, 24, 64}) {
            CodecParams p;
            p.windowBits = b;
            p.chunkBytes = uint32_t(chunk);
            EncodeOptions serial;
            serial.stats = true;
            serial.trace = true;
            const Encoded s = encode(text.data(), text.size(), p, opaque, serial);
            for (int threads : {1, 2, 3})
                for (bool stats : {false, true}) {  // with stats, every window is then decoded alone (batched)
                    EncodeOptions o;
                    o.stats = stats;
                    o.trace = threads != 2;  // two threads: stats without a trace
                    o.threads = threads;
                    const Encoded l = encode(text.data(), text.size(), p, m, o);
                    QVERIFY(l.tokens == s.tokens);
                    QCOMPARE(l.windows, s.windows);
                    if (o.trace) {
                        QVERIFY(l.trace.bitBegin == s.trace.bitBegin && l.trace.bitEnd == s.trace.bitEnd);
                        QVERIFY(l.trace.segmentOfByte == s.trace.segmentOfByte);
                        QVERIFY(l.trace.surprisalBits == s.trace.surprisalBits);
                        QCOMPARE(l.trace.segments.size(), s.trace.segments.size());
                        for (size_t i = 0; i < s.trace.segments.size(); ++i) {
                            QCOMPARE(l.trace.segments[i].byteBegin, s.trace.segments[i].byteBegin);
                            QCOMPARE(l.trace.segments[i].bitsUsed, s.trace.segments[i].bitsUsed);
                        }
                    }
                    if (stats) {  // the same costs, summed in the same order: the same double
                        QVERIFY(l.surprisalBits && s.surprisalBits);
                        QVERIFY2(*l.surprisalBits == *s.surprisalBits,
                                 qPrintable(QString("%1 vs %2")
                                                .arg(*l.surprisalBits, 0, 'g', 17)
                                                .arg(*s.surprisalBits, 0, 'g', 17)));
                        QCOMPARE(l.tokenOnlyDecodable, s.tokenOnlyDecodable);
                    }
                    QVERIFY(decode(l, m, {}, threads) == text);
                }
        }
    }

    // ac under M1 batched across chunks (and threads) writes exactly the bits
    // of one chunk at a time (through a model that hides M1's batching), and
    // decodes them with any thread count.
    void batchedAcEqualsOneStream() {
        const std::vector<uint8_t> text = textBytes(30000);
        CodecParams p;
        p.method = Method::Ac;
        p.chunkBytes = 1000;
        const ModelSet m = loadModelsFor(Method::Ac, "");
        const ModelSet opaque{std::make_shared<OpaqueModel>(m.byteModel->clone()), nullptr};
        EncodeOptions o;
        o.trace = true;
        const Encoded one = encode(text.data(), text.size(), p, opaque, o);
        for (int threads : {1, 3}) {
            o.threads = threads;
            const Encoded batched = encode(text.data(), text.size(), p, m, o);
            QVERIFY(batched.tokens == one.tokens);
            QVERIFY(batched.side == one.side);
            QVERIFY(batched.trace.bitEnd == one.trace.bitEnd);
            QVERIFY(batched.trace.bitBegin == one.trace.bitBegin);
            QVERIFY(batched.trace.surprisalBits == one.trace.surprisalBits);
        }
        for (int threads : {1, 2}) {
            QVERIFY(decode(one, m, {}, threads) == text);
            QVERIFY(decode(one, opaque, {}, threads) == text);
        }
    }

    // Cancelling batched work on several threads stops it with Cancelled.
    void batchedWorkCancels() {
        const std::vector<uint8_t> text = textBytes(40000);
        CodecParams p;
        p.method = Method::Ac;
        p.chunkBytes = 500;
        const ModelSet m = loadModelsFor(Method::Ac, "");
        EncodeOptions o;
        o.threads = 2;
        int calls = 0;
        o.progress = [&](uint64_t, uint64_t) { return ++calls < 3; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, encode(text.data(), text.size(), p, m, o));
        const Encoded e = encode(text.data(), text.size(), p, m);
        calls = 0;
        QVERIFY_THROWS_EXCEPTION(Cancelled, decode(
                                                e, m, [&](uint64_t, uint64_t) { return ++calls < 3; }, 2));

        // eqinfo-ac in lockstep, with stats: cancelling while coding, and
        // while every window is checked (the second half of the progress).
        CodecParams q;
        q.chunkBytes = 5000;
        EncodeOptions eo;
        eo.threads = 2;
        uint64_t lastDone = 0, total = 0;
        eo.progress = [&](uint64_t done, uint64_t t) {
            lastDone = done;
            total = t;
            return true;
        };
        encode(text.data(), text.size(), q, m, eo);
        QCOMPARE(total, 2 * uint64_t(text.size()));
        QCOMPARE(lastDone, total);
        // Reports come in strides and on time, so cancel by what they say:
        // at the second report (coding), or at the first past the input's
        // length (the check).
        for (bool duringCheck : {false, true}) {
            calls = 0;
            uint64_t seen = 0;
            eo.progress = [&](uint64_t done, uint64_t) {
                seen = done;
                ++calls;
                return duringCheck ? done <= text.size() : calls < 2;
            };
            QVERIFY_THROWS_EXCEPTION(Cancelled, encode(text.data(), text.size(), q, m, eo));
            if (duringCheck)
                QVERIFY2(seen > text.size(), "cancelled during the check");
            else
                QVERIFY2(seen < text.size(), "cancelled while coding");
        }
    }

    // A lookahead hint (right, partly wrong, or running out) never changes
    // the distributions: speculation only saves work.
    void lookaheadNeverChangesProbabilities() {
        const std::vector<uint8_t> text = textBytes(400);
        std::vector<uint8_t> hint = text;
        for (size_t i = 7; i < hint.size(); i += 13) hint[i] ^= 0x20;  // wrong guesses here and there
        auto plain = M1Model::load(kTinyM1);
        auto spec = M1Model::load(kTinyM1);
        for (size_t start : {size_t(0), size_t(100), size_t(250)}) {
            plain->reset();
            spec->reset();
            spec->setLookahead(hint.data() + start, start == 250 ? 20 : hint.size() - start);
            for (size_t i = start; i < std::min(text.size(), start + 120); ++i) {
                float a[m1::kVocab], b[m1::kVocab];
                plain->probabilities(a);
                spec->probabilities(b);
                QVERIFY(std::memcmp(a, b, sizeof a) == 0);
                QVERIFY(plain->cdf(14).cum == spec->cdf(14).cum);
                plain->advance(text[i]);
                spec->advance(text[i]);
            }
        }
    }

    // Past the context the cache slides, and speculation still runs ahead (up
    // to 64 rows a call on a long right guess): a guess that turns out wrong
    // there must not have overwritten a slot that a real row reads. The tiny
    // M1's context is 64 positions; wrong guesses come after long right runs,
    // at 2-3 contexts in, and twice in a row.
    void speculationPastTheContextIsExact() {
        const std::vector<uint8_t> text = textBytes(700);
        std::vector<uint8_t> hint = text;
        for (size_t i : {size_t(190), size_t(331), size_t(332), size_t(520), size_t(585)}) hint[i] ^= 0x01;
        auto plain = M1Model::load(kTinyM1);
        auto spec = M1Model::load(kTinyM1);
        plain->reset();
        spec->reset();
        spec->setLookahead(hint.data(), hint.size());
        for (size_t i = 0; i < text.size(); ++i) {
            float a[m1::kVocab], b[m1::kVocab];
            plain->probabilities(a);
            spec->probabilities(b);
            QVERIFY2(std::memcmp(a, b, sizeof a) == 0, qPrintable(QString("position %1").arg(i)));
            plain->advance(text[i]);
            spec->advance(text[i]);
            // After a wrong guess the hint is void: renew it from the next byte.
            if (i + 1 < text.size() && hint[i] != text[i]) spec->setLookahead(hint.data() + i + 1, hint.size() - i - 1);
        }
    }

    // Distinct Equal-Info windows decoded together (and on threads) give
    // exactly what decoding one window at a time gives.
    void batchedWindowDecodeEqualsOneWindow() {
        const std::vector<uint8_t> text = textBytes(20000);
        CodecParams p;
        p.chunkBytes = 3000;
        const ModelSet m = loadModelsFor(Method::EqualInfoAc, "");
        const ModelSet opaque{std::make_shared<OpaqueModel>(m.byteModel->clone()), nullptr};
        const Encoded e = encode(text.data(), text.size(), p, m);
        QVERIFY(decode(e, opaque) == text);
        for (int threads : {1, 2}) QVERIFY(decode(e, m, {}, threads) == text);
        // A flipped bit is caught, never decoded into something else: every
        // flip below is refused with a FormatError. The windows' own check
        // (no byte count matches the bits) catches some; others decode into
        // bytes that look right, and only the CRC-32 of the input catches
        // those: the window decoder alone returns wrong output for them.
        const std::vector<uint8_t> shortText(text.begin(), text.begin() + 4000);
        CodecParams q = p;
        q.chunkBytes = 1000;
        const Encoded small = encode(shortText.data(), shortText.size(), q, m);
        int byWindows = 0, byCrc = 0;
        constexpr int kFlips = 24;
        for (int j = 0; j < kFlips; ++j) {
            Encoded bad = small;
            const size_t at = bad.tokens.size() * size_t(j) / kFlips + size_t(j % 5);
            bad.tokens[at] ^= 1u << (j % q.tokenBits);
            QString error;
            try {
                const std::vector<uint8_t> out = decode(bad, m, {}, 2);
                QFAIL(qPrintable(QString("flipping token %1 decoded %2 bytes%3 without an error")
                                     .arg(at)
                                     .arg(out.size())
                                     .arg(out == shortText ? " (the original)" : " (wrong output)")));
            } catch (const FormatError& x) {
                error = x.what();
            }
            const std::vector<uint8_t> bits = tokensToBits(bad.tokens, q.tokenBits);
            std::vector<uint8_t> windowsOnly;
            bool windowsRefuse = false;
            try {
                windowsOnly = decodeEqualInfo(bits, bad.tokens.size() * uint64_t(q.tokenBits), q, shortText.size(),
                                              bad.side, *m.byteModel, {}, 2);
            } catch (const FormatError&) {
                windowsRefuse = true;
            }
            if (windowsRefuse) {
                ++byWindows;
            } else {
                QVERIFY2(windowsOnly != shortText, "a flipped bit decoded to the original");
                QVERIFY2(error.contains("CRC-32"), qPrintable(error));
                ++byCrc;
            }
        }
        QVERIFY(byWindows > 0);
        QVERIFY(byCrc > 0);
    }

    void roundTripUnderM1_data() {
        QTest::addColumn<int>("method");
        QTest::addColumn<int>("b");
        QTest::addColumn<int>("k");
        QTest::addColumn<bool>("distinct");
        QTest::addColumn<QByteArray>("input");
        struct Row {
            const char* name;
            Method m;
            int b, k;
            bool distinct;
        };
        const Row rows[] = {{"ac k=8", Method::Ac, 16, 8, true},
                            {"ac k=16", Method::Ac, 16, 16, true},
                            {"eqinfo b=16", Method::EqualInfoAc, 16, 8, true},
                            {"eqinfo b=64 k=16", Method::EqualInfoAc, 64, 16, true},
                            {"eqinfo b=32 shortest", Method::EqualInfoAc, 32, 8, false}};
        for (const Row& r : rows)
            for (const auto& in : test::harnessInputs(64 << 10))
                QTest::newRow(qPrintable(QString("%1 / %2").arg(r.name, in.name)))
                    << int(r.m) << r.b << r.k << r.distinct
                    << QByteArray(reinterpret_cast<const char*>(in.bytes.data()), qsizetype(in.bytes.size()));
    }
    void roundTripUnderM1() {
        QFETCH(int, method);
        QFETCH(int, b);
        QFETCH(int, k);
        QFETCH(bool, distinct);
        QFETCH(QByteArray, input);
        CodecParams p;
        p.method = Method(method);
        p.windowBits = b;
        p.tokenBits = k;
        p.termination = distinct ? CodecParams::Termination::Distinct : CodecParams::Termination::Shortest;
        const ModelSet m = loadModelsFor(p.method, "");
        QCOMPARE(m.byteModel->kind(), ModelKind::M1);
        const auto* data = reinterpret_cast<const uint8_t*>(input.constData());
        const std::vector<uint8_t> bytes(data, data + input.size());
        const Encoded e = encode(data, bytes.size(), p, m);
        QVERIFY(decode(e, m) == bytes);
        // Through a container: the hash names the model; another M1 is refused.
        const std::vector<uint8_t> c = writeContainer(e, m);
        const Container back = readContainer(c.data(), c.size());
        QCOMPARE(back.modelKind, ContainerModel::M1);
        QVERIFY(decode(back.encoded, back.models([] { return std::shared_ptr<ByteModel>(M1Model::load(kTinyM1)); })) ==
                bytes);
        if (input.size() == 1) {
            m1::M1Weights other = m1::M1Weights::load(kTinyM1);
            other.tensors["head.bias"].data[0] += 0.5f;
            auto otherModel = std::make_shared<M1Model>(std::make_shared<const m1::M1Weights>(other));
            QVERIFY_THROWS_EXCEPTION(ModelMismatch, back.models([&] { return otherModel; }));
        }
    }
};

QTEST_GUILESS_MAIN(TestM1)
#include "tst_m1.moc"
