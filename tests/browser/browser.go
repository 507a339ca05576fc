// Package browser drives headless Chromium with the unpacked extension
// loaded, for the end-to-end tests, the demo and the browser benchmarks:
// launch once, find the extension, seed its storage, open its pages.
package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// ExecPath finds Debian's Chromium (installed by `make deps` / .ci/run).
func ExecPath() (string, error) {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", errors.New("Chromium is not installed: run `make deps` (apt-get install chromium)")
}

// Browser is one Chromium with the extension loaded.
type Browser struct {
	Ctx         context.Context // the browser's context; new tabs derive from it
	ExtensionID string
	cancel      func()
	profile     string
}

// Options tune a launch.
type Options struct {
	Headless bool   // false shows a window (needs a display)
	Profile  string // a user-data directory to keep (a browser restart); "" makes a temporary one
}

// Launch starts Chromium with the unpacked extension in extDir.
func Launch(extDir string, opt Options) (*Browser, error) {
	abs, err := filepath.Abs(extDir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(abs, "manifest.json")); err != nil {
		return nil, fmt.Errorf("no built extension in %s: run `make extension`", abs)
	}
	exe, err := ExecPath()
	if err != nil {
		return nil, err
	}
	profile, keep := opt.Profile, opt.Profile != ""
	if !keep {
		if profile, err = os.MkdirTemp("", "timebar-chromium-"); err != nil {
			return nil, err
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-extensions", false),
		chromedp.Flag("load-extension", abs),
		chromedp.Flag("disable-extensions-except", abs),
		chromedp.DisableGPU,
		chromedp.NoSandbox,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1024, 800),
	)
	if !opt.Headless {
		opts = append(opts, chromedp.VisibleWindow)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &Browser{Ctx: ctx, profile: profile, cancel: func() {
		cancelCtx()
		cancelAlloc()
		if !keep {
			os.RemoveAll(profile)
		}
	}}
	if err := chromedp.Do(ctx); err != nil {
		b.Close()
		return nil, fmt.Errorf("starting Chromium: %w", err)
	}
	id, err := b.findExtension(15 * time.Second)
	if err != nil {
		b.Close()
		return nil, err
	}
	b.ExtensionID = id
	if err := b.waitWorkerReady(15 * time.Second); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// waitWorkerReady waits until the worker's script has run: its target can
// appear before the extension APIs are bound.
func (b *Browser) waitWorkerReady(wait time.Duration) error {
	deadline := time.Now().Add(wait)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		if err = b.Worker(b.Ctx, `Promise.resolve(typeof chrome === "object" && !!chrome.storage)`, &ok); err == nil && ok {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the extension's service worker never became ready: %v", err)
}

// Close stops Chromium and removes its profile.
func (b *Browser) Close() { b.cancel() }

func (b *Browser) findExtension(wait time.Duration) (string, error) {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if t, err := b.workerTarget(); err == nil {
			host := strings.TrimPrefix(t.URL, "chrome-extension://")
			return host[:strings.Index(host, "/")], nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", errors.New("the extension's service worker never appeared: is the manifest valid?")
}

func (b *Browser) workerTarget() (*target.Info, error) {
	targets, err := chromedp.Targets(b.Ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		if t.Type == "service_worker" && strings.HasPrefix(t.URL, "chrome-extension://") &&
			(b.ExtensionID == "" || strings.HasPrefix(t.URL, "chrome-extension://"+b.ExtensionID+"/")) {
			return t, nil
		}
	}
	return nil, errors.New("no extension service worker running")
}

// URL returns the address of one of the extension's pages.
func (b *Browser) URL(page string) string {
	return "chrome-extension://" + b.ExtensionID + "/" + page
}

// Worker evaluates a promise-returning expression in the service worker,
// waking it first if it was stopped, and decodes the value into out. A
// worker caught starting or stopping is tried again for a few seconds.
func (b *Browser) Worker(ctx context.Context, expr string, out any) error {
	var err error
	for i := 0; i < 40; i++ {
		if err = b.workerOnce(ctx, expr, out); err == nil || !transient(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

func transient(err error) bool {
	msg := err.Error()
	for _, s := range []string{"chrome is not defined", "no extension service worker", "context", "Target closed", "not found", "No target", "detached"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func (b *Browser) workerOnce(ctx context.Context, expr string, out any) error {
	t, err := b.workerTarget()
	if err != nil {
		if err := b.wake(ctx); err != nil {
			return err
		}
		if t, err = b.workerTarget(); err != nil {
			return err
		}
	}
	wctx, cancel := chromedp.NewContext(b.Ctx, chromedp.WithTargetID(t.TargetID), chromedp.WithDetachOnCancel())
	defer cancel()
	// A worker stopped mid-evaluation never answers: bound each try.
	tctx, cancelTry := context.WithTimeout(wctx, 5*time.Second)
	defer cancelTry()
	stop := context.AfterFunc(ctx, cancelTry)
	defer stop()
	raw, err := chromedp.Run(tctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return fmt.Errorf("in the service worker: %w", err)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// wake starts a stopped service worker: a message from an extension page
// wakes it (opening a page alone does not).
func (b *Browser) wake(ctx context.Context) error {
	tab, cancel := b.NewTab()
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(b.URL("options.html"))); err != nil {
		return err
	}
	_, err := chromedp.Run(tab, chromedp.Evaluate[bool](`chrome.runtime.sendMessage({what: "ping"}).catch(() => null).then(() => true)`, chromedp.EvalAwaitPromise))
	return err
}

// StopWorker terminates the service worker, as Chrome does after 30 s
// idle, and waits until it is gone.
func (b *Browser) StopWorker(ctx context.Context) error {
	tab, cancel := b.NewTab()
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		return err
	}
	if _, err := chromedp.Call(tab, serviceworker.Enable, cdp.Empty{}); err != nil {
		return err
	}
	if _, err := chromedp.Call(tab, serviceworker.StopAllWorkers, cdp.Empty{}); err != nil {
		return err
	}
	for i := 0; i < 50; i++ {
		if _, err := b.workerTarget(); err != nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("the service worker did not stop")
}

// NewTab opens a tab in the shared browser.
func (b *Browser) NewTab() (context.Context, context.CancelFunc) {
	return chromedp.NewContext(b.Ctx)
}

// ResetStorage empties the extension's storage.
func (b *Browser) ResetStorage(ctx context.Context) error {
	return b.Worker(ctx, `chrome.storage.local.clear().then(() => true)`, nil)
}

// Seed writes values into the extension's chrome.storage.local.
func (b *Browser) Seed(ctx context.Context, values map[string]any) error {
	j, err := json.Marshal(values)
	if err != nil {
		return err
	}
	return b.Worker(ctx, `chrome.storage.local.set(`+string(j)+`).then(() => true)`, nil)
}
