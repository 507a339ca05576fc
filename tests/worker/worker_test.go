// Package worker runs the relay Worker in Cloudflare's own local runtime
// (wrangler dev, with workerd) against the fake TMetric on loopback, and
// exercises every endpoint through it.
package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core/tmetrictest"
	"github.com/timebar/timebar/tests/contract"
)

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

type relayUnderTest struct {
	base string
	fake *tmetrictest.Server
	logs *bytes.Buffer
}

var logMu sync.Mutex

type lockedWriter struct{ b *bytes.Buffer }

func (w lockedWriter) Write(p []byte) (int, error) {
	logMu.Lock()
	defer logMu.Unlock()
	return w.b.Write(p)
}

// startRelay builds the Worker with the Makefile and runs it under wrangler dev.
func startRelay(t *testing.T) *relayUnderTest {
	root, _ := filepath.Abs("../..")
	wrangler := filepath.Join(root, "tests/worker/node_modules/.bin/wrangler")
	if _, err := os.Stat(wrangler); err != nil {
		t.Fatal("wrangler is not installed: run `make worker-deps` (npm ci in tests/worker)")
	}
	build := exec.Command("make", "--no-print-directory", "worker")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	fake := tmetrictest.NewSandbox(nil)
	upstream := httptest.NewServer(contract.Wrap(t, fake))
	t.Cleanup(upstream.Close)

	port := freePort(t)
	home := t.TempDir()
	cmd := exec.Command(wrangler, "dev", "--config", filepath.Join(root, "wrangler.toml"), "--ip", "127.0.0.1",
		"--port", fmt.Sprint(port), "--inspector-port", fmt.Sprint(freePort(t)), "--show-interactive-dev-session=false",
		"--persist-to", filepath.Join(home, "state"), "--var", "TMETRIC_BASE_URL:"+upstream.URL+tmetrictest.Prefix)
	cmd.Dir = root
	// Quiet and offline: no metrics, no account look-ups, nothing written to the home directory.
	cmd.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "CLOUDFLARE_CF_FETCH_ENABLED=false",
		"XDG_CONFIG_HOME="+home, "HOME="+home, "CI=true", "WRANGLER_LOG=warn")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logs := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = lockedWriter{logs}, lockedWriter{logs}
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	r := &relayUnderTest{base: fmt.Sprintf("http://127.0.0.1:%d", port), fake: fake, logs: logs}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(r.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return r
			}
		}
		if time.Now().After(deadline) {
			logMu.Lock()
			defer logMu.Unlock()
			t.Fatalf("the Worker never answered /healthz:\n%s", logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (r *relayUnderTest) do(t *testing.T, method, path, token, body string) (int, map[string]any, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), method, r.base+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m, string(raw)
}

func TestRelayInTheWorkersRuntime(t *testing.T) {
	r := startRelay(t)

	code, body, raw := r.do(t, "GET", "/v1/today", tmetrictest.SandboxToken, "")
	require.Equal(t, 200, code, raw)
	assert.Len(t, body["entries"], 6)
	assert.Equal(t, "Checkout: profile slow queries", body["running"].(map[string]any)["note"])
	// The time zone came from Intl (no zoneinfo files on Workers).
	la, _ := time.LoadLocation("America/Los_Angeles")
	assert.Equal(t, time.Now().In(la).Format("2006-01-02"), body["date"])

	code, body, raw = r.do(t, "POST", "/v1/timer", tmetrictest.SandboxToken, `{"note": "From the Worker", "projectId": 410010003}`)
	require.Equal(t, 200, code, raw)
	assert.Equal(t, "From the Worker", body["day"].(map[string]any)["running"].(map[string]any)["note"])

	code, body, raw = r.do(t, "DELETE", "/v1/timer", tmetrictest.SandboxToken, "")
	require.Equal(t, 200, code, raw)
	assert.Nil(t, body["day"].(map[string]any)["running"])

	code, _, raw = r.do(t, "POST", "/v1/entries", tmetrictest.SandboxToken, `{"minutes": 15, "note": "Logged by a script"}`)
	require.Equal(t, 200, code, raw)

	code, _, raw = r.do(t, "GET", "/v1/projects", tmetrictest.SandboxToken, "")
	require.Equal(t, 200, code)
	var ps []map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &ps))
	assert.Greater(t, len(ps), 280)

	code, body, raw = r.do(t, "GET", "/v1/today", "revoked", "")
	assert.Equal(t, 401, code, raw)
	assert.NotContains(t, raw, "revoked")
	code, body, _ = r.do(t, "POST", "/v1/timer", tmetrictest.SandboxToken, `{"note":`)
	assert.Equal(t, 400, code)
	assert.Equal(t, "invalid", body["error"].(map[string]any)["kind"])

	var notes []string
	for _, e := range r.fake.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID) {
		notes = append(notes, e.Note)
	}
	assert.Contains(t, notes, "From the Worker")
	assert.Contains(t, notes, "Logged by a script")
}

// One Go instance serves concurrent requests correctly: each caller gets
// its own user's answer.
func TestConcurrentRequestsShareOneInstanceSafely(t *testing.T) {
	r := startRelay(t)
	var wg sync.WaitGroup
	errs := make(chan string, 40)
	for i := 0; i < 20; i++ {
		for _, tok := range []string{tmetrictest.SandboxToken, tmetrictest.KiwiToken} {
			wg.Add(1)
			go func(tok string) {
				defer wg.Done()
				req, _ := http.NewRequest("GET", r.base+"/v1/today", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err.Error()
					return
				}
				defer resp.Body.Close()
				var day struct {
					Entries []any `json:"entries"`
				}
				_ = json.NewDecoder(resp.Body).Decode(&day)
				want := map[string]int{tmetrictest.SandboxToken: 6, tmetrictest.KiwiToken: 0}[tok]
				if resp.StatusCode != 200 || len(day.Entries) != want {
					errs <- fmt.Sprintf("%s: status %d, %d entries (want %d)", tok[:14], resp.StatusCode, len(day.Entries), want)
				}
			}(tok)
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
