// Command empty is the WebAssembly runtime floor: a Go program that does
// nothing, built exactly as the extension's module is, so the benchmarks
// can show what the module costs above Go's own runtime.
package main

func main() {}
