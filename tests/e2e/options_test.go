package e2e

import (
	"archive/zip"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core/tmetrictest"
)

func TestOptionsFlow(t *testing.T) {
	f := startFake(t)
	ctx := tab(t)
	require.NoError(t, br.ResetStorage(ctx))
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(br.URL("options.html")), chromedp.WaitVisible("#token")))
	assert.Equal(t, "password", eval[string](t, ctx, `document.getElementById("token").type`), "masked")

	// A rejected token says how to get a new one, and nothing is stored.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#advanced summary")))
	setValue(t, ctx, "base-url", f.baseURL())
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys("#token", "not-a-real-token"),
		chromedp.Click("#toggle-token"),
	))
	assert.Equal(t, "text", eval[string](t, ctx, `document.getElementById("token").type`), "show reveals")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#save")))
	waitJS(t, ctx, `document.getElementById("save-status").className === "error"`)
	msg := eval[string](t, ctx, `document.getElementById("save-status").textContent`)
	assert.Contains(t, msg, "rejected")
	assert.Contains(t, msg, "My Profile")
	assert.NotContains(t, storage(t, ctx), "token")

	// A plain-HTTP address that is not this computer is refused before any request.
	setValue(t, ctx, "base-url", "http://tmetric.example.com/api/v3")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#save")))
	waitJS(t, ctx, `document.getElementById("save-status").textContent.includes("plain HTTP")`)

	// A good token: verified with GET /user, name and workspaces shown.
	setValue(t, ctx, "base-url", f.baseURL())
	setValue(t, ctx, "token", "")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys("#token", tmetrictest.SandboxToken),
		chromedp.Click("#save"),
	))
	waitJS(t, ctx, `!document.getElementById("account").hidden`)
	assert.Equal(t, "Alex Rivera (alex@northwind.example)", eval[string](t, ctx, `document.getElementById("who").textContent`))
	assert.Equal(t, []string{"Northwind Studio", "Harbour Agency"}, eval[[]string](t, ctx, `[...document.querySelectorAll("#workspace option")].map((o) => o.textContent)`))
	assert.Equal(t, "", eval[string](t, ctx, `document.getElementById("token").value`), "the field is emptied after saving")
	st := storage(t, ctx)
	assert.JSONEq(t, `"`+tmetrictest.SandboxToken+`"`, string(st["token"]))
	assert.NotContains(t, string(st["config"]), tmetrictest.SandboxToken, "the token lives under its own key only")
	var synced map[string]any
	require.NoError(t, br.Worker(ctx, `chrome.storage.sync.get(null)`, &synced))
	assert.Empty(t, synced, "never in storage.sync")

	// Picking the other workspace.
	setValue(t, ctx, "workspace", "41002")
	until(t, ctx, `chrome.storage.local.get("config").then(({config}) => config.accountId === 41002)`, "the workspace to be saved")
	waitJS(t, ctx, `document.getElementById("account-status").textContent === "Saved."`)
	var config struct {
		AccountID int64 `json:"accountId"`
		UserID    int64 `json:"userId"`
	}
	require.NoError(t, json.Unmarshal(storage(t, ctx)["config"], &config))
	assert.Equal(t, int64(tmetrictest.StrictAccountID), config.AccountID)

	// Ids typed by hand, the route TMetric's help article describes.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#manual summary")))
	setValue(t, ctx, "manual-account", "41001")
	setValue(t, ctx, "manual-user", "7102")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#apply-ids")))
	until(t, ctx, `chrome.storage.local.get("config").then(({config}) => config.accountId === 41001 && config.userId === 7102)`, "the ids to be saved")
	require.NoError(t, json.Unmarshal(storage(t, ctx)["config"], &config))
	assert.Equal(t, int64(41001), config.AccountID)
	assert.Equal(t, int64(7102), config.UserID)

	// Copy request as .http: the token is a variable, never the value.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#copy-http")))
	waitJS(t, ctx, `!document.getElementById("http-snippet").hidden`)
	snippet := eval[string](t, ctx, `document.getElementById("http-snippet").textContent`)
	assert.Contains(t, snippet, "GET "+f.baseURL()+"/accounts/41001/timeentries?")
	assert.Contains(t, snippet, "userId=7102")
	assert.Contains(t, snippet, "Authorization: Bearer {{token}}")
	assert.NotContains(t, snippet, tmetrictest.SandboxToken)

	// Remove token clears everything.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click("#remove")))
	waitJS(t, ctx, `document.getElementById("account").hidden`)
	assert.Empty(t, storage(t, ctx))
}

// The token never reaches the console, whatever the extension does.
func TestTokenIsNeverLogged(t *testing.T) {
	for _, dir := range []string{"extension", "extension/lib"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.js"))
		for _, file := range files {
			b, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.NotContains(t, string(b), "console.", "%s logs; the token must never be logged", file)
		}
	}
}

func TestDistZipHoldsExactlyTheExtension(t *testing.T) {
	cmd := exec.Command("make", "--no-print-directory", "dist")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	var manifest struct{ Version string }
	b, err := os.ReadFile(filepath.Join(root, "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &manifest))
	z, err := zip.OpenReader(filepath.Join(root, "dist", "timebar-"+manifest.Version+".zip"))
	require.NoError(t, err)
	defer z.Close()
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
	}
	want := []string{"background.js", "core.wasm", "early.js", "manifest.json", "options.css", "options.html", "options.js",
		"popup.css", "popup.html", "popup.js", "wasm_exec.js",
		"lib/badge.js", "lib/clock.js", "lib/core.js", "lib/menus.js", "lib/messages.js", "lib/notify.js", "lib/picker.js",
		"lib/queue.js", "lib/state.js", "lib/store.js"}
	for _, kind := range []string{"idle", "active"} {
		for _, size := range []string{"16", "32", "48", "128"} {
			want = append(want, "icons/"+kind+"-"+size+".png")
		}
	}
	sort.Strings(want)
	assert.Equal(t, "manifest.json", names[0], "the manifest leads")
	sort.Strings(names)
	assert.Equal(t, want, names)
	for _, n := range names {
		assert.False(t, strings.HasSuffix(n, ".go") || strings.Contains(n, "_test"), n)
	}
}

// Chromium's own view of the manifest: no install warnings, no errors.
func TestManifestLoadsWithoutWarnings(t *testing.T) {
	ctx := tab(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("chrome://extensions/")))
	info := eval[map[string]any](t, ctx, `chrome.developerPrivate.getExtensionInfo("`+br.ExtensionID+`")`)
	assert.Equal(t, "Timebar for TMetric", info["name"])
	assert.Empty(t, info["installWarnings"], "install warnings")
	assert.Empty(t, info["manifestErrors"], "manifest errors")
	assert.Empty(t, info["runtimeErrors"], "runtime errors")
	perms, _ := json.Marshal(info["permissions"])
	assert.JSONEq(t, `{"simplePermissions": [{"message": "Display notifications", "submessages": []}],
		"runtimeHostPermissions": {"hasAllHosts": false, "hostAccess": "ON_ALL_SITES",
		"hosts": [{"granted": true, "host": "https://app.tmetric.com/*"}]}}`, string(perms),
		"the only permission users are warned about is notifications (feedback for menu and shortcut actions); TMetric's host only")
}

// setValue sets a form field as a user's edit would, firing input and change.
func setValue(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	js, _ := json.Marshal(value)
	eval[bool](t, ctx, `(() => { const el = document.getElementById("`+id+`"); el.value = `+string(js)+`;
		el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
}
