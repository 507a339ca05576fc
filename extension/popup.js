// The toolbar popup: paints the last known day from storage at once, then
// asks the service worker for a fresh one every time it opens.
import { send, unwrap } from "./lib/messages.js";
import { elapsed, hoursMinutes, secondsSince } from "./lib/clock.js";
import { ProjectPicker } from "./lib/picker.js";
import { withPending } from "./lib/state.js";

const $ = (id) => document.getElementById(id);
const TMETRIC = "https://app.tmetric.com";

const state = { config: null, day: null, queue: [], failed: [], busy: false };

const picker = new ProjectPicker($("project"), $("project-list"), { onChange: (p) => loadTags(p?.id ?? 0) });

// --- painting ---------------------------------------------------------------

function workspaceName(config) {
  const id = config.accountId;
  const account = config.profile?.accounts?.find((a) => a.id === id);
  return account?.name ?? `Workspace ${id}`;
}

function setState(name) {
  document.body.dataset.state = name;
}

function showSetup() {
  $("setup").hidden = false;
  $("tracker").hidden = true;
  $("total").textContent = "–:––";
  setState("setup");
}

function render() {
  const { config, day } = state;
  $("setup").hidden = true;
  $("tracker").hidden = false;
  $("workspace").textContent = `${config.profile?.name ?? ""} · ${workspaceName(config)}`;
  renderFailed();
  if (!day && !state.queue.length) return; // the skeleton stays until the first answer
  if (day) $("date").textContent = formatDate(day.date);
  const shown = withPending(day, state.queue);
  renderRunning(shown.running);
  renderEntries(shown.entries);
  tick();
}

/** Actions TMetric refused: what the user typed, why, and a way to dismiss it. */
function renderFailed() {
  const box = $("failed");
  const item = state.failed[0];
  box.hidden = !item;
  if (!item) return;
  const what = item.kind === "log" ? `Log ${item.data.minutes} min` : item.kind === "start" ? "Start" : "Stop";
  const note = item.data.note ? ` “${item.data.note}”` : "";
  $("failed-text").textContent = `${what}${note} was not saved: ${item.error.message}`;
  $("failed-dismiss").onclick = async () => {
    await send("dismiss", { id: item.id });
  };
}

function formatDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: "long", month: "short", day: "numeric" });
}

function renderRunning(r) {
  $("running").hidden = !r;
  if (!r) return;
  $("running-note").textContent = r.note || "(no note)";
  $("running").classList.toggle("pending", !!r.pending);
  $("running-project").textContent = [r.project && (r.client ? `${r.project} (${r.client})` : r.project), r.task]
    .filter(Boolean).join(" · ");
  $("stop").dataset.entryId = String(r.id);
  const forgotten = secondsSince(r.startMs) > 12 * 3600;
  $("forgotten").hidden = !forgotten;
  $("fix-link").href = `${TMETRIC}/#/tracker/${state.config.accountId}/`;
}

function renderEntries(entries) {
  const list = $("entries");
  const tpl = $("entry-template").content;
  const frag = document.createDocumentFragment();
  for (const e of entries) {
    const li = tpl.firstElementChild.cloneNode(true);
    li.dataset.id = String(e.id);
    if (e.running) li.classList.add("running-entry");
    if (e.pending || e.stopping) li.classList.add("pending");
    // Notes and names are the user's text: set as text, never parsed as HTML.
    li.querySelector(".note").textContent = e.note;
    li.querySelector(".dur").textContent = e.duration ?? hoursMinutes(((e.endMs || Date.now()) - e.startMs) / 1000 | 0);
    li.querySelector(".range").textContent = e.pending ? "waiting to sync" : e.stopping ? `${e.start} – stopping, waiting to sync`
      : e.running ? `${e.start} – now` : `${e.start} – ${e.end}`;
    li.querySelector(".project").textContent = e.project ? (e.client ? `${e.project} (${e.client})` : e.project) : "";
    const cont = li.querySelector(".cont");
    cont.setAttribute("aria-label", `Continue ${e.note || "this entry"}`);
    cont.addEventListener("click", () =>
      start({ note: e.note, projectId: e.projectId, project: e.project, taskId: e.taskId, tagIds: e.tagIds }, cont));
    if (e.running || e.pending) cont.hidden = true;
    frag.append(li);
  }
  list.replaceChildren(frag);
  $("empty").hidden = entries.length > 0;
}

/** Advances the running timer and the total every second. */
function tick() {
  const day = state.day;
  if (!day) return;
  const { running } = withPending(day, state.queue);
  const extra = day.running && running === day.running ? secondsSince(day.computedAtMs) : 0;
  $("total").textContent = hoursMinutes(day.totalSeconds + extra);
  if (running) {
    $("running-elapsed").textContent = elapsed(secondsSince(running.startMs));
    const li = $("entries").querySelector(".running-entry:not(.pending) .dur");
    if (li && extra) li.textContent = hoursMinutes(day.running.durationSeconds + extra);
  }
}

// --- banners ------------------------------------------------------------------

function banner(error) {
  const box = $("banner");
  if (!error) {
    box.hidden = true;
    return;
  }
  const action = $("banner-action");
  const link = $("banner-link");
  link.hidden = true;
  box.classList.toggle("error", error.kind === "unauthorized" || error.kind === "invalid" || error.kind === "config");
  if (error.kind === "unauthorized") {
    $("banner-text").textContent = "TMetric rejected your API token. Tokens last one year, and a new one revokes the old.";
    link.hidden = false;
    link.textContent = "Get a new token";
    link.href = `${TMETRIC}/#/profile`;
    action.textContent = "Update token";
    action.onclick = () => chrome.runtime.openOptionsPage();
  } else if (error.kind === "network") {
    $("banner-text").textContent = state.queue.length
      ? "Offline: your actions are saved and will be sent when TMetric can be reached."
      : state.day ? "Offline: showing your last known entries." : "Can't reach TMetric.";
    action.textContent = "Retry";
    action.onclick = () => refresh();
  } else if (error.kind === "server" || error.kind === "rateLimited" || error.kind === "badResponse") {
    $("banner-text").textContent = `TMetric is having trouble: ${error.message}`;
    action.textContent = "Retry";
    action.onclick = () => refresh();
  } else {
    $("banner-text").textContent = error.message;
    action.textContent = "Options";
    action.onclick = () => chrome.runtime.openOptionsPage();
  }
  box.hidden = false;
}

// --- talking to the service worker --------------------------------------------

async function refresh(reply = send("refresh")) {
  setBusy(true);
  try {
    const { day } = await reply;
    state.day = day;
    banner(null);
    render();
    setState("fresh");
    markAfterPaint("timebar:fresh");
  } catch (error) {
    banner(error);
    setState(state.day ? "cached-error" : "error");
  } finally {
    setBusy(false);
  }
}

async function start(entry, button) {
  $("form-error").hidden = true;
  setBusy(true, button);
  try {
    const reply = await send("start", entry);
    await applyReply(reply);
    return true;
  } catch (error) {
    showFormError(error);
    return false;
  } finally {
    setBusy(false, button);
  }
}

/** Shows what an action left: the fresh day, or the cached one with the action pending. */
async function applyReply(reply) {
  if (reply.day) state.day = reply.day;
  const { queue = [], failed = [] } = await chrome.storage.local.get(["queue", "failed"]);
  state.queue = queue;
  state.failed = failed;
  if (reply.queued) banner({ kind: "network", message: "" });
  else banner(null);
  render();
}

function showFormError(error) {
  if (error.kind === "invalid") {
    const p = $("form-error");
    p.textContent = error.message;
    p.hidden = false;
    const field = { project: "project", note: "note", tags: "tag" }[error.field];
    if (field) $(field).focus();
  } else {
    banner(error);
  }
}

function setBusy(busy, button) {
  state.busy = busy;
  document.body.setAttribute("aria-busy", String(busy));
  for (const b of [$("start-button"), $("stop"), button].filter(Boolean)) b.disabled = busy;
}

async function loadProjects() {
  try {
    picker.setProjects(await send("projects"));
  } catch {
    // The picker says "Loading projects…"; the banner reports the cause from refresh.
  }
}

let tagsFor = -1;
async function loadTags(projectId) {
  if (projectId === tagsFor) return;
  tagsFor = projectId;
  try {
    const tags = await send("tags", { projectId });
    const select = $("tag");
    const keep = select.value;
    select.replaceChildren(new Option("No tag", ""), ...tags.map((t) => new Option(t.name, String(t.id))));
    select.value = tags.some((t) => String(t.id) === keep) ? keep : "";
  } catch {
    tagsFor = -1;
  }
}

// --- wiring -------------------------------------------------------------------

$("start").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (state.busy) return;
  const project = picker.value();
  const tag = Number($("tag").value) || 0;
  const ok = await start({ note: $("note").value, projectId: project?.id ?? 0, project: project?.name ?? "", tagIds: tag ? [tag] : [] },
    $("start-button"));
  if (ok) {
    $("note").value = "";
    picker.select(null);
    $("tag").value = "";
  }
});

$("stop").addEventListener("click", async () => {
  if (state.busy) return;
  setBusy(true);
  try {
    await applyReply(await send("stop", { entryId: Number($("stop").dataset.entryId) }));
  } catch (error) {
    banner(error);
    if (error.kind === "notFound") refresh(); // stopped elsewhere: show what TMetric has
  } finally {
    setBusy(false);
  }
});

$("open-options").addEventListener("click", () => chrome.runtime.openOptionsPage());
$("setup-options").addEventListener("click", () => chrome.runtime.openOptionsPage());

/** Marks the moment the frame with the current DOM has been painted (for the benchmarks). */
function markAfterPaint(name) {
  if (performance.getEntriesByName(name).length) return;
  requestAnimationFrame(() => setTimeout(() => performance.mark(name)));
}

async function main() {
  // early.js asked for the fresh day before these modules loaded; paint
  // the last known day while the answer comes.
  const reply = globalThis.timebarRefresh ? unwrap(globalThis.timebarRefresh) : send("refresh");
  reply.catch(() => {}); // without a token there is nothing to refresh
  const { config, day, status, queue = [], failed = [], prefill } =
    await chrome.storage.local.get(["config", "day", "status", "queue", "failed", "prefill"]);
  state.queue = queue;
  state.failed = failed;
  if (!config) {
    showSetup();
    return;
  }
  state.config = config;
  state.day = day?.accountId === config.accountId ? day.view : null;
  render();
  if (state.day) setState("cached");
  if (status?.error) banner(status.error);
  markAfterPaint("timebar:painted");
  setInterval(tick, 1000);
  await refresh(reply);
  // The pickers' lists after the day: they share the worker with it.
  loadProjects();
  loadTags(0);
  if (prefill && Date.now() - prefill.at < 10 * 60 * 1000) {
    // A quick start from the menu that needs a project: finish it here.
    $("note").value = prefill.note;
    chrome.storage.local.remove("prefill");
    $("project").focus();
  } else {
    $("note").focus();
  }
}

// The worker replays queued actions in the background: follow along.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "local" || !state.config) return;
  if (changes.queue) state.queue = changes.queue.newValue ?? [];
  if (changes.failed) state.failed = changes.failed.newValue ?? [];
  if (changes.day?.newValue?.view) state.day = changes.day.newValue.view;
  if (changes.queue || changes.failed || changes.day) render();
});

main();
