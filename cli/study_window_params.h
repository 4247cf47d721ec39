// The eqinfo-ac parameters of the studies that encode with one (b, k):
// -b, -k and --termination (windows, token-meaning).
#pragma once

#include <QCommandLineParser>

#include "cli_common.h"
#include "methods/method.h"

namespace eqlab::cli {

struct WindowParamOptions {
    QCommandLineOption window{{"b", "window-bits"}, "Equal-Info window size b in bits.", "BITS", "16"};
    QCommandLineOption token{{"k", "token-bits"}, "Bits per token k, 1..16; v = 2^k.", "TOKEN_BITS", "8"};
    QCommandLineOption termination{"termination", "Window termination: distinct (default) or shortest.", "RULE",
                                   "distinct"};

    void add(QCommandLineParser& p) {
        for (auto* o : {&window, &token, &termination}) p.addOption(*o);
    }
    // eqinfo-ac with the parsed b, k and termination; InvalidArgument (CodecParams::validate()) when out of range.
    CodecParams params(const QCommandLineParser& p) const {
        CodecParams c;
        c.method = Method::EqualInfoAc;
        c.windowBits = CodecOptions::toInt(p, window);
        c.tokenBits = CodecOptions::toInt(p, token);
        c.termination = terminationOf(p.value(termination));
        c.validate();
        return c;
    }
    // "distinct" or "shortest"; InvalidArgument otherwise.
    static CodecParams::Termination terminationOf(const QString& rule) {
        if (rule == "shortest") return CodecParams::Termination::Shortest;
        if (rule != "distinct") throw InvalidArgument("--termination must be distinct or shortest");
        return CodecParams::Termination::Distinct;
    }
};

}  // namespace eqlab::cli
