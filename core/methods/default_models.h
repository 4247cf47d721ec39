// The bundled models every method uses when the user names none.
#pragma once

#include <string>

#include "methods/codec.h"

namespace eqlab {

// Bundled resource file names (in resourceDir()).
constexpr const char* kDefaultUnigramFile = "unigram-default.equg";
constexpr const char* kDefaultSentencePieceFile = "sentencepiece-default.model";
constexpr const char* kDefaultM1File = "m1-default.eqm1";
constexpr const char* kSampleTextFile = "sample.txt";

// The bundled M1 weight file: $EQLAB_DEFAULT_M1 if set (tests point it at a
// tiny model), else resources/m1-default.eqm1.
std::string defaultM1Path();

// The model file `method` needs: `modelPath` if not empty, else the bundled
// default (ac and eqinfo-ac: the bundled M1 when one is bundled, otherwise
// the bundled unigram, and `note` says so); "" when the method needs none.
std::string modelFileFor(Method method, const std::string& modelPath, std::string* note = nullptr);

// Loads the models `method` needs: `modelPath` if not empty, else the bundled
// default. ac and eqinfo-ac use the bundled M1 when one is bundled and
// otherwise the bundled unigram; `note` then says so. Throws on load errors.
ModelSet loadModelsFor(Method method, const std::string& modelPath, std::string* note = nullptr);

}  // namespace eqlab
