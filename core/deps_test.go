package core_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wasmDeps lists, for GOOS=js GOARCH=wasm, every package pkg links with its
// direct imports: "path std|ext import import ...".
func wasmDeps(t *testing.T, pkg string) map[string][]string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the go command")
	}
	cmd := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}} {{if .Standard}}std{{else}}ext{{end}} {{join .Imports " "}}`, pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		deps[f[0]] = f[1:]
	}
	return deps
}

// Core must stay transport-free in the WebAssembly build: net/http would
// triple the extension's module, and syscall/js belongs to the wasm/ layer.
// The standard library's own syscall and time packages import syscall/js on
// js/wasm for every Go program, so the rule is that no package of ours (or a
// third party's) imports it, and nothing links net/http.
func TestCoreIsTransportFreeInWasm(t *testing.T) {
	deps := wasmDeps(t, "github.com/timebar/timebar/core")
	require.Contains(t, deps, "github.com/tidwall/gjson", "sanity: the list is the wasm build's")
	assert.NotContains(t, deps, "net/http")
	assert.NotContains(t, deps, "net", "no sockets either")
	for pkg, info := range deps {
		if info[0] == "std" {
			continue
		}
		assert.NotContains(t, info[1:], "syscall/js", "%s imports syscall/js", pkg)
		assert.NotContains(t, pkg, "kin-openapi", "test-only code leaked into core")
	}
	// The std packages that import syscall/js are exactly the runtime's own.
	var importers []string
	for pkg, info := range deps {
		for _, imp := range info[1:] {
			if imp == "syscall/js" {
				importers = append(importers, pkg)
			}
		}
	}
	assert.ElementsMatch(t, []string{"syscall", "time"}, importers)
}
