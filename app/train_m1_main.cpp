// eqlab-train-m1: M1's trainer with no Qt, for machines that have libtorch
// but not eqlab's GUI stack (a GPU box, a cluster). Same trainer, weight file
// and options (nn/m1_train_args.h) as `eqlab-cli train-m1`; only the
// tokenising of the command line is its own.
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "base/errors.h"
#include "nn/m1_train_args.h"
#include "nn/m1_trainer.h"
#include "nn/process_group.h"

int main(int argc, char** argv) {
    constexpr int kUsageError = 2;  // exit codes as eqlab-cli's: 2 for arguments, 1 for failures
    const std::vector<std::string> args(argv + 1, argv + argc);
    std::optional<eqlab::m1::TrainM1Args> parsed;
    try {
        parsed = eqlab::m1::parseTrainM1Args(args);
    } catch (const eqlab::InvalidArgument& e) {
        std::fprintf(stderr, "eqlab-train-m1: %s\nusage: eqlab-train-m1 %s\n", e.what(), eqlab::m1::kTrainM1Usage);
        return kUsageError;
    }
    if (!parsed) {
        std::fputs(eqlab::m1::trainM1Help("eqlab-train-m1").c_str(), stdout);
        return 0;
    }
    std::string cmd = "eqlab-train-m1";
    for (const std::string& a : args) cmd += " " + a;
    parsed->options.note = cmd;
    try {
        auto& o = parsed->options;
        o.group = eqlab::nn::joinLaunchedGroup(o.distTimeoutSeconds);  // launched by torchrun or Slurm
        const auto r = eqlab::nn::reportingFailure(o.group.get(), [&] {
            return eqlab::m1::train(parsed->config, o, [](const eqlab::m1::TrainProgress& p) {
                if (eqlab::m1::worthALine(p, 100)) std::fprintf(stderr, "%s\n", eqlab::m1::describe(p).c_str());
                return true;
            });
        });
        if (r.rank == 0)
            std::fprintf(stderr, "done: %lld steps, valid %.4f bits/byte, %.0f s%s\n", (long long)r.steps,
                         r.validBitsPerByte, r.seconds,
                         r.ranks > 1 ? (", " + std::to_string(r.ranks) + " ranks").c_str() : "");
    } catch (const eqlab::InvalidArgument& e) {  // e.g. --valid-bytes below one window: as eqlab-cli, exit 2
        std::fprintf(stderr, "eqlab-train-m1: %s\n", e.what());
        return kUsageError;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "eqlab-train-m1: %s\n", e.what());
        return 1;
    }
    return 0;
}
