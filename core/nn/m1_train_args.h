// M1 trainer's command-line options, defined once for both front ends:
// `eqlab-cli train-m1` (through QCommandLineParser) and eqlab-train-m1 (no Qt,
// for machines with libtorch alone; scripts/gpu). The table gives names,
// value names, help and defaults; trainM1ArgsFrom() applies the defaults and
// the validation, whatever tokenised the command line. Standard C++ only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "m1/m1_format.h"
#include "nn/m1_trainer.h"

namespace eqlab::m1 {

struct TrainM1Option {
    std::string name;       // the long name, without "--"
    std::string valueName;  // "" for a flag (no value)
    std::string help;
    std::string defaultValue;  // "" for none (required options, flags, --init)
};

// Every option, in the order help lists them.
const std::vector<TrainM1Option>& trainM1Options();
// The one-line usage after the program name.
extern const char* const kTrainM1Usage;

// The value given for an option (flags: any value when set), nullopt when not given.
using OptionValue = std::function<std::optional<std::string>(const std::string& name)>;

struct TrainM1Args {
    M1Config config;
    TrainOptions options;  // options.note is left for the caller (its command line)
};

// Reads every option through `value`, defaults where not given. Throws
// InvalidArgument naming the option: a required one missing (--corpus,
// --valid, --out), a value that is not a number, --augment outside [0, 1],
// a model shape M1Config::validate() refuses.
TrainM1Args trainM1ArgsFrom(const OptionValue& value);

// The Qt-free tokeniser: "--name value" and flags alone, every name from
// trainM1Options() or --help. Returns nullopt when --help was given (the
// caller prints trainM1Help()). Throws InvalidArgument as trainM1ArgsFrom,
// and for an unknown option or a value missing.
std::optional<TrainM1Args> parseTrainM1Args(const std::vector<std::string>& args);
// Usage and one line per option, for parseTrainM1Args' callers.
std::string trainM1Help(const std::string& program);

}  // namespace eqlab::m1
