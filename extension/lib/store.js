// Everything the extension keeps lives in chrome.storage.local: the service
// worker may be stopped at any moment. The token sits under its own key,
// read only by the service worker; pages read the rest to paint at once.
const local = chrome.storage.local;

export const KEYS = {
  token: "token",      // the TMetric API token (never synced, never logged)
  config: "config",    // {baseUrl, profile, accountId, userId}
  day: "day",          // {view: DayView, fetchedAt, accountId}
  status: "status",    // {error: ErrorView|null, at}
  projects: "projects", // {scope: accountId, list, fetchedAt}
  tags: "tags",         // {scope: "accountId:projectId", list, fetchedAt}
  queue: "queue",       // actions waiting to reach TMetric, oldest first
  failed: "failed",     // actions TMetric refused, kept for the user to see
  lastStart: "lastStart", // the last start, to merge a double click
  prefs: "prefs",       // {menus, quickProjectId, shortcut}
  prefill: "prefill",   // a note for the popup's form, from a quick start that needs more
};

export const DEFAULT_PREFS = { menus: true, quickProjectId: 0, shortcut: "continue" };

export async function prefs() {
  const { [KEYS.prefs]: p } = await get(KEYS.prefs);
  return { ...DEFAULT_PREFS, ...p };
}

export async function get(...keys) {
  return local.get(keys);
}

export async function set(values) {
  return local.set(values);
}

export async function clearAll() {
  return local.clear();
}
