package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/timebar/timebar/core/tmetrictest"
)

// workerBenchmarks runs the relay Worker in wrangler's local runtime, once
// as shipped (one Go instance per isolate) and once with a fresh Go runtime
// per request, side by side, and reports latency and workerd's CPU time per
// request; plus what `wrangler deploy --dry-run` says it would upload.
func workerBenchmarks(r *report) error {
	root, _ := filepath.Abs(".")
	wrangler := filepath.Join(root, "tests/worker/node_modules/.bin/wrangler")
	if out, err := exec.Command("make", "--no-print-directory", "worker").CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	upstream, stop, err := tmetrictest.ServeLoopback(tmetrictest.NewSandbox(nil))
	if err != nil {
		return err
	}
	defer stop()

	variants := []struct{ name, script string }{
		{"one Go instance per isolate (shipped)", "wasm/worker/worker.mjs"},
		{"a fresh Go runtime per request (syumai's generated glue)", "tests/bench/assets/worker-fresh.mjs"},
	}
	n := *runs * 4
	r.workerRows = append(r.workerRows,
		fmt.Sprintf("GET /v1/today (two TMetric calls each: /user, then the day) against the fake on loopback; %d sequential requests per model after 5 warm-up requests.", n), "",
		"| serving model | latency median | p90 | workerd CPU per request |", "|---|---:|---:|---:|")
	for _, v := range variants {
		dir, err := os.MkdirTemp("", "timebar-worker-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		for _, f := range []string{"app.wasm", "wasm_exec.js"} {
			if err := copyFile(filepath.Join("build/worker", f), filepath.Join(dir, f)); err != nil {
				return err
			}
		}
		if err := copyFile(v.script, filepath.Join(dir, "worker.mjs")); err != nil {
			return err
		}
		lat, cpu, err := measureWorker(wrangler, dir, upstream, n)
		if err != nil {
			return fmt.Errorf("%s: %w", v.name, err)
		}
		r.workerRows = append(r.workerRows, fmt.Sprintf("| %s | %.1f ms | %.1f ms | %.1f ms |", v.name, median(lat), quantile(lat, 0.9), cpu))
	}
	size, err := dryRun(wrangler)
	if err != nil {
		return err
	}
	r.workerRows = append(r.workerRows, "", "`wrangler deploy --dry-run`: "+size)
	return nil
}

func wranglerConfig(dir string) (string, error) {
	cfg := filepath.Join(dir, "wrangler.toml")
	return cfg, os.WriteFile(cfg, []byte(`name = "timebar-relay-bench"
main = "worker.mjs"
compatibility_date = "2026-04-20"
[[rules]]
type = "CompiledWasm"
globs = ["**/*.wasm"]
fallthrough = true
`), 0o644)
}

func measureWorker(wrangler, dir, upstream string, n int) ([]float64, float64, error) {
	cfg, err := wranglerConfig(dir)
	if err != nil {
		return nil, 0, err
	}
	port := freePort()
	cmd := exec.Command(wrangler, "dev", "--config", cfg, "--ip", "127.0.0.1", "--port", strconv.Itoa(port),
		"--inspector-port", strconv.Itoa(freePort()), "--show-interactive-dev-session=false", "--persist-to", filepath.Join(dir, "state"), "--var", "TMETRIC_BASE_URL:"+upstream)
	cmd.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "CLOUDFLARE_CF_FETCH_ENABLED=false",
		"XDG_CONFIG_HOME="+dir, "HOME="+dir, "CI=true", "WRANGLER_LOG=warn")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	get := func() error {
		req, _ := http.NewRequest("GET", base+"/v1/today", nil)
		req.Header.Set("Authorization", "Bearer "+tmetrictest.SandboxToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != 200 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	deadline := time.Now().Add(60 * time.Second)
	for get() != nil {
		if time.Now().After(deadline) {
			return nil, 0, fmt.Errorf("the Worker never answered:\n%s", logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	for i := 0; i < 5; i++ {
		if err := get(); err != nil {
			return nil, 0, err
		}
	}
	cpu0 := groupCPU(cmd.Process.Pid, "workerd")
	var lat []float64
	for i := 0; i < n; i++ {
		t0 := time.Now()
		if err := get(); err != nil {
			return nil, 0, err
		}
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
	}
	cpu := groupCPU(cmd.Process.Pid, "workerd") - cpu0
	return lat, cpu / float64(n), nil
}

// groupCPU sums user+system CPU milliseconds of the process group's
// processes whose command name contains name.
func groupCPU(pgid int, name string) float64 {
	entries, _ := os.ReadDir("/proc")
	var ticks float64
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < 0 || !strings.Contains(s[open+1:end], name) {
			continue
		}
		f := strings.Fields(s[end+2:])
		// Fields after the name: state(0) ppid(1) pgrp(2) ... utime(11) stime(12).
		if len(f) < 13 {
			continue
		}
		if pg, _ := strconv.Atoi(f[2]); pg != pgid {
			continue
		}
		u, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		ticks += u + st
	}
	return ticks * 10 // USER_HZ is 100 on Linux: one tick is 10 ms
}

var uploadLine = regexp.MustCompile(`Total Upload: ([^\n]+)`)

func dryRun(wrangler string) (string, error) {
	dir, err := os.MkdirTemp("", "timebar-dryrun-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command(wrangler, "deploy", "--dry-run", "--outdir", dir, "--config", "wrangler.toml")
	cmd.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "CLOUDFLARE_CF_FETCH_ENABLED=false",
		"XDG_CONFIG_HOME="+dir, "HOME="+dir, "CI=true")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%v: %s", err, out)
	}
	if m := uploadLine.FindStringSubmatch(string(out)); m != nil {
		return "total upload " + strings.TrimSpace(m[1]), nil
	}
	return "", fmt.Errorf("no upload size in:\n%s", out)
}

func freePort() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
