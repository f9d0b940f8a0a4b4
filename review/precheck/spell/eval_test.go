package spell

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// sharedData is ../shared/data seen from the repository root, which is
// three levels above this package.
func sharedData(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, "ecspell-odw", "test.tsv")); err != nil {
		t.Skipf("no shared data at %s: %v", dir, err)
	}
	return dir
}

// example is one ECSpell row: the sentence as written and as corrected.
type example struct {
	wrong, right []rune
}

func readExamples(t testing.TB, path string) []example {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 3 {
			t.Fatalf("%s:%d: want 3 fields, got %d", path, line, len(fields))
		}
		if _, err := strconv.Atoi(fields[0]); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		w, r := []rune(fields[1]), []rune(fields[2])
		if len(w) != len(r) {
			continue // one training row has sentences of different lengths
		}
		out = append(out, example{wrong: w, right: r})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// metrics are character-level counts over a set of sentences.
type metrics struct {
	gold          int // typo positions
	flagged       int // flagged positions
	detected      int // flagged positions that are typos
	corrected     int // ... whose suggestion is the gold correction
	clean         int // sentences without typos
	cleanFlagged  int // ... with at least one flag
	sentences     int
	sentencesGood int // sentences whose flags are exactly the typos, all corrected right
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (m metrics) detection() (p, r, f float64) {
	p, r = ratio(m.detected, m.flagged), ratio(m.detected, m.gold)
	return p, r, f1(p, r)
}

func (m metrics) correction() (p, r, f float64) {
	p, r = ratio(m.corrected, m.flagged), ratio(m.corrected, m.gold)
	return p, r, f1(p, r)
}

func (m metrics) falseAlarmRate() float64 { return ratio(m.cleanFlagged, m.clean) }

func (m metrics) String() string {
	dp, dr, df := m.detection()
	cp, cr, cf := m.correction()
	return fmt.Sprintf("detection P %.3f R %.3f F1 %.3f | correction P %.3f R %.3f F1 %.3f | false alarms %d/%d = %.3f | flagged %d, typos %d",
		dp, dr, df, cp, cr, cf, m.cleanFlagged, m.clean, m.falseAlarmRate(), m.flagged, m.gold)
}

// add scores the hits of one sentence.
func (m *metrics) add(ex example, hits []Hit) {
	m.sentences++
	typos := 0
	for i := range ex.wrong {
		if ex.wrong[i] != ex.right[i] {
			typos++
		}
	}
	m.gold += typos
	if typos == 0 {
		m.clean++
		if len(hits) > 0 {
			m.cleanFlagged++
		}
	}
	good := 0
	for _, h := range hits {
		for p := h.Start; p < h.End; p++ {
			m.flagged++
			if ex.wrong[p] != ex.right[p] {
				m.detected++
				if []rune(h.Suggestion)[p-h.Start] == ex.right[p] {
					m.corrected++
					good++
				}
			}
		}
	}
	if good == typos && len(hits) == typos {
		m.sentencesGood++
	}
}

func evaluate(d *Detector, exs []example) metrics {
	var m metrics
	for _, ex := range exs {
		m.add(ex, d.Check(string(ex.wrong)))
	}
	return m
}

// TestEvaluate measures the embedded detector on ECSpell's odw test split
// (never used for tuning) and fails when detection or correction precision
// drops below 0.85 or correction F1 below 0.5 (the targets).
func TestEvaluate(t *testing.T) {
	dir := sharedData(t)
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	exs := readExamples(t, filepath.Join(dir, "ecspell-odw", "test.tsv"))
	for _, ex := range exs {
		if !utf8.ValidString(string(ex.wrong)) {
			t.Fatal("test sentence is not UTF-8")
		}
	}
	m := evaluate(d, exs)
	// test.tsv shares many sentences with train.tsv (the same sentence with
	// other typos), and the detector's character model is built from the
	// corrected training sentences. The rows whose corrected sentence is not
	// in train.tsv show what the detector does on text it has not seen.
	trained := map[string]bool{}
	for _, ex := range readExamples(t, filepath.Join(dir, "ecspell-odw", "train.tsv")) {
		trained[string(ex.right)] = true
	}
	var unseen []example
	for _, ex := range exs {
		if !trained[string(ex.right)] {
			unseen = append(unseen, ex)
		}
	}
	u := evaluate(d, unseen)
	dp, dr, df := m.detection()
	cp, cr, cf := m.correction()
	t.Logf("ecspell-odw test.tsv: %d sentences, %d typo characters, %d clean sentences", m.sentences, m.gold, m.clean)
	t.Logf("detection  (flag on a typo position):                  P %.3f  R %.3f  F1 %.3f", dp, dr, df)
	t.Logf("correction (flag on a typo position, right suggestion): P %.3f  R %.3f  F1 %.3f", cp, cr, cf)
	t.Logf("false alarms: %d of %d clean sentences flagged (%.3f)", m.cleanFlagged, m.clean, m.falseAlarmRate())
	t.Logf("unseen rows only (%d sentences, %d typo characters, corrected sentence not in train.tsv): %v", u.sentences, u.gold, u)
	if m.clean != 234 || m.sentences != 500 {
		t.Errorf("test split has %d sentences, %d clean; want 500 and 234", m.sentences, m.clean)
	}
	if cp < 0.85 {
		t.Errorf("correction precision %.3f < 0.85", cp)
	}
	if dp < 0.85 {
		t.Errorf("detection precision %.3f < 0.85", dp)
	}
	// Precision alone would pass a detector that flags almost nothing.
	if cf < 0.5 {
		t.Errorf("correction F1 %.3f < 0.5", cf)
	}
}
