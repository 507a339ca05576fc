// The popup ticks every second between refreshes. Core computed every
// figure at a moment (computedAtMs); these add the seconds since then.

/** Seconds elapsed since startMs, at nowMs. */
export function secondsSince(startMs, nowMs = Date.now()) {
  return Math.max(0, Math.floor((nowMs - startMs) / 1000));
}

/** h:mm:ss for a ticking timer. */
export function elapsed(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds / 60) % 60;
  const s = seconds % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** h:mm for a ticking total. */
export function hoursMinutes(seconds) {
  return `${Math.floor(seconds / 3600)}:${String(Math.floor(seconds / 60) % 60).padStart(2, "0")}`;
}
