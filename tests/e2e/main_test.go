// Package e2e loads the real extension into headless Chromium against the
// fake TMetric on loopback and checks what a user sees. One Chromium serves
// every test; each test gets its own fake server and empty storage.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/nethttp"
	"github.com/timebar/timebar/core/tmetrictest"
	"github.com/timebar/timebar/tests/browser"
	"github.com/timebar/timebar/tests/contract"
)

var (
	root string           // the repository
	br   *browser.Browser // shared by every test
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	wd, _ := os.Getwd()
	root = filepath.Clean(filepath.Join(wd, "..", ".."))
	// The Makefile is the one recipe for the extension; tests use what it builds.
	build := exec.Command("make", "--no-print-directory", "extension")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "make extension failed: %v\n%s", err, out)
		return 1
	}
	// Load a private copy: other test packages may rebuild build/extension
	// while these tests run.
	ext, err := os.MkdirTemp("", "timebar-extension-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(ext)
	if err := os.CopyFS(ext, os.DirFS(filepath.Join(root, "build", "extension"))); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	br, err = browser.Launch(ext, browser.Options{Headless: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer br.Close()
	return m.Run()
}

// fake is the fake TMetric on a fixed loopback address that can go down
// and come back, behind the OpenAPI contract.
type fake struct {
	*tmetrictest.Server
	t    *testing.T
	addr string
	mu   sync.Mutex
	srv  *http.Server
	zone string
}

func startFake(t *testing.T) *fake {
	t.Helper()
	zone := tmetrictest.MiddayZone(time.Now())
	f := &fake{Server: tmetrictest.NewSandboxIn(nil, zone), t: t, zone: zone}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f.addr = ln.Addr().String()
	f.serve(ln)
	t.Cleanup(f.stop)
	return f
}

func (f *fake) serve(ln net.Listener) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.srv = &http.Server{Handler: contract.Wrap(f.t, f.Server), ReadHeaderTimeout: 5 * time.Second}
	go f.srv.Serve(ln)
}

// stop takes the fake down: connections are refused until start.
func (f *fake) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.srv != nil {
		f.srv.Close()
		f.srv = nil
	}
}

func (f *fake) start() {
	ln, err := net.Listen("tcp", f.addr)
	require.NoError(f.t, err)
	f.serve(ln)
}

func (f *fake) baseURL() string { return "http://" + f.addr + tmetrictest.Prefix }

// connect stores a token and its profile in the extension, as the options page does.
func (f *fake) connect(t *testing.T, ctx context.Context, token string) {
	t.Helper()
	require.NoError(t, br.ResetStorage(ctx))
	c, err := core.NewClient(tmetrictest.SandboxToken, core.WithBaseURL(f.baseURL()), core.WithTransport(nethttp.New(nil)))
	require.NoError(t, err)
	me, err := c.Me(ctx)
	require.NoError(t, err)
	require.NoError(t, br.Seed(ctx, map[string]any{
		"token":  token,
		"config": map[string]any{"baseUrl": f.baseURL(), "profile": me, "accountId": me.ActiveAccountID, "userId": 0},
	}))
}

// lastRequest returns the last request the fake received for method and path suffix.
func (f *fake) lastRequest(method, suffix string) *tmetrictest.Recorded {
	reqs := f.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == method && strings.HasSuffix(reqs[i].Path, suffix) {
			return &reqs[i]
		}
	}
	return nil
}

// tab opens a new tab for one test.
func tab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := br.NewTab()
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 45*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// openPopup navigates to the popup and waits until it reaches state.
func openPopup(t *testing.T, ctx context.Context, state string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 600),
		chromedp.Navigate(br.URL("popup.html")),
	))
	waitState(t, ctx, state)
}

func waitState(t *testing.T, ctx context.Context, state string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitReady(`body[data-state="`+state+`"]`)), "popup never reached %q", state)
}

// eval runs JavaScript in the tab and decodes the result.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	require.NoError(t, err, js)
	return v
}

func storage(t *testing.T, ctx context.Context) map[string]json.RawMessage {
	t.Helper()
	var out map[string]json.RawMessage
	require.NoError(t, br.Worker(ctx, `chrome.storage.local.get(null)`, &out))
	return out
}

// waitJS waits until a JavaScript expression is truthy in the tab.
func waitJS(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second)))
	require.NoError(t, err, "waiting for %s", expr)
}
