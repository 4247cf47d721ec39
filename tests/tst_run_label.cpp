// The labels of M2 runs shown together (m2/run_label.h): method, corpus and
// start time; two runs of one method never share a label (the seconds, then
// a number, tell them apart); runs written before run.json recorded their
// start take it from their folder's name; and the learned verdict tells a
// curve that ends below the unigram from one that only dipped there.
#include <QTest>

#include "m2/m2_trainer.h"
#include "m2/run_label.h"

using namespace eqlab;
using namespace eqlab::m2;

Q_DECLARE_METATYPE(std::vector<eqlab::m2::RunLabelParts>)
Q_DECLARE_METATYPE(std::vector<std::string>)

namespace {
const std::string kMethod = "eqinfo-ac[b=16,v=256]";
}

class TestRunLabel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void labelSaysMethodCorpusAndTime() {
        const RunLabelParts p{kMethod, "sotu-train.txt", "2025-12-01T14:03:27"};
        QCOMPARE(runLabel(p), std::string("eqinfo-ac[b=16,v=256] · sotu-train · 12-01 14:03"));
        QCOMPARE(runLabel(p, /*withSeconds=*/true), std::string("eqinfo-ac[b=16,v=256] · sotu-train · 12-01 14:03:27"));
        QCOMPARE(runLabel({kMethod, "", ""}), kMethod);  // nothing known but the method
        QCOMPARE(runLabel({"gzip", "corpus", "not a time"}), std::string("gzip · corpus"));
    }

    void labelsAreUnique_data() {
        QTest::addColumn<std::vector<RunLabelParts>>("runs");
        QTest::addColumn<std::vector<std::string>>("labels");
        const std::string a = "2025-12-01T14:03:27", b = "2025-12-01T14:03:51", c = "2025-12-01T15:10:00";
        QTest::newRow("different minutes keep minutes")
            << std::vector<RunLabelParts>{{kMethod, "sotu.txt", a}, {kMethod, "sotu.txt", c}}
            << std::vector<std::string>{kMethod + " · sotu · 12-01 14:03", kMethod + " · sotu · 12-01 15:10"};
        QTest::newRow("same method, same minute: two runs once named alike")
            << std::vector<RunLabelParts>{{kMethod, "sotu.txt", a}, {kMethod, "sotu.txt", b}, {"gzip", "sotu.txt", a}}
            << std::vector<std::string>{kMethod + " · sotu · 12-01 14:03:27", kMethod + " · sotu · 12-01 14:03:51",
                                        "gzip · sotu · 12-01 14:03"};
        QTest::newRow("same second: numbered")
            << std::vector<RunLabelParts>{{kMethod, "sotu.txt", a}, {kMethod, "sotu.txt", a}, {kMethod, "sotu.txt", a}}
            << std::vector<std::string>{kMethod + " · sotu · 12-01 14:03:27", kMethod + " · sotu · 12-01 14:03:27 #2",
                                        kMethod + " · sotu · 12-01 14:03:27 #3"};
        QTest::newRow("no time known: numbered") << std::vector<RunLabelParts>{{"bytes", "", ""}, {"bytes", "", ""}}
                                                 << std::vector<std::string>{"bytes", "bytes #2"};
        QTest::newRow("other corpus tells them apart")
            << std::vector<RunLabelParts>{{kMethod, "sotu.txt", a}, {kMethod, "c4.txt", a}}
            << std::vector<std::string>{kMethod + " · sotu · 12-01 14:03", kMethod + " · c4 · 12-01 14:03"};
    }
    void labelsAreUnique() {
        QFETCH(std::vector<RunLabelParts>, runs);
        QFETCH(std::vector<std::string>, labels);
        QCOMPARE(uniqueRunLabels(runs), labels);
    }

    void startComesFromTheRecordOrTheFolder_data() {
        QTest::addColumn<QString>("recorded");
        QTest::addColumn<QString>("dir");
        QTest::addColumn<QString>("started");
        QTest::newRow("recorded") << "2025-12-01T14:03:27"
                                  << "/runs/whatever"
                                  << "2025-12-01T14:03:27";
        QTest::newRow("older run: its folder's name") << ""
                                                      << "/runs/eqinfo-ac_b=16,v=256_-20251201-140327"
                                                      << "2025-12-01T14:03:27";
        QTest::newRow("older run, second in its second") << ""
                                                         << "/runs/gzip-20251201-140327-2"
                                                         << "2025-12-01T14:03:27";
        QTest::newRow("a folder named by hand") << ""
                                                << "/runs/my-run"
                                                << "";
        QTest::newRow("not a date") << ""
                                    << "/runs/gzip-20251399-999999"
                                    << "";
    }
    void startComesFromTheRecordOrTheFolder() {
        QFETCH(QString, recorded);
        QFETCH(QString, dir);
        QFETCH(QString, started);
        RunRecord r;
        r.started = recorded.toStdString();
        QCOMPARE(QString::fromStdString(runStarted(r, dir.toStdString())), started);
    }

    void startedNowReadsBack() {
        RunRecord r;
        r.started = startedNow();
        QCOMPARE(runStarted(r, "/runs/x"), r.started);
    }

    // The regression: a run was marked "(learned)" while its curve ended above the unigram.
    void learnedAtEndOrOnlyAtItsBest_data() {
        QTest::addColumn<double>("best");
        QTest::addColumn<double>("last");
        QTest::addColumn<int>("state");
        QTest::newRow("ends below the unigram") << 7.0 << 7.1 << int(Learned::AtEnd);
        QTest::newRow("dipped, ends above the unigram") << 7.0 << 8.1 << int(Learned::AtBestStep);
        QTest::newRow("ends within 2% of the unigram") << 7.0 << 7.9 << int(Learned::AtBestStep);
        QTest::newRow("never below") << 7.95 << 7.95 << int(Learned::No);
    }
    void learnedAtEndOrOnlyAtItsBest() {
        QFETCH(double, best);
        QFETCH(double, last);
        QFETCH(int, state);
        Baselines b;
        b.unigramBitsPerToken = 8.0;
        EvalPoint pb, pl;
        pb.validBitsPerToken = best;
        pl.validBitsPerToken = last;
        QCOMPARE(int(learnedState(pb, pl, b)), state);
    }
};

QTEST_MAIN(TestRunLabel)
#include "tst_run_label.moc"
