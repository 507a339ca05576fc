//go:build js && wasm

// Package tz gives the WebAssembly build time zones without embedding Go's
// zone database (time/tzdata, +0.38 MB): a browser has no zoneinfo files,
// but its Intl API knows every IANA zone. Load asks Intl for the zone's
// offsets around now and builds a *time.Location from them.
package tz

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"syscall/js"
	"time"
)

// The span a location built from Intl covers: transitions outside it are
// not known (times there take the nearest known offset).
const (
	spanBefore = 2 * 366 * 24 * time.Hour
	spanAfter  = 2 * 366 * 24 * time.Hour
	probeStep  = 7 * 24 * time.Hour // no zone changes offset twice in a week
)

var (
	mu    sync.Mutex
	cache = map[string]*time.Location{}
)

// Load returns the named IANA zone: from zoneinfo files when the runtime
// has them (Node), otherwise from Intl (browsers, Cloudflare Workers).
func Load(name string) (*time.Location, error) {
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	mu.Lock()
	defer mu.Unlock()
	if loc, ok := cache[name]; ok {
		return loc, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc, err = FromIntl(name, time.Now())
	}
	if err != nil {
		return nil, err
	}
	cache[name] = loc
	return loc, nil
}

// FromIntl builds the zone from Intl's offsets over two years either side of around.
func FromIntl(name string, around time.Time) (loc *time.Location, err error) {
	defer func() {
		if r := recover(); r != nil { // Intl throws RangeError for an unknown zone
			loc, err = nil, fmt.Errorf("unknown time zone %q: %v", name, r)
		}
	}()
	f := js.Global().Get("Intl").Get("DateTimeFormat").New("en-US", map[string]any{
		"timeZone": name, "hourCycle": "h23", "year": "numeric", "month": "2-digit", "day": "2-digit",
		"hour": "2-digit", "minute": "2-digit", "second": "2-digit",
	})
	date := js.Global().Get("Date")
	offset := func(t time.Time) (int, error) {
		s := f.Call("format", date.New(float64(t.Unix())*1000)).String()
		wall, err := parseWall(s)
		if err != nil {
			return 0, err
		}
		return int(wall.Unix() - t.Unix()), nil
	}
	from := around.Add(-spanBefore).Truncate(time.Hour)
	to := around.Add(spanAfter)
	first, err := offset(from)
	if err != nil {
		return nil, err
	}
	type transition struct {
		at     int64
		offset int
	}
	var ts []transition
	prevT, prevOff := from, first
	for t := from.Add(probeStep); !t.After(to); t = t.Add(probeStep) {
		off, err := offset(t)
		if err != nil {
			return nil, err
		}
		if off != prevOff {
			// Binary search for the first second with the new offset.
			lo, hi := prevT.Unix(), t.Unix()
			for hi-lo > 1 {
				mid := lo + (hi-lo)/2
				m, err := offset(time.Unix(mid, 0))
				if err != nil {
					return nil, err
				}
				if m == prevOff {
					lo = mid
				} else {
					hi = mid
				}
			}
			ts = append(ts, transition{hi, off})
		}
		prevT, prevOff = t, off
	}
	// Types: each distinct offset; the smallest is standard time.
	std := first
	for _, t := range ts {
		std = min(std, t.offset)
	}
	var types []int
	index := map[int]byte{}
	addType := func(off int) byte {
		if i, ok := index[off]; ok {
			return i
		}
		index[off] = byte(len(types))
		types = append(types, off)
		return index[off]
	}
	addType(first)
	var b []byte
	var times []byte
	var idx []byte
	for _, t := range ts {
		times = binary.BigEndian.AppendUint32(times, uint32(int32(t.at)))
		idx = append(idx, addType(t.offset))
	}
	var abbrevs []byte
	var infos []byte
	for _, off := range types {
		isDST := byte(0)
		if off != std {
			isDST = 1
		}
		infos = binary.BigEndian.AppendUint32(infos, uint32(int32(off)))
		infos = append(infos, isDST, byte(len(abbrevs)))
		abbrevs = append(abbrevs, abbrev(off)...)
		abbrevs = append(abbrevs, 0)
	}
	b = append(b, "TZif"...)
	b = append(b, make([]byte, 16)...) // version 1, then 15 reserved bytes
	for _, n := range []int{0, 0, 0, len(ts), len(types), len(abbrevs)} {
		b = binary.BigEndian.AppendUint32(b, uint32(n))
	}
	b = append(b, times...)
	b = append(b, idx...)
	b = append(b, infos...)
	b = append(b, abbrevs...)
	return time.LoadLocationFromTZData(name, b)
}

// parseWall reads "12/03/2026, 14:30:05" as a UTC wall-clock time.
func parseWall(s string) (time.Time, error) {
	s = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return ' '
	}, s)
	f := strings.Fields(s)
	if len(f) != 6 {
		return time.Time{}, errors.New("unexpected Intl output " + strconv.Quote(s))
	}
	n := make([]int, 6)
	for i, p := range f {
		v, err := strconv.Atoi(p)
		if err != nil {
			return time.Time{}, err
		}
		n[i] = v
	}
	return time.Date(n[2], time.Month(n[0]), n[1], n[3], n[4], n[5], 0, time.UTC), nil
}

// abbrev names an offset the way tzdata does for zones without letters: +13, -0330.
func abbrev(off int) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	h, m := off/3600, off/60%60
	if m == 0 {
		return fmt.Sprintf("%s%02d", sign, h)
	}
	return fmt.Sprintf("%s%02d%02d", sign, h, m)
}
