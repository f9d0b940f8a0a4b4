package ahocorasick

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// zipfChars returns a generator of CJK characters whose frequencies follow a
// Zipf law over 3,500 characters, roughly like Chinese text.
func zipfChars(seed uint64) func() rune {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	z := rand.NewZipf(rng, 1.1, 8, 3499)
	return func() rune { return rune(0x4E00 + int(z.Uint64())*5) }
}

// syntheticWords returns n distinct words of 2–6 Zipf-distributed characters.
func syntheticWords(n int) []string {
	next := zipfChars(7)
	rng := rand.New(rand.NewPCG(8, 9))
	seen := make(map[string]bool, n)
	words := make([]string, 0, n)
	for len(words) < n {
		k := 2 + rng.IntN(5)
		var sb strings.Builder
		for range k {
			sb.WriteRune(next())
		}
		if w := sb.String(); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

// syntheticText returns about size bytes of Zipf-distributed characters with
// Chinese punctuation, with some of the words planted in it.
func syntheticText(size int, words []string) string {
	next := zipfChars(11)
	rng := rand.New(rand.NewPCG(12, 13))
	var sb strings.Builder
	for sb.Len() < size {
		switch r := rng.IntN(40); {
		case r == 0:
			sb.WriteString("，")
		case r == 1:
			sb.WriteString("。")
		case r == 2:
			sb.WriteString(words[rng.IntN(len(words))])
		default:
			sb.WriteRune(next())
		}
	}
	return sb.String()
}

// heapAfter returns the live heap in bytes after a collection.
func heapAfter() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// benchScan measures Scan on one and on two goroutines, and the automaton
// alone on one (what Scan falls back to) for comparison.
func benchScan(b *testing.B, words []string, text string) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("goroutines=%d", workers), func(b *testing.B) { benchScanWith(b, words, text, workers) })
	}
	b.Run("automaton", func(b *testing.B) { benchScanWith(b, words, text, 0) })
}

func benchScanWith(b *testing.B, words []string, text string, workers int) {
	before := heapAfter()
	m, err := New(words)
	if err != nil {
		b.Fatal(err)
	}
	heap := heapAfter() - before
	matches := len(m.FindAll(text))
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		var n int
		switch workers {
		case 0:
			m.scanAutomaton(text, 0, func(Match) bool { n++; return true })
		case 1:
			m.Scan(text, func(Match) bool { n++; return true })
		default:
			counts := make([][8]int, workers*partsPerWorker) // a cache line per part
			m.ScanParallel(text, workers, func(part int, _ Match) { counts[part][0]++ })
			for _, c := range counts {
				n += c[0]
			}
		}
		if n != matches {
			b.Fatalf("%d matches, want %d", n, matches)
		}
	}
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(m.States()), "states")
	b.ReportMetric(float64(matches), "matches")
	runtime.KeepAlive(m)
}

// BenchmarkScan100k scans 1 MB of Chinese-like text against 100,000 words.
// The target is ≥ 200 MB/s with ≤ 100 MiB of heap for the automaton.
func BenchmarkScan100k(b *testing.B) {
	words := syntheticWords(100_000)
	benchScan(b, words, syntheticText(1<<20, words))
}

// BenchmarkNew100k measures building the automaton for 100,000 words.
func BenchmarkNew100k(b *testing.B) {
	words := syntheticWords(100_000)
	for b.Loop() {
		if _, err := New(words); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanJieba100k uses the 100,000 most frequent words of jieba's
// dictionary and the ECSpell sentences repeated to 1 MB, when ../shared/data
// is there.
func BenchmarkScanJieba100k(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "data")
	words := jiebaWords(b, filepath.Join(dir, "jieba", "dict.txt"), 100_000)
	text := ecspellText(b, filepath.Join(dir, "ecspell-odw", "train.tsv"), 1<<20)
	benchScan(b, words, text)
}

func jiebaWords(b *testing.B, path string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		b.Skipf("no jieba dictionary: %v", err)
	}
	defer f.Close()
	type wf struct {
		w string
		f int
	}
	var all []wf
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || utf8.RuneCountInString(fields[0]) < 2 {
			continue
		}
		fr, _ := strconv.Atoi(fields[1])
		all = append(all, wf{fields[0], fr})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].f > all[j].f })
	words := make([]string, 0, n)
	for _, x := range all[:min(n, len(all))] {
		words = append(words, x.w)
	}
	return words
}

func ecspellText(b *testing.B, path string, size int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("no ECSpell data: %v", err)
	}
	var sents []string
	for line := range strings.SplitSeq(string(data), "\n") {
		if fields := strings.Split(line, "\t"); len(fields) == 3 {
			sents = append(sents, fields[2])
		}
	}
	var sb strings.Builder
	for i := 0; sb.Len() < size; i++ {
		sb.WriteString(sents[i%len(sents)])
		sb.WriteString("\n")
	}
	return sb.String()
}

// BenchmarkScanShort scans one sentence-sized text (about 22 characters)
// against the synthetic 100,000 words: the fixed cost of a scan.
func BenchmarkScanShort(b *testing.B) {
	words := syntheticWords(100_000)
	text := syntheticText(64, words)
	m, err := New(words)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		m.Scan(text, func(Match) bool { return true })
	}
}
