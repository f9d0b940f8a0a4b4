package ui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sanshen/client"
	"sanshen/review"
	"sanshen/review/textdiff"
)

// Benchmarks of the screens; results in BENCHMARKS.md ("## ui").

func benchWindow(b *testing.B) *MainWindow {
	b.Helper()
	a := test.NewTempApp(b)
	a.Settings().SetTheme(NewTheme())
	prev := background
	background = func(work func()) { work() }
	b.Cleanup(func() { background = prev })
	m := NewMainWindow(a, idleBackend{}, Options{})
	m.Window().Resize(fyne.NewSize(1280, 800))
	return m
}

// idleBackend has an empty queue; the benchmarks give the screens their data directly.
type idleBackend struct{ Backend }

func (idleBackend) User() review.User {
	return review.User{Username: "reviewer", Roles: []review.Role{review.RoleReviewer}}
}
func (idleBackend) Queue(context.Context) ([]client.QueueEntry, error) { return nil, nil }
func (idleBackend) Subscribe(func(client.SyncState)) func()            { return func() {} }

func queueEntries(n int) []client.QueueEntry {
	cols := []string{"新闻动态", "通知公告", "政策文件", "人事信息", "规划计划", "办事服务"}
	depts := []string{"宣传教育处", "办公室", "政策法规处", "组织人事处", "规划发展处", "行政审批处"}
	out := make([]client.QueueEntry, n)
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i := range out {
		out[i] = client.QueueEntry{QueueItem: client.QueueItem{
			ID: fmt.Sprintf("item-%05d", i), Title: fmt.Sprintf("关于做好第%d批城市道路照明设施检修工作的通知", i),
			Column: cols[i%len(cols)], Department: depts[i%len(depts)], Stage: review.Stages[i%4], Version: 1 + i%3,
			UpdatedAt: t0.Add(time.Duration(i) * time.Minute),
		}, Cached: true}
	}
	return out
}

// BenchmarkQueueRefresh10k replaces a queue of 10,000 items: filters,
// counts and the list.
func BenchmarkQueueRefresh10k(b *testing.B) {
	m := benchWindow(b)
	entries := queueEntries(10_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.queue.setEntries(entries)
	}
	if len(m.queue.shown) != 10_000 {
		b.Fatalf("shown %d", len(m.queue.shown))
	}
}

// BenchmarkQueueSearch10k filters 10,000 items as a search is typed.
func BenchmarkQueueSearch10k(b *testing.B) {
	m := benchWindow(b)
	m.queue.setEntries(queueEntries(10_000))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.queue.search.SetText("第99")
		m.queue.search.SetText("")
	}
}

// regulation makes a Chinese regulation of about size bytes, one article per
// line, and a copy with about 3% of characters changed across all articles.
func regulation(size int) (string, string) {
	rng := rand.New(rand.NewPCG(1, 2))
	han := []rune("城市管理委员会应当加强市容环境卫生道路照明燃气供热园林绿化垃圾分类工作监督检查依法处理违法行为单位个人责任制度")
	var old, neu strings.Builder
	for n := 1; old.Len() < size; n++ {
		if n%20 == 1 {
			fmt.Fprintf(&old, "第%d章　总则\n", n/20+1)
			fmt.Fprintf(&neu, "第%d章　总则\n", n/20+1)
		}
		art := fmt.Sprintf("第%d条　", n)
		old.WriteString(art)
		neu.WriteString(art)
		for k := 0; k < 60+rng.IntN(60); k++ {
			r := han[rng.IntN(len(han))]
			old.WriteRune(r)
			if rng.IntN(100) < 3 {
				neu.WriteRune(han[rng.IntN(len(han))])
			} else {
				neu.WriteRune(r)
			}
			if k%15 == 14 {
				old.WriteString("，")
				neu.WriteString("，")
			}
		}
		old.WriteString("。\n")
		neu.WriteString("。\n")
	}
	return old.String(), neu.String()
}

// BenchmarkDiffView500KB shows the diff of two 500 KB documents: the diff
// itself, then both views (inline and side by side) wrapped to the window.
func BenchmarkDiffView500KB(b *testing.B) {
	m := benchWindow(b)
	oldText, newText := regulation(500 << 10)
	d := m.item.diff
	m.item.split.Show()
	layOut(m.Window()) // else the views keep width 0 and wrap to a few characters a line
	m.item.tabs.SelectIndex(1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := textdiff.Diff(context.Background(), oldText, newText, textdiff.Options{})
		d.show(res)
	}
	b.StopTimer()
	if len(d.changes) == 0 || len(d.inline.lines) == 0 {
		b.Fatal("nothing shown")
	}
	b.ReportMetric(float64(len(d.inline.lines)), "inline-lines")
}

// BenchmarkNewMainWindow builds the main window (no queue).
func BenchmarkNewMainWindow(b *testing.B) {
	a := test.NewTempApp(b)
	a.Settings().SetTheme(NewTheme())
	prev := background
	background = func(work func()) { work() }
	b.Cleanup(func() { background = prev })
	for i := 0; i < b.N; i++ {
		m := NewMainWindow(a, idleBackend{}, Options{})
		m.Window().Close()
	}
}
