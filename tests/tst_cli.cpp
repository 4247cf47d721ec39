// eqlab-cli end to end: compress/decompress every method through files and
// stdin, the analyze JSON, train-m2's run folders, and clear errors with
// non-zero exit codes.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "base/file_io.h"
#include "base/output_file.h"
#include "cli_run.h"
#include "methods/container.h"
#include "methods/default_models.h"
#include "test_inputs.h"

using namespace eqlab;
using test::cli;
using Run = test::CliRun;

namespace {}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void roundTripEveryMethod_data() {
        QTest::addColumn<QStringList>("options");
        QTest::newRow("bytes") << QStringList{"-m", "bytes"};
        QTest::newRow("gzip") << QStringList{"-m", "gzip", "-k", "16"};
        QTest::newRow("static-ac") << QStringList{"-m", "static-ac"};
        QTest::newRow("ac") << QStringList{"-m", "ac"};
        QTest::newRow("eqinfo-ac b=16") << QStringList{"-m", "eqinfo-ac", "-b", "16", "-k", "8"};
        QTest::newRow("eqinfo-ac b=128 k=16") << QStringList{"-m", "eqinfo-ac", "-b", "128", "-k", "16"};
        QTest::newRow("sentencepiece") << QStringList{"-m", "sentencepiece"};
    }
    void roundTripEveryMethod() {
        QFETCH(QStringList, options);
        QTemporaryDir dir;
        std::vector<uint8_t> data = test::sampleText();
        const std::vector<uint8_t> junk = test::randomBytes(3000, 3);
        data.insert(data.end(), junk.begin(), junk.end());
        const QString in = dir.filePath("in.bin"), packed = dir.filePath("out.eqlc"), back = dir.filePath("back.bin");
        writeFile(in.toStdString(), data);
        Run r = cli(QStringList{"compress"} + options + QStringList{in, packed});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({"decompress", packed, back});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(readFile(back.toStdString()) == data);
        r = cli({"info", packed});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["original_bytes"].toDouble(), double(data.size()));
    }

    void stdinInput() {
        QTemporaryDir dir;
        const QByteArray text = "stdin works too\n";
        Run r = cli({"compress", "-m", "static-ac", "-", dir.filePath("s.eqlc")}, text);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({"decompress", dir.filePath("s.eqlc"), "-"});
        QCOMPARE(r.out, text);
    }

    // compress and decompress stream frame by frame (methods/container_stream.h):
    // an input of several frames, from a file and from stdin, gives exactly
    // the in-memory container and decodes back (tst_container_stream covers
    // every method and frame size in process).
    void streamedContainersAreTheInMemoryOnes_data() {
        QTest::addColumn<QString>("method");
        for (const char* m : {"bytes", "gzip", "static-ac", "sentencepiece"}) QTest::newRow(m) << QString(m);
    }
    void streamedContainersAreTheInMemoryOnes() {
        QFETCH(QString, method);
        std::vector<uint8_t> data;
        const std::vector<uint8_t> text = test::sampleText();
        while (data.size() < (5u << 20)) data.insert(data.end(), text.begin(), text.end());
        const std::vector<uint8_t> junk = test::randomBytes(100000, 5);
        data.insert(data.end(), junk.begin(), junk.end());
        CodecParams p;
        p.method = parseMethod(method.toStdString());
        const ModelSet models = loadModelsFor(p.method, "");
        EncodeOptions eo;
        eo.stats = false;
        const std::vector<uint8_t> expect = writeContainer(encode(data.data(), data.size(), p, models, eo), models);
        QTemporaryDir dir;
        const QString in = dir.filePath("in"), viaFile = dir.filePath("f.eqlc"), viaStdin = dir.filePath("s.eqlc");
        writeFile(in.toStdString(), data);
        Run r = cli({"compress", "-m", method, in, viaFile});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(readFile(viaFile.toStdString()) == expect);
        const QByteArray raw(reinterpret_cast<const char*>(data.data()), qsizetype(data.size()));
        r = cli({"compress", "-m", method, "-", viaStdin}, raw);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(readFile(viaStdin.toStdString()) == expect);
        r = cli({"decompress", viaFile, dir.filePath("back")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(readFile(dir.filePath("back").toStdString()) == data);
        QFile f(viaStdin);
        QVERIFY(f.open(QIODevice::ReadOnly));
        r = cli({"decompress", "-", "-"}, f.readAll());
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out == raw);
    }

    // A forged length is refused at once, naming the claim and the bound; a
    // container damaged late, decoded into a pipe, fails and says that what
    // the pipe received is not the original.
    void decompressionBombsAndLateDamage() {
        QTemporaryDir dir;
        std::vector<uint8_t> data = test::sampleText();
        data.resize(6000);
        Encoded e = encode(data.data(), data.size(), CodecParams::fromLabel("gzip"), {});
        e.inputBytes = uint64_t(1) << 32;
        const QString bomb = dir.filePath("bomb.eqlc");
        writeFile(bomb.toStdString(), writeContainer(e, {}));
        Run r = cli({"decompress", bomb, dir.filePath("out")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("claims 4294967296 bytes") && r.err.contains("can hold at most"), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath("out")));

        std::vector<uint8_t> big;
        const std::vector<uint8_t> text = test::sampleText();
        while (big.size() < (5u << 20)) big.insert(big.end(), text.begin(), text.end());
        const ModelSet models = loadModelsFor(Method::StaticAc, "");
        std::vector<uint8_t> c =
            writeContainer(encode(big.data(), big.size(), CodecParams::fromLabel("static-ac"), models), models);
        c[c.size() - 10] ^= 1;  // in the last frame's tokens
        QFile f(dir.filePath("late.eqlc"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(reinterpret_cast<const char*>(c.data()), qsizetype(c.size()));
        f.close();
        r = cli({"decompress", f.fileName(), "-"});
        QCOMPARE(r.code, 1);
        QVERIFY(!r.out.isEmpty());
        QVERIFY2(r.err.contains("already written") && r.err.contains("are not the original"), qPrintable(r.err));
        r = cli({"decompress", f.fileName(), dir.filePath("late.out")});
        QCOMPARE(r.code, 1);
        QVERIFY(!QFile::exists(dir.filePath("late.out")));
    }

    void analyzeJson_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<bool>("hasSurprisal");
        QTest::addColumn<bool>("hasWindows");
        QTest::newRow("bytes") << "bytes" << false << false;
        QTest::newRow("gzip") << "gzip" << false << false;
        QTest::newRow("static-ac") << "static-ac" << true << false;
        QTest::newRow("ac") << "ac" << true << false;
        QTest::newRow("eqinfo-ac") << "eqinfo-ac" << true << true;
        QTest::newRow("sentencepiece") << "sentencepiece" << false << false;
    }
    void analyzeJson() {
        QFETCH(QString, method);
        QFETCH(bool, hasSurprisal);
        QFETCH(bool, hasWindows);
        QTemporaryDir dir;
        const std::vector<uint8_t> data = test::sampleText();
        writeFile(dir.filePath("t.txt").toStdString(), data);
        Run r = cli({"analyze", "-m", method, "--json", "--trace", dir.filePath("t.txt")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        for (const char* key : {"method", "bytes", "tokens", "vocab", "bits", "bits_per_byte", "bytes_per_token",
                                "surprisal_bits", "windows", "token_only_decodable"})
            QVERIFY2(o.contains(key), key);
        QCOMPARE(o["method"].toString(), method);
        QCOMPARE(o["bytes"].toDouble(), double(data.size()));
        const double tokens = o["tokens"].toDouble(), vocab = o["vocab"].toDouble();
        QVERIFY(qAbs(o["bits"].toDouble() - tokens * std::log2(vocab)) < 1e-6 * tokens + 1e-9);
        QVERIFY(qAbs(o["bits_per_byte"].toDouble() - o["bits"].toDouble() / double(data.size())) < 1e-9);
        QVERIFY(qAbs(o["bytes_per_token"].toDouble() - double(data.size()) / tokens) < 1e-9);
        QCOMPARE(!o["surprisal_bits"].isNull(), hasSurprisal);
        QCOMPARE(o["windows"].toDouble() > 0, hasWindows);
        QCOMPARE(!o["token_only_decodable"].isNull(), hasWindows);
        const QJsonObject trace = o["trace"].toObject();
        QCOMPARE(trace["tokens"].toArray().size(), qsizetype(tokens));
        QCOMPARE(trace["bytes"].toObject()["bit_begin"].toArray().size(), qsizetype(data.size()));
        if (hasWindows) QCOMPARE(trace["segments"].toArray().size(), qsizetype(o["windows"].toDouble()));
    }

    void errorsAreClear_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command";
        QTest::newRow("unknown method") << QStringList{"analyze", "-m", "zip", "x"} << 2 << "unknown method";
        QTest::newRow("b not multiple of k") << QStringList{"analyze", "-b", "20", "x"} << 2 << "multiple";
        QTest::newRow("missing input") << QStringList{"compress", "/nonexistent/in", "/tmp/x.eqlc"} << 1
                                       << "cannot read";
        QTest::newRow("not a container") << QStringList{"decompress", EQLAB_TEST_DATA "/../tst_cli.cpp", "/tmp/x"} << 1
                                         << "bad magic";
        QTest::newRow("missing arguments") << QStringList{"compress"} << 2 << "usage";
        QTest::newRow("train-m2 --resume without --run")
            << QStringList{"train-m2", "--data", "ds", "--resume"} << 2 << "--run";
    }
    void errorsAreClear() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Run r = cli(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    // A failing command leaves no partial output behind, and never replaces an existing file.
    void noPartialOutput() {
        QTemporaryDir dir;
        const QString out = dir.filePath("out.bin");
        QVERIFY(cli({"decompress", EQLAB_TEST_DATA "/../tst_cli.cpp", out}).code != 0);
        QVERIFY(!QFile::exists(out));
        writeFile(out.toStdString(), std::vector<uint8_t>{'k', 'e', 'e', 'p'});
        QVERIFY(cli({"decompress", EQLAB_TEST_DATA "/../tst_cli.cpp", out}).code != 0);
        QVERIFY(readFile(out.toStdString()) == (std::vector<uint8_t>{'k', 'e', 'e', 'p'}));
    }

    // train-m2's run folders follow m2::Experiment's layout: by default a new
    // <user cache>/m2-runs/<method>-<yyyyMMdd-HHmmss>, as reproduce's; --run
    // names the folder. run.json records the dataset folder absolute, so the
    // run resumes from anywhere.
    void trainM2RunFolder_data() {
        QTest::addColumn<QString>("run");  // --run relative to the working folder, "" for the default
        QTest::newRow("default: in the user cache") << "";
        QTest::newRow("--run overrides it") << "my-run";
    }
    void trainM2RunFolder() {
        QFETCH(QString, run);
        QTemporaryDir dir;
        const QString corpus = QString(qgetenv("EQLAB_RESOURCES")) + "/sample.txt";
        Run r = cli({"build-dataset", "-m", "bytes", "--corpus", corpus, "--out", dir.filePath("ds"), "--max-bytes",
                     "4096", "--example-bytes", "256", "--seq", "64", "--valid-fraction", "0.25"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_CACHE_HOME", dir.filePath("cache"));  // the user cache, as QStandardPaths reads it
        QStringList args{"train-m2",     "--data", "ds",        "--minutes", "0",        "--steps", "2",
                         "--eval-every", "1",      "--d-model", "16",        "--layers", "1",       "--json"};
        if (!run.isEmpty()) args << "--run" << run;
        r = cli(args, {}, dir.path(), env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString runDir = QJsonDocument::fromJson(r.out).object()["run"].toString();
        if (run.isEmpty())
            QVERIFY2(
                QRegularExpression("^" + QRegularExpression::escape(dir.filePath("cache/eqlab-cli/m2-runs/bytes-")) +
                                   "\\d{8}-\\d{6}$")
                    .match(runDir)
                    .hasMatch(),
                qPrintable(runDir));
        else
            QCOMPARE(runDir, run);
        QFile record(QDir(dir.path()).filePath(runDir + "/run.json"));
        QVERIFY2(record.open(QIODevice::ReadOnly), qPrintable(record.fileName()));
        QCOMPARE(QJsonDocument::fromJson(record.readAll()).object()["dataset_dir"].toString(), dir.filePath("ds"));
    }

    // eval-m1 scores texts with the libtorch model: bits/byte per file, and
    // a file that is not an M1 is refused with a message and exit code 1.
    void evalM1() {
        const QString model = EQLAB_TEST_DATA "/tiny-m1.eqm1";
        const QString text = QString(qgetenv("EQLAB_RESOURCES")) + "/sample.txt";
        const Run r = cli({"eval-m1", model, text, "--bytes", "3000", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const double bpb = QJsonDocument::fromJson(r.out).object()["sample.txt"].toDouble();
        QVERIFY2(bpb > 1.0 && bpb < 8.0, qPrintable(QString::number(bpb)));
        const Run bad = cli({"eval-m1", text, text});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("sample.txt"), qPrintable(bad.err));
    }

    // reproduce --methods takes the M1 reset variants (the reset study's
    // learnability half), each under its own label; a bad one is refused first.
    void reproduceTakesResetVariants() {
        QTemporaryDir dir;
        const QString corpus = QString(qgetenv("EQLAB_RESOURCES")) + "/sample.txt";
        const QStringList common = {"reproduce",
                                    "--corpus",
                                    corpus,
                                    "--budget",
                                    "0.05",
                                    "--steps",
                                    "3",
                                    "--max-bytes",
                                    "8192",
                                    "--example-bytes",
                                    "256",
                                    "--seq",
                                    "64",
                                    "--d-model",
                                    "32",
                                    "--layers",
                                    "1",
                                    "--cache",
                                    dir.filePath("c"),
                                    "--runs",
                                    dir.filePath("r"),
                                    "--json"};
        const Run r = cli(common + QStringList{"--methods", "eqinfo-ac[b=16,reset=never],eqinfo-ac[b=16,reset=2]"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonArray rows = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].toObject()["method"].toString(), QString("eqinfo-ac[b=16,v=256,reset=never]"));
        QCOMPARE(rows[1].toObject()["method"].toString(), QString("eqinfo-ac[b=16,v=256,reset=2]"));
        const Run bad = cli(common + QStringList{"--methods", "eqinfo-ac[b=16,reset=sometimes]"});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("reset=sometimes"), qPrintable(bad.err));
        QVERIFY(bad.out.isEmpty());
    }

    void benchJson() {
        const Run r = cli({"bench", "--json", "--megabytes", "1", "--repeats", "1", "--threads", "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY(o["static_ac_encode_bytes_per_s"].toDouble() > 0);
        QVERIFY(o["zlib_encode_bytes_per_s"].toDouble() > 0);
        // The M1 section (the tests' tiny M1), with the three keys.
        QCOMPARE(o["m1_threads"].toInt(), 2);
        for (const char* key : {"encode_bytes_per_s", "decode_bytes_per_s", "roofline_bytes_per_s"})
            QVERIFY2(o[key].toDouble() > 0, key);
        const QJsonObject byRows = o["runtime_gflops_by_rows"].toObject();
        QCOMPARE(byRows.keys(), (QStringList{"1", "16", "4", "64"}));
        for (const QString& rows : byRows.keys()) QVERIFY(byRows[rows].toDouble() > 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
