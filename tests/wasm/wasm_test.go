// Package wasm checks the WebAssembly builds from the outside: what the
// extension's module links, how big it is, and that the fetch transport
// works under a real JavaScript runtime (Node) against the fake TMetric.
package wasm

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core/tmetrictest"
	"github.com/timebar/timebar/tests/contract"
)

// SizeBudget is the extension module's raw size limit: compile time, and so
// the popup's cold start, grows with it (see README, Benchmarks).
const SizeBudget = 4 << 20

func goEnv(t *testing.T, key string) string {
	out, err := exec.Command("go", "env", key).Output()
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}

func TestExtensionModuleDoesNotLinkNetHTTP(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "../../wasm/extension")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	deps := strings.Fields(string(out))
	assert.Contains(t, deps, "github.com/timebar/timebar/wasm/fetch")
	assert.NotContains(t, deps, "net/http")
	assert.NotContains(t, deps, "github.com/timebar/timebar/core/nethttp")
}

// The module as the Makefile builds and ships it.
func TestExtensionModuleSize(t *testing.T) {
	cmd := exec.Command("make", "--no-print-directory", "extension")
	cmd.Dir = "../.."
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
	out := "../../build/extension/core.wasm"
	st, err := os.Stat(out)
	require.NoError(t, err)
	f, _ := os.Open(out)
	defer f.Close()
	zw := &countWriter{}
	gz, _ := gzip.NewWriterLevel(zw, gzip.BestCompression)
	_, _ = io.Copy(gz, f)
	gz.Close()
	t.Logf("core.wasm: %d bytes raw, %d gzip", st.Size(), zw.n)
	assert.LessOrEqual(t, st.Size(), int64(SizeBudget), "the module is over its 4 MB budget")
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// The js/wasm packages' own tests (the fetch transport, time zones from
// Intl) run under Node, the transport's against a fake this test serves.
func TestWasmPackagesUnderNode(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("Node.js is required for the WebAssembly tests: run `make deps` (apt-get install nodejs)")
	}
	fake := tmetrictest.NewSandbox(nil)
	inner := contract.Wrap(t, fake)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The cancellation test needs an answer that never comes in time.
		if r.URL.Path == tmetrictest.Prefix+"/user" && r.Header.Get("Authorization") == "Bearer "+tmetrictest.KiwiToken {
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
				return
			}
		}
		inner.ServeHTTP(w, r)
	}))
	defer srv.Close()

	exe := filepath.Join(goEnv(t, "GOROOT"), "lib", "wasm", "go_js_wasm_exec")
	cmd := exec.Command("go", "test", "-count=1", "-exec", exe, "../../wasm/fetch", "../../wasm/tz")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "TIMEBAR_FAKE_URL="+srv.URL+tmetrictest.Prefix)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	require.NoError(t, err)
	assert.Contains(t, string(out), "ok")
	// The requests really went through the fake.
	var sawStart bool
	for _, r := range fake.Requests() {
		if r.Method == "POST" && strings.Contains(string(r.Body), "From fetch") {
			sawStart = true
		}
	}
	assert.True(t, sawStart)
}
