package core_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/tmetrictest"
)

func entry(id int64, start, end time.Time) core.TimeEntry {
	return core.TimeEntry{ID: id, Start: start, End: end}
}

func TestTodayAroundMidnight(t *testing.T) {
	cases := []struct {
		name  string
		token string
		now   time.Time
		date  string
	}{
		{"LA one second before midnight", tmetrictest.SandboxToken, time.Date(2026, 12, 4, 7, 59, 59, 0, time.UTC), "2026-12-03"},
		{"LA at midnight", tmetrictest.SandboxToken, time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC), "2026-12-04"},
		{"LA evening while UTC is tomorrow", tmetrictest.SandboxToken, time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC), "2026-12-03"},
		{"Auckland one second before midnight", tmetrictest.KiwiToken, time.Date(2026, 12, 4, 10, 59, 59, 0, time.UTC), "2026-12-04"},
		{"Auckland at midnight", tmetrictest.KiwiToken, time.Date(2026, 12, 4, 11, 0, 0, 0, time.UTC), "2026-12-05"},
		{"Auckland morning while UTC is yesterday", tmetrictest.KiwiToken, time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC), "2026-12-05"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := setup(t, c.token)
			e.clock.Set(c.now)
			s := e.scope(t, 0)
			day, err := e.client.Today(context.Background(), s)
			require.NoError(t, err)
			assert.Equal(t, c.date, day.Date.String())
			q := e.fake.Requests()[len(e.fake.Requests())-1].Query
			assert.Contains(t, q, "endDate="+c.date)
		})
	}
}

func TestRunningTimerFromYesterdayCountsFromMidnight(t *testing.T) {
	e := setup(t, tmetrictest.KiwiToken)
	// 00:20 on Saturday in Auckland; the timer started at 23:43 on Friday.
	e.clock.Set(time.Date(2026, 12, 4, 11, 20, 0, 0, time.UTC))
	s := e.scope(t, 0)
	start := time.Date(2026, 12, 4, 23, 43, 0, 0, auckland)
	_, err := e.client.LogTime(context.Background(), s, core.EntryInput{Note: "Friday wrap-up", Start: start.Add(-time.Hour), End: start.Add(-30 * time.Minute)})
	require.NoError(t, err)
	_, err = e.client.StartTimer(context.Background(), s, core.EntryInput{Note: "Late deploy", Start: start})
	require.NoError(t, err)
	day, err := e.client.Today(context.Background(), s)
	require.NoError(t, err)
	assert.Equal(t, "2026-12-05", day.Date.String())
	require.NotNil(t, day.Running)
	assert.Equal(t, "Late deploy", day.Running.Note)
	assert.Equal(t, 20*time.Minute, day.Running.Duration)
	assert.Len(t, day.Entries, 1, "Friday's finished entry is not today's")
	assert.Equal(t, 20*time.Minute, day.Total, "only today's part of the timer")
}

func TestSummarize(t *testing.T) {
	s := laScope()
	d := core.Date{Year: 2026, Month: 12, Day: 3}
	at := func(h, m int) time.Time { return time.Date(2026, 12, 3, h, m, 0, 0, la) }
	now := at(15, 0)
	es := []core.TimeEntry{
		entry(3, at(13, 0), time.Time{}),                                                          // running: 2h to now
		entry(1, at(9, 0), at(9, 30)),                                                             // 30m
		entry(2, time.Date(2026, 12, 2, 23, 0, 0, 0, la), at(1, 0)),                               // across midnight: 1h today
		entry(4, time.Date(2026, 12, 2, 9, 0, 0, 0, la), time.Date(2026, 12, 2, 10, 0, 0, 0, la)), // yesterday: dropped
		entry(5, at(23, 30), time.Date(2026, 12, 4, 1, 0, 0, 0, la)),                              // into tomorrow: 30m
		entry(1, at(9, 0), at(9, 30)),                                                             // duplicate id: once
	}
	day := core.Summarize(es, d, s, now)
	ids := []int64{}
	for _, e := range day.Entries {
		ids = append(ids, e.ID)
	}
	assert.Equal(t, []int64{2, 1, 3, 5}, ids, "chronological, yesterday's dropped, duplicates once")
	assert.Equal(t, time.Hour, day.Entries[0].Duration)
	assert.Equal(t, 2*time.Hour, day.Running.Duration)
	assert.Equal(t, 4*time.Hour, day.Total)
	// A running timer whose start is a little ahead of our clock counts zero, not negative.
	skew := core.Summarize([]core.TimeEntry{entry(9, now.Add(20*time.Second), time.Time{})}, d, s, now)
	assert.Zero(t, skew.Total)
	require.NotNil(t, skew.Running)
}

func TestSummarizeAcrossDaylightSaving(t *testing.T) {
	// Los Angeles springs forward on 2026-03-08: the day has 23 hours.
	spring := core.Date{Year: 2026, Month: 3, Day: 8}
	start := spring.Start(la)
	now := time.Date(2026, 3, 8, 12, 0, 0, 0, la)
	day := core.Summarize([]core.TimeEntry{entry(1, start, time.Time{})}, spring, laScope(), now)
	assert.Equal(t, 11*time.Hour, day.Total, "midnight to noon is 11 real hours that day")
	e := entry(2, time.Date(2026, 3, 8, 1, 0, 0, 0, la), time.Date(2026, 3, 8, 4, 0, 0, 0, la))
	assert.Equal(t, 2*time.Hour, core.Summarize([]core.TimeEntry{e}, spring, laScope(), now).Total)

	// Auckland falls back on 2026-04-05: the day has 25 hours.
	autumn := core.Date{Year: 2026, Month: 4, Day: 5}
	s := core.Scope{Location: auckland}
	full := entry(3, autumn.Start(auckland), autumn.AddDays(1).Start(auckland))
	assert.Equal(t, 25*time.Hour, core.Summarize([]core.TimeEntry{full}, autumn, s, autumn.AddDays(2).Start(auckland)).Total)
	// And "today" on that day, from a UTC machine, is still 5 April all day long.
	assert.Equal(t, "2026-04-05", core.DateOf(time.Date(2026, 4, 5, 11, 30, 0, 0, time.UTC), auckland).String())
	assert.Equal(t, "2026-04-06", core.DateOf(time.Date(2026, 4, 5, 12, 0, 0, 0, time.UTC), auckland).String())
}

func TestFormatting(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 12, 3, h, m, 0, 0, la) }
	cases := []struct {
		t        time.Time
		h24, h12 string
	}{
		{at(0, 5), "0:05", "12:05 am"},
		{at(9, 5), "9:05", "9:05 am"},
		{at(12, 30), "12:30", "12:30 pm"},
		{at(17, 45), "17:45", "5:45 pm"},
		{at(23, 59), "23:59", "11:59 pm"},
	}
	for _, c := range cases {
		assert.Equal(t, c.h24, core.FormatClock(c.t, core.TimeFormat24h))
		assert.Equal(t, c.h12, core.FormatClock(c.t, core.TimeFormat12h))
		assert.Equal(t, c.h24, core.FormatClock(c.t, "something else"))
	}
	assert.Equal(t, "0:00", core.FormatDuration(-time.Minute))
	assert.Equal(t, "0:59", core.FormatDuration(59*time.Minute+59*time.Second))
	assert.Equal(t, "27:03", core.FormatDuration(27*time.Hour+3*time.Minute))
	assert.Equal(t, "1:02:03", core.FormatElapsed(time.Hour+2*time.Minute+3*time.Second))
}

func TestQuickNote(t *testing.T) {
	assert.Equal(t, "Fix the login bug", core.QuickNote("  Fix\tthe \n\n login   bug \u00a0"))
	long := core.QuickNote(strings.Repeat("word ", 200))
	assert.Equal(t, core.MaxNote, utf8.RuneCountInString(long))
	assert.True(t, strings.HasSuffix(long, "…"))
	emoji := core.QuickNote(strings.Repeat("👩🏽‍💻", 300))
	assert.True(t, utf8.ValidString(emoji))
	assert.LessOrEqual(t, utf8.RuneCountInString(emoji), core.MaxNote)
}

func TestOverlaps(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 12, 3, h, m, 0, 0, la) }
	es := []core.TimeEntry{entry(1, at(9, 0), at(10, 0)), entry(2, at(10, 0), at(11, 0)), entry(3, at(13, 0), time.Time{})}
	ids := func(es []core.TimeEntry) (out []int64) {
		for _, e := range es {
			out = append(out, e.ID)
		}
		return
	}
	assert.Equal(t, []int64{1, 2}, ids(core.Overlaps(es, at(9, 30), at(10, 30), at(14, 0))))
	assert.Empty(t, core.Overlaps(es, at(11, 0), at(13, 0), at(14, 0)), "touching edges do not overlap")
	assert.Equal(t, []int64{3}, ids(core.Overlaps(es, at(13, 30), at(13, 45), at(14, 0))), "the running timer")
}

func TestFreeSlot(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 12, 3, h, m, 0, 0, la) }
	day := []core.TimeEntry{
		entry(1, at(9, 0), at(10, 0)),
		entry(2, at(10, 20), at(11, 0)),
		entry(3, at(12, 0), at(12, 30)),
	}
	cases := []struct {
		name   string
		es     []core.TimeEntry
		length time.Duration
		end    time.Time
		want   time.Time
		ok     bool
	}{
		{"free right before now", day, 30 * time.Minute, at(13, 0), at(12, 30), true},
		{"now is busy: the end of the latest gap that fits", day, 45 * time.Minute, at(12, 15), at(11, 15), true},
		{"a short gap is skipped", day, 25 * time.Minute, at(11, 5), at(8, 35), true},
		{"exact fit between entries", day, 20 * time.Minute, at(10, 30), at(10, 0), true},
		{"a running timer is busy up to now", append(day, entry(4, at(12, 40), time.Time{})), 15 * time.Minute, at(13, 0), at(11, 45), true},
		{"nothing fits", []core.TimeEntry{entry(1, at(0, 0), at(12, 0))}, time.Hour, at(12, 30), time.Time{}, false},
		{"an empty day", nil, time.Hour, at(9, 0), at(8, 0), true},
		{"not before midnight", nil, time.Hour, at(0, 30), time.Time{}, false},
		{"a timer from yesterday still running", []core.TimeEntry{entry(9, at(0, 0).Add(-time.Hour), time.Time{})}, 15 * time.Minute, at(9, 0), time.Time{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := core.FreeSlot(c.es, c.length, c.end, la)
			require.Equal(t, c.ok, ok)
			if ok {
				assert.True(t, c.want.Equal(got), "got %s", got.Format("15:04"))
				assert.Empty(t, core.Overlaps(c.es, got, got.Add(c.length), c.end), "the slot overlaps nothing")
			}
		})
	}
}

func TestPageNote(t *testing.T) {
	assert.Equal(t, "Fix login — https://github.com/x/y/issues/1", core.PageNote("  Fix\n login ", "https://github.com/x/y/issues/1"))
	assert.Equal(t, "https://example.com/a", core.PageNote("", "https://example.com/a"))
	assert.Equal(t, "Title only", core.PageNote("Title only", ""))
	url := "https://example.com/" + strings.Repeat("p", 300)
	note := core.PageNote(strings.Repeat("long title ", 40), url)
	assert.LessOrEqual(t, utf8.RuneCountInString(note), core.MaxNote)
	assert.True(t, strings.HasSuffix(note, " — "+url), "the address survives whole")
	assert.Contains(t, note, "…")
	huge := "https://example.com/" + strings.Repeat("q", 500)
	assert.Equal(t, "Page", core.PageNote("Page", huge), "an address that cannot fit is dropped, not cut")
}
