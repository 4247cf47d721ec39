// How many threads eqlab spends (core/base/thread_count.h): clamped to the
// cores and to the work, and coding with far too many asked for starts no
// more than the cores and gives the same bits.
#include <QFile>
#include <QTest>
#include <algorithm>
#include <cstring>
#include <memory>

#include "base/thread_count.h"
#include "methods/codec.h"
#include "models/m1_byte_model.h"

using namespace eqlab;

namespace {

// This process's threads now (/proc/self/status), 0 where it cannot tell.
int liveThreads() {
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("Threads:")) return line.mid(8).trimmed().toInt();
    return 0;
}

std::vector<uint8_t> text(size_t n) {
    const char* sentence = "Equal-Info windows cut text so that each window compresses to b bits. ";
    std::vector<uint8_t> out;
    while (out.size() < n) out.insert(out.end(), sentence, sentence + std::strlen(sentence));
    out.resize(n);
    return out;
}

}  // namespace

class TestThreadCount : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void usableThreadsClamps() {
        const int cores = hardwareThreads();
        QVERIFY(cores >= 1);
        QCOMPARE(usableThreads(1), 1);
        QCOMPARE(usableThreads(0), 1);
        QCOMPARE(usableThreads(-7), 1);
        QCOMPARE(usableThreads(100000), cores);
        QCOMPARE(usableThreads(cores), cores);
        QCOMPARE(usableThreads(100000, /*work=*/1), 1);
        QCOMPARE(usableThreads(100000, /*work=*/0), 1);
        QCOMPARE(usableThreads(100000, /*work=*/2), std::min(2, cores));
    }

    // The regression: `--threads 100000` started thousands of threads (the
    // lane engine gave a group's team every thread asked for).
    void codingStartsNoMoreThreadsThanCores_data() {
        QTest::addColumn<int>("method");
        QTest::newRow("ac") << int(Method::Ac);
        QTest::newRow("eqinfo-ac") << int(Method::EqualInfoAc);
    }
    void codingStartsNoMoreThreadsThanCores() {
        QFETCH(int, method);
        const std::vector<uint8_t> data = text(3000);
        const ModelSet models{std::shared_ptr<ByteModel>(M1Model::load(EQLAB_TEST_DATA "/tiny-m1.eqm1")), nullptr};
        const int before = liveThreads();
        if (before == 0) QSKIP("no /proc/self/status");
        CodecParams params;
        params.method = Method(method);
        EncodeOptions one;
        const Encoded reference = encode(data.data(), data.size(), params, models, one);
        int most = 0;
        EncodeOptions many;
        many.threads = 100000;
        many.progress = [&](uint64_t, uint64_t) {
            most = std::max(most, liveThreads());
            return true;
        };
        const Encoded e = encode(data.data(), data.size(), params, models, many);
        QVERIFY(e.tokens == reference.tokens);
        QVERIFY(most > 0);  // progress came, so the count was sampled while coding
        QVERIFY2(most - before <= hardwareThreads(),
                 qPrintable(QString("%1 threads started, %2 cores").arg(most - before).arg(hardwareThreads())));
    }
};

QTEST_GUILESS_MAIN(TestThreadCount)
#include "tst_thread_count.moc"
