// eqlab-train-m1: M1's trainer with no Qt, for machines that have libtorch
// but not eqlab's GUI stack (a GPU box, a cluster). Same trainer and weight
// file as `eqlab-cli train-m1`; only the argument parsing is its own.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include "nn/m1_trainer.h"

int main(int argc, char** argv) {
    std::map<std::string, std::string> a;
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        if (k.rfind("--", 0) != 0) { std::fprintf(stderr, "unexpected argument %s\n", argv[i]); return 2; }
        if (k == "--resume" || k == "--keep-best") { a[k.substr(2)] = "1"; continue; }
        if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", argv[i]); return 2; }
        a[k.substr(2)] = argv[++i];
    }
    auto get = [&](const char* k, const std::string& d) { return a.count(k) ? a[k] : d; };
    if (!a.count("corpus") || !a.count("valid") || !a.count("out")) {
        std::fprintf(stderr, "usage: eqlab-train-m1 --corpus FILE --valid FILE --out FILE [--steps N --batch B --seq T "
                             "--lr X --seed S --threads N --device cpu|cuda --minutes M --context C --augment P --init FILE] [--keep-best] [--resume]\n");
        return 2;
    }
    eqlab::m1::M1Config c;
    c.dModel = std::stoi(get("d-model", std::to_string(c.dModel)));
    c.heads = std::stoi(get("heads", std::to_string(c.heads)));
    c.layers = std::stoi(get("layers", std::to_string(c.layers)));
    c.mlp = std::stoi(get("mlp", std::to_string(c.mlp)));
    c.context = std::stoi(get("context", std::to_string(c.context)));
    eqlab::m1::TrainOptions o;
    o.corpus = a["corpus"];
    o.valid = a["valid"];
    o.out = a["out"];
    o.steps = std::stoll(get("steps", std::to_string(o.steps)));
    o.batch = std::stoi(get("batch", std::to_string(o.batch)));
    o.seq = std::stoi(get("seq", std::to_string(o.seq)));
    o.lr = std::stod(get("lr", std::to_string(o.lr)));
    o.seed = std::stoull(get("seed", std::to_string(o.seed)));
    o.threads = std::stoi(get("threads", "0"));
    o.device = get("device", "cpu");
    o.validEvery = std::stoi(get("valid-every", std::to_string(o.validEvery)));
    o.validBytes = std::stoull(get("valid-bytes", "65536"));
    o.maxSeconds = 60.0 * std::stod(get("minutes", "0"));
    o.checkpointSeconds = 60.0 * std::stod(get("checkpoint-minutes", "5"));
    o.resume = a.count("resume") > 0;
    o.keepBest = a.count("keep-best") > 0;
    o.augment = std::stod(get("augment", "0"));
    o.init = get("init", "");
    std::string cmd = "eqlab-train-m1";
    for (int i = 1; i < argc; ++i) cmd += std::string(" ") + argv[i];
    o.note = cmd;
    try {
        const auto r = eqlab::m1::train(c, o, [](const eqlab::m1::TrainProgress& p) {
            if (eqlab::m1::worthALine(p, 100)) std::fprintf(stderr, "%s\n", eqlab::m1::describe(p).c_str());
            return true;
        });
        std::fprintf(stderr, "done: %lld steps, valid %.4f bits/byte, %.0f s\n", (long long)r.steps, r.validBitsPerByte, r.seconds);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "eqlab-train-m1: %s\n", e.what());
        return 1;
    }
    return 0;
}
