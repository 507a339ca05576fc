package e2e

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core/tmetrictest"
)

func TestSetupScreenWithoutToken(t *testing.T) {
	ctx := tab(t)
	require.NoError(t, br.ResetStorage(ctx))
	openPopup(t, ctx, "setup")
	assert.True(t, eval[bool](t, ctx, `!document.getElementById("setup").hidden && document.getElementById("tracker").hidden`))
	assert.Equal(t, "https://app.tmetric.com/#/profile", eval[string](t, ctx, `document.querySelector("#setup a").href`))
	assert.Contains(t, eval[string](t, ctx, `document.getElementById("setup").textContent`), "Get new API token")
}

type shown struct {
	State   string   `json:"state"`
	Total   string   `json:"total"`
	Elapsed string   `json:"elapsed"`
	Running string   `json:"running"`
	Notes   []string `json:"notes"`
	Ranges  []string `json:"ranges"`
	Banner  string   `json:"banner"`
	Date    string   `json:"date"`
	WS      string   `json:"ws"`
}

const readPopup = `(() => {
  const $ = (id) => document.getElementById(id);
  return {
    state: document.body.dataset.state,
    total: $("total").textContent,
    elapsed: $("running").hidden ? "" : $("running-elapsed").textContent,
    running: getComputedStyle($("running")).display === "none" ? "" : $("running-note").textContent,
    notes: [...document.querySelectorAll("#entries .note")].map((n) => n.textContent),
    ranges: [...document.querySelectorAll("#entries .range")].map((n) => n.textContent),
    banner: getComputedStyle($("banner")).display === "none" ? "" : $("banner-text").textContent,
    date: $("date").textContent,
    ws: $("workspace").textContent,
  };
})()`

// synced is true once nothing waits in the queue and the popup has settled.
const synced = `document.body.getAttribute("aria-busy") === "false" && !document.querySelector(".pending") `

func minutes(hmm string) int {
	h, m, _ := strings.Cut(hmm, ":")
	hi, _ := strconv.Atoi(h)
	mi, _ := strconv.Atoi(m[:2])
	return hi*60 + mi
}

func TestPopupShowsTodayInTheUsersZone(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	f.connect(t, ctx, tmetrictest.SandboxToken)
	openPopup(t, ctx, "fresh")
	s := eval[shown](t, ctx, readPopup)

	assert.Equal(t, []string{"Checkout: profile slow queries", "Code review: payment retries", "Lunch-and-learn: accessibility",
		"Onboarding screens: empty states", "Standup", "Email & planning"}, s.Notes, "newest first")
	assert.Equal(t, "Checkout: profile slow queries", s.Running)
	assert.Equal(t, "Alex Rivera · Northwind Studio", s.WS)
	assert.Empty(t, s.Banner, "no banner when all is well")
	assert.True(t, eval[bool](t, ctx, `["banner", "setup", "empty", "form-error", "forgotten", "project-list", "skeleton"].every((id) =>
		getComputedStyle(document.getElementById(id)).display === "none")`), "hidden parts are not shown")
	// The date shown is the user's date in their TMetric zone, not the machine's.
	loc := f.Location(tmetrictest.SandboxToken)
	wantDate := time.Now().In(loc).Format("Monday, Jan 2")
	assert.Equal(t, wantDate, s.Date, "user zone %s", f.zone)
	// Times in the user's 12-hour format.
	assert.Regexp(t, `^\d{1,2}:\d\d (am|pm) – now$`, s.Ranges[0])
	assert.Regexp(t, `^\d{1,2}:\d\d (am|pm) – \d{1,2}:\d\d (am|pm)$`, s.Ranges[1])
	// The total is the finished 3:58 plus the running timer, ticking.
	el := strings.Split(s.Elapsed, ":")
	require.Len(t, el, 3)
	elapsedMin, _ := strconv.Atoi(el[1])
	elapsedH, _ := strconv.Atoi(el[0])
	assert.InDelta(t, 238+elapsedH*60+elapsedMin, minutes(s.Total), 1, "total %s, running %s", s.Total, s.Elapsed)
	assert.GreaterOrEqual(t, elapsedH*60+elapsedMin, 37)

	// The elapsed clock ticks (within a few seconds even on a loaded machine).
	waitJS(t, ctx, `document.getElementById("running-elapsed").textContent !== "`+s.Elapsed+`"`)
}

func TestStartStopAndContinue(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	f.connect(t, ctx, tmetrictest.SandboxToken)
	openPopup(t, ctx, "fresh")

	require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys("#note", "Write the release notes"+kb.Enter)))
	waitJS(t, ctx, synced+`&& document.getElementById("running-note").textContent === "Write the release notes"
		&& document.getElementById("note").value === ""`)
	post := f.lastRequest("POST", "/timeentries")
	require.NotNil(t, post)
	var body map[string]any
	require.NoError(t, json.Unmarshal(post.Body, &body))
	assert.Nil(t, body["startTime"], "starts now: null, as the API wants")
	assert.Equal(t, "Write the release notes", body["note"])
	s := eval[shown](t, ctx, readPopup)
	assert.Equal(t, "Write the release notes", s.Notes[0])
	assert.Equal(t, "Checkout: profile slow queries", s.Notes[1], "the previous timer was stopped by the start")

	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#stop")))
	waitJS(t, ctx, synced+`&& document.getElementById("running").hidden`)
	assert.NotNil(t, f.lastRequest("POST", "/timeentries/break"))
	for _, e := range f.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID) {
		assert.False(t, e.End.IsZero(), "nothing runs on the server")
	}

	// Continue the standup: a new timer with its note and project.
	var standup int64
	for _, e := range f.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID) {
		if e.Note == "Standup" {
			standup = e.ID
		}
	}
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(`#entries li[data-id="`+strconv.FormatInt(standup, 10)+`"] .cont`)))
	waitJS(t, ctx, synced+`&& document.getElementById("running-note").textContent === "Standup"`)
	require.NoError(t, json.Unmarshal(f.lastRequest("POST", "/timeentries").Body, &body))
	assert.Equal(t, "Standup", body["note"])
	assert.Equal(t, float64(tmetrictest.SandboxAccountID*10000+2), body["project"].(map[string]any)["id"])
	assert.Contains(t, eval[string](t, ctx, `document.getElementById("running-project").textContent`), "Meetings & admin")
}

func TestProjectPickerAndRequiredProject(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	f.connect(t, ctx, tmetrictest.SandboxToken)
	// Harbour Agency requires a project on every entry.
	require.NoError(t, br.Worker(ctx, `chrome.storage.local.get("config").then(({config}) =>
		chrome.storage.local.set({config: {...config, accountId: `+strconv.Itoa(tmetrictest.StrictAccountID)+`}})).then(() => true)`, nil))
	openPopup(t, ctx, "fresh")
	f.ResetRequests()
	require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys("#note", "No project"+kb.Enter)))
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible("#form-error")))
	assert.Contains(t, eval[string](t, ctx, `document.getElementById("form-error").textContent`), "requires a project")
	assert.Nil(t, f.lastRequest("POST", "/timeentries"), "refused before anything was sent")
	assert.Equal(t, "project", eval[string](t, ctx, `document.activeElement.id`))

	require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys("#project", "globex mob")))
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(`#project-list [role=option]`)))
	options := eval[[]string](t, ctx, `[...document.querySelectorAll("#project-list [role=option]")].map((o) => o.textContent)`)
	require.NotEmpty(t, options)
	for _, o := range options {
		assert.Contains(t, strings.ToLower(o), "mobile app")
		assert.Contains(t, o, "Globex")
	}
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter)))
	assert.Equal(t, options[1], strings.ReplaceAll(strings.ReplaceAll(eval[string](t, ctx, `document.getElementById("project").value`), " (", ""), ")", ""))
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
	waitJS(t, ctx, synced+`&& document.getElementById("running-note").textContent === "No project"`)
	post := f.lastRequest("POST", "/timeentries")
	require.NotNil(t, post)
	assert.Contains(t, string(post.Body), `"project":{"id":`)
}

func TestTokenRejected(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	f.connect(t, ctx, "a-revoked-token")
	openPopup(t, ctx, "error")
	s := eval[shown](t, ctx, readPopup)
	assert.Contains(t, s.Banner, "rejected your API token")
	assert.Contains(t, s.Banner, "one year")
	assert.Equal(t, "https://app.tmetric.com/#/profile", eval[string](t, ctx, `document.getElementById("banner-link").href`))
	assert.Equal(t, "Update token", eval[string](t, ctx, `document.getElementById("banner-action").textContent`))
}

func TestOfflineKeepsTheCacheAndRetryRecovers(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	f.connect(t, ctx, tmetrictest.SandboxToken)
	openPopup(t, ctx, "fresh")
	before := eval[shown](t, ctx, readPopup)

	f.stop()
	openPopup(t, ctx, "cached-error")
	s := eval[shown](t, ctx, readPopup)
	assert.Equal(t, before.Notes, s.Notes, "the last known day stays")
	assert.Contains(t, s.Banner, "Offline")
	assert.Equal(t, "Retry", eval[string](t, ctx, `document.getElementById("banner-action").textContent`))

	f.start()
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#banner-action")))
	waitState(t, ctx, "fresh")
	assert.Empty(t, eval[shown](t, ctx, readPopup).Banner)
}

func TestServerErrorKeepsTheCache(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	f.connect(t, ctx, tmetrictest.SandboxToken)
	openPopup(t, ctx, "fresh")
	f.Inject(tmetrictest.Fault{Status: 502, Body: tmetrictest.HTMLBadGateway})
	openPopup(t, ctx, "cached-error")
	s := eval[shown](t, ctx, readPopup)
	assert.Len(t, s.Notes, 6)
	assert.Contains(t, s.Banner, "Bad Gateway")
}

func TestNotesRenderAsText(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	const xss = `<img src=x onerror="document.title='pwned'">`
	now := time.Now()
	f.AddEntry(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID, tmetrictest.EntryInput{
		Start: now.Add(-10 * time.Hour), End: now.Add(-9*time.Hour - 50*time.Minute), Note: xss})
	f.connect(t, ctx, tmetrictest.SandboxToken)
	openPopup(t, ctx, "fresh")
	s := eval[shown](t, ctx, readPopup)
	assert.Contains(t, s.Notes, xss, "shown literally")
	assert.Equal(t, 0, eval[int](t, ctx, `document.querySelectorAll("#entries img").length`))
	assert.NotEqual(t, "pwned", eval[string](t, ctx, `document.title`))
}

func TestEmptyDay(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	require.NoError(t, br.ResetStorage(ctx))
	f.connect(t, ctx, tmetrictest.SandboxToken)
	// Aroha has no entries: connect as her.
	require.NoError(t, br.Seed(ctx, map[string]any{"token": tmetrictest.KiwiToken}))
	require.NoError(t, br.Worker(ctx, `chrome.storage.local.get("config").then(({config}) =>
		chrome.storage.local.set({config: {...config, userId: `+strconv.Itoa(tmetrictest.KiwiUserID)+`}})).then(() => true)`, nil))
	openPopup(t, ctx, "fresh")
	assert.True(t, eval[bool](t, ctx, `!document.getElementById("empty").hidden`))
	assert.Equal(t, "0:00", eval[shown](t, ctx, readPopup).Total)
}

func TestDarkMode(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	f.connect(t, ctx, tmetrictest.SandboxToken)
	bg := `getComputedStyle(document.body).backgroundColor`
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}})
	require.NoError(t, err)
	openPopup(t, ctx, "fresh")
	assert.Equal(t, "rgb(255, 255, 255)", eval[string](t, ctx, bg))
	_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
	require.NoError(t, err)
	assert.Equal(t, "rgb(21, 24, 29)", eval[string](t, ctx, bg))
	assert.Equal(t, "rgb(231, 233, 238)", eval[string](t, ctx, `getComputedStyle(document.body).color`))
}

// A timer running for over 12 hours was almost always forgotten: the popup says so.
func TestForgottenTimerWarning(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	require.True(t, f.StopRunning(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID))
	f.AddEntry(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID, tmetrictest.EntryInput{
		Start: time.Now().Add(-13 * time.Hour), Note: "Left running overnight"})
	f.connect(t, ctx, tmetrictest.SandboxToken)
	openPopup(t, ctx, "fresh")
	assert.Equal(t, "Left running overnight", eval[shown](t, ctx, readPopup).Running)
	assert.True(t, eval[bool](t, ctx, `getComputedStyle(document.getElementById("forgotten")).display !== "none"`))
	assert.Contains(t, eval[string](t, ctx, `document.getElementById("forgotten").textContent`), "over 12 hours")
	assert.Equal(t, "https://app.tmetric.com/#/tracker/41001/", eval[string](t, ctx, `document.getElementById("fix-link").href`))
}

// Keyboard and screen readers: a sensible tab order, Escape closes the
// project list, and every control has a name.
func TestKeyboardAndLabels(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	f.connect(t, ctx, tmetrictest.SandboxToken)
	openPopup(t, ctx, "fresh")
	waitJS(t, ctx, `document.activeElement.id === "note"`)
	var order []string
	for i := 0; i < 3; i++ {
		require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)))
		order = append(order, eval[string](t, ctx, `document.activeElement.id`))
	}
	assert.Equal(t, []string{"project", "tag", "start-button"}, order)

	require.NoError(t, chromedp.Do(ctx, chromedp.Focus("#project"), chromedp.KeyEvent("w")))
	waitJS(t, ctx, `!document.getElementById("project-list").hidden`)
	assert.Equal(t, "true", eval[string](t, ctx, `document.getElementById("project").getAttribute("aria-expanded")`))
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)))
	waitJS(t, ctx, `document.getElementById("project-list").hidden`)

	unnamed := eval[[]string](t, ctx, `[...document.querySelectorAll("button, input, select, [role=timer]")]
		.filter((el) => el.offsetParent !== null)
		.filter((el) => !(el.getAttribute("aria-label") || el.labels?.length || el.textContent.trim()))
		.map((el) => el.outerHTML.slice(0, 80))`)
	assert.Empty(t, unnamed, "controls without an accessible name")
}

// The pickers' lists are fetched once, not every time the popup opens;
// the day is fetched every time.
func TestPickerListsAreNotFetchedOnEveryOpen(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	f.connect(t, ctx, tmetrictest.SandboxToken)
	count := func(suffix string) int {
		n := 0
		for _, r := range f.Requests() {
			if r.Method == "GET" && strings.HasSuffix(r.Path, suffix) {
				n++
			}
		}
		return n
	}
	for i := 0; i < 3; i++ {
		openPopup(t, ctx, "fresh")
		waitJS(t, ctx, `document.querySelectorAll("#tag option").length > 1`)
	}
	assert.Equal(t, 3, count("/timeentries"), "the day on every open")
	assert.Equal(t, 1, count("/timeentries/tags"))
	assert.Equal(t, 1, count("/timeentries/projects"))
}
