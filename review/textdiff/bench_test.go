package textdiff

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// benchCase is one pair of documents with the reference figures of plain
// go-diff and git on the same pair, computed once per process.
type benchCase struct {
	old, new string

	once          sync.Once
	goDiffTime    time.Duration // DiffMain, character mode, DiffTimeout 0
	goDiffRaw     int           // its inserted+deleted runes, no cleanup
	goDiffSem     int           // the same after DiffCleanupSemantic
	gitTime       time.Duration // median of gitRuns runs; 0 when git is absent
	gitChangeRune int
}

const gitRuns = 5

var benchCases sync.Map // name → *benchCase

func getBenchCase(size int, kind editKind) *benchCase {
	name := fmt.Sprintf("%d/%s", size, kind)
	if c, ok := benchCases.Load(name); ok {
		return c.(*benchCase)
	}
	old := regulation(uint64(size), size)
	c := &benchCase{old: old, new: editDocument(uint64(size)+uint64(kind), old, kind)}
	got, _ := benchCases.LoadOrStore(name, c)
	return got.(*benchCase)
}

func changedRunes(diffs []diffmatchpatch.Diff) int {
	n := 0
	for _, d := range diffs {
		if d.Type != diffmatchpatch.DiffEqual {
			n += utf8.RuneCountInString(d.Text)
		}
	}
	return n
}

// references measures plain go-diff (untimed character mode) and
// `git diff --no-index --word-diff-regex=.` on the pair.
func (c *benchCase) references(b *testing.B) {
	c.once.Do(func() {
		dmp := diffmatchpatch.New()
		dmp.DiffTimeout = 0
		start := time.Now()
		diffs := dmp.DiffMain(c.old, c.new, false)
		c.goDiffTime = time.Since(start)
		c.goDiffRaw = changedRunes(diffs)
		c.goDiffSem = changedRunes(dmp.DiffCleanupSemantic(diffs))

		git, err := exec.LookPath("git")
		if err != nil {
			return
		}
		dir := b.TempDir()
		oldPath, newPath := filepath.Join(dir, "old.txt"), filepath.Join(dir, "new.txt")
		if err := os.WriteFile(oldPath, []byte(c.old), 0o600); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(newPath, []byte(c.new), 0o600); err != nil {
			b.Fatal(err)
		}
		gitDiff := func(args ...string) []byte {
			cmd := exec.Command(git, append(append([]string{"diff", "--no-index"}, args...), oldPath, newPath)...)
			cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
			out, err := cmd.Output()
			if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
				b.Fatalf("git diff: %v", err)
			}
			return out
		}
		var times []time.Duration
		for range gitRuns {
			start := time.Now()
			gitDiff("--word-diff-regex=.")
			times = append(times, time.Since(start))
		}
		c.gitChangeRune = gitChangedRunes(gitDiff("--word-diff=porcelain", "--word-diff-regex=."))
		slices.Sort(times)
		c.gitTime = times[len(times)/2]
	})
}

// gitChangedRunes counts the runes on the '-' and '+' lines of git's
// porcelain word diff (after the header).
func gitChangedRunes(out []byte) int {
	n := 0
	inHunk := false
	for _, line := range bytes.Split(out, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("@@")) {
			inHunk = true
			continue
		}
		if inHunk && len(line) > 0 && (line[0] == '-' || line[0] == '+') {
			n += utf8.RuneCount(line[1:])
		}
	}
	return n
}

// BenchmarkDiff measures Diff on generated regulations (see gen_test.go) of
// 2 KB, 50 KB and 500 KB with edits dispersed over every article (~3% of the
// characters) or clustered in a few, plus articles inserted, deleted and
// moved. Beside ns/op it reports:
//
//	ms/op           our time in milliseconds
//	changed-runes   runes inserted + deleted by our diff
//	godiff-ms       plain go-diff DiffMain, character mode, DiffTimeout 0 (untimed)
//	godiff-runes    its runes inserted + deleted, raw (no cleanup)
//	godiff-sem-runes its runes inserted + deleted after DiffCleanupSemantic
//	x-godiff-runes  changed-runes / godiff-runes (target ≤ 1.1 for 500 KB dispersed)
//	git-runes       runes on the - and + lines of git's porcelain word diff
//	git-ms          `git diff --no-index --word-diff-regex=.` as a whole process, median of 5
//	x-git           ms/op / git-ms (target ≤ 1 for 500 KB dispersed)
func BenchmarkDiff(b *testing.B) {
	for _, size := range []int{2 << 10, 50 << 10, 500 << 10} {
		for _, kind := range []editKind{dispersed, clustered} {
			b.Run(fmt.Sprintf("%dKB/%s", size>>10, kind), func(b *testing.B) {
				c := getBenchCase(size, kind)
				c.references(b)
				ctx := context.Background()
				var r *Result
				b.SetBytes(int64(len(c.old) + len(c.new)))
				b.ResetTimer()
				for b.Loop() {
					r = Diff(ctx, c.old, c.new, Options{})
				}
				b.StopTimer()
				if r.Degraded {
					b.Errorf("degraded under the default budget")
				}
				if r.OldText() != c.old || r.NewText() != c.new {
					b.Fatal("segments do not rebuild the texts")
				}
				ours := r.Stats.RunesInserted + r.Stats.RunesDeleted
				perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
				b.ReportMetric(perOp, "ms/op")
				b.ReportMetric(float64(ours), "changed-runes")
				b.ReportMetric(float64(c.goDiffTime.Microseconds())/1000, "godiff-ms")
				b.ReportMetric(float64(c.goDiffRaw), "godiff-runes")
				b.ReportMetric(float64(c.goDiffSem), "godiff-sem-runes")
				b.ReportMetric(float64(ours)/float64(max(1, c.goDiffRaw)), "x-godiff-runes")
				if c.gitTime > 0 {
					b.ReportMetric(float64(c.gitChangeRune), "git-runes")
					gitMs := float64(c.gitTime.Microseconds()) / 1000
					b.ReportMetric(gitMs, "git-ms")
					b.ReportMetric(perOp/gitMs, "x-git")
				}
			})
		}
	}
}

// BenchmarkSideBySide measures the two-column alignment and the change list
// of the 500 KB dispersed case, which the desktop client builds for its view.
func BenchmarkSideBySide(b *testing.B) {
	c := getBenchCase(500<<10, dispersed)
	r := Diff(context.Background(), c.old, c.new, Options{})
	for b.Loop() {
		r.Aligned()
	}
}
