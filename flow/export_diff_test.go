package flow

// GenerateFlow lets the external tests (diff, fmt) build the benchmark
// flows.
var GenerateFlow = generateFlow
