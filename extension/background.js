// The service worker: the only place that holds the token and runs the Go
// core. Pages send it messages; the context menu, the keyboard shortcut and
// alarms reach it as events. Chrome stops it after ~30 s idle, so all it
// must remember lives in chrome.storage.local, and every listener is
// registered here, at the top level.
import { call, loadCore, CoreError } from "./lib/core.js";
import * as store from "./lib/store.js";
import * as queue from "./lib/queue.js";
import { withPending } from "./lib/state.js";
import { updateBadge, flash, BADGE_ALARM } from "./lib/badge.js";
import { buildMenus, syncStopMenu, MENU, LOG_MINUTES } from "./lib/menus.js";
import { notify } from "./lib/notify.js";

const { KEYS } = store;

// Start the module as soon as the worker wakes: the event that woke it is
// usually about to need it.
loadCore().catch(() => {});

chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  if (sender.id !== chrome.runtime.id) return false;
  handle(msg).then(
    (ok) => reply({ ok }),
    (e) => reply({ error: CoreError.from(e).toJSON() }),
  );
  return true; // the reply is asynchronous
});

chrome.runtime.onInstalled.addListener(async ({ reason }) => {
  await refreshChrome();
  // An update (or an unpacked extension loaded again) restarts nothing else: send what waits.
  await queue.dueNow();
  retry();
  if (reason !== "install") return;
  const { [KEYS.token]: token } = await store.get(KEYS.token);
  if (!token) chrome.runtime.openOptionsPage();
});

chrome.runtime.onStartup.addListener(async () => {
  refreshChrome();
  await queue.dueNow(); // a new browser session: try what waits now, not at its old backoff
  retry();
});

chrome.contextMenus.onClicked.addListener((info, tab) => {
  onMenu(info, tab).catch((e) => report(e, "menu"));
});

chrome.commands.onCommand.addListener((command) => {
  if (command === "toggle-timer") toggle().catch((e) => report(e, "shortcut"));
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === queue.RETRY_ALARM) retry();
  if (alarm.name === BADGE_ALARM) updateBadge();
});

// The network came back: send what waits now rather than at the next alarm.
self.addEventListener("online", () => {
  queue.dueNow().then(retry);
});

/** The one message switch for the extension's pages. */
async function handle(msg) {
  switch (msg.what) {
    case "ping":
      return {};
    case "connect":
      return connect(msg.token, msg.baseUrl);
    case "disconnect":
      await store.clearAll();
      await refreshChrome();
      return {};
    case "setWorkspace":
      return updateConfig({ accountId: Number(msg.accountId) || 0, userId: Number(msg.userId) || 0 });
    case "setPrefs": {
      const prefs = { ...(await store.prefs()), ...msg.prefs };
      await store.set({ [KEYS.prefs]: prefs });
      await refreshChrome();
      return prefs;
    }
    case "refresh":
      return refresh();
    case "start":
      return act("start", {
        note: msg.note ?? "", projectId: msg.projectId || 0, taskId: msg.taskId || 0, tagIds: msg.tagIds ?? [],
        project: msg.project ?? "",
      }, "popup");
    case "stop":
      return act("stop", { entryId: msg.entryId || 0 }, "popup");
    case "dismiss":
      await queue.dismiss(msg.id);
      return {};
    case "projects":
      return projects(msg.force);
    case "tags":
      return tags(msg.projectId || 0);
    case "httpFile":
      return call("httpFile", { config: await coreConfig() });
    default:
      throw new CoreError({ kind: "invalid", message: `Unknown message: ${msg.what}` });
  }
}

/** Verifies a token with GET /user and saves it with the profile. */
async function connect(token, baseUrl) {
  token = String(token ?? "").trim();
  const base = String(baseUrl ?? "").trim() || "https://app.tmetric.com/api/v3";
  const { baseUrl: checked } = await call("checkBaseUrl", { baseUrl: base });
  const profile = await call("me", { token, baseUrl: checked });
  // A new token or address invalidates everything cached for the old one;
  // preferences and actions not yet sent stay.
  const keep = await store.get(KEYS.prefs, KEYS.queue);
  await store.clearAll();
  const config = { baseUrl: checked, profile, accountId: profile.activeAccountId, userId: 0 };
  await store.set({ ...keep, [KEYS.token]: token, [KEYS.config]: config });
  await refreshChrome();
  retry();
  return config;
}

async function updateConfig(patch) {
  const { [KEYS.config]: config } = await store.get(KEYS.config);
  if (!config) throw new CoreError({ kind: "config", message: "Save your TMetric token first." });
  const next = { ...config, ...patch };
  await store.set({ [KEYS.config]: next });
  await chrome.storage.local.remove([KEYS.day, KEYS.status, KEYS.projects, KEYS.tags]);
  await refreshChrome();
  return next;
}

/** The config core needs for a call, token included. */
async function coreConfig() {
  const { [KEYS.token]: token, [KEYS.config]: config } = await store.get(KEYS.token, KEYS.config);
  if (!token || !config) throw new CoreError({ kind: "config", message: "Save your TMetric token in the options first." });
  return { token, ...config };
}

/** Sends what waits, then fetches today. Failures are cached beside the last good day. */
async function refresh() {
  const config = await coreConfig();
  await queue.dueNow(); // the user is looking: send what waits now, not at its backoff
  await queue.flush(config, afterSent);
  try {
    const view = await call("today", { config });
    saveDay(view, config).then(refreshChrome).catch(() => {}); // the reply need not wait for the disk
    return { day: view };
  } catch (e) {
    const error = CoreError.from(e).toJSON();
    await store.set({ [KEYS.status]: { error, at: Date.now() } });
    refreshChrome();
    throw error;
  }
}

async function saveDay(view, config) {
  await store.set({
    [KEYS.day]: { view, fetchedAt: Date.now(), accountId: config.accountId },
    [KEYS.status]: { error: null, at: Date.now() },
  });
}

async function afterSent(item, result) {
  if (result?.day) await saveDay(result.day, await coreConfig());
}

/** Badge, icon and menus follow the stored state. */
async function refreshChrome() {
  const { [KEYS.day]: day, [KEYS.queue]: pending } = await store.get(KEYS.day, KEYS.queue);
  const { running } = withPending(day?.view, pending);
  const prefs = await store.prefs();
  await Promise.all([updateBadge(), buildMenus(prefs, running)]);
}

async function retry() {
  try {
    await queue.flush(await coreConfig(), afterSent);
  } catch {
    // No token yet: nothing can be sent.
  }
  await followTimer();
}

/** The badge and the "Stop timer" menu follow the timer; returns the day shown. */
async function followTimer() {
  const { [KEYS.day]: day, [KEYS.queue]: pending } = await store.get(KEYS.day, KEYS.queue);
  await updateBadge();
  await syncStopMenu(await store.prefs(), withPending(day?.view, pending).running);
  return day?.view ?? null;
}

/**
 * Records an action, sends the queue, and says what became of it. From the
 * popup a refusal is thrown back to show beside the form; from a menu or
 * the shortcut it becomes a notification.
 */
async function act(kind, data, source) {
  const config = await coreConfig();
  const item = await queue.enqueue(kind, data);
  if (item.duplicate) return { duplicate: true };
  await queue.dueNow(); // the user is acting: try now, in order
  let outcomes = await queue.flush(config, afterSent);
  if (!outcomes[item.id]) {
    // A send already under way finished before reaching this item: go again.
    outcomes = await queue.flush(config, afterSent);
  }
  const out = outcomes[item.id] ?? { queued: true };
  const day = await followTimer();
  if (out.failed) {
    if (source === "popup") {
      await queue.takeFailed(item.id); // shown beside the form instead
      throw out.error;
    }
    return { failed: true, error: out.error, item };
  }
  if (out.queued) return { queued: true, day, error: out.error };
  return { day: out.result?.day ?? day, alreadyStopped: !!out.alreadyStopped };
}

// --- context menu and shortcut ----------------------------------------------------

async function onMenu(info, tab) {
  const prefs = await store.prefs();
  const minutes = LOG_MINUTES[info.menuItemId];
  if (info.menuItemId === MENU.stop) {
    const running = await currentTimer();
    return tell(await act("stop", { entryId: running?.id || 0 }, "menu"), "stop");
  }
  let note;
  if (info.menuItemId === MENU.selection || (minutes && info.selectionText)) {
    ({ note } = await call("quickNote", { text: info.selectionText ?? "" }));
  } else if (info.menuItemId === MENU.link) {
    ({ note } = await call("pageNote", { title: info.linkText ?? info.selectionText ?? "", url: info.linkUrl ?? "" }));
  } else {
    ({ note } = await call("pageNote", { title: tab?.title ?? "", url: tab?.url ?? "" }));
  }
  const data = { note, projectId: prefs.quickProjectId || 0, tagIds: [] };
  if (minutes) return tell(await act("log", { ...data, minutes }, "menu"), "log", { minutes });
  return tell(await act("start", data, "menu"), "start");
}

/** The shortcut: stop the running timer, otherwise start one. */
async function toggle() {
  const running = await currentTimer({ fresh: true });
  if (running) return tell(await act("stop", { entryId: running.id || 0 }, "shortcut"), "stop");
  const prefs = await store.prefs();
  const { [KEYS.day]: day } = await store.get(KEYS.day);
  const last = day?.view?.entries?.[0];
  const data = prefs.shortcut === "continue" && last
    ? { note: last.note, projectId: last.projectId || 0, taskId: last.taskId || 0, tagIds: last.tagIds ?? [] }
    : { note: "", projectId: prefs.quickProjectId || 0, tagIds: [] };
  return tell(await act("start", data, "shortcut"), "start");
}

/**
 * The running timer as far as we know: the last day plus the queue. With
 * fresh, a day older than 30 s is refreshed first (briefly), so the shortcut
 * acts on what TMetric has now.
 */
async function currentTimer({ fresh = false } = {}) {
  let { [KEYS.day]: day, [KEYS.queue]: pending } = await store.get(KEYS.day, KEYS.queue);
  if (fresh && (!day || Date.now() - day.fetchedAt > 30_000) && !(pending?.length)) {
    try {
      const view = await Promise.race([call("today", { config: await coreConfig() }),
        new Promise((_, no) => setTimeout(() => no(new Error("slow")), 3000))]);
      day = { view };
      await saveDay(view, await coreConfig());
    } catch {
      // Offline or slow: act on the last known state.
    }
  }
  return withPending(day?.view, pending).running;
}

/** Tells the user what became of a quick action, without piling up notifications. */
async function tell(out, kind, { minutes } = {}) {
  if (out.duplicate) return out;
  if (out.failed) {
    const field = out.error.field;
    if (field === "project" || field === "task" || field === "tags") {
      // The workspace needs more than a quick action knows: finish it in the popup.
      await queue.takeFailed(out.item.id);
      await store.set({ [KEYS.prefill]: { note: out.item.data.note, at: Date.now() } });
      await notify("Timebar: pick a project", `${out.error.message} The note is waiting in the popup.`);
      chrome.action.openPopup().catch(() => {});
      return out;
    }
    await notify("Timebar: TMetric refused this", out.error.message);
    if (kind === "log" && out.error.field === "time") chrome.action.openPopup().catch(() => {});
    await flash("!", "#c81e1e");
    return out;
  }
  if (out.queued) {
    await notify("Timebar: saved offline", "TMetric cannot be reached. The action is kept and will be sent, with its time, when it can.");
    return out;
  }
  const what = { start: "Timer started", stop: out.alreadyStopped ? "No timer was running" : "Timer stopped", log: `Logged ${minutes} min` }[kind];
  await chrome.action.setTitle({ title: `Timebar: ${what}` });
  await flash("✓");
  return out;
}

async function report(e, source) {
  const error = CoreError.from(e);
  await notify(`Timebar: the ${source} action failed`, error.message);
}

const LIST_MAX_AGE_MS = 10 * 60 * 1000;

/**
 * A list for the pickers, kept for ten minutes: the popup asks for projects
 * and tags every time it opens, and they rarely change.
 */
async function cached(key, scope, fetch, force) {
  const { [key]: hit } = await store.get(key);
  if (!force && hit && hit.scope === scope && Date.now() - hit.fetchedAt < LIST_MAX_AGE_MS) return hit.list;
  const list = await fetch();
  await store.set({ [key]: { scope, list, fetchedAt: Date.now() } });
  return list;
}

async function projects(force) {
  const config = await coreConfig();
  return cached(KEYS.projects, String(config.accountId), () => call("projects", { config }), force);
}

async function tags(projectId) {
  const config = await coreConfig();
  return cached(KEYS.tags, `${config.accountId}:${projectId}`, () => call("tags", { config, projectId }));
}
