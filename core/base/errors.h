// Typed exceptions thrown by eqlab's core. Every user-action boundary (a CLI
// command, a GUI worker) catches eqlab::Error and shows what() to the user.
#pragma once

#include <stdexcept>
#include <string>

namespace eqlab {

// Base of every error eqlab throws on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A parameter or argument outside its documented range (bad -b, -k, method name...).
class InvalidArgument : public Error {
public:
    using Error::Error;
};

// A file of eqlab's own (container, model, dataset) is truncated, corrupted,
// of the wrong kind or of an unknown version.
class FormatError : public Error {
public:
    using Error::Error;
};

// A container needs a model other than the one supplied (hash mismatch, missing model).
class ModelMismatch : public Error {
public:
    using Error::Error;
};

// Reading or writing a file failed at the operating-system level.
class IoError : public Error {
public:
    using Error::Error;
};

// A long operation was cancelled through its progress callback.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

}  // namespace eqlab
