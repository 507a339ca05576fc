//go:build js && wasm

package tz_test

import (
	"testing"
	"time"

	"github.com/timebar/timebar/wasm/tz"
)

// Under Node the zoneinfo files exist, so Intl's answer can be checked
// against Go's own database, instant by instant, across DST changes.
func TestIntlMatchesZoneinfo(t *testing.T) {
	around := time.Date(2026, 12, 3, 22, 30, 0, 0, time.UTC)
	for _, name := range []string{"Pacific/Auckland", "America/Los_Angeles", "Europe/London", "Asia/Kolkata",
		"Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham", "Africa/Casablanca", "UTC"} {
		want, err := time.LoadLocation(name)
		if err != nil {
			t.Fatalf("%s: %v (the test needs zoneinfo files)", name, err)
		}
		got, err := tz.FromIntl(name, around)
		if err != nil {
			t.Fatal(err)
		}
		for at := around.Add(-600 * 24 * time.Hour); at.Before(around.Add(600 * 24 * time.Hour)); at = at.Add(97 * time.Minute) {
			_, w := at.In(want).Zone()
			_, g := at.In(got).Zone()
			if w != g {
				t.Fatalf("%s at %s: Intl gives %d, zoneinfo %d", name, at.UTC(), g, w)
			}
		}
		// Naive wall-clock times read back in the zone agree too (the DST gap included).
		for _, wall := range []string{"2026-04-05T02:30:00", "2026-09-27T02:30:00", "2026-03-08T02:30:00", "2026-11-01T01:30:00"} {
			w, _ := time.ParseInLocation("2006-01-02T15:04:05", wall, want)
			g, _ := time.ParseInLocation("2006-01-02T15:04:05", wall, got)
			if !w.Equal(g) {
				t.Fatalf("%s %s: %v vs %v", name, wall, g, w)
			}
		}
	}
}

func TestUnknownZone(t *testing.T) {
	if _, err := tz.FromIntl("Mars/Olympus_Mons", time.Now()); err == nil {
		t.Fatal("an unknown zone must fail")
	}
}

func TestLoadCaches(t *testing.T) {
	a, err := tz.Load("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tz.Load("Asia/Tokyo")
	if a != b {
		t.Fatal("not cached")
	}
}
