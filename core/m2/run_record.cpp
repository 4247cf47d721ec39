#include "m2/run_record.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <algorithm>
#include <cstdio>

#include "base/errors.h"
#include "base/file_io.h"
#include "base/output_file.h"
#include "nn/process_group.h"

namespace eqlab::m2 {

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

QJsonObject pointJson(const EvalPoint& p) {
    QJsonObject o;
    o["step"] = qint64(p.step);
    o["tokens_seen"] = qint64(p.tokensSeen);
    o["bytes_seen"] = qint64(p.bytesSeen);
    o["seconds"] = p.seconds;
    o["valid_bits_per_token"] = p.validBitsPerToken;
    o["valid_bits_per_byte"] = p.validBitsPerByte;
    o["valid_accuracy"] = p.validAccuracy;
    o["train_bits_per_token"] = p.trainBitsPerToken;
    return o;
}

EvalPoint pointFromJson(const QJsonObject& o) {
    EvalPoint p;
    p.step = o["step"].toInteger();
    p.tokensSeen = uint64_t(o["tokens_seen"].toInteger());
    p.bytesSeen = uint64_t(o["bytes_seen"].toInteger());
    p.seconds = o["seconds"].toDouble();
    p.validBitsPerToken = o["valid_bits_per_token"].toDouble();
    p.validBitsPerByte = o["valid_bits_per_byte"].toDouble();
    p.validAccuracy = o["valid_accuracy"].toDouble();
    p.trainBitsPerToken = o["train_bits_per_token"].toDouble();
    return p;
}

// "config" is one human-readable string (M2Config::describe()), as it has been since version 1.
M2Config configFromString(const std::string& s) {
    M2Config c;
    std::sscanf(s.c_str(), "d=%d heads=%d layers=%d mlp=%d", &c.dModel, &c.heads, &c.layers, &c.mlp);
    return c;
}

}  // namespace

RunRecord makeRunRecord(const Dataset& d, const M2Config& c, const TrainOptions& o, const Baselines& b,
                        const EvalPoint& best, const EvalPoint& last, const std::string& status,
                        const std::string& started) {
    RunRecord r;
    r.name = o.name.empty() ? d.method : o.name;
    r.method = d.method;
    r.datasetKey = d.key;
    r.datasetDir = o.datasetDir;
    r.corpus = d.corpusName;
    r.started = started;
    r.vocab = d.vocab;
    r.seqTokens = d.seqTokens;
    r.tokensPerWindow = d.tokensPerWindow;
    r.bytesPerToken = d.bytesPerToken;
    r.config = c;
    r.batch = o.batch;
    r.ranks = o.group ? o.group->size() : 1;
    r.lr = o.lr;
    r.seed = o.seed;
    r.budgetSeconds = o.maxSeconds;
    r.base = b;
    r.best = best;
    r.last = last;
    r.learned = isLearned(best, b);
    r.status = status;
    return r;
}

void writeRunRecord(const std::string& runDir, const RunRecord& r) {
    QJsonObject o;
    o["format"] = kRunFormat;
    o["version"] = kRunVersion;
    o["name"] = q(r.name);
    o["method"] = q(r.method);
    o["dataset_key"] = q(r.datasetKey);
    o["dataset_dir"] = q(r.datasetDir);
    o["corpus"] = q(r.corpus);
    o["started"] = q(r.started);
    o["vocab"] = qint64(r.vocab);
    o["seq_tokens"] = r.seqTokens;
    o["tokens_per_window"] = r.tokensPerWindow;
    o["bytes_per_token"] = r.bytesPerToken;
    o["config"] = q(r.config.describe());
    o["batch"] = r.batch;
    o["ranks"] = r.ranks;
    o["lr"] = r.lr;
    o["seed"] = qint64(r.seed);
    o["budget_seconds"] = r.budgetSeconds;
    o["uniform_bits_per_token"] = r.base.uniformBitsPerToken;
    o["uniform_bits_per_byte"] = r.base.uniformBitsPerByte;
    o["unigram_bits_per_token"] = r.base.unigramBitsPerToken;
    o["unigram_bits_per_byte"] = r.base.unigramBitsPerByte;
    o["best"] = pointJson(r.best);
    o["last"] = pointJson(r.last);
    o["learned"] = r.learned;
    o["status"] = q(r.status);
    const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Indented);
    writeFile(runDir + "/" + kRunFile, reinterpret_cast<const uint8_t*>(json.constData()), size_t(json.size()));
}

RunRecord readRunRecord(const std::string& runDir) {
    const std::string path = runDir + "/" + kRunFile;
    const std::vector<uint8_t> raw = readFile(path);
    QJsonParseError error;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(raw.data()), qsizetype(raw.size())), &error);
    if (doc.isNull()) throw FormatError(path + ": not JSON (" + error.errorString().toStdString() + ")");
    if (!doc.isObject()) throw FormatError(path + ": not an eqlab M2 run (JSON, but not an object)");
    const QJsonObject o = doc.object();
    if (o["format"].toString() != kRunFormat) throw FormatError(path + ": not an eqlab M2 run");
    if (o["version"].toInt() > kRunVersion)
        throw FormatError(path + ": version " + std::to_string(o["version"].toInt()) +
                          " is newer than this eqlab reads (" + std::to_string(kRunVersion) + ")");
    RunRecord r;
    r.name = o["name"].toString().toStdString();
    r.method = o["method"].toString().toStdString();
    r.datasetKey = o["dataset_key"].toString().toStdString();
    r.datasetDir = o["dataset_dir"].toString().toStdString();
    r.corpus = o["corpus"].toString().toStdString();
    r.started = o["started"].toString().toStdString();
    r.vocab = uint64_t(o["vocab"].toInteger());
    r.seqTokens = o["seq_tokens"].toInt();
    r.tokensPerWindow = o["tokens_per_window"].toInt();
    r.bytesPerToken = o["bytes_per_token"].toDouble();
    r.config = configFromString(o["config"].toString().toStdString());
    r.batch = o["batch"].toInt();
    r.ranks = std::max(1, o["ranks"].toInt(1));
    r.lr = o["lr"].toDouble();
    r.seed = uint64_t(o["seed"].toInteger());
    r.budgetSeconds = o["budget_seconds"].toDouble();
    r.base.uniformBitsPerToken = o["uniform_bits_per_token"].toDouble();
    r.base.uniformBitsPerByte = o["uniform_bits_per_byte"].toDouble();
    r.base.unigramBitsPerToken = o["unigram_bits_per_token"].toDouble();
    r.base.unigramBitsPerByte = o["unigram_bits_per_byte"].toDouble();
    r.best = pointFromJson(o["best"].toObject());
    r.last = pointFromJson(o["last"].toObject());
    r.learned = o["learned"].toBool();
    r.status = o["status"].toString().toStdString();
    // What a list or a resume would show wrongly: refused, naming the field.
    const auto blank = [](const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; };
    if (blank(r.name)) throw FormatError(path + ": the run has no name");
    if (blank(r.method)) throw FormatError(path + ": the run names no method");
    return r;
}

}  // namespace eqlab::m2
