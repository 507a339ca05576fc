package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/nethttp"
	"github.com/timebar/timebar/core/tmetrictest"
	"github.com/timebar/timebar/tests/browser"
)

// inWorker evaluates a promise-returning expression in the service worker.
func inWorker[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	var out T
	require.NoError(t, br.Worker(ctx, expr, &out), expr)
	return out
}

// until polls the service worker until expr is truthy.
func until(t *testing.T, ctx context.Context, expr, what string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		var ok bool
		if br.Worker(ctx, `Promise.resolve(`+expr+`).then(Boolean)`, &ok) == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s (%s)", what, expr)
}

func menuClick(t *testing.T, ctx context.Context, info map[string]any) {
	t.Helper()
	j, _ := json.Marshal(info)
	tab := `{id: 1, index: 0, windowId: 1, title: "Checkout bug #482 · northwind/shop", url: "https://github.com/northwind/shop/issues/482"}`
	inWorker[bool](t, ctx, `(chrome.contextMenus.onClicked.dispatch(`+string(j)+`, `+tab+`), Promise.resolve(true))`)
}

func shortcut(t *testing.T, ctx context.Context) {
	t.Helper()
	inWorker[bool](t, ctx, `(chrome.commands.onCommand.dispatch("toggle-timer", {id: 1}), Promise.resolve(true))`)
}

// posts returns the notes of the fake's POST /timeentries, in order.
func posts(f *fake) []map[string]any {
	var out []map[string]any
	for _, r := range f.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/timeentries") {
			var body map[string]any
			_ = json.Unmarshal(r.Body, &body)
			out = append(out, body)
		}
	}
	return out
}

// connected gives a connected extension with a fresh day cached.
func connected(t *testing.T) (*fake, context.Context) {
	f := startFake(t)
	ctx := tab(t)
	f.connect(t, ctx, tmetrictest.SandboxToken)
	openPopup(t, ctx, "fresh")
	f.ResetRequests()
	return f, ctx
}

func running(f *fake) *tmetrictest.Entry {
	for _, e := range f.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID) {
		if e.End.IsZero() {
			return &e
		}
	}
	return nil
}

func TestContextMenuStartsFromASelectionPageAndLink(t *testing.T) {
	f, ctx := connected(t)
	menuClick(t, ctx, map[string]any{"menuItemId": "start-selection", "selectionText": "  Fix the\n\n  login   bug  ", "editable": false})
	eventually(t, func() bool { return len(posts(f)) == 1 && running(f) != nil }, "the start to reach TMetric")
	assert.Equal(t, "Fix the login bug", running(f).Note, "whitespace collapsed")
	p := posts(f)
	require.Len(t, p, 1)
	assert.Nil(t, p[0]["startTime"], "sent at once: null start, TMetric's now")

	time.Sleep(1100 * time.Millisecond)
	menuClick(t, ctx, map[string]any{"menuItemId": "start-page", "pageUrl": "https://github.com/northwind/shop/issues/482"})
	eventually(t, func() bool { return len(posts(f)) == 2 && running(f) != nil }, "the second start")
	assert.Equal(t, "Checkout bug #482 · northwind/shop — https://github.com/northwind/shop/issues/482", running(f).Note,
		"the page's title, then its address")

	time.Sleep(1100 * time.Millisecond)
	menuClick(t, ctx, map[string]any{"menuItemId": "start-link", "linkUrl": "https://example.com/spec", "linkText": "The spec"})
	eventually(t, func() bool { return len(posts(f)) == 3 && running(f) != nil }, "the third start")
	assert.Equal(t, "The spec — https://example.com/spec", running(f).Note)
}

func TestMenusFollowTheTimerAndCanBeTurnedOff(t *testing.T) {
	_, ctx := connected(t)
	// Record the worker's menu updates from here on.
	inWorker[bool](t, ctx, `(() => { globalThis.menuCalls = []; const update = chrome.contextMenus.update.bind(chrome.contextMenus);
		chrome.contextMenus.update = (id, props) => { menuCalls.push([id, props]); return update(id, props); }; return Promise.resolve(true); })()`)
	menuClick(t, ctx, map[string]any{"menuItemId": "stop"})
	until(t, ctx, `menuCalls.some(([id, p]) => id === "stop" && p.visible === false)`, `"Stop timer" to hide`)
	menuClick(t, ctx, map[string]any{"menuItemId": "start-selection", "selectionText": "Back to it"})
	until(t, ctx, `menuCalls.some(([id, p], i) => i > 0 && id === "stop" && p.visible === true)`, `"Stop timer" to show`)
	assert.True(t, inWorker[bool](t, ctx, `chrome.contextMenus.update("start-page", {}).then(() => true, () => false)`), "menus exist")

	// Turned off in the options: gone.
	require.NoError(t, br.Worker(ctx, `chrome.storage.local.set({prefs: {menus: false}}).then(() => true)`, nil))
	ctx2 := tab(t)
	openPopup(t, ctx2, "fresh") // any page; the message below reaches the worker
	eval[map[string]any](t, ctx2, `chrome.runtime.sendMessage({what: "setPrefs", prefs: {menus: false}})`)
	assert.False(t, inWorker[bool](t, ctx, `chrome.contextMenus.update("start-page", {}).then(() => true, () => false)`), "no menu is left")
	assert.False(t, inWorker[bool](t, ctx, `chrome.contextMenus.update("stop", {}).then(() => true, () => false)`))
}

func TestLogTimeFindsAFreeGapAndNeverOverwrites(t *testing.T) {
	f, ctx := connected(t)
	before := f.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID)
	menuClick(t, ctx, map[string]any{"menuItemId": "log-30", "selectionText": "Reading the RFC"})
	eventually(t, func() bool { return len(posts(f)) == 1 }, "the log to reach TMetric")
	after := f.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID)
	require.Len(t, after, len(before)+1)
	var logged tmetrictest.Entry
	for _, e := range after {
		if e.Note == "Reading the RFC" {
			logged = e
		}
	}
	assert.Equal(t, 30*time.Minute, logged.End.Sub(logged.Start))
	for _, e := range before {
		end := e.End
		if end.IsZero() {
			end = time.Now()
		}
		assert.False(t, e.Start.Before(logged.End) && end.After(logged.Start), "the log overlaps %q", e.Note)
	}
	// Every original entry kept its times.
	for i := range before {
		found := false
		for _, e := range after {
			if e.ID == before[i].ID && e.Start.Equal(before[i].Start) && (e.End.Equal(before[i].End)) {
				found = true
			}
		}
		assert.True(t, found, "%q was changed", before[i].Note)
	}
}

func TestLogTimeRefusesWhenNoGapFits(t *testing.T) {
	f, ctx := connected(t)
	// Fill the whole day up to the running timer.
	loc := f.Location(tmetrictest.SandboxToken)
	now := time.Now().In(loc)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	first := f.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID)[0]
	f.AddEntry(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID, tmetrictest.EntryInput{Start: midnight, End: first.Start, Note: "Night shift"})
	// Fill the small gaps between the sandbox entries too.
	es := f.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID)
	for i := 1; i < len(es); i++ {
		if !es[i-1].End.IsZero() && es[i].Start.After(es[i-1].End) {
			f.AddEntry(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID, tmetrictest.EntryInput{Start: es[i-1].End, End: es[i].Start, Note: "Gap filler"})
		}
	}
	f.ResetRequests()
	menuClick(t, ctx, map[string]any{"menuItemId": "log-15"})
	until(t, ctx, `chrome.storage.local.get("failed").then(({failed = []}) => failed.length === 1)`, "the refusal")
	failed := inWorker[[]map[string]any](t, ctx, `chrome.storage.local.get("failed").then(({failed}) => failed)`)
	assert.Contains(t, failed[0]["error"].(map[string]any)["message"], "no free 0:15 today")
	assert.Empty(t, posts(f), "nothing was sent")
	// The popup shows it, with what the user asked for.
	openPopup(t, ctx, "fresh")
	assert.Contains(t, eval[string](t, ctx, `document.getElementById("failed").hidden ? "" : document.getElementById("failed-text").textContent`),
		"Log 15 min “Checkout bug #482 · northwind/shop")
}

func TestShortcutTogglesAndNeverRestartsWhatItMeantToStop(t *testing.T) {
	f, ctx := connected(t)
	require.NotNil(t, running(f))
	shortcut(t, ctx)
	eventually(t, func() bool { return running(f) == nil }, "the timer to stop")
	until(t, ctx, `chrome.action.getBadgeText({}).then((t) => t === "")`, "the badge to clear")
	assert.NotNil(t, f.lastRequest("POST", "/timeentries/break"))
	assert.Empty(t, posts(f))

	time.Sleep(1100 * time.Millisecond) // a second press, not a double click
	shortcut(t, ctx)
	eventually(t, func() bool { return running(f) != nil }, "a timer to start")
	until(t, ctx, `chrome.action.getBadgeText({}).then((t) => /^\d+:\d\d$/.test(t))`, "the badge to show a timer")
	assert.Equal(t, "Checkout: profile slow queries", running(f).Note, "continues the latest entry")

	// Stopped elsewhere (in TMetric's web app) while the cache still says it runs:
	// the shortcut stops nothing and starts nothing.
	f.ResetRequests()
	stopOnServer(t, f)
	shortcut(t, ctx)
	until(t, ctx, `chrome.storage.local.get("queue").then(({queue = []}) => queue.length === 0)`, "the stop to be handled")
	time.Sleep(300 * time.Millisecond)
	assert.Empty(t, posts(f), "no timer was started")
	assert.Nil(t, running(f))
}

func stopOnServer(t *testing.T, f *fake) {
	t.Helper()
	require.NotNil(t, running(f))
	require.True(t, f.StopRunning(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID))
}

func TestBadgeFollowsTheTimer(t *testing.T) {
	f, ctx := connected(t)
	until(t, ctx, `chrome.action.getBadgeText({}).then((t) => t !== "")`, "the badge to show the running timer")
	text := inWorker[string](t, ctx, `chrome.action.getBadgeText({})`)
	assert.Regexp(t, `^0:3[7-9]$`, text, "the sandbox timer's elapsed h:mm")
	title := inWorker[string](t, ctx, `chrome.action.getTitle({})`)
	assert.Contains(t, title, "Checkout: profile slow queries")
	assert.Contains(t, title, "Website redesign 1")
	assert.True(t, inWorker[bool](t, ctx, `chrome.alarms.get("badge").then((a) => !!a && a.periodInMinutes === 1)`), "updated every minute")

	menuClick(t, ctx, map[string]any{"menuItemId": "stop"})
	until(t, ctx, `chrome.action.getBadgeText({}).then((t) => t === "")`, "the badge to clear")
	assert.False(t, inWorker[bool](t, ctx, `chrome.alarms.get("badge").then((a) => !!a)`))
	assert.Nil(t, running(f))

	// A rejected token says so on the badge.
	require.NoError(t, br.Seed(ctx, map[string]any{"token": "revoked"}))
	openPopup(t, ctx, "cached-error")
	until(t, ctx, `chrome.action.getBadgeText({}).then((t) => t === "!")`, "the badge to warn")
	assert.Contains(t, inWorker[string](t, ctx, `chrome.action.getTitle({})`), "rejected the API token")
}

func TestDoubleClickMakesOneTimer(t *testing.T) {
	f, ctx := connected(t)
	inWorker[bool](t, ctx, `(() => { const info = {menuItemId: "start-selection", selectionText: "Once"}, tab = {id: 1, title: "x", url: "https://x.example/"};
		chrome.contextMenus.onClicked.dispatch(info, tab); chrome.contextMenus.onClicked.dispatch(info, tab); return Promise.resolve(true); })()`)
	eventually(t, func() bool { return len(posts(f)) >= 1 }, "the start to reach TMetric")
	time.Sleep(500 * time.Millisecond)
	assert.Len(t, posts(f), 1)
}

// Offline: three actions, the worker killed, TMetric back: each reaches it
// once, in order, with the moment the user acted.
func TestOfflineActionsReplayInOrderWithTheirTimes(t *testing.T) {
	f, ctx := connected(t)
	f.stop()
	menuClick(t, ctx, map[string]any{"menuItemId": "start-selection", "selectionText": "Offline work"})
	until(t, ctx, `chrome.storage.local.get("queue").then(({queue = []}) => queue.length === 1 && queue[0].tries === 1)`, "the start to wait")
	// The popup shows the timer at once, waiting to sync, over the last known day.
	openPopup(t, ctx, "cached-error")
	waitJS(t, ctx, `document.getElementById("running-note").textContent === "Offline work"
		&& document.getElementById("running").classList.contains("pending")`)
	assert.Contains(t, eval[shown](t, ctx, readPopup).Banner, "your actions are saved")
	time.Sleep(1100 * time.Millisecond)
	menuClick(t, ctx, map[string]any{"menuItemId": "log-15", "selectionText": "Offline call"})
	until(t, ctx, `chrome.storage.local.get("queue").then(({queue = []}) => queue.length === 2)`, "the log to wait")
	time.Sleep(1100 * time.Millisecond)
	menuClick(t, ctx, map[string]any{"menuItemId": "stop"})
	until(t, ctx, `chrome.storage.local.get("queue").then(({queue = []}) => queue.length === 3)`, "the stop to wait")
	queued := inWorker[[]struct {
		Kind string `json:"kind"`
		At   int64  `json:"at"`
	}](t, ctx, `chrome.storage.local.get("queue").then(({queue}) => queue)`)
	require.Len(t, queued, 3)
	assert.Equal(t, []string{"start", "log", "stop"}, []string{queued[0].Kind, queued[1].Kind, queued[2].Kind})
	assert.Contains(t, inWorker[string](t, ctx, `chrome.action.getTitle({})`), "waiting")
	assert.True(t, inWorker[bool](t, ctx, `chrome.alarms.get("queue-retry").then((a) => !!a)`), "a retry is scheduled")

	require.NoError(t, br.StopWorker(ctx))
	f.start()
	// No retry alarm left: what sends the queue below is the network coming
	// back (what the worker hears as "online").
	require.True(t, inWorker[bool](t, ctx, `chrome.alarms.clear("queue-retry")`))
	inWorker[bool](t, ctx, `(self.dispatchEvent(new Event("online")), Promise.resolve(true))`)
	until(t, ctx, `chrome.storage.local.get("queue").then(({queue = []}) => queue.length === 0)`, "the queue to drain when the network came back")

	loc := f.Location(tmetrictest.SandboxToken)
	wire := func(ms int64) string { return time.UnixMilli(ms).In(loc).Format("2006-01-02T15:04:05") }
	var kinds []string
	var startBody, logBody, stopBody map[string]any
	for _, r := range f.Requests() {
		var body map[string]any
		_ = json.Unmarshal(r.Body, &body)
		switch {
		case r.Method == "POST" && strings.HasSuffix(r.Path, "/timeentries") && body["endTime"] == nil:
			kinds, startBody = append(kinds, "start"), body
		case r.Method == "POST" && strings.HasSuffix(r.Path, "/timeentries"):
			kinds, logBody = append(kinds, "log"), body
		case r.Method == "PUT":
			kinds, stopBody = append(kinds, "stop"), body
		}
	}
	assert.Equal(t, []string{"start", "log", "stop"}, kinds, "each once, in order; failed: %v",
		inWorker[any](t, ctx, `chrome.storage.local.get("failed").then(({failed}) => failed ?? [])`))
	require.NotNil(t, startBody)
	assert.Equal(t, wire(queued[0].At), startBody["startTime"], "the start keeps the moment of the click")
	assert.Equal(t, "Offline work", startBody["note"])
	require.NotNil(t, logBody)
	assert.Equal(t, "Offline call", logBody["note"])
	assert.LessOrEqual(t, logBody["endTime"], wire(queued[1].At))
	require.NotNil(t, stopBody)
	assert.Equal(t, wire(queued[2].At), stopBody["endTime"], "the stop ends the entry when the user clicked")
	assert.Equal(t, wire(queued[0].At), stopBody["startTime"])
	assert.Nil(t, running(f))
}

func TestARefusedActionLeavesTheQueueVisibly(t *testing.T) {
	f, ctx := connected(t)
	f.Inject(tmetrictest.Fault{Method: "POST", Path: "/accounts/41001/timeentries", Status: 400, Times: 1,
		Body: `{"statusCode":400,"message":"Project is archived."}`})
	menuClick(t, ctx, map[string]any{"menuItemId": "start-selection", "selectionText": "Archived work"})
	until(t, ctx, `chrome.storage.local.get(["failed", "queue"]).then(({failed = [], queue = []}) => failed.length === 1 && queue.length === 0)`, "the refusal")
	failed := inWorker[[]map[string]any](t, ctx, `chrome.storage.local.get("failed").then(({failed}) => failed)`)
	assert.Equal(t, "Archived work", failed[0]["data"].(map[string]any)["note"], "what the user typed is kept")
	assert.Equal(t, "Project is archived.", failed[0]["error"].(map[string]any)["message"])
	openPopup(t, ctx, "fresh")
	assert.Contains(t, eval[string](t, ctx, `document.getElementById("failed-text").textContent`), "“Archived work” was not saved: Project is archived.")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#failed-dismiss")))
	until(t, ctx, `chrome.storage.local.get("failed").then(({failed = []}) => failed.length === 0)`, "dismissed")
}

// eventually waits for a condition on the Go side (the fake's state).
func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A quick start in a workspace that requires a project never fails
// silently: without a project for quick starts the note waits in the popup;
// with one set in the options it is used.
func TestQuickStartWhereAProjectIsRequired(t *testing.T) {
	f, ctx := connected(t)
	require.NoError(t, br.Worker(ctx, `chrome.storage.local.get("config").then(({config}) =>
		chrome.storage.local.set({config: {...config, accountId: 41002}})).then(() => true)`, nil))
	menuClick(t, ctx, map[string]any{"menuItemId": "start-selection", "selectionText": "Needs a project"})
	until(t, ctx, `chrome.storage.local.get("prefill").then(({prefill}) => prefill && prefill.note === "Needs a project")`, "the note to wait for the popup")
	assert.Empty(t, posts(f), "nothing sent without the project")
	assert.Empty(t, inWorker[[]any](t, ctx, `chrome.storage.local.get("failed").then(({failed = []}) => failed)`), "not a failure: it waits in the popup")
	openPopup(t, ctx, "fresh")
	waitJS(t, ctx, `document.getElementById("note").value === "Needs a project" && document.activeElement.id === "project"`)

	eval[map[string]any](t, ctx, `chrome.runtime.sendMessage({what: "setPrefs", prefs: {quickProjectId: 410020005}})`)
	time.Sleep(1100 * time.Millisecond)
	menuClick(t, ctx, map[string]any{"menuItemId": "start-selection", "selectionText": "Has a project"})
	eventually(t, func() bool { return len(posts(f)) == 1 }, "the start to reach TMetric")
	assert.Equal(t, float64(410020005), posts(f)[0]["project"].(map[string]any)["id"])
}

// Actions queued offline survive closing the browser: the next start sends them.
func TestQueueSurvivesABrowserRestart(t *testing.T) {
	f := startFake(t)
	profile := t.TempDir()
	ext := filepath.Join(t.TempDir(), "extension")
	require.NoError(t, os.CopyFS(ext, os.DirFS(filepath.Join(root, "build", "extension"))))

	first, err := browser.Launch(ext, browser.Options{Headless: true, Profile: profile})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(first.Ctx, 60*time.Second)
	defer cancel()
	c, err := core.NewClient(tmetrictest.SandboxToken, core.WithBaseURL(f.baseURL()), core.WithTransport(nethttp.New(nil)))
	require.NoError(t, err)
	me, err := c.Me(ctx)
	require.NoError(t, err)
	require.NoError(t, first.Seed(ctx, map[string]any{"token": tmetrictest.SandboxToken,
		"config": map[string]any{"baseUrl": f.baseURL(), "profile": me, "accountId": me.ActiveAccountID, "userId": 0}}))
	f.stop()
	var ok bool
	require.NoError(t, first.Worker(ctx, `(chrome.contextMenus.onClicked.dispatch({menuItemId: "start-selection", selectionText: "Before the restart"},
		{id: 1, title: "t", url: "https://x.example/"}), Promise.resolve(true))`, &ok))
	deadline := time.Now().Add(15 * time.Second)
	for {
		var queued int
		require.NoError(t, first.Worker(ctx, `chrome.storage.local.get("queue").then(({queue = []}) => queue.filter((i) => i.tries > 0).length)`, &queued))
		if queued == 1 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the start never waited in the queue")
		time.Sleep(100 * time.Millisecond)
	}
	first.Close()

	f.start()
	second, err := browser.Launch(ext, browser.Options{Headless: true, Profile: profile})
	require.NoError(t, err)
	defer second.Close()
	eventually(t, func() bool { return running(f) != nil && running(f).Note == "Before the restart" }, "the queued start after the restart")
	assert.Len(t, posts(f), 1, "sent once")
}

// Opening the popup sends what waits, without waiting for the retry alarm.
func TestOpeningThePopupSendsWhatWaits(t *testing.T) {
	f, ctx := connected(t)
	f.stop()
	menuClick(t, ctx, map[string]any{"menuItemId": "start-selection", "selectionText": "Queued while offline"})
	until(t, ctx, `chrome.storage.local.get("queue").then(({queue = []}) => queue.length === 1 && queue[0].nextAt > Date.now())`,
		"the start to wait for its backoff")
	// No retry alarm left: only opening the popup can send it now.
	require.True(t, inWorker[bool](t, ctx, `chrome.alarms.clear("queue-retry")`))
	f.start()
	openPopup(t, ctx, "fresh")
	eventually(t, func() bool { return running(f) != nil && running(f).Note == "Queued while offline" }, "opening the popup to send the waiting start")
	waitJS(t, ctx, `document.getElementById("running-note").textContent === "Queued while offline" && !document.querySelector(".pending")`)
}
