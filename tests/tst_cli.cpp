// eqlab-cli end to end: compress/decompress every method through files and
// stdin, the analyze JSON, train-m2's run folders, a sharded dataset build
// merged, and clear errors with non-zero exit codes.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <thread>

#include "base/file_io.h"
#include "base/output_file.h"
#include "cli_run.h"
#include "m1/m1_format.h"
#include "m1/m1_runtime.h"
#include "methods/container.h"
#include "methods/default_models.h"
#include "test_inputs.h"

using namespace eqlab;
using test::cli;
using Run = test::CliRun;

namespace {

QString resource(const char* name) {
    return QString(qgetenv("EQLAB_RESOURCES")) + "/" + name;
}

// args with each placeholder replaced by its file: "@text" (the sample
// text), "@container" (it compressed), "@dataset" (an eqinfo-ac dataset of it),
// "@run" (a two-step M2 run on that), "@tmp" (a scratch folder).
QStringList withFiles(QStringList args, const QMap<QString, QString>& files) {
    for (QString& a : args)
        for (auto it = files.begin(); it != files.end(); ++it) a.replace(it.key(), it.value());
    return args;
}

// A character device node in `dir` that behaves like /dev/full (1, 7): every write fails with ENOSPC.
// Empty where nodes cannot be made (not root, a nodev file system): the real /dev/full is never used.
QString fullDevice(const QTemporaryDir& dir) {
    const QString node = dir.filePath("full");
    if (::mknod(node.toLocal8Bit().constData(), S_IFCHR | 0666, makedev(1, 7)) != 0) return {};
    const int fd = ::open(node.toLocal8Bit().constData(), O_WRONLY);  // a nodev mount refuses to open it
    if (fd < 0) return {};
    ::close(fd);
    return node;
}

}  // namespace

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
        // The trace: format 2, every table parallel arrays of equal length.
        const QJsonObject trace = o["trace"].toObject();
        QCOMPARE(trace["format"].toInt(), 2);
        const auto columns = [&](const char* table, const QStringList& fields, qsizetype rows) {
            const QJsonObject t = trace[table].toObject();
            for (const QString& f : fields)
                QVERIFY2(t[f].toArray().size() == rows, qPrintable(QString(table) + "." + f));
        };
        columns("tokens", {"value", "bit_begin", "bit_end", "byte_begin", "byte_end"}, qsizetype(tokens));
        columns("bytes", {"bit_begin", "bit_end"}, qsizetype(data.size()));
        if (hasSurprisal) columns("bytes", {"surprisal_bits"}, qsizetype(data.size()));
        if (hasWindows)
            columns("segments",
                    {"byte_begin", "byte_end", "bit_begin", "bits_used", "padding_bits", "token_only_decodable"},
                    qsizetype(o["windows"].toDouble()));
        // Values as the trace holds them: the last token ends at the last bit.
        const QJsonArray bitEnd = trace["tokens"].toObject()["bit_end"].toArray();
        if (!bitEnd.isEmpty()) QCOMPARE(bitEnd.last().toDouble(), o["bits"].toDouble());
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

    // build-dataset --shard I/N codes shard I of N into a shard folder;
    // merge-dataset makes of all N the dataset build-dataset makes, byte for
    // byte. A shard is no dataset (train-m2 refuses it, naming
    // merge-dataset), a missing shard is named and nothing is written.
    void shardedBuildMerges() {
        QTemporaryDir dir;
        const QStringList build{
            "build-dataset",   "-m",  "eqinfo-ac", "--corpus", resource("sample.txt"), "--max-bytes", "4096",
            "--example-bytes", "256", "--seq",     "64",       "--valid-fraction",     "0.25"};
        Run r = cli(build + QStringList{"--out", dir.filePath("whole")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        for (const char* shard : {"0/2", "1/2"}) {
            r = cli(build + QStringList{"--shard", shard, "--out", dir.filePath(QString("shard-%1").arg(shard[0]))});
            QVERIFY2(r.code == 0, qPrintable(r.err));
        }
        r = cli({"merge-dataset", "--out", dir.filePath("merged"), dir.filePath("shard-1"), dir.filePath("shard-0")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        for (const char* file : {"dataset.json", "train.bin", "valid.bin"})
            QVERIFY2(readFile(dir.filePath(QString("whole/") + file).toStdString()) ==
                         readFile(dir.filePath(QString("merged/") + file).toStdString()),
                     file);
        r = cli({"train-m2", "--data", dir.filePath("shard-0"), "--steps", "1", "--run", dir.filePath("run")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("shard 0 of 2") && r.err.contains("merge-dataset"), qPrintable(r.err));
        r = cli({"merge-dataset", "--out", dir.filePath("partial"), dir.filePath("shard-1")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("shard 0 of 2 is missing"), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath("partial")));
        r = cli(build + QStringList{"--shard", "0/2", "--out", dir.filePath("whole")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("holds a dataset"), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath("whole/shard.json")));
        r = cli(build + QStringList{"--shard", "2/2", "--out", dir.filePath("bad")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("0 <= I < N"), qPrintable(r.err));
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
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));  // JSON is all of stdout
        QVERIFY(o["static_ac_encode_bytes_per_s"].toDouble() > 0);
        QVERIFY(o["zlib_encode_bytes_per_s"].toDouble() > 0);
        // The default input does not repeat: zlib codes it about as it codes
        // English (2.8 bits/byte), not at the 0.06 of the sample repeated.
        QVERIFY2(o["input_source"].toString().contains("order-3 character chain"),
                 qPrintable(o["input_source"].toString()));
        QVERIFY2(o["zlib_bits_per_byte"].toDouble() > 2.0,
                 qPrintable(QString::number(o["zlib_bits_per_byte"].toDouble())));
        QVERIFY(o["m1_input_source"].toString().endsWith("sample.txt"));
        // The M1 section (the tests' tiny M1), with the three keys.
        QCOMPARE(o["m1_threads"].toInt(), 2);
        for (const char* key : {"encode_bytes_per_s", "decode_bytes_per_s", "roofline_bytes_per_s"})
            QVERIFY2(o[key].toDouble() > 0, key);
        const QJsonObject byRows = o["runtime_gflops_by_rows"].toObject();
        QCOMPARE(byRows.keys(), (QStringList{"1", "16", "4", "64"}));
        for (const QString& rows : byRows.keys()) QVERIFY(byRows[rows].toDouble() > 0);
    }

    // The files the data-driven tests below share (see withFiles), made once.
    void initTestCase() {
        QVERIFY(fixtures_.isValid());
        files_["@text"] = resource("sample.txt");
        files_["@tmp"] = fixtures_.filePath("tmp");
        QVERIFY(QDir().mkpath(files_["@tmp"]));
        files_["@container"] = fixtures_.filePath("sample.eqlc");
        Run r = cli({"compress", "-m", "gzip", files_["@text"], files_["@container"]});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        files_["@dataset"] = fixtures_.filePath("ds");
        // eqinfo-ac under the tests' tiny M1: study position-accuracy needs such a run.
        r = cli({"build-dataset", "-m", "eqinfo-ac", "--corpus", files_["@text"], "--out", files_["@dataset"],
                 "--max-bytes", "4096", "--example-bytes", "256", "--seq", "64", "--valid-fraction", "0.25"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        files_["@run"] = fixtures_.filePath("run");
        r = cli({"train-m2", "--data", files_["@dataset"], "--run", files_["@run"], "--minutes", "0", "--steps", "2",
                 "--eval-every", "1", "--d-model", "16", "--layers", "1"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }

    // With --json, stdout carries exactly one JSON document and nothing else
    // (tables, notes and progress go to stderr): every command that has --json.
    void jsonIsAllOfStdout_data() {
        QTest::addColumn<QStringList>("args");
        const QStringList tiny = {"--max-bytes", "1500"};  // the studies' input, cut short
        QTest::newRow("analyze") << QStringList{"analyze", "-m", "static-ac", "--json", "@text"};
        QTest::newRow("analyze --trace") << QStringList{"analyze", "-m", "eqinfo-ac", "--json", "--trace", "@text"};
        QTest::newRow("info (always JSON)") << QStringList{"info", "@container"};
        QTest::newRow("paper") << QStringList{"paper", "--json"};
        QTest::newRow("eval-m1") << QStringList{"eval-m1", EQLAB_TEST_DATA "/tiny-m1.eqm1", "@text", "--bytes", "1000",
                                                "--json"};
        // bench --json: benchJson (the costliest; it checks the same).
        QTest::newRow("bench-phases") << QStringList{"bench-phases", "--json", "--kib", "1", "--repeats", "1"};
        QTest::newRow("bench-latency") << QStringList{"bench-latency", "-m", "gzip", "--json", "--repeats", "1"};
        QTest::newRow("bench-m2") << QStringList{"bench-m2",        "--json", "--vocab",   "256", "--seq",    "16",
                                                 "--batch",         "2",      "--d-model", "16",  "--layers", "1",
                                                 "--measure-steps", "1"};
        QTest::newRow("train-m2") << QStringList{
            "train-m2",     "--data", "@dataset",  "--run", "@tmp/train-m2", "--minutes", "0",     "--steps", "1",
            "--eval-every", "1",      "--d-model", "16",    "--layers",      "1",         "--json"};
        QTest::newRow("reproduce") << QStringList{
            "reproduce", "--corpus",        "@text", "--budget", "0.02",       "--steps",   "1",         "--max-bytes",
            "2048",      "--example-bytes", "256",   "--seq",    "64",         "--d-model", "16",        "--layers",
            "1",         "--methods",       "bytes", "--cache",  "@tmp/cache", "--runs",    "@tmp/runs", "--json"};
        QTest::newRow("step") << QStringList{"step", "-m", "eqinfo-ac", "--json"};
        QTest::newRow("study window-sweep")
            << (QStringList{"study", "window-sweep", "-b", "16,32", "-k", "8", "--json"} + tiny);
        QTest::newRow("study reset") << (QStringList{"study", "reset", "--every", "1,never", "--json"} + tiny);
        QTest::newRow("study stability") << QStringList{"study", "stability", "--methods", "gzip,static-ac", "--json"};
        QTest::newRow("study uniformity")
            << (QStringList{"study", "uniformity", "--methods", "gzip", "--max-n", "2", "--json"} + tiny);
        QTest::newRow("study windows") << (QStringList{"study", "windows", "--json"} + tiny);
        QTest::newRow("study token-meaning") << (QStringList{"study", "token-meaning", "--json"} + tiny);
        QTest::newRow("study segmentations") << (QStringList{"study", "segmentations", "--json"} + tiny);
        QTest::newRow("study position-accuracy") << QStringList{"study", "position-accuracy", "--json", "@run"};
    }
    void jsonIsAllOfStdout() {
        QFETCH(QStringList, args);
        const Run r = cli(withFiles(args, files_));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError,
                 qPrintable(error.errorString() + " at " + QString::number(error.offset) + ": " + r.out.left(200)));
        QVERIFY(doc.isObject() || doc.isArray());
    }

    // Output lost on stdout (a full disk) fails the command, for every
    // command: stdio's buffer shows the error only at the last flush.
    // An output that is one of the files the command reads (the input, the
    // model) is refused before anything is written, through any link.
    void outputThatIsAnInputIsRefused() {
        QTemporaryDir dir;
        const QString text = dir.filePath("text.txt"), model = dir.filePath("model.equg");
        const QString link = dir.filePath("link.txt"), container = dir.filePath("text.eqlc");
        const std::vector<uint8_t> original = readFile(resource("sample.txt").toStdString());
        writeFile(text.toStdString(), original);
        QVERIFY(QFile::copy(resource("unigram-default.equg"), model));
        QVERIFY(QFile::link(text, link));
        const std::vector<uint8_t> modelBytes = readFile(model.toStdString());
        QCOMPARE(cli({"compress", "-m", "gzip", text, container}).code, 0);
        const std::vector<uint8_t> containerBytes = readFile(container.toStdString());
        for (const QStringList& args :
             {QStringList{"compress", "-m", "gzip", text, text}, QStringList{"compress", "-m", "gzip", text, link},
              QStringList{"compress", "-m", "static-ac", "--model", model, text, model},
              QStringList{"decompress", container, container}}) {
            const Run r = cli(args);
            QVERIFY2(r.code != 0, qPrintable(args.join(' ')));
            QVERIFY2(r.err.contains("refusing to overwrite"), qPrintable(r.err));
        }
        QCOMPARE(readFile(text.toStdString()), original);
        QCOMPARE(readFile(model.toStdString()), modelBytes);
        QCOMPARE(readFile(container.toStdString()), containerBytes);
    }

    void stdoutWriteErrorFails_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("stdinText");
        QTest::newRow("compress - -") << QStringList{"compress", "-m", "gzip", "-", "-"} << true;
        QTest::newRow("decompress IN -") << QStringList{"decompress", "@container", "-"} << false;
        QTest::newRow("info") << QStringList{"info", "@container"} << false;
        QTest::newRow("analyze (table)") << QStringList{"analyze", "-m", "gzip", "@text"} << false;
        QTest::newRow("analyze --json --trace")
            << QStringList{"analyze", "-m", "static-ac", "--json", "--trace", "@text"} << false;
        QTest::newRow("paper") << QStringList{"paper"} << false;
        QTest::newRow("paper --json") << QStringList{"paper", "--json"} << false;
        QTest::newRow("step") << QStringList{"step", "-m", "static-ac"} << false;
        QTest::newRow("study windows --csv") << QStringList{"study", "windows", "--csv", "--max-bytes", "500"} << false;
        QTest::newRow("--help") << QStringList{"--help"} << false;
        QTest::newRow("compress --help") << QStringList{"compress", "--help"} << false;
    }
    void stdoutWriteErrorFails() {
        QFETCH(QStringList, args);
        QFETCH(bool, stdinText);
        QTemporaryDir dir;
        const QString full = fullDevice(dir);
        if (full.isEmpty()) QSKIP("cannot make a device node here (needs root and a file system that allows them)");
        const QByteArray text = stdinText ? QByteArray(reinterpret_cast<const char*>(test::sampleText().data()),
                                                       qsizetype(test::sampleText().size()))
                                          : QByteArray();
        const Run r = test::cliToFile(withFiles(args, files_), full, text);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("cannot write to stdout: No space left on device"), qPrintable(r.err));
        struct stat st;
        QVERIFY(::lstat(full.toLocal8Bit().constData(), &st) == 0 && S_ISCHR(st.st_mode));  // still the node
    }

    // --threads beyond the machine's cores is clamped, with one note on
    // stderr, and changes no bit of the output; 0 and negative are refused.
    void threadsAreClamped_data() {
        QTest::addColumn<QString>("method");
        QTest::newRow("ac") << "ac";
        QTest::newRow("eqinfo-ac") << "eqinfo-ac";
        QTest::newRow("static-ac") << "static-ac";
    }
    void threadsAreClamped() {
        QFETCH(QString, method);
        QTemporaryDir dir;
        const QString one = dir.filePath("one.eqlc"), many = dir.filePath("many.eqlc");
        Run r = cli({"compress", "-m", method, "--threads", "1", resource("sample.txt"), one});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(!r.err.contains("note: --threads"), qPrintable(r.err));
        r = cli({"compress", "-m", method, "--threads", "100000", resource("sample.txt"), many});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(readFile(many.toStdString()), readFile(one.toStdString()));
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        const QString note = QString("note: --threads 100000 is more than this machine's %1 core%2; using %1")
                                 .arg(cores)
                                 .arg(cores == 1 ? "" : "s");
        QCOMPARE(r.err.count(note), 1);
    }

    // Integer options report the value given, whatever is wrong with it.
    void integerOptionsQuoteTheValue_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString text = resource("sample.txt");
        QTest::newRow("--chunk -5") << QStringList{"analyze", "-m", "ac", "--chunk", "-5", text} << "(got -5)";
        QTest::newRow("--chunk 0") << QStringList{"analyze", "-m", "ac", "--chunk", "0", text} << "(got 0)";
        QTest::newRow("--chunk 2^31") << QStringList{"analyze", "-m", "ac", "--chunk", "2147483648", text}
                                      << "--chunk is out of range (got 2147483648)";
        QTest::newRow("-b 20 digits") << QStringList{"analyze", "-b", "99999999999999999999", text}
                                      << "--window-bits is out of range (got '99999999999999999999')";
        QTest::newRow("-k x") << QStringList{"analyze", "-k", "x", text} << "--token-bits expects an integer, got 'x'";
        QTest::newRow("-k -3") << QStringList{"analyze", "-m", "static-ac", "-k", "-3", text} << "(got -3)";
        QTest::newRow("-P -1") << QStringList{"analyze", "-m", "static-ac", "-P", "-1", text} << "(got -1)";
        QTest::newRow("--level 12") << QStringList{"analyze", "-m", "gzip", "--level", "12", text} << "(got 12)";
        QTest::newRow("--threads 0") << QStringList{"analyze", "-m", "gzip", "--threads", "0", text}
                                     << "--threads must be at least 1 (got 0)";
        QTest::newRow("--threads -4") << QStringList{"compress", "-m", "gzip", "--threads", "-4", text, "@tmp/x"}
                                      << "--threads must be at least 1 (got -4)";
        QTest::newRow("study --threads 0")
            << QStringList{"study", "windows", "--threads", "0"} << "--threads must be at least 1 (got 0)";
        QTest::newRow("train-m2 --threads 0") << QStringList{"train-m2", "--data", "@dataset", "--threads", "0"}
                                              << "--threads must be at least 1 (got 0)";
    }
    void integerOptionsQuoteTheValue() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = cli(withFiles(args, files_));
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    // A model stamped for numerics this eqlab does not compute: compress
    // refuses it, naming both versions; stamp-m1 re-stamps it (in place) for
    // this eqlab's, tensors unchanged, and it then codes under them. What it
    // codes decodes with the original (numerics 1) too, and the other way.
    void stampM1RestampsOtherNumerics() {
        QTemporaryDir dir;
        const std::vector<uint8_t> bytes = readFile(EQLAB_TEST_DATA "/tiny-m1.eqm1");
        m1::M1Weights w = m1::M1Weights::deserialize(bytes.data(), bytes.size());
        const int other = m1::kNumericsVersion + 1;
        w.provenance.numericsVersion = other;
        const QString model = dir.filePath("other.eqm1");
        writeFile(model.toStdString(), w.serialize());
        Run r = cli({"compress", "-m", "ac", "--model", model, resource("sample.txt"), dir.filePath("x.eqlc")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QString("numerics version %1").arg(other)) &&
                     r.err.contains(QString("version %1;").arg(m1::kNumericsVersion)) && r.err.contains("stamp-m1"),
                 qPrintable(r.err));
        r = cli({"stamp-m1", model, model});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains(QString("%1 -> %2").arg(other).arg(m1::kNumericsVersion)), qPrintable(r.err));
        const m1::M1Weights back = m1::M1Weights::load(model.toStdString());
        QCOMPARE(back.provenance.numericsVersion, m1::kNumericsVersion);
        QVERIFY(back.tensorBytes() == w.tensorBytes());
        r = cli({"compress", "-m", "ac", "--model", model, resource("sample.txt"), dir.filePath("x.eqlc")});
        QCOMPARE(r.code, 0);
        r = cli({"compress", "-m", "ac", "--model", EQLAB_TEST_DATA "/tiny-m1.eqm1", resource("sample.txt"),
                 dir.filePath("y.eqlc")});
        QCOMPARE(r.code, 0);
        const std::vector<uint8_t> sample = readFile(resource("sample.txt").toStdString());
        r = cli({"decompress", "--model", EQLAB_TEST_DATA "/tiny-m1.eqm1", dir.filePath("x.eqlc"), dir.filePath("x")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(readFile(dir.filePath("x").toStdString()) == sample);
        r = cli({"decompress", "--model", model, dir.filePath("y.eqlc"), dir.filePath("y")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(readFile(dir.filePath("y").toStdString()) == sample);
        // Re-stamping a model of a version this eqlab computes (the tiny M1's 1) says what still decodes.
        r = cli({"stamp-m1", EQLAB_TEST_DATA "/tiny-m1.eqm1", dir.filePath("restamped.eqm1")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains(QString("%1 -> %2").arg(m1::kOldestNumericsVersion).arg(m1::kNumericsVersion)) &&
                     r.err.contains("still decode"),
                 qPrintable(r.err));
    }

    // An M1 whose weights are finite but overflow float arithmetic: eval-m1
    // and compress say so and fail, instead of "-nan bits/byte" or a silent
    // uniform distribution (8 bits/byte).
    void nonFiniteModelIsAnError() {
        QTemporaryDir dir;
        const std::vector<uint8_t> bytes = readFile(EQLAB_TEST_DATA "/tiny-m1.eqm1");
        m1::M1Weights w = m1::M1Weights::deserialize(bytes.data(), bytes.size());
        for (auto& [name, t] : w.tensors)
            for (float& x : t.data) x = std::copysign(1e30f, x == 0 ? 1.0f : x);
        const QString huge = dir.filePath("huge.eqm1");
        writeFile(huge.toStdString(), w.serialize());
        Run r = cli({"eval-m1", huge, resource("sample.txt"), "--bytes", "500"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("non-finite probabilities") && r.err.contains("huge.eqm1"), qPrintable(r.err));
        QVERIFY2(!r.out.contains("nan"), r.out.constData());
        for (const char* method : {"ac", "eqinfo-ac"}) {
            r = cli({"compress", "-m", method, "--model", huge, resource("sample.txt"), dir.filePath("x.eqlc")});
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains("non-finite probabilities") && r.err.contains("M1"), qPrintable(r.err));
            QVERIFY(!QFile::exists(dir.filePath("x.eqlc")));
        }
    }

private:
    QTemporaryDir fixtures_;
    QMap<QString, QString> files_;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
