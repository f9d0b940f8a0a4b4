package ahocorasick

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// bruteForce is the reference: from pos, find the first start at which any
// pattern matches, take the longest pattern there (lowest index on ties),
// report it and continue after its end.
func bruteForce(patterns []string, text string) []Match {
	var out []Match
	pos := 0
	for pos < len(text) {
		found := false
		for start := pos; start < len(text) && !found; start++ {
			best := -1
			for i, p := range patterns {
				if strings.HasPrefix(text[start:], p) && (best < 0 || len(p) > len(patterns[best])) {
					best = i
				}
			}
			if best >= 0 {
				out = append(out, Match{Pattern: best, Start: start, End: start + len(patterns[best])})
				pos = start + len(patterns[best])
				found = true
			}
		}
		if !found {
			break
		}
	}
	return out
}

func TestFindAllExamples(t *testing.T) {
	tests := []struct {
		name     string
		patterns []string
		text     string
		want     []string
	}{
		{"longest at same start", []string{"既使", "既使用"}, "他们既使用了A", []string{"既使用"}},
		{"leftmost beats longer later", []string{"bc", "abcd"}, "abce", []string{"bc"}},
		{"earlier start found later", []string{"bc", "abcd"}, "abcd", []string{"abcd"}},
		{"suffix match then extension", []string{"abcd", "bc", "bcef"}, "abcef", []string{"bcef"}},
		{"no skip past pending match", []string{"abcdx", "bc", "cdz"}, "abcdz", []string{"bc"}},
		{"non-overlapping", []string{"aa"}, "aaaaa", []string{"aa", "aa"}},
		{"cjk", []string{"共合国", "中华人民共和国", "扫黑险恶"}, "中华人民共合国开展扫黑险恶", []string{"共合国", "扫黑险恶"}},
		{"none", []string{"安装"}, "按装", nil},
		{"at end", []string{"按装"}, "请按装", []string{"按装"}},
		{"duplicate pattern keeps first index", []string{"x", "x"}, "x", []string{"x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(tc.patterns)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, mt := range m.FindAll(tc.text) {
				if tc.text[mt.Start:mt.End] != tc.patterns[mt.Pattern] {
					t.Errorf("match %+v is %q, pattern is %q", mt, tc.text[mt.Start:mt.End], tc.patterns[mt.Pattern])
				}
				got = append(got, tc.text[mt.Start:mt.End])
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if want := bruteForce(tc.patterns, tc.text); !slices.Equal(m.FindAll(tc.text), want) {
				t.Errorf("FindAll = %v, brute force = %v", m.FindAll(tc.text), want)
			}
		})
	}
}

func TestBadPatterns(t *testing.T) {
	if _, err := New([]string{"a", ""}); !errors.Is(err, ErrEmptyPattern) {
		t.Fatalf("err = %v, want ErrEmptyPattern", err)
	}
	if _, err := New([]string{"a", "\xe4\xb8"}); !errors.Is(err, ErrInvalidPattern) {
		t.Fatalf("err = %v, want ErrInvalidPattern", err)
	}
	m, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.FindAll("abc"); got != nil {
		t.Fatalf("no patterns found %v", got)
	}
}

func TestScanStops(t *testing.T) {
	m, err := New([]string{"a", "aab"})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("a", 3*walkChunk) // the walk hands over on its way
	for name, scan := range map[string]func(yield func(Match) bool){
		"Scan":              func(yield func(Match) bool) { m.Scan(text, yield) },
		"automaton":         func(yield func(Match) bool) { m.scanAutomaton(text, 0, yield) },
		"walk handing over": func(yield func(Match) bool) { m.walk(text, 4, 0, yield) },
	} {
		for _, stopAt := range []int{1, 2, 2000} {
			n := 0
			scan(func(Match) bool { n++; return n < stopAt })
			if n != stopAt {
				t.Errorf("%s: yield called %d times, want %d: it went on after false", name, n, stopAt)
			}
		}
	}
	n := 0
	if !m.walk(text, 4, 0, func(Match) bool { n++; return n < 2000 }) {
		t.Error("the walk did not hand over before its 2,000th match")
	}
}

// scanners are the ways the package scans, each of which must give the
// matches of the brute-force reference: Scan as users call it (the trie
// walk, for patterns this short), the automaton alone, the walk decoding as
// few characters at a time as it may (so that it decodes more in the middle
// of short texts), and the same walk told to hand over to the automaton as
// soon as its walks have taken more steps than one such chunk.
var scanners = []struct {
	name string
	scan func(m *Matcher, text string) []Match
}{
	{"Scan", (*Matcher).FindAll},
	{"automaton", func(m *Matcher, text string) []Match {
		var out []Match
		m.scanAutomaton(text, 0, func(mt Match) bool { out = append(out, mt); return true })
		return out
	}},
	{"walk in short chunks", func(m *Matcher, text string) []Match {
		var out []Match
		m.walk(text, m.maxRunes+1, walkSlack, func(mt Match) bool { out = append(out, mt); return true })
		return out
	}},
	{"walk handing over", func(m *Matcher, text string) []Match {
		var out []Match
		m.walk(text, m.maxRunes+1, 0, func(mt Match) bool { out = append(out, mt); return true })
		return out
	}},
}

// randomString draws n symbols from alphabet.
func randomString(rng *rand.Rand, alphabet []string, n int) string {
	var sb strings.Builder
	for range n {
		sb.WriteString(alphabet[rng.IntN(len(alphabet))])
	}
	return sb.String()
}

// TestAgainstBruteForce compares the automaton with the reference on random
// patterns and texts: tiny alphabets to force overlaps, CJK characters (three
// bytes that share lead bytes), and texts with invalid UTF-8.
func TestAgainstBruteForce(t *testing.T) {
	tests := []struct {
		name          string
		pattern, text []string
	}{
		{"ab", []string{"a", "b"}, nil},
		{"abc", []string{"a", "b", "c"}, nil},
		{"cjk", []string{"中", "华", "人", "民", "共", "和", "国", "合"}, nil},
		{"mixed", []string{"a", "中", "丰", "，", "1", "é", "😀"}, nil},
		{"invalid text", []string{"中", "a", "丰", "\uFFFD"}, []string{"\xe4", "\xb8", "\xad", "中", "a", "\xff", "\uFFFD", "丰"}},
		// An overlong "a" and a surrogate: three bytes each that look like
		// a character and must match nothing.
		{"overlong and surrogate", []string{"中", "a", "丰"}, []string{"\xe0\x81\xa1", "\xed\xa0\x80", "中", "a", "丰", "\xe4"}},
		{"sparse", []string{"的", "了", "是", "在", "不", "有", "这", "个", "上", "们", "来", "到", "时", "大", "地", "为"}, nil},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rounds := 3000
	if testing.Short() {
		rounds = 300
	}
	for _, tc := range tests {
		textAlpha := tc.text
		if textAlpha == nil {
			textAlpha = tc.pattern
		}
		t.Run(tc.name, func(t *testing.T) {
			for round := range rounds {
				np := 1 + rng.IntN(12)
				patterns := make([]string, np)
				for i := range patterns {
					patterns[i] = randomString(rng, tc.pattern, 1+rng.IntN(5))
				}
				m, err := New(patterns)
				if err != nil {
					t.Fatal(err)
				}
				for range 5 {
					text := randomString(rng, textAlpha, rng.IntN(40))
					want := bruteForce(patterns, text)
					for _, sc := range scanners {
						if got := sc.scan(m, text); !slices.Equal(got, want) {
							t.Fatalf("%s, round %d: patterns %q text %q:\n got  %v\n want %v", sc.name, round, patterns, text, got, want)
						}
					}
				}
			}
		})
	}
}

// TestAgainstBruteForceLarge uses many patterns, so that states spread over
// many blocks of the double array.
func TestAgainstBruteForceLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alpha := []string{"中", "华", "人", "民", "共", "和", "国", "合", "扫", "黑", "除", "恶", "a", "b"}
	patterns := make([]string, 3000)
	for i := range patterns {
		patterns[i] = randomString(rng, alpha, 1+rng.IntN(6))
	}
	// Few short patterns, so that long matches happen.
	patterns = slices.DeleteFunc(patterns, func(p string) bool { return len(p) <= 3 && rng.IntN(4) != 0 })
	m, err := New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	for range 200 {
		text := randomString(rng, alpha, 200)
		want := bruteForce(patterns, text)
		for _, sc := range scanners {
			if got := sc.scan(m, text); !slices.Equal(got, want) {
				t.Fatalf("%s: text %q:\n got  %v\n want %v", sc.name, text, got, want)
			}
		}
	}
}

// TestLongText scans texts of several chunks, so that the walk decodes
// more while a walk is under way, and hands over to the automaton at a
// place inside a chunk.
func TestLongText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	alpha := []string{"中", "华", "人", "民", "共", "和", "国", "a", "b", "\xff"}
	patterns := make([]string, 40)
	for i := range patterns {
		patterns[i] = randomString(rng, alpha[:len(alpha)-1], 1+rng.IntN(8))
	}
	patterns = append(patterns, strings.Repeat("中", walkMaxRunes)) // the longest pattern the walk takes
	m, err := New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	if m.maxRunes != walkMaxRunes {
		t.Fatalf("maxRunes = %d, want %d", m.maxRunes, walkMaxRunes)
	}
	for round := range 20 {
		var sb strings.Builder
		for sb.Len() < 3*walkChunk*3 {
			if rng.IntN(10) == 0 {
				sb.WriteString(strings.Repeat("中", rng.IntN(2*walkMaxRunes)))
			}
			sb.WriteString(randomString(rng, alpha, 1+rng.IntN(50)))
		}
		text := sb.String()
		want := bruteForce(patterns, text)
		for _, sc := range scanners {
			if got := sc.scan(m, text); !slices.Equal(got, want) {
				t.Fatalf("%s, round %d: %d matches, want %d", sc.name, round, len(got), len(want))
			}
		}
		if !m.walk(text, walkChunk, 0, func(Match) bool { return true }) {
			t.Fatalf("round %d: the walk with no slack did not hand over", round)
		}
	}
}

// TestWalkHandsOver checks that text on which the walks take more than
// walkSlack steps per character is finished by the automaton, with the same
// matches, and that other text is not.
func TestWalkHandsOver(t *testing.T) {
	as := strings.Repeat("a", 5000)
	tests := []struct {
		patterns []string
		text     string
		want     bool
	}{
		{[]string{"aab"}, as, false},                                    // 2 steps a character
		{[]string{strings.Repeat("a", walkSlack) + "b"}, as, false},     // walkSlack steps
		{[]string{strings.Repeat("a", walkSlack+1) + "b"}, as, true},    // one more
		{[]string{strings.Repeat("a", 200) + "b", "a", "中华"}, as, true}, // deep walks, short matches
		{[]string{strings.Repeat("a", 200) + "b", "a", "中华"}, strings.Repeat("中华人民共和国a", 1000), false},
	}
	for _, tc := range tests {
		m, err := New(tc.patterns)
		if err != nil {
			t.Fatal(err)
		}
		var got []Match
		handedOver := m.walk(tc.text, walkChunk, walkSlack, func(mt Match) bool { got = append(got, mt); return true })
		if handedOver != tc.want {
			t.Errorf("%.12q… on %.10q…: handed over %v, want %v", tc.patterns, tc.text, handedOver, tc.want)
		}
		if want := bruteForce(tc.patterns, tc.text); !slices.Equal(got, want) {
			t.Errorf("%.12q… on %.10q…: %d matches, want %d", tc.patterns, tc.text, len(got), len(want))
		}
	}
}

// TestLongPatternsUseTheAutomaton checks that a pattern longer than the walk
// takes still matches.
func TestLongPatternsUseTheAutomaton(t *testing.T) {
	long := strings.Repeat("中", walkMaxRunes+1)
	patterns := []string{long, "中中"}
	m, err := New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	text := "a" + long + "中中中"
	want := bruteForce(patterns, text)
	if got := m.FindAll(text); !slices.Equal(got, want) || len(got) != 2 {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestFindAllParallel checks that cutting the text changes nothing, with
// and without characters that no pattern uses.
func TestFindAllParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alpha := []string{"中", "华", "人", "民", "共", "和", "国", "扫", "黑", "除", "恶"}
	patterns := make([]string, 500)
	for i := range patterns {
		patterns[i] = randomString(rng, alpha, 1+rng.IntN(4))
	}
	m, err := New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	for _, sep := range []string{"，", "\n", ""} {
		var sb strings.Builder
		for sb.Len() < 300<<10 {
			sb.WriteString(randomString(rng, alpha, 1+rng.IntN(30)))
			sb.WriteString(sep)
		}
		text := sb.String()
		want := m.FindAll(text)
		for _, workers := range []int{1, 2, 3, 7} {
			if got := m.FindAllParallel(text, workers); !slices.Equal(got, want) {
				t.Fatalf("separator %q, %d workers: %d matches, want %d", sep, workers, len(got), len(want))
			}
		}
	}
}

// FuzzScan compares the automaton with the brute-force reference on
// patterns and texts made from the fuzzer's bytes: the patterns are the
// valid pieces of the first input split at '|', the text is the second
// input as it is (invalid UTF-8 included).
//
//	go test -run '^$' -fuzz FuzzScan -fuzztime 2m ./review/precheck/ahocorasick
func FuzzScan(f *testing.F) {
	f.Add("中华|中华人民|人民共和国|和国", "中华人民共和国万岁")
	f.Add("ab|abcd|bc|cde", "abcdeabce")
	f.Add("按装|安装|既使", "请按装\xe0\x81\xa1既使\xff安装")
	f.Add("a|aa|aaa", "aaaaaaa")
	f.Fuzz(func(t *testing.T, pats, text string) {
		var patterns []string
		for _, p := range strings.Split(pats, "|") {
			if p != "" && utf8.ValidString(p) && len(patterns) < 50 {
				patterns = append(patterns, p)
			}
		}
		if len(patterns) == 0 || len(text) > 4096 {
			return
		}
		m, err := New(patterns)
		if err != nil {
			t.Fatal(err)
		}
		want := bruteForce(patterns, text)
		for _, sc := range scanners {
			if got := sc.scan(m, text); !slices.Equal(got, want) {
				t.Fatalf("%s: patterns %q text %q:\n got  %v\n want %v", sc.name, patterns, text, got, want)
			}
		}
	})
}
