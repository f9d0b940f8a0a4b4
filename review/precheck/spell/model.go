package spell

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The inputs of the two logistic models, one for single characters and
// one for pairs, in the order vector fills them.
var (
	singleInputs = []string{
		"bias", "gain", "gain_capped", "old_len", "new_len", "old_lp", "new_lp",
		"from_lp", "to_lp", "same_sound", "other_tone", "look_alike",
		"seen_pair", "log_pair_count", "pair_rate", "old_single", "new_multi", "lm_gain", "tri_gain", "margin", "lm_neg", "tri_pos",
	}
	pairInputs = []string{
		"bias", "gain", "gain_capped", "old_len", "new_len", "old_lp", "new_lp",
		"from_lp", "to_lp", "same_sound", "other_tone", "look_alike",
		"seen_pair", "log_pair_count", "pair_rate", "old_whole", "new_whole", "lm_gain", "tri_gain", "extra_gain", "both_single", "old_whole_lp", "lm_neg", "tri_pos",
	}
)

func inputs(size int) []string {
	if size == 1 {
		return singleInputs
	}
	return pairInputs
}

// vector turns features into the inputs of the model for f.size.
func vector(f *features, x []float64) []float64 {
	count := func(k uint8) float64 {
		n := 0.0
		for i := 0; i < f.size; i++ {
			if f.kind[i]&k != 0 {
				n++
			}
		}
		return n
	}
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	x = append(x[:0],
		1,
		f.gain,
		math.Min(f.gain, 10),
		float64(f.oldLen),
		float64(f.newLen),
		f.oldLP,
		f.newLP,
		f.fromLP,
		f.toLP,
		count(kindSameSound),
		count(kindOtherTone),
		count(kindLookAlike),
		b(f.pairCount > 0),
		math.Log1p(float64(f.pairCount)),
		float64(f.pairCount)/float64(f.seenCount+1),
	)
	if f.size == 1 {
		return append(x, b(f.oldLen == 1), b(f.newLen > 1), f.lmGain, f.triGain, math.Max(f.gain-f.rival, -10), math.Min(f.lmGain, 0), b(f.triGain > 0))
	}
	oldWholeLP := 0.0
	if f.oldWhole {
		oldWholeLP = f.oldLP + 15
	}
	return append(x, b(f.oldWhole), b(f.newWhole), f.lmGain, f.triGain, math.Max(f.gain-f.rival, -10), b(f.both), oldWholeLP, math.Min(f.lmGain, 0), b(f.triGain > 0))
}

// model holds a logistic regression per candidate size, each with its
// decision threshold on the probability.
type model struct {
	weights    [3][]float64 // by size; [0] unused
	thresholds [3]float64
}

// score is the model's probability that f is a real typo and its correction.
func (m *model) score(f *features) float64 {
	var buf [32]float64
	x := vector(f, buf[:0])
	return logistic(m.weights[f.size], x)
}

// passes reports whether a candidate of the size with the given score is
// reported.
func (m *model) passes(size int, score float64) bool { return score >= m.thresholds[size] }

func logistic(w, x []float64) float64 {
	z := 0.0
	for i, v := range x {
		z += w[i] * v
	}
	return 1 / (1 + math.Exp(-z))
}

// readModel reads lines "size.name<TAB>weight" for every input of both
// models (size "single" or "pair") and "size.threshold<TAB>t".
func readModel(r io.Reader) (model, error) {
	var m model
	sizes := map[string]int{"single": 1, "pair": 2}
	index := map[string][2]int{}
	for prefix, size := range sizes {
		m.weights[size] = make([]float64, len(inputs(size)))
		for i, n := range append(slices.Clone(inputs(size)), "threshold") {
			index[prefix+"."+n] = [2]int{size, i}
		}
	}
	got := map[string]bool{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, value, ok := strings.Cut(text, "\t")
		v, err := strconv.ParseFloat(value, 64)
		if !ok || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return m, fmt.Errorf("model line %d: want \"name<TAB>number\", got %q", line, text)
		}
		at, ok := index[name]
		if !ok {
			return m, fmt.Errorf("model line %d: unknown input %q", line, name)
		}
		if at[1] == len(inputs(at[0])) {
			m.thresholds[at[0]] = v
		} else {
			m.weights[at[0]][at[1]] = v
		}
		got[name] = true
	}
	if err := sc.Err(); err != nil {
		return m, fmt.Errorf("model: %w", err)
	}
	for name := range index {
		if !got[name] {
			return m, fmt.Errorf("model: missing %q", name)
		}
	}
	return m, nil
}

// writeModel writes m in the form readModel reads.
func writeModel(w io.Writer, m model, comment string) error {
	bw := bufio.NewWriter(w)
	for _, l := range strings.Split(comment, "\n") {
		fmt.Fprintf(bw, "# %s\n", l)
	}
	for size, prefix := range []string{1: "single", 2: "pair"} {
		if size == 0 {
			continue
		}
		for i, n := range inputs(size) {
			fmt.Fprintf(bw, "%s.%s\t%.6g\n", prefix, n, m.weights[size][i])
		}
		fmt.Fprintf(bw, "%s.threshold\t%.6g\n", prefix, m.thresholds[size])
	}
	return bw.Flush()
}
