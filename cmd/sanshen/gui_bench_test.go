package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sanshen/client"
	"sanshen/client/clienttest"
)

// BenchmarkStartupWindow10k measures from exec to a usable window: the
// desktop client started on a cache that holds a queue of 10,000 items, up
// to the moment the window shows that queue (--print-ready). It needs Xvfb.
// Results in BENCHMARKS.md ("## ui").
func BenchmarkStartupWindow10k(b *testing.B) {
	if _, err := exec.LookPath("Xvfb"); err != nil {
		b.Skip("needs Xvfb")
	}
	bin := sanshenBinary(b)
	dir := b.TempDir()
	ts := clienttest.StartDetached(b, dir)
	defer ts.Stop()
	const items, writers = 10_000, 8
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() { defer wg.Done(); ts.Submit(b, "sub", items/writers) }()
	}
	wg.Wait()
	cfg := filepath.Join(dir, "cfg")
	ctx := context.Background()
	// A full sync: every item's detail, events and body in the cache, as a
	// reviewer's cache holds after working online.
	s, err := client.Login(ctx, client.Options{Dir: cfg}, ts.URL, "rev", clienttest.Password)
	if err != nil {
		b.Fatal(err)
	}
	if rep, err := s.Sync(ctx); err != nil || rep.Queue != items {
		b.Fatalf("sync: %+v %v", rep, err)
	}
	s.Close()
	display := startXvfb(b)

	var worst time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "--config-dir", cfg, "--print-ready")
		cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8", "XDG_CONFIG_HOME="+filepath.Join(dir, "xdg"))
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		ready := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if strings.Contains(sc.Text(), "sanshen: ready") {
					ready <- true
					return
				}
			}
			ready <- false
		}()
		var ok bool
		select {
		case ok = <-ready:
		case <-time.After(60 * time.Second):
		}
		elapsed := time.Since(start)
		b.StopTimer()
		cmd.Process.Kill()
		cmd.Wait()
		if !ok {
			b.Fatal("the window never reported ready")
		}
		worst = max(worst, elapsed)
		b.StartTimer()
	}
	// ns/op is the mean time from exec to ready; the slowest start too.
	b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
}

// startXvfb starts a virtual display for the benchmark and returns its name.
func startXvfb(b *testing.B) string {
	b.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1400x900x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		b.Fatal(err)
	}
	w.Close()
	b.Cleanup(func() { x.Process.Kill(); x.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		b.Fatalf("Xvfb did not say its display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}
