package spell

import "math"

// charLM is a character bigram model of official-document text, smoothed
// towards its unigram distribution.
type charLM struct {
	uni   map[rune]int
	bi    map[uint64]int
	tri   map[[3]rune]int
	total int
}

// lmBeta is the weight of the unigram distribution in a bigram estimate.
const lmBeta = 2.0

func newCharLM() *charLM {
	return &charLM{uni: map[rune]int{}, bi: map[uint64]int{}, tri: map[[3]rune]int{}}
}

// add counts one sentence's runs of Han characters.
func (m *charLM) add(text []rune) {
	prev := rune(-1)
	for i, r := range text {
		if !isHan(r) {
			prev = -1
			continue
		}
		if i >= 2 && prev >= 0 && isHan(text[i-2]) {
			m.tri[[3]rune{text[i-2], prev, r}]++
		}
		m.uni[r]++
		m.total++
		if prev >= 0 {
			m.bi[pairHash(prev, r)]++
		}
		prev = r
	}
}

// logP is the log probability of b after a.
func (m *charLM) logP(a, b rune) float64 {
	pu := (float64(m.uni[b]) + 0.5) / (float64(m.total) + 4000)
	return math.Log((float64(m.bi[pairHash(a, b)]) + lmBeta*pu) / (float64(m.uni[a]) + lmBeta))
}

// trigramGain is how many more of the character trigrams that touch the
// replacement the model has seen with it than without it.
func (m *charLM) trigramGain(chars []rune, p int, sub []rune) float64 {
	if m == nil {
		return 0
	}
	g := 0
	for i := max(p-2, 0); i <= p+len(sub)-1 && i+2 < len(chars); i++ {
		if m.tri[[3]rune{replaced(chars, p, sub, i), replaced(chars, p, sub, i+1), replaced(chars, p, sub, i+2)}] > 0 {
			g++
		}
		if m.tri[[3]rune{chars[i], chars[i+1], chars[i+2]}] > 0 {
			g--
		}
	}
	return float64(g)
}

// gain is how much the bigram log probability of chars rises when
// chars[p:p+len(sub)] is replaced by sub.
func (m *charLM) gain(chars []rune, p int, sub []rune) float64 {
	if m == nil {
		return 0
	}
	g := 0.0
	for i := max(p, 1); i <= p+len(sub) && i < len(chars); i++ {
		g += m.logP(replaced(chars, p, sub, i-1), replaced(chars, p, sub, i)) - m.logP(chars[i-1], chars[i])
	}
	return g
}

// replaced returns the character at i of chars with chars[p:p+len(sub)]
// replaced by sub.
func replaced(chars []rune, p int, sub []rune, i int) rune {
	if j := i - p; j >= 0 && j < len(sub) {
		return sub[j]
	}
	return chars[i]
}
