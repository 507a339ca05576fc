package bridge_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/nethttp"
	"github.com/timebar/timebar/core/tmetrictest"
	"github.com/timebar/timebar/tests/contract"
	"github.com/timebar/timebar/wasm/bridge"
)

var now = time.Date(2026, 12, 3, 22, 30, 0, 0, time.UTC)

type harness struct {
	t    *testing.T
	b    *bridge.Bridge
	fake *tmetrictest.Server
	base string
	cfg  map[string]any
}

func newHarness(t *testing.T) *harness {
	clk := core.ClockFunc(func() time.Time { return now })
	fake := tmetrictest.NewSandbox(clk)
	srv := httptest.NewServer(contract.Wrap(t, fake))
	t.Cleanup(srv.Close)
	h := &harness{t: t, b: &bridge.Bridge{Doer: nethttp.New(srv.Client()), Clock: clk}, fake: fake, base: srv.URL + tmetrictest.Prefix}
	var profile map[string]any
	h.call("me", map[string]any{"token": tmetrictest.SandboxToken, "baseUrl": h.base}, &profile)
	h.cfg = map[string]any{"token": tmetrictest.SandboxToken, "baseUrl": h.base, "profile": profile}
	return h
}

func (h *harness) call(method string, args map[string]any, out any) error {
	h.t.Helper()
	raw, _ := json.Marshal(args)
	res, err := h.b.Call(context.Background(), method, raw)
	if err != nil {
		return err
	}
	require.NoError(h.t, json.Unmarshal(res, out), string(res))
	return nil
}

func (h *harness) with(extra map[string]any) map[string]any {
	extra["config"] = h.cfg
	return extra
}

func TestTodayView(t *testing.T) {
	h := newHarness(t)
	var day core.DayView
	require.NoError(t, h.call("today", h.with(map[string]any{}), &day))
	assert.Equal(t, "2026-12-03", day.Date)
	assert.Equal(t, "4:35", day.Total)
	require.NotNil(t, day.Running)
	assert.Equal(t, "1:53 pm", day.Running.Start)
	assert.Equal(t, "Acme Corp", day.Running.Client)
	assert.Equal(t, "#482", "#482")
	assert.Equal(t, "https://github.com/northwind/shop/issues/482", day.Running.TaskLink)
	assert.Equal(t, day.Running.ID, day.Entries[0].ID, "newest first")
	assert.Equal(t, "8:53 am", day.Entries[5].Start)
	assert.Equal(t, "9:18 am", day.Entries[5].End)
	assert.Equal(t, []string{"Development"}, day.Running.Tags)
}

func TestStartStopLog(t *testing.T) {
	h := newHarness(t)
	var w struct{ Day core.DayView }
	require.NoError(t, h.call("start", h.with(map[string]any{"note": "Plan sprint", "projectId": 410010001}), &w))
	require.NotNil(t, w.Day.Running)
	assert.Equal(t, "Plan sprint", w.Day.Running.Note)
	assert.Equal(t, "Internal", w.Day.Running.Project)

	// Stopping a timer that is not the running one refuses, and stops nothing.
	err := h.call("stop", h.with(map[string]any{"entryId": 1}), &w)
	require.Error(t, err)
	assert.Equal(t, "notFound", bridge.ErrorOf(err).Kind)

	require.NoError(t, h.call("stop", h.with(map[string]any{"entryId": w.Day.Running.ID}), &w))
	assert.Nil(t, w.Day.Running)

	start := time.Date(2026, 12, 3, 7, 0, 0, 0, time.FixedZone("PST", -8*3600))
	require.NoError(t, h.call("log", h.with(map[string]any{"note": "Invoices", "startMs": start.UnixMilli(), "endMs": start.Add(time.Hour).UnixMilli()}), &w))
	last := w.Day.Entries[len(w.Day.Entries)-1]
	assert.Equal(t, "Invoices", last.Note)
	assert.Equal(t, "7:00 am", last.Start)
	assert.Equal(t, "8:00 am", last.End)
}

func TestErrorsCrossAsViews(t *testing.T) {
	h := newHarness(t)
	var out any
	err := h.call("start", h.with(map[string]any{"note": string(make([]byte, 0)) + longNote()}), &out)
	v := bridge.ErrorOf(err)
	assert.Equal(t, "invalid", v.Kind)
	assert.Equal(t, "note", v.Field)
	assert.Contains(t, v.Message, "401 characters")

	err = h.call("me", map[string]any{"token": "revoked", "baseUrl": h.base}, &out)
	v = bridge.ErrorOf(err)
	assert.Equal(t, "unauthorized", v.Kind)
	assert.Equal(t, 401, v.Status)
	assert.Contains(t, v.Message, "Get new API token")

	err = h.call("checkBaseUrl", map[string]any{"baseUrl": "http://tmetric.example.com/api/v3"}, &out)
	assert.Equal(t, "config", bridge.ErrorOf(err).Kind)
	var ok map[string]string
	require.NoError(t, h.call("checkBaseUrl", map[string]any{"baseUrl": "https://app.tmetric.com/api/v3/"}, &ok))
	assert.Equal(t, "https://app.tmetric.com/api/v3", ok["baseUrl"])

	h.fake.Inject(tmetrictest.Fault{Status: 503, Body: "<html>down</html>"})
	err = h.call("today", h.with(map[string]any{}), &out)
	v = bridge.ErrorOf(err)
	assert.Equal(t, "server", v.Kind)
	assert.True(t, v.Retriable)

	_, err = h.b.Call(context.Background(), "today", []byte(`{"config":`))
	assert.Equal(t, "invalid", bridge.ErrorOf(err).Kind)
	_, err = h.b.Call(context.Background(), "selfDestruct", []byte(`{"config":{"profile":{"id":1,"activeAccountId":1,"accounts":[{"id":1}]},"token":"x"}}`))
	assert.Contains(t, bridge.ErrorOf(err).Message, "unknown method")
	_, err = h.b.Call(context.Background(), "today", []byte(`{"config":{"token":"x"}}`))
	assert.Equal(t, "config", bridge.ErrorOf(err).Kind, "no profile saved")
}

func longNote() string {
	b := make([]rune, 401)
	for i := range b {
		b[i] = 'é'
	}
	return string(b)
}

func TestManualIDsAndListings(t *testing.T) {
	h := newHarness(t)
	// Aroha's entries, read by the owner with ids typed by hand.
	h.cfg["userId"] = tmetrictest.KiwiUserID
	var day core.DayView
	require.NoError(t, h.call("today", h.with(map[string]any{}), &day))
	assert.Empty(t, day.Entries)
	delete(h.cfg, "userId")

	var ps []bridge.ProjectView
	require.NoError(t, h.call("projects", h.with(map[string]any{}), &ps))
	assert.Greater(t, len(ps), 280)
	for _, p := range ps {
		assert.NotEmpty(t, p.Name)
	}
	var text map[string]string
	require.NoError(t, h.call("httpFile", h.with(map[string]any{}), &text))
	assert.Contains(t, text["text"], "Authorization: Bearer {{token}}")
	assert.NotContains(t, text["text"], tmetrictest.SandboxToken)
	var note map[string]string
	require.NoError(t, h.call("quickNote", map[string]any{"text": "  Fix \n the   bug "}, &note))
	assert.Equal(t, "Fix the bug", note["note"])
}

func TestLogQuickNeverOverwrites(t *testing.T) {
	h := newHarness(t)
	// 14:30 in Los Angeles; the sandbox timer runs since 13:53, a gap 13:41-13:53 (12 min).
	var got struct {
		Day     core.DayView
		StartMs int64
		EndMs   int64
	}
	require.NoError(t, h.call("logQuick", h.with(map[string]any{"minutes": 30, "note": "Call with Acme"}), &got))
	la, _ := time.LoadLocation("America/Los_Angeles")
	assert.Equal(t, "12:23", time.UnixMilli(got.StartMs).In(la).Format("15:04"), "the end of the latest 30-minute gap: after lunch, before the review")
	assert.Equal(t, "12:53", time.UnixMilli(got.EndMs).In(la).Format("15:04"))
	before := len(h.fake.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID))
	assert.Equal(t, 7, before, "nothing was cut or merged")

	var out any
	err := h.call("logQuick", h.with(map[string]any{"minutes": 600, "note": "Too long"}), &out)
	v := bridge.ErrorOf(err)
	assert.Equal(t, "invalid", v.Kind)
	assert.Contains(t, v.Message, "no free 10:00 today")
	assert.Len(t, h.fake.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID), before, "refused, nothing sent")

	var note map[string]string
	require.NoError(t, h.call("pageNote", map[string]any{"title": "Issue 7", "url": "https://x.example/7"}, &note))
	assert.Equal(t, "Issue 7 — https://x.example/7", note["note"])
}
