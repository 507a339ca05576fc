package core_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/nethttp"
	"github.com/timebar/timebar/core/tmetrictest"
	"github.com/timebar/timebar/tests/contract"
)

// testClock is a settable clock shared by the client and the fake.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time)     { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *testClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// A Thursday afternoon in Los Angeles, already Friday morning in Auckland.
var thursday = time.Date(2026, 12, 3, 22, 30, 0, 0, time.UTC)

type env struct {
	sent   atomic.Int32 // requests core handed to its transport
	fake   *tmetrictest.Server
	clock  *testClock
	client *core.Client
	url    string
}

// setup starts the sandbox fake behind the OpenAPI contract, mounted under
// /api/v3 like the real service, and a client for token.
func setup(t *testing.T, token string, opts ...core.Option) *env {
	t.Helper()
	clk := &testClock{t: thursday}
	fake := tmetrictest.NewSandbox(clk)
	srv := httptest.NewServer(contract.Wrap(t, fake))
	t.Cleanup(srv.Close)
	e := &env{fake: fake, clock: clk, url: srv.URL}
	tr := nethttp.New(srv.Client())
	base := []core.Option{
		core.WithBaseURL(srv.URL + tmetrictest.Prefix),
		core.WithTransport(core.DoerFunc(func(ctx context.Context, r *core.Request) (*core.Response, error) {
			e.sent.Add(1)
			return tr.Do(ctx, r)
		})),
		core.WithClock(clk),
		core.WithSleep(func(context.Context, time.Duration) error { return nil }),
	}
	c, err := core.NewClient(token, append(base, opts...)...)
	require.NoError(t, err)
	e.client = c
	return e
}

// scope reads the profile and returns the scope of the given workspace.
func (e *env) scope(t *testing.T, accountID int64) core.Scope {
	t.Helper()
	u, err := e.client.Me(context.Background())
	require.NoError(t, err)
	s, err := u.Scope(accountID)
	require.NoError(t, err)
	return s
}

// rawServer serves h directly (no contract), for hostile answers.
func rawServer(t *testing.T, h http.HandlerFunc) *core.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := core.NewClient("tok-123", core.WithBaseURL(srv.URL+"/api/v3"), core.WithTransport(nethttp.New(srv.Client())),
		core.WithClock(core.ClockFunc(func() time.Time { return thursday })),
		core.WithSleep(func(context.Context, time.Duration) error { return nil }))
	require.NoError(t, err)
	return c
}

var la, _ = time.LoadLocation("America/Los_Angeles")
var auckland, _ = time.LoadLocation("Pacific/Auckland")

func laScope() core.Scope {
	return core.Scope{AccountID: 1, UserID: 2, Location: la, TimeFormat: core.TimeFormat12h}
}
