// The studies (core/studies/): each pinned on a small fixture whose answer
// can be checked by hand, plus what every study shares (study.h).
#include <QTest>

#include "base/errors.h"
#include "studies/study.h"
#include "test_inputs.h"

using namespace eqlab;

class TestStudies : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scopeSaysHowMuchIsAnalysed() {
        StudyOptions o;
        o.maxBytes = 100;
        QCOMPARE(studyScope(50, o).analysedBytes, uint64_t(50));
        QVERIFY(!studyScope(50, o).truncated());
        QCOMPARE(studyScope(20'000'000, o).analysedBytes, uint64_t(100));
        QCOMPARE(QString::fromStdString(studyScope(20'000'000, o).describe()),
                 QString("the first 100 of 20,000,000 bytes"));
        o.maxBytes = 0;
        QCOMPARE(studyScope(20'000'000, o).analysedBytes, uint64_t(20'000'000));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, studyScope(0, o));
    }

    void progressSpreadsOverParts() {
        std::vector<std::pair<uint64_t, uint64_t>> seen;
        StudyProgress sp([&](uint64_t d, uint64_t t) { return seen.emplace_back(d, t), d <= 25; }, {10, 30});
        QVERIFY(sp.part(1)(15, 30));  // half of part 1: 10 + 15
        QCOMPARE(seen.back(), std::make_pair(uint64_t(25), uint64_t(40)));
        QVERIFY(!sp.part(1)(30, 30));
        QVERIFY_THROWS_EXCEPTION(Cancelled, sp.finish(1));
    }

    void escapedTextKeepsUtf8AndShowsTheRest() {
        const std::string in = "a\n\t\\\xC3\xA9\xFF\x01";
        QCOMPARE(QString::fromStdString(escapeText(reinterpret_cast<const uint8_t*>(in.data()), in.size())),
                 QString::fromUtf8("a\\n\\t\\\\\xC3\xA9\\xFF\\x01"));
        const std::string broken = "\xC3";  // a lead byte at the end
        QCOMPARE(QString::fromStdString(escapeText(reinterpret_cast<const uint8_t*>(broken.data()), 1)),
                 QString("\\xC3"));
    }
};

QTEST_GUILESS_MAIN(TestStudies)
#include "tst_studies.moc"
