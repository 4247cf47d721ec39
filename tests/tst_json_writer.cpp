// The streaming JSON writer (core/base/json_writer.h): what it writes is
// JSON that QJsonDocument reads back to the same values.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "base/json_writer.h"

using namespace eqlab;

namespace {

// The document `write` produces, handed to the sink in pieces.
template <class F>
QByteArray written(F write, int indentDepth = 0) {
    QByteArray out;
    JsonWriter w([&](const char* data, size_t size) { out.append(data, qsizetype(size)); }, indentDepth);
    write(w);
    return out;
}

QJsonDocument parsed(const QByteArray& text) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) qWarning("%s in %s", qPrintable(error.errorString()), text.data());
    return doc;
}

}  // namespace

class TestJsonWriter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void valuesReadBack() {
        const std::string nasty =
            "quote \" backslash \\ newline \n tab \t bell \x07 nul-free, UTF-8 \xc3\xa9 \xe2\x80\x94";
        const QByteArray text = written([&](JsonWriter& w) {
            w.beginObject();
            w.member("string", nasty);
            w.member("double", 0.1);
            w.member("float", 4.123457f);
            w.member("big", uint64_t(1) << 53);
            w.member("negative", int64_t(-42));
            w.member("yes", true);
            w.member("nan", std::numeric_limits<double>::quiet_NaN());
            w.member("inf", std::numeric_limits<float>::infinity());
            w.key("none");
            w.null();
            w.array("list", std::vector<uint32_t>{1, 2, 3});
            w.key("empty");
            w.beginArray();
            w.endArray();
            w.key("nested");
            w.value(QJsonValue(QJsonObject{{"a", QJsonArray{1, "two", QJsonValue::Null}}}));
            w.endObject();
            w.finish();
        });
        QVERIFY(text.endsWith("}\n"));
        const QJsonObject o = parsed(text).object();
        QCOMPARE(o["string"].toString(), QString::fromStdString(nasty));
        QCOMPARE(o["double"].toDouble(), 0.1);              // shortest text, exact value
        QCOMPARE(float(o["float"].toDouble()), 4.123457f);  // a float reads back as the same float
        QCOMPARE(o["big"].toDouble(), double(uint64_t(1) << 53));
        QCOMPARE(o["negative"].toInt(), -42);
        QCOMPARE(o["yes"].toBool(), true);
        QVERIFY(o["nan"].isNull());  // JSON has no NaN: null, as QJsonDocument writes it
        QVERIFY(o["inf"].isNull());
        QVERIFY(o["none"].isNull());
        QCOMPARE(o["list"].toArray(), (QJsonArray{1, 2, 3}));
        QVERIFY(o["empty"].toArray().isEmpty());
        QCOMPARE(o["nested"].toObject()["a"].toArray(), (QJsonArray{1, "two", QJsonValue::Null}));
        QVERIFY(!text.contains('\n' + QByteArray(" ")));  // indentDepth 0: compact
    }

    // The top levels indented (a member a line), deeper ones compact.
    void indentsTheTopLevels() {
        const QByteArray text = written(
            [](JsonWriter& w) {
                w.beginObject();
                w.member("a", 1);
                w.key("inner");
                w.beginObject();
                w.array("xs", std::vector<int>{1, 2});
                w.endObject();
                w.endObject();
                w.finish();
            },
            /*indentDepth=*/1);
        QCOMPARE(text, QByteArray("{\n    \"a\": 1,\n    \"inner\": {\"xs\":[1,2]}\n}\n"));
    }

    // More than the buffer holds arrives whole and in order.
    void longDocumentsStream() {
        constexpr int kCount = 200000;
        int pieces = 0;
        QByteArray out;
        JsonWriter w([&](const char* data, size_t size) {
            out.append(data, qsizetype(size));
            ++pieces;
        });
        w.beginArray();
        for (int i = 0; i < kCount; ++i) w.value(i);
        w.endArray();
        w.finish();
        QVERIFY(pieces > 1);
        const QJsonArray a = parsed(out).array();
        QCOMPARE(a.size(), qsizetype(kCount));
        QCOMPARE(a.last().toInt(), kCount - 1);
    }

    void misuseThrows() {
        JsonWriter w([](const char*, size_t) {});
        w.beginObject();
        QVERIFY_THROWS_EXCEPTION(std::logic_error, w.value(1));  // a member without a key
        QVERIFY_THROWS_EXCEPTION(std::logic_error, w.endArray());
        QVERIFY_THROWS_EXCEPTION(std::logic_error, w.finish());  // the object is still open
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_json_writer.moc"
