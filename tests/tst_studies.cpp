// The studies (core/studies/): each pinned on a small fixture whose answer
// can be checked by hand, plus what every study shares (study.h).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "base/text.h"
#include "cli_run.h"
#include "methods/default_models.h"
#include "studies/reset_study.h"
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
        QCOMPARE(studyScope(20'000'000, o, kMaxPerByteResultBytes).analysedBytes, kMaxPerByteResultBytes);
        QCOMPARE(QString::fromStdString(studyScope(1, o).describe()), QString("1 byte"));
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

    // reset: one row per period, each the eqinfo-ac encoding with that
    // period (so the every-window row is plain eqinfo-ac), decoded back;
    // the paper's figures only where it measured (b = 16, v = 256).
    void resetRowsAreTheirEncodings() {
        const std::vector<uint8_t> full = test::sampleText();
        const std::vector<uint8_t> text(full.begin(), full.begin() + 3000);
        ResetStudyOptions r;
        const ResetStudy study = runResetStudy(text.data(), text.size(), r, StudyOptions{});
        QCOMPARE(study.rows.size(), size_t(4));
        const ModelSet m = loadModelsFor(Method::EqualInfoAc, "");
        for (const ResetRow& row : study.rows) {
            CodecParams p;
            p.m1Reset = row.every;
            const Encoded e = encode(text.data(), text.size(), p, m);
            QCOMPARE(row.label, p.label());
            QCOMPARE(row.bytesPerToken, e.bytesPerToken());
            QCOMPARE(row.windows, e.windows);
            QVERIFY(row.roundTripChecked && row.roundTripOk);
        }
        QCOMPARE(study.rows[0].paperBytesPerToken, 2.66);
        QCOMPARE(study.rows[1].paperBytesPerToken, 3.40);
        QCOMPARE(study.rows[2].paperBytesPerToken, 0.0);  // every 4th: the paper has none
        QCOMPARE(study.rows[3].paperBytesPerToken, 5.33);
        QCOMPARE(study.rows[0].paperLearnable, std::optional<bool>(true));
        QCOMPARE(study.rows[1].paperLearnable, std::optional<bool>(false));
        QCOMPARE(study.rows[2].paperLearnable, std::optional<bool>());  // not trained in the paper
        QCOMPARE(study.rows[3].paperLearnable, std::optional<bool>(false));
        // A longer context predicts better: fewer windows than resetting every one.
        QVERIFY(study.rows[3].windows < study.rows[0].windows);
        r.windowBits = 32;
        QCOMPARE(runResetStudy(text.data(), text.size(), r, StudyOptions{}).rows[0].paperBytesPerToken, 0.0);
    }

    void resetRefusesWhatItCannotStudy() {
        const std::vector<uint8_t> text = test::sampleText();
        ResetStudyOptions r;
        r.every.clear();
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runResetStudy(text.data(), text.size(), r, StudyOptions{}));
        r.every = {1};
        r.windowBits = 12;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runResetStudy(text.data(), text.size(), r, StudyOptions{}));
        r.windowBits = 16;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, runResetStudy(text.data(), 0, r, StudyOptions{}));
        StudyOptions cancel;
        cancel.progress = [](uint64_t, uint64_t) { return false; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, runResetStudy(text.data(), text.size(), r, cancel));
    }

    void resetCommand() {
        QTemporaryDir dir;
        const std::vector<uint8_t> full = test::sampleText();
        const QString in = dir.filePath("in.txt");
        writeFile(in.toStdString(), std::vector<uint8_t>(full.begin(), full.begin() + 2000));
        test::CliRun r = test::cli({"study", "reset", "--every", "1,never", "--json", in});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QJsonArray rows = o["rows"].toArray();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[1].toObject()["every"].toString(), QString("never"));
        QCOMPARE(rows[1].toObject()["method"].toString(), QString("eqinfo-ac[b=16,v=256,reset=never]"));
        QVERIFY(rows[0].toObject()["round_trip"].toBool());
        QCOMPARE(o["scope"].toObject()["analysed_bytes"].toInt(), 2000);
        r = test::cli({"study", "reset", "--every", "1,sometimes", in});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--every"));
    }
};

QTEST_GUILESS_MAIN(TestStudies)
#include "tst_studies.moc"
