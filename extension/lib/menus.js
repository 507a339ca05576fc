// The context menu: start a timer from a selection, a page or a link, log
// time, and stop the timer (shown only while one runs). It can be turned
// off in the options.
export const MENU = {
  selection: "start-selection",
  page: "start-page",
  link: "start-link",
  log: "log",
  stop: "stop",
};
export const LOG_MINUTES = { "log-15": 15, "log-30": 30, "log-60": 60 };

/** (Re)creates the menus from the preferences and the timer state. */
export async function buildMenus(prefs, running) {
  await chrome.contextMenus.removeAll();
  if (!prefs.menus) return;
  const create = (props) => new Promise((resolve) => chrome.contextMenus.create(props, resolve));
  await create({ id: MENU.selection, title: "Start timer: “%s”", contexts: ["selection"] });
  await create({ id: MENU.page, title: "Start timer for this page", contexts: ["page"] });
  await create({ id: MENU.link, title: "Start timer for this link", contexts: ["link"] });
  await create({ id: MENU.log, title: "Log time", contexts: ["page", "selection", "link"] });
  for (const [id, minutes] of Object.entries(LOG_MINUTES)) {
    await create({ id, parentId: MENU.log, title: minutes < 60 ? `${minutes} min` : "1 h", contexts: ["page", "selection", "link"] });
  }
  await create({ id: MENU.stop, title: "Stop timer", contexts: ["all"], visible: !!running });
}

/** Shows "Stop timer" only while a timer runs. */
export async function syncStopMenu(prefs, running) {
  if (!prefs.menus) return;
  try {
    await chrome.contextMenus.update(MENU.stop, { visible: !!running });
  } catch {
    // Menus not built yet (first start): onInstalled builds them.
  }
}
