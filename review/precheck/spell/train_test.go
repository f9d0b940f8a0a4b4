package spell

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
)

// rawData is the shared data the embedded files are derived from.
type rawData struct {
	dir   string
	lex   *lexicon
	train []example
}

func openRaw(t testing.TB, dir string, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// loadRaw reads the training rows; withLexicon also builds the lexicon from
// the full jieba dictionary.
func loadRaw(t testing.TB, withLexicon bool) *rawData {
	dir := sharedData(t)
	raw := &rawData{dir: dir, train: readExamples(t, filepath.Join(dir, "ecspell-odw", "train.tsv"))}
	if withLexicon {
		f := openRaw(t, dir, "jieba/dict.txt")
		defer f.Close()
		lex, err := readLexicon(f)
		if err != nil {
			t.Fatal(err)
		}
		raw.lex = lex
	}
	return raw
}

// countPairs collects the typo statistics of exs.
func countPairs(exs []example) pairStats {
	ps := pairStats{wrongAs: map[[2]rune]int{}, seen: map[rune]int{}}
	for _, ex := range exs {
		typos := 0
		for i := range ex.wrong {
			if ex.wrong[i] != ex.right[i] {
				ps.wrongAs[[2]rune{ex.wrong[i], ex.right[i]}]++
				typos++
			}
		}
		if typos == 0 {
			continue
		}
		for _, r := range ex.wrong {
			ps.seen[r]++
		}
	}
	return ps
}

// rawDetector builds a detector from the shared data with the given pair
// statistics and model.
func (raw *rawData) detector(t testing.TB, ps pairStats, m model) *Detector {
	t.Helper()
	d := &Detector{lex: raw.lex, conf: confusions{}, pairs: ps, model: m}
	f := openRaw(t, raw.dir, "pycorrector/same_pinyin.txt")
	defer f.Close()
	if err := d.conf.readSamePinyin(f); err != nil {
		t.Fatal(err)
	}
	g := openRaw(t, raw.dir, "pycorrector/same_stroke.txt")
	defer g.Close()
	if err := d.conf.readSameStroke(g); err != nil {
		t.Fatal(err)
	}
	c, err := os.ReadFile(filepath.Join(raw.dir, "pycorrector", "common_char_set.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range string(c) {
		if isHan(r) {
			d.common.add(r)
		}
	}
	for p := range ps.wrongAs {
		d.conf.add(p[0], p[1], kindSeenInData)
	}
	d.conf.sortCandidates()
	return d
}

// record is one candidate correction met in the training sentences.
type record struct {
	x        []float64
	size     int
	to       [2]rune
	label    bool // every replaced character is a typo and gets its gold correction
	sentence int
	pos      int // rune offset in the sentence
	fold     int
	score    float64 // cross-validated probability
}

const folds = 5

// collect gathers the candidates of every training sentence, each fold's
// with pair statistics counted on the other folds only, so that the model
// learns how much an unseen sentence's pair statistics are worth.
func (raw *rawData) collect(t testing.TB) []record {
	var recs []record
	fold := raw.folds()
	for k := 0; k < folds; k++ {
		var others []example
		for i, ex := range raw.train {
			if fold[i] != k {
				others = append(others, ex)
			}
		}
		d := raw.detector(t, countPairs(others), model{})
		d.lm = newCharLM()
		for _, ex := range others {
			d.lm.add(ex.right)
		}
		lat := newLattice(d.lex)
		for i, ex := range raw.train {
			if fold[i] != k {
				continue
			}
			forRuns(ex.wrong, func(start int, chars []rune) {
				lat.reset(chars)
				d.candidates(lat, func(f *features) {
					p := start + f.pos
					label := true
					for j := 0; j < f.size; j++ {
						if ex.wrong[p+j] == ex.right[p+j] || ex.right[p+j] != f.to[j] {
							label = false
						}
					}
					recs = append(recs, record{
						x: vector(f, nil), size: f.size, to: f.to, label: label,
						sentence: i, pos: p, fold: k,
					})
				})
			})
		}
	}
	return recs
}

// folds assigns each training row to a fold. train.tsv holds many
// sentences several times with different typos; all rows of one corrected
// sentence share a fold, so that no fold is judged on a sentence it was
// trained on.
func (raw *rawData) folds() []int {
	group := map[string]int{}
	out := make([]int, len(raw.train))
	for i, ex := range raw.train {
		key := string(ex.right)
		g, ok := group[key]
		if !ok {
			g = len(group)
			group[key] = g
		}
		out[i] = g % folds
	}
	return out
}

// forRuns calls fn for each run of Han characters in runes.
func forRuns(runes []rune, fn func(start int, chars []rune)) {
	for start := 0; start < len(runes); {
		if !isHan(runes[start]) {
			start++
			continue
		}
		end := start + 1
		for end < len(runes) && isHan(runes[end]) {
			end++
		}
		fn(start, runes[start:end])
		start = end
	}
}

// fitLogistic fits the weights of the model for size by Newton's method
// with an L2 penalty lambda (the bias is not penalised).
func fitLogistic(recs []record, size int, lambda float64) []float64 {
	n := len(inputs(size))
	w := make([]float64, n)
	for iter := 0; iter < 50; iter++ {
		grad := make([]float64, n)
		hess := make([][]float64, n)
		for i := range hess {
			hess[i] = make([]float64, n)
		}
		for _, r := range recs {
			if r.size != size {
				continue
			}
			p := logistic(w, r.x)
			y := 0.0
			if r.label {
				y = 1
			}
			g := p - y
			h := math.Max(p*(1-p), 1e-9)
			for i, vi := range r.x {
				grad[i] += g * vi
				for j := i; j < n; j++ {
					hess[i][j] += h * vi * r.x[j]
				}
			}
		}
		for i := 1; i < n; i++ {
			grad[i] += lambda * w[i]
			hess[i][i] += lambda
		}
		for i := 0; i < n; i++ {
			for j := 0; j < i; j++ {
				hess[i][j] = hess[j][i]
			}
		}
		step := solve(hess, grad)
		size := 0.0
		for i := range w {
			w[i] -= step[i]
			size = math.Max(size, math.Abs(step[i]))
		}
		if size < 1e-7 {
			break
		}
	}
	return w
}

// solve solves a·x = b by Gaussian elimination with partial pivoting; a
// singular direction gets 0.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(slices.Clone(a[i]), b[i])
	}
	for c := 0; c < n; c++ {
		piv := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[piv][c]) {
				piv = r
			}
		}
		m[c], m[piv] = m[piv], m[c]
		if math.Abs(m[c][c]) < 1e-12 {
			continue
		}
		for r := 0; r < n; r++ {
			if r == c {
				continue
			}
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for i := range x {
		if math.Abs(m[i][i]) >= 1e-12 {
			x[i] = m[i][n] / m[i][i]
		}
	}
	return x
}

// crossValidate sets each record's score with models fitted on the other
// folds.
func crossValidate(recs []record, lambda float64) {
	for k := 0; k < folds; k++ {
		var fit []record
		for _, r := range recs {
			if r.fold != k {
				fit = append(fit, r)
			}
		}
		var w [3][]float64
		for size := 1; size <= 2; size++ {
			w[size] = fitLogistic(fit, size, lambda)
		}
		for i := range recs {
			if recs[i].fold == k {
				recs[i].score = logistic(w[recs[i].size], recs[i].x)
			}
		}
	}
}

// simulate applies Check's decision rule (candidates above their size's
// threshold, best first, no overlaps) to scored records and measures it.
func simulate(recs []record, exs []example, thresholds [3]float64) metrics {
	bySentence := map[int][]record{}
	for _, r := range recs {
		if r.score >= thresholds[r.size] {
			bySentence[r.sentence] = append(bySentence[r.sentence], r)
		}
	}
	var m metrics
	for i, ex := range exs {
		rs := bySentence[i]
		sort.SliceStable(rs, func(a, b int) bool {
			if rs[a].score != rs[b].score {
				return rs[a].score > rs[b].score
			}
			if rs[a].pos != rs[b].pos {
				return rs[a].pos < rs[b].pos
			}
			return rs[a].size < rs[b].size
		})
		taken := make([]bool, len(ex.wrong))
		var hits []Hit
		for _, r := range rs {
			if slices.Contains(taken[r.pos:r.pos+r.size], true) {
				continue
			}
			for j := r.pos; j < r.pos+r.size; j++ {
				taken[j] = true
			}
			hits = append(hits, Hit{Start: r.pos, End: r.pos + r.size, Suggestion: string(r.to[:r.size]), Score: r.score})
		}
		m.add(ex, hits)
	}
	return m
}

// tuneThresholds picks, on cross-validated scores, the thresholds with the
// best correction F1 among those whose correction precision is at least
// minPrecision.
func tuneThresholds(recs []record, exs []example, minPrecision float64) ([3]float64, metrics) {
	var grid []float64
	for g := 0.2; g < 0.99; g += 0.025 {
		grid = append(grid, g)
	}
	grid = append(grid, 1.01)
	var best [3]float64
	var bestM metrics
	bestF := -1.0
	for _, t1 := range grid {
		for _, t2 := range grid {
			th := [3]float64{0, t1, t2}
			m := simulate(recs, exs, th)
			p, _, f := m.correction()
			if p >= minPrecision && f > bestF {
				best, bestM, bestF = th, m, f
			}
		}
	}
	return best, bestM
}
