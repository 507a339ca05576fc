// The toolbar button: elapsed time of the running timer as the badge, note
// and project as the tooltip, the "active" icon while a timer runs, and a
// word when the token is rejected or actions cannot reach TMetric. It is
// computed from storage alone, so the per-minute alarm never wakes the
// WebAssembly module.
import * as store from "./store.js";
import { withPending } from "./state.js";
import { hoursMinutes, secondsSince } from "./clock.js";

const { KEYS } = store;
export const BADGE_ALARM = "badge";
const GREEN = "#15803d", AMBER = "#b45309", RED = "#c81e1e";

function icons(kind) {
  return Object.fromEntries([16, 32, 48, 128].map((s) => [s, `icons/${kind}-${s}.png`]));
}

/** Redraws the badge, tooltip and icon, and keeps the minute alarm only while a timer runs. */
export async function updateBadge() {
  const got = await store.get(KEYS.config, KEYS.day, KEYS.status, KEYS.queue);
  const { config, day, status, queue = [] } = got;
  const { running } = withPending(day?.view, queue);
  const stuck = queue.filter((i) => i.tries > 0).length;
  let text = "", color = GREEN, title = "Timebar for TMetric";
  if (running) {
    text = hoursMinutes(secondsSince(running.startMs));
    const what = [running.note || "(no note)", running.project].filter(Boolean).join(" · ");
    title = `Timebar: ${what} (${text})`;
  }
  if (stuck) {
    color = AMBER;
    text ||= "…";
    title += `\n${stuck} action${stuck > 1 ? "s" : ""} waiting: TMetric cannot be reached, retrying.`;
  }
  if (!config) {
    title = "Timebar: connect your TMetric account in the options";
  } else if (status?.error?.kind === "unauthorized") {
    text = "!";
    color = RED;
    title = "Timebar: TMetric rejected the API token. Get a new one in TMetric (My Profile) and paste it in the options.";
  }
  await Promise.all([
    chrome.action.setBadgeText({ text }),
    chrome.action.setBadgeBackgroundColor({ color }),
    chrome.action.setTitle({ title }),
    chrome.action.setIcon({ path: icons(running ? "active" : "idle") }),
  ]);
  if (running) {
    const existing = await chrome.alarms.get(BADGE_ALARM);
    if (!existing) await chrome.alarms.create(BADGE_ALARM, { periodInMinutes: 1 });
  } else {
    await chrome.alarms.clear(BADGE_ALARM);
  }
  return { text, title };
}

/** Shows a mark on the badge for a moment, then the real state. */
export async function flash(text, color = GREEN) {
  await chrome.action.setBadgeBackgroundColor({ color });
  await chrome.action.setBadgeText({ text });
  await new Promise((r) => setTimeout(r, 1500));
  await updateBadge();
}
