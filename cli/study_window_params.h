// The eqinfo-ac parameters of the studies that encode with one (b, k):
// -b, -k, --termination and --m1-reset (windows, token-meaning).
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
    QCommandLineOption m1Reset{"m1-reset",
                               "Reset M1's context every N-th window (1, the default: every window; never: only "
                               "where a stream begins). Needs distinct termination.",
                               "N|never", "1"};

    void add(QCommandLineParser& p) {
        for (auto* o : {&window, &token, &termination, &m1Reset}) p.addOption(*o);
    }
    // eqinfo-ac with the parsed b, k and termination; InvalidArgument (CodecParams::validate()) when out of range.
    CodecParams params(const QCommandLineParser& p) const {
        CodecParams c;
        c.method = Method::EqualInfoAc;
        c.windowBits = CodecOptions::toInt(p, window);
        c.tokenBits = CodecOptions::toInt(p, token);
        c.termination = CodecOptions::terminationOf(p.value(termination));
        c.m1Reset = CodecOptions::m1ResetOf(p.value(m1Reset));
        c.validate();
        return c;
    }
};

}  // namespace eqlab::cli
