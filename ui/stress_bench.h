// eqlab --stress-bench: runs every GUI stress case (stress_cases.h) and prints
// a Markdown table of what each did to the GUI thread (the longest stall; goal:
// none over 200 ms), the threads and the memory, with the machine and its load.
#pragma once

#include <cstdio>

namespace eqlab::ui {

// Runs the cases (all, or those named in `only`, comma-separated) in a
// temporary folder; prints to `out`. Returns 0 when every case held, else 1.
int runStressBench(std::FILE* out, const char* only = nullptr);

}  // namespace eqlab::ui
