// What the libFuzzer targets in fuzz/ share: the models they code with, the
// checksums they repair so that mutations reach past them, a scratch folder
// for readers that take a path, and a few fuzz-only limits.
//
// Every target catches eqlab::Error (what a reader throws on purpose for a
// bad file) and nothing else: any other exception, a crash, a leak or
// undefined behaviour is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "methods/codec.h"

namespace eqlab::fuzz {

// A claimed original length above this is parsed but not decoded: the
// fuzzer spends its time on many inputs, not on one long decode. Claimed
// lengths far beyond the payload (decompression bombs) are issue 15's
// defect 2, bounded in the codecs themselves.
constexpr uint64_t kMaxDecodedBytes = 64 << 10;
constexpr uint64_t kMaxM1DecodedBytes = 2048;  // the same under M1 (~1 ms a byte, sanitized)
// The limit for a container of the method `m1` says: $EQLAB_FUZZ_MAX_DECODED
// (bytes) where set, to fuzz the codecs' own bounds; else the two above.
uint64_t maxDecodedBytes(bool m1);

// The models every target codes with, loaded once: the tests' tiny M1
// (tests/data/tiny-m1.eqm1) for ac and eqinfo-ac, the bundled unigram for
// static-ac, the bundled SentencePiece model. Each call returns models of
// their own (a fresh M1 context), safe to mutate.
ModelSet modelsFor(Method method);
// The tiny M1 as a container's loadM1() callback wants it.
std::shared_ptr<ByteModel> tinyM1();

// The input with both CRC-32s of a container (header and payload) set to
// what they should be, where the lengths in it say they are; else unchanged.
std::vector<uint8_t> withContainerChecksums(const uint8_t* data, size_t size);
// The input with its last four bytes replaced by the CRC-32 of the bytes
// before them (M1 weights, unigram models); unchanged below four bytes.
std::vector<uint8_t> withTrailingChecksum(const uint8_t* data, size_t size);

// Runs `load` on the input as it is, then on `repair(input)` when that differs.
using Loader = void (*)(const uint8_t* data, size_t size);
using Repairer = std::vector<uint8_t> (*)(const uint8_t* data, size_t size);
void asIsAndRepaired(const uint8_t* data, size_t size, Repairer repair, Loader load);

// An input made of several files: the parts between separators
// (kPartSeparator), exactly `count` of them (missing ones empty, the
// excess left in the last).
constexpr char kPartSeparator[] = "\n#EQLAB-FUZZ-PART#\n";
std::vector<std::string> splitParts(const uint8_t* data, size_t size, size_t count);

// A folder of this process's own in /dev/shm (else $TMPDIR), removed at exit.
const std::string& scratchDir();
// Writes `bytes` to scratchDir()/name (through base/output_file), making
// the folders `name` names, and returns the path.
std::string writeScratch(const std::string& name, const std::string& bytes);

}  // namespace eqlab::fuzz
