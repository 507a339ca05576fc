// Command demo shows the extension working: it starts the sandbox (a fake
// TMetric with a realistic workday on 127.0.0.1) unless TMETRIC_TOKEN is
// set, launches Chromium with the extension, connects it through the real
// options page, opens the popup and saves screenshots. With a display it
// keeps the browser open until you press Ctrl+C.
//
//	make demo                         # sandbox
//	TMETRIC_TOKEN=... make demo       # your TMetric
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/tmetrictest"
	"github.com/timebar/timebar/tests/browser"
)

func main() {
	ext := flag.String("extension", "build/extension", "the built extension folder")
	out := flag.String("out", "build/demo", "where screenshots go")
	headless := flag.Bool("headless", os.Getenv("DISPLAY") == "", "run without a window (default when there is no display)")
	flag.Parse()
	if err := run(*ext, *out, *headless); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ext, out string, headless bool) error {
	token, base := os.Getenv("TMETRIC_TOKEN"), os.Getenv("TMETRIC_BASE_URL")
	if token == "" {
		url, stop, err := tmetrictest.ServeLoopback(tmetrictest.NewSandbox(nil))
		if err != nil {
			return err
		}
		defer stop()
		token, base = tmetrictest.SandboxToken, url
		fmt.Println("No TMETRIC_TOKEN: using the built-in sandbox at", url)
	}
	if base == "" {
		base = core.DefaultBaseURL
	}
	b, err := browser.Launch(ext, browser.Options{Headless: headless})
	if err != nil {
		return err
	}
	defer b.Close()
	ctx, cancel := b.NewTab()
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}

	// Connect exactly as a user does, on the options page.
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(720, 900),
		chromedp.Navigate(b.URL("options.html")),
		chromedp.WaitVisible("#token"),
		chromedp.Click("#advanced summary"),
		chromedp.SetJavascriptAttribute("#base-url", "value", base),
		chromedp.SendKeys("#token", token),
		chromedp.Click("#save"),
	)
	if err != nil {
		return err
	}
	status, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const s = document.getElementById("save-status");
		return s.className ? s.className + ": " + s.textContent : ""; })()`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		return err
	}
	fmt.Println("Options:", status)
	if !strings.HasPrefix(status, "ok") {
		return errors.New("the token was not accepted")
	}
	if err := shot(ctx, "body", filepath.Join(out, "options.png")); err != nil {
		return err
	}

	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 560),
		chromedp.Navigate(b.URL("popup.html")),
		chromedp.WaitReady(`body[data-state="fresh"], body[data-state="error"], body[data-state="cached-error"]`),
	)
	if err != nil {
		return err
	}
	summary, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const $ = (id) => document.getElementById(id);
		const lines = [$("workspace").textContent + " · " + $("date").textContent + " · total " + $("total").textContent];
		if (!$("running").hidden) lines.push("Running: " + $("running-note").textContent + " " + $("running-elapsed").textContent);
		for (const li of document.querySelectorAll("#entries li"))
			lines.push("  " + li.querySelector(".range").textContent + "  " + li.querySelector(".dur").textContent + "  " + li.querySelector(".note").textContent);
		if (!$("banner").hidden) lines.push("Banner: " + $("banner-text").textContent);
		return lines.join("\n");
	})()`))
	if err != nil {
		return err
	}
	fmt.Println("Popup:\n" + summary)
	popup := filepath.Join(out, "popup.png")
	if err := shot(ctx, "body", popup); err != nil {
		return err
	}
	fmt.Println("Screenshots:", popup, "and", filepath.Join(out, "options.png"))

	if !headless {
		fmt.Println("The browser stays open: press Ctrl+C to quit.")
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		<-sig
	}
	return nil
}

func shot(ctx context.Context, sel, path string) error {
	png, err := chromedp.Run(ctx, chromedp.Screenshot(sel))
	if err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}
