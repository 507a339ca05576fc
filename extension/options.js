// The options page: saves and verifies the token (through the service
// worker, which alone keeps it), picks the workspace, and removes it all.
import { send } from "./lib/messages.js";

const $ = (id) => document.getElementById(id);
const DEFAULT_BASE = "https://app.tmetric.com/api/v3";

function status(id, text, kind = "") {
  const el = $(id);
  el.textContent = text;
  el.className = kind;
}

function showAccount(config) {
  const section = $("account");
  if (!config) {
    section.hidden = true;
    $("token").placeholder = "Paste your token";
    return;
  }
  section.hidden = false;
  const p = config.profile;
  $("who").textContent = `${p.name} (${p.email})`;
  $("token").placeholder = "A token is saved (hidden). Paste a new one to replace it.";
  $("base-url").value = config.baseUrl === DEFAULT_BASE ? "" : config.baseUrl;
  const select = $("workspace");
  select.replaceChildren(...(p.accounts ?? []).map((a) => new Option(a.name, String(a.id))));
  const known = (p.accounts ?? []).some((a) => a.id === config.accountId);
  if (!known) select.append(new Option(`Workspace ${config.accountId} (entered by hand)`, String(config.accountId)));
  select.value = String(config.accountId);
  $("manual-account").value = known ? "" : String(config.accountId);
  $("manual-user").value = config.userId ? String(config.userId) : "";
}

$("toggle-token").addEventListener("click", () => {
  const input = $("token");
  const show = input.type === "password";
  input.type = show ? "text" : "password";
  $("toggle-token").textContent = show ? "Hide" : "Show";
  $("toggle-token").setAttribute("aria-pressed", String(show));
});

$("connect").addEventListener("submit", async (e) => {
  e.preventDefault();
  const token = $("token").value.trim();
  if (!token) {
    status("save-status", "Paste your API token first.", "error");
    $("token").focus();
    return;
  }
  $("save").disabled = true;
  status("save-status", "Checking with TMetric…");
  try {
    const config = await send("connect", { token, baseUrl: $("base-url").value.trim() || DEFAULT_BASE });
    $("token").value = "";
    $("token").type = "password";
    showAccount(config);
    showPrefs();
    status("save-status", `Saved. Connected as ${config.profile.name}.`, "ok");
  } catch (error) {
    status("save-status", error.message, "error");
  } finally {
    $("save").disabled = false;
  }
});

async function setIds(accountId, userId) {
  try {
    showAccount(await send("setWorkspace", { accountId, userId }));
    status("account-status", "Saved.", "ok");
  } catch (error) {
    status("account-status", error.message, "error");
  }
}

$("workspace").addEventListener("change", () => setIds(Number($("workspace").value), Number($("manual-user").value) || 0));

$("apply-ids").addEventListener("click", () => {
  const account = Number($("manual-account").value);
  const user = Number($("manual-user").value || 0);
  if (!Number.isInteger(account) || account <= 0 || !Number.isInteger(user) || user < 0) {
    status("account-status", "Ids are whole numbers: see the hint above for where to find them.", "error");
    return;
  }
  setIds(account, user);
});

$("remove").addEventListener("click", async () => {
  await send("disconnect");
  showAccount(null);
  $("http-snippet").hidden = true;
  status("save-status", "Token removed. Everything Timebar stored in this browser is gone.", "ok");
});

$("copy-http").addEventListener("click", async () => {
  try {
    const { text } = await send("httpFile");
    const pre = $("http-snippet");
    pre.textContent = text;
    pre.hidden = false;
    try {
      await navigator.clipboard.writeText(text);
      status("account-status", "Copied. Paste it into a .http file (REST Client, JetBrains HTTP Client).", "ok");
    } catch {
      status("account-status", "Select the text below to copy it.", "");
    }
  } catch (error) {
    status("account-status", error.message, "error");
  }
});

// --- quick actions -----------------------------------------------------------

async function showPrefs() {
  const { prefs = {} } = await chrome.storage.local.get("prefs");
  const p = { menus: true, quickProjectId: 0, shortcut: "continue", ...prefs };
  $("pref-menus").checked = p.menus;
  for (const r of document.querySelectorAll("input[name=pref-shortcut]")) r.checked = r.value === p.shortcut;
  try {
    const projects = await send("projects");
    const select = $("pref-project");
    select.replaceChildren(new Option("No project", "0"),
      ...projects.map((pr) => new Option(pr.client ? `${pr.name} (${pr.client})` : pr.name, String(pr.id))));
    select.value = String(p.quickProjectId || 0);
  } catch {
    // Projects load once TMetric answers; the rest works meanwhile.
  }
  const [command] = (await chrome.commands.getAll()).filter((c) => c.name === "toggle-timer");
  $("shortcut-keys").textContent = command?.shortcut || "not set";
}

async function savePrefs(patch) {
  try {
    await send("setPrefs", { prefs: patch });
    status("account-status", "Saved.", "ok");
  } catch (error) {
    status("account-status", error.message, "error");
  }
}

$("pref-menus").addEventListener("change", () => savePrefs({ menus: $("pref-menus").checked }));
$("pref-project").addEventListener("change", () => savePrefs({ quickProjectId: Number($("pref-project").value) || 0 }));
for (const r of document.querySelectorAll("input[name=pref-shortcut]")) {
  r.addEventListener("change", () => savePrefs({ shortcut: r.value }));
}
$("open-shortcuts").addEventListener("click", () => chrome.tabs.create({ url: "chrome://extensions/shortcuts" }));

chrome.storage.local.get("config").then(({ config }) => {
  showAccount(config);
  if (config) showPrefs();
});
