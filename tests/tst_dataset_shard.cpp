// Sharded dataset builds (m2/dataset_shard.h, m2/dataset_merge.h): for every
// method, 2 and 3 shards merged (in any order) are byte for byte the
// single-process build's dataset.json, train.bin and valid.bin; a missing or
// duplicate shard, shards of different builds or splits, a folder that is
// not a shard and an output that is an input are refused, naming them, with
// nothing written; a damaged shard.json or tokens.bin is refused naming
// the field; a shard folder is never loaded as a dataset; a shard's
// progress covers its own work.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "m2/dataset_merge.h"
#include "m2/dataset_shard.h"
#include "m2/m2_dataset.h"
#include "small_dataset.h"

using namespace eqlab;
using namespace eqlab::m2;

namespace {

// 32 examples of 256 bytes, the last 4 held out: 3 shards are 10, 11 and 11
// examples, and the last of 2 or 3 holds both train and valid examples.
DatasetOptions smallOptions(const std::string& label) {
    return test::smallDatasetOptions(CodecParams::fromLabel(label));
}

const std::string& corpus() {
    return test::sampleCorpus();
}

const char* const kDatasetFiles[] = {"dataset.json", "train.bin", "valid.bin"};

// The shard folders DIR/PREFIX-0 ... of a build in `count` shards.
std::vector<std::string> buildShards(const DatasetOptions& o, int count, const QTemporaryDir& dir,
                                     const QString& prefix) {
    std::vector<std::string> dirs;
    for (int i = 0; i < count; ++i) {
        dirs.push_back(dir.filePath(prefix + "-" + QString::number(i)).toStdString());
        saveDatasetShard(buildDatasetShard(corpus(), o, i, count), dirs.back());
    }
    return dirs;
}

QJsonObject readJson(const std::string& path) {
    const std::vector<uint8_t> raw = readFile(path);
    return QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(raw.data()), qsizetype(raw.size())))
        .object();
}

// What `call` threw, as a message ("" when it threw nothing).
template <class E, class F>
QString messageOf(F call) {
    try {
        call();
    } catch (const E& e) {
        return e.what();
    }
    return {};
}

}  // namespace

class TestDatasetShard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mergedShardsAreTheWholeBuild_data() {
        QTest::addColumn<QString>("method");
        for (const char* m : {"bytes", "gzip", "static-ac", "ac", "eqinfo-ac[b=16,v=256]", "sentencepiece"})
            QTest::newRow(m) << m;
    }
    void mergedShardsAreTheWholeBuild() {
        QFETCH(QString, method);
        const DatasetOptions o = smallOptions(method.toStdString());
        QTemporaryDir dir;
        const std::string whole = dir.filePath("whole").toStdString();
        saveDataset(buildDataset(corpus(), o), whole);
        for (int count : {2, 3}) {
            std::vector<std::string> shards = buildShards(o, count, dir, QString("of%1").arg(count));
            std::reverse(shards.begin(), shards.end());  // any order merges
            const std::string merged = dir.filePath(QString("merged%1").arg(count)).toStdString();
            mergeDatasetShards(shards, merged);
            for (const char* file : kDatasetFiles) {
                const std::vector<uint8_t> a = readFile(whole + "/" + file), b = readFile(merged + "/" + file);
                QVERIFY2(a == b, qPrintable(QString("%1 of %2 shards differs from the single build's (%3 vs %4 bytes)")
                                                .arg(file)
                                                .arg(count)
                                                .arg(b.size())
                                                .arg(a.size())));
            }
            const Dataset d = loadDataset(merged);
            QCOMPARE(d.buildShards, count);
            QCOMPARE(d.train.examples + d.valid.examples, size_t(32));
        }
        QCOMPARE(loadDataset(whole).buildShards, 1);
    }

    // Every refusal names the problem and writes nothing.
    void mergeRefusals_data() {
        QTest::addColumn<QStringList>("inputs");  // shard folders: "of3-1" etc., "@out" the output itself
        QTest::addColumn<QString>("message");
        QTest::newRow("missing") << QStringList{"of3-0", "of3-2"} << "shard 1 of 3 is missing";
        QTest::newRow("duplicate") << QStringList{"of3-0", "of3-1", "of3-1", "of3-2"}
                                   << "shard 1 of 3 is given twice: @dir/of3-1 and @dir/of3-1";
        QTest::newRow("different builds") << QStringList{"of3-0", "other-1", "of3-2"}
                                          << "shards of different builds: @dir/of3-0 is of build @key, "
                                             "@dir/other-1 of build @other";
        QTest::newRow("different splits") << QStringList{"of3-0", "of2-1"} << "@dir/of2-1 is shard 1 of 2";
        QTest::newRow("not a shard") << QStringList{"of3-0", "empty", "of3-2"}
                                     << "@dir/empty is not a dataset shard (it has no shard.json)";
        QTest::newRow("a dataset") << QStringList{"of3-0", "whole", "of3-2"}
                                   << "@dir/whole is a dataset, not a "
                                      "dataset shard";
        QTest::newRow("out is an input") << QStringList{"of3-0", "@out", "of3-2"} << "is one of the shard folders";
        QTest::newRow("none") << QStringList{} << "no shard folders";
    }
    void mergeRefusals() {
        QFETCH(QStringList, inputs);
        QFETCH(QString, message);
        std::vector<std::string> dirs;
        const QTemporaryDir outRoot;  // a row's failure leaves nothing for the next
        const QString out = outRoot.filePath("out");
        for (const QString& name : inputs)
            dirs.push_back((name == "@out" ? out : fixtures_.filePath(name)).toStdString());
        if (inputs.contains("@out")) QVERIFY(QDir().mkpath(out));
        message.replace("@dir", fixtures_.path()).replace("@key", key_).replace("@other", otherKey_);
        const QString got = messageOf<Error>([&] { mergeDatasetShards(dirs, out.toStdString()); });
        QVERIFY2(got.contains(message), qPrintable("got: " + got + "\nexpected: " + message));
        QVERIFY2(QDir(out).isEmpty(), "a refused merge wrote something");
    }

    // A shard folder is never a dataset: loading, training on it (train-m2
    // calls loadDataset) or building a dataset into it is refused, naming
    // merge-dataset; a shard goes into no dataset folder either.
    void aShardIsNotADataset() {
        const std::string shard = fixtures_.filePath("of3-1").toStdString();
        QString got = messageOf<FormatError>([&] { loadDataset(shard); });
        QVERIFY2(got.contains("shard 1 of 3 of dataset build " + key_) && got.contains("merge-dataset"),
                 qPrintable(got));
        got = messageOf<FormatError>([&] { buildOrLoadDataset(corpus(), smallOptions("gzip"), shard); });
        QVERIFY2(got.contains("shard 1 of 3") && got.contains("merge-dataset"), qPrintable(got));
        const std::string whole = fixtures_.filePath("whole").toStdString();
        got = messageOf<InvalidArgument>([&] { saveDataset(loadDataset(whole), shard); });
        QVERIFY2(got.contains("a dataset goes in a folder of its own"), qPrintable(got));
        got = messageOf<InvalidArgument>([&] { saveDatasetShard(loadDatasetShard(shard), whole); });
        QVERIFY2(got.contains("holds a dataset"), qPrintable(got));
        QVERIFY(!QFile::exists(fixtures_.filePath("of3-1/dataset.json")));
        QVERIFY(!QFile::exists(fixtures_.filePath("whole/shard.json")));
    }

    // shard.json is checked field by field, against the range its place
    // implies and its token file; the message names what is wrong.
    void damagedShardsAreRefused_data() {
        QTest::addColumn<QString>("field");  // "object/name" in shard.json, or "tokens.bin" (truncated)
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("range not its place") << "shard/first_example" << QJsonValue(9) << "\"first_example\" is 9";
        QTest::newRow("index past count") << "shard/index" << QJsonValue(3) << "\"index\" is 3, expected 0 to 2";
        QTest::newRow("fewer examples than its range") << "examples/examples" << QJsonValue(10) << "has 11 entries";
        QTest::newRow("train past the build") << "shard/train_examples" << QJsonValue(32) << "expected 1 to 31";
        QTest::newRow("no key") << "/key" << QJsonValue(QJsonValue::Undefined) << "\"key\" is missing";
        QTest::newRow("tokens.bin truncated") << "tokens.bin" << QJsonValue() << "the header says";
    }
    void damagedShardsAreRefused() {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString shard = dir.filePath("shard");
        QVERIFY(QDir().mkpath(shard));
        for (const char* file : {"shard.json", "tokens.bin"})
            QVERIFY(QFile::copy(fixtures_.filePath(QString("of3-1/") + file), shard + "/" + file));
        const std::string json = (shard + "/shard.json").toStdString();
        if (field == "tokens.bin") {
            std::vector<uint8_t> tokens = readFile((shard + "/tokens.bin").toStdString());
            tokens.resize(tokens.size() - 2);
            writeFile((shard + "/tokens.bin").toStdString(), tokens);
        } else {
            QJsonObject root = readJson(json);
            const QStringList path = field.split('/');
            QJsonObject inner = path[0].isEmpty() ? root : root[path[0]].toObject();
            if (value.isUndefined())
                inner.remove(path[1]);
            else
                inner[path[1]] = value;
            if (path[0].isEmpty())
                root = inner;
            else
                root[path[0]] = inner;
            const QByteArray text = QJsonDocument(root).toJson();
            writeFile(json, reinterpret_cast<const uint8_t*>(text.constData()), size_t(text.size()));
        }
        const QString got = messageOf<FormatError>([&] { loadDatasetShard(shard.toStdString()); });
        QVERIFY2(got.contains(message), qPrintable("got: " + got + "\nexpected: " + message));
    }

    void badShardSpecsAreRefused_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("message");
        QTest::newRow("more shards than examples") << 0 << 33 << "holds 32 examples, fewer than 33 shards";
        QTest::newRow("index = count") << 2 << 2 << "0 <= I < N";
        QTest::newRow("negative index") << -1 << 2 << "0 <= I < N";
        QTest::newRow("no shards") << 0 << 0 << "0 <= I < N";
    }
    void badShardSpecsAreRefused() {
        QFETCH(int, index);
        QFETCH(int, count);
        QFETCH(QString, message);
        const QString got =
            messageOf<InvalidArgument>([&] { buildDatasetShard(corpus(), smallOptions("bytes"), index, count); });
        QVERIFY2(got.contains(message), qPrintable(got));
    }

    // The ranges are contiguous, cover every example once and differ by at most one.
    void rangesSplitEvenly() {
        for (size_t examples : {1, 2, 7, 32, 1000003})
            for (int count = 1; count <= std::min<int>(int(examples), 9); ++count) {
                size_t next = 0, lo = examples, hi = 0;
                for (int i = 0; i < count; ++i) {
                    const ExampleRange r = shardRange(examples, i, count);
                    QCOMPARE(r.begin, next);
                    lo = std::min(lo, r.end - r.begin);
                    hi = std::max(hi, r.end - r.begin);
                    next = r.end;
                }
                QCOMPARE(next, examples);
                QVERIFY(lo >= 1 && hi - lo <= 1);
            }
    }

    // A shard's progress bar is its own work: its encode runs the bar to
    // where the whole build's does, not to the shard's share of it.
    void shardProgressCoversItsOwnWork_data() {
        QTest::addColumn<QString>("method");
        QTest::newRow("gzip (one encode per example)") << "gzip";
        QTest::newRow("eqinfo-ac (one encode of all)") << "eqinfo-ac[b=16,v=256]";
    }
    void shardProgressCoversItsOwnWork() {
        QFETCH(QString, method);
        DatasetOptions o = smallOptions(method.toStdString());
        o.maxBytes = 0;  // the 8 sample texts, about 380 examples: coding reports often in a shard of 2
        // The last fraction of the bar the encode reported, the fraction never falling and ending at 1.
        const auto codingEnd = [&](int index, int count) {
            std::vector<ProgressStatus> seen;
            buildDatasetShard(bigCorpus_, o, index, count, [&seen](const ProgressStatus& s) {
                seen.push_back(s);
                return true;
            });
            double end = 0;
            for (size_t i = 0; i < seen.size(); ++i) {
                if (i > 0 && seen[i].fraction < seen[i - 1].fraction) return -1.0;
                // The encode's passes ("coding", "checking windows decode"): not the phases after them,
                // whose start says where the passes end, whatever they reported.
                if (seen[i].phase != "cutting examples" && seen[i].phase != "done")
                    end = std::max(end, seen[i].fraction);
            }
            return seen.back().fraction == 1.0 ? end : -2.0;
        };
        const double whole = codingEnd(0, 1), shard = codingEnd(1, 2);
        QVERIFY2(whole > 0 && shard > 0.9 * whole,
                 qPrintable(QString("the encode ended at %1 of the shard's bar, %2 of the whole build's (-1: it went "
                                    "back, -2: it did not end at 1)")
                                .arg(shard)
                                .arg(whole)));
    }

    // build.json holds what differs from run to run; a dataset saved before
    // it (build_seconds in dataset.json) loads with its time and its key.
    void buildTimeIsOutsideDatasetJson() {
        const std::string whole = fixtures_.filePath("whole").toStdString();
        const QJsonObject json = readJson(whole + "/dataset.json");
        QVERIFY(!json.contains("build_seconds"));
        const QJsonObject build = readJson(whole + "/build.json");
        QCOMPARE(build["shards"].toInt(), 1);
        QVERIFY(build["build_seconds"].toDouble() > 0);
        QTemporaryDir dir;
        const std::string legacy = dir.filePath("legacy").toStdString();
        QVERIFY(QDir().mkpath(QString::fromStdString(legacy)));
        for (const char* file : {"train.bin", "valid.bin"})
            QVERIFY(
                QFile::copy(QString::fromStdString(whole + "/" + file), QString::fromStdString(legacy + "/" + file)));
        QJsonObject old = json;
        old["build_seconds"] = 12.5;
        const QByteArray text = QJsonDocument(old).toJson();
        writeFile(legacy + "/dataset.json", reinterpret_cast<const uint8_t*>(text.constData()), size_t(text.size()));
        const Dataset d = loadDataset(legacy);
        QCOMPARE(d.buildSeconds, 12.5);
        QCOMPARE(QString::fromStdString(d.key), QString::fromStdString(loadDataset(whole).key));
        bool cached = false;
        buildOrLoadDataset(corpus(), smallOptions("gzip"), legacy, {}, &cached);
        QVERIFY2(cached, "a dataset saved before build.json was rebuilt");
    }

    void initTestCase() {
        QVERIFY(fixtures_.isValid());
        const DatasetOptions o = smallOptions("gzip");
        saveDataset(buildDataset(corpus(), o), fixtures_.filePath("whole").toStdString());
        key_ = QString::fromStdString(loadDataset(fixtures_.filePath("whole").toStdString()).key);
        buildShards(o, 3, fixtures_, "of3");
        buildShards(o, 2, fixtures_, "of2");
        DatasetOptions other = o;
        other.seqTokens = 32;
        buildShards(other, 3, fixtures_, "other");
        otherKey_ = QString::fromStdString(loadDatasetShard(fixtures_.filePath("other-1").toStdString()).build.key);
        QVERIFY(QDir().mkpath(fixtures_.filePath("empty")));
        bigCorpus_ = fixtures_.filePath("big.txt").toStdString();
        const std::vector<uint8_t> text = readFile(corpus());
        std::vector<uint8_t> big;
        for (int i = 0; i < 8; ++i) big.insert(big.end(), text.begin(), text.end());
        writeFile(bigCorpus_, big);
    }

private:
    QTemporaryDir fixtures_;
    QString key_, otherKey_;
    std::string bigCorpus_;  // the sample text 8 times
};

QTEST_GUILESS_MAIN(TestDatasetShard)
#include "tst_dataset_shard.moc"
