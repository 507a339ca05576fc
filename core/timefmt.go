package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// LoadLocation resolves an IANA zone name. Natively it is the system's
// zoneinfo. A browser has no zoneinfo files: the WebAssembly build replaces
// it with one that asks the browser's Intl API (wasm/tz), which is 0.38 MB
// smaller than embedding time/tzdata.
var LoadLocation = time.LoadLocation

// wireLayout is how TMetric writes a moment: naive local wall-clock time in
// the user's TMetric time zone, no "Z", no offset.
const wireLayout = "2006-01-02T15:04:05"

// FormatWire renders t as TMetric expects it: wall-clock time in loc.
func FormatWire(t time.Time, loc *time.Location) string { return t.In(loc).Format(wireLayout) }

// ParseWire reads a TMetric timestamp as wall-clock time in loc. Fractional
// seconds are accepted. A value that carries "Z" or an offset names an
// instant, and is converted into loc rather than shifted.
func ParseWire(s string, loc *time.Location) (time.Time, error) {
	if t, ok := parseNaive(s, loc); ok {
		return t, nil
	}
	s = strings.TrimSpace(s)
	if len(s) < len("2006-01-02T15:04") {
		return time.Time{}, fmt.Errorf("timestamp %q is too short", clip(s, 40))
	}
	rest := s[len("2006-01-02T15:04"):]
	if strings.HasSuffix(rest, "Z") || strings.HasSuffix(rest, "z") || strings.ContainsAny(rest, "+-") {
		t, err := time.Parse(time.RFC3339Nano, strings.ToUpper(s))
		if err != nil {
			return time.Time{}, fmt.Errorf("timestamp %q is not a date-time", clip(s, 40))
		}
		return t.In(loc), nil
	}
	layout := wireLayout
	if len(rest) == 0 {
		layout = "2006-01-02T15:04"
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q is not a date-time", clip(s, 40))
	}
	return t, nil
}

// parseNaive reads the form TMetric actually sends, YYYY-MM-DDTHH:MM:SS with
// an optional fraction, without time.Parse's layout machinery: it is most
// of the cost of decoding a day. Anything else falls back to time.Parse.
func parseNaive(s string, loc *time.Location) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, sec := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysIn(time.Month(mo), y) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if rest := s[19:]; rest != "" {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return time.Time{}, false
		}
		for i, c := range []byte(rest[1:]) {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			nsec += int(c-'0') * pow10[8-i]
		}
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, nsec, loc), true
}

var pow10 = [9]int{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Date is a calendar day, independent of any zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, invalid("date", "date %q is not YYYY-MM-DD", clip(s, 20))
	}
	return DateOf(t, time.UTC), nil
}

// String renders YYYY-MM-DD, the form TMetric's startDate/endDate take.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Start is the first moment of the day in loc (not always 00:00 where
// daylight saving starts at midnight).
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC), time.UTC)
}

// Time formats TMetric users choose from.
const (
	TimeFormat24h = "H:mm"
	TimeFormat12h = "h:mm a"
)

// FormatClock renders t's wall-clock time the way the user set it in
// TMetric: "H:mm" gives 9:05 and 17:30, "h:mm a" gives 9:05 am and 5:30 pm.
// Anything else falls back to 24-hour time.
func FormatClock(t time.Time, format string) string {
	h, m := t.Hour(), t.Minute()
	if format == TimeFormat12h {
		suffix := "am"
		if h >= 12 {
			suffix = "pm"
		}
		h %= 12
		if h == 0 {
			h = 12
		}
		return fmt.Sprintf("%d:%02d %s", h, m, suffix)
	}
	return fmt.Sprintf("%d:%02d", h, m)
}

// FormatDuration renders d as h:mm (7:05), truncating seconds; negative is 0:00.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	m := int64(d / time.Minute)
	return strconv.FormatInt(m/60, 10) + ":" + fmt.Sprintf("%02d", m%60)
}

// FormatElapsed renders d as h:mm:ss, for a ticking timer.
func FormatElapsed(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// clip shortens s for an error message, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
