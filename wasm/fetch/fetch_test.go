//go:build js && wasm

package fetch_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/tmetrictest"
	"github.com/timebar/timebar/wasm/fetch"
)

// These run under Node (go_js_wasm_exec) against a fake TMetric that
// tests/wasm_test.go starts natively and names in TIMEBAR_FAKE_URL.
func fakeURL(t *testing.T) string {
	u := os.Getenv("TIMEBAR_FAKE_URL")
	if u == "" {
		t.Fatal("TIMEBAR_FAKE_URL is not set: run these through tests/wasm_test.go (make test)")
	}
	return u
}

func client(t *testing.T, token string) *core.Client {
	c, err := core.NewClient(token, core.WithBaseURL(fakeURL(t)), core.WithTransport(fetch.Transport{}),
		core.WithRetry(core.RetryPolicy{Attempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRoundTripThroughFetch(t *testing.T) {
	c := client(t, tmetrictest.SandboxToken)
	me, err := c.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.Name != "Alex Rivera" {
		t.Fatalf("name %q", me.Name)
	}
	s, _ := me.Scope(0)
	w, err := c.StartTimer(context.Background(), s, core.EntryInput{Note: "From fetch ✓"})
	if err != nil {
		t.Fatal(err)
	}
	if w.Entry == nil || w.Entry.Note != "From fetch ✓" {
		t.Fatalf("started %+v", w.Entry)
	}
	// Pacific/Auckland must resolve without a file system (time/tzdata).
	if _, err := time.LoadLocation("Pacific/Auckland"); err != nil {
		t.Fatal(err)
	}
}

func TestUnauthorizedThroughFetch(t *testing.T) {
	_, err := client(t, "wrong-token").Me(context.Background())
	if !errors.Is(err, core.ErrUnauthorized) {
		t.Fatalf("got %v", err)
	}
}

func TestCancelAbortsTheFetch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	// The fake delays /user answers for this token (see tests/wasm_test.go).
	_, err := client(t, tmetrictest.KiwiToken).Me(ctx)
	if !errors.Is(err, core.ErrNetwork) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("the abort took %v", time.Since(start))
	}
}

func TestNetworkErrorThroughFetch(t *testing.T) {
	c, _ := core.NewClient("t", core.WithBaseURL("http://127.0.0.1:1/api/v3"), core.WithTransport(fetch.Transport{}),
		core.WithRetry(core.RetryPolicy{Attempts: 1}))
	_, err := c.Me(context.Background())
	if !errors.Is(err, core.ErrNetwork) {
		t.Fatalf("got %v", err)
	}
}
