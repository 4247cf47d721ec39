// An M2 run's checkpoint: RUN/checkpoint.eqm2, one file holding the model,
// the optimizer and the trainer's state, so that a resumed run continues
// exactly where the checkpoint was taken. Written atomically through
// base/output_file.h: a kill at any moment (kill -9 mid-write included)
// leaves the previous checkpoint whole. No torch in this header: the model
// and optimizer are libtorch's serialised bytes (torch::save), opaque here.
//
//   "EQM2" magic, u32 version (1)
//   str datasetKey, str method, u64 vocab, u32 seqTokens, str config (M2Config::describe())
//   u64 step, u64 tokensSeen, u64 bytesSeen, f64 seconds, f64 smoothedLoss (bits/token), str sampler (mt19937_64)
//   u64 modelBytes, u64 optimizerBytes
//   u32 CRC-32 of everything above
//   model bytes, optimizer bytes
//   u32 CRC-32 of the model and optimizer bytes
//
// Integers little-endian, str = u32 length + bytes, f64 = the IEEE bits as a u64.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "m2/m2_trainer.h"

namespace eqlab::m2 {

constexpr char kCheckpointFile[] = "checkpoint.eqm2";  // inside a run folder
constexpr uint32_t kCheckpointVersion = 1;

struct Checkpoint {
    // What the run trains: a resume must match all of it (resumeMismatch).
    std::string datasetKey, method;
    uint64_t vocab = 0;
    int seqTokens = 0;
    M2Config config;
    // Where it is.
    int64_t step = 0;
    uint64_t tokensSeen = 0, bytesSeen = 0;
    double seconds = 0;
    double smoothedLoss = 0;  // the training loss's moving average, bits/token
    std::string sampler;      // the example sampler's mt19937_64, as its operator<< writes it
    // libtorch's bytes (torch::save of the module and of the optimizer).
    std::string model, optimizer;
};

std::vector<uint8_t> encodeCheckpoint(const Checkpoint& c);
// Throws FormatError naming what is wrong (magic, version, a truncated
// file, a CRC mismatch, impossible sizes); `what` names the file in it.
Checkpoint decodeCheckpoint(const uint8_t* data, size_t size, const std::string& what);

// RUN_DIR/checkpoint.eqm2, atomically. Throws IoError.
void writeCheckpoint(const std::string& runDir, const Checkpoint& c);
// Throws FormatError: no checkpoint in runDir (saying so plainly, and
// naming an older eqlab's unchecked model.pt checkpoint, which is not
// resumed), or a damaged one; IoError when it cannot be read.
Checkpoint readCheckpoint(const std::string& runDir);

// Why a checkpoint cannot continue on dataset d with model c: each
// difference in dataset key, method, vocabulary, sequence length and model
// shape, as "vocabulary 256, not 65536" (the run's first), joined by "; ". "" when none.
std::string resumeMismatch(const Checkpoint& k, const Dataset& d, const M2Config& c);

}  // namespace eqlab::m2
