package textdiff

import (
	"math"
	"sort"
)

// Similarity of units is the Jaccard index of their sets of characters and
// character pairs (white space left out), estimated with a one-permutation
// MinHash of sigBuckets buckets: cheap to compare, whatever the length.
const sigBuckets = 32

// pairThreshold is the least similarity at which two changed units are
// compared inside; below it they are deleted and inserted whole.
// moveThreshold is the least similarity at which a deleted and an inserted
// paragraph far apart are taken as one moved paragraph.
const (
	pairThreshold = 0.2
	moveThreshold = 0.5
)

const emptyBucket = math.MaxUint32

type signature struct {
	mins [sigBuckets]uint32
}

func mix(x uint32) uint32 {
	x *= 0x9E3779B1
	x ^= x >> 15
	x *= 0xC2B2AE3D
	x ^= x >> 16
	return x
}

func (s *signature) add(h uint32) {
	b := h % sigBuckets
	v := h / sigBuckets
	if v < s.mins[b] {
		s.mins[b] = v
	}
}

func sign(text string) signature {
	var s signature
	for i := range s.mins {
		s.mins[i] = emptyBucket
	}
	var prev uint32
	havePrev := false
	for i := 0; i < len(text); {
		r, n := decodeRune(text[i:])
		i += n
		switch r {
		case ' ', '\t', '\r', '\n', '\u3000':
			continue
		}
		h := mix(uint32(r))
		s.add(h)
		if havePrev {
			b := (prev<<7 | prev>>25) ^ h
			b *= 0x85EBCA77
			b ^= b >> 15
			s.add(b)
		}
		prev, havePrev = h, true
	}
	return s
}

func (s *signature) similarity(t *signature) float32 {
	union, same := 0, 0
	for i := range s.mins {
		a, b := s.mins[i], t.mins[i]
		if a == emptyBucket && b == emptyBucket {
			continue
		}
		union++
		if a == b {
			same++
		}
	}
	if union == 0 {
		return 0
	}
	return float32(same) / float32(union)
}

// Limits of the pairing table: small regions get the full table, large
// ones a band around the diagonal (units far off it stay unpaired and may
// be found as moves).
const (
	fullPairCells = 1 << 16
	maxPairCells  = 1 << 22
	pairBand      = 48
)

// pairUnits pairs units 0..m-1 of one side with units 0..n-1 of the other,
// keeping their order and maximising the total similarity of the pairs;
// only pairs at least pairThreshold similar are allowed. It returns the
// pairs in order.
func pairUnits(m, n int, sim func(i, j int) float32) [][2]int32 {
	if m == 0 || n == 0 {
		return nil
	}
	if m == 1 && n == 1 {
		if sim(0, 0) >= pairThreshold {
			return [][2]int32{{0, 0}}
		}
		return nil
	}
	// Band of columns per row: lo[a]..hi[a].
	width := n
	if m*n > fullPairCells {
		width = abs(n-m) + pairBand
		if width*2*m > maxPairCells {
			width = maxPairCells / (2 * m)
		}
		if step := n/m + 2; width < step {
			width = step // the band must stay connected
		}
		if width > n {
			width = n
		}
	}
	lo := make([]int, m+1)
	hi := make([]int, m+1)
	off := make([]int, m+2)
	for a := 0; a <= m; a++ {
		c := a * n / m
		lo[a] = max(0, c-width)
		hi[a] = min(n, c+width)
		off[a+1] = off[a] + hi[a] - lo[a] + 1
	}
	neg := float32(math.Inf(-1))
	score := make([]float32, off[m+1])
	dir := make([]uint8, off[m+1]) // 0 start, 1 up (skip a), 2 left (skip b), 3 diagonal (pair)
	get := func(a, b int) float32 {
		if b < lo[a] || b > hi[a] {
			return neg
		}
		return score[off[a]+b-lo[a]]
	}
	for b := lo[0]; b <= hi[0]; b++ {
		score[off[0]+b-lo[0]] = 0
		if b > 0 {
			dir[off[0]+b-lo[0]] = 2
		}
	}
	for a := 1; a <= m; a++ {
		for b := lo[a]; b <= hi[a]; b++ {
			k := off[a] + b - lo[a]
			best, how := get(a-1, b), uint8(1)
			if b > lo[a] && score[k-1] > best {
				best, how = score[k-1], 2
			}
			if b > 0 {
				if diag := get(a-1, b-1); diag > neg {
					if w := sim(a-1, b-1); w >= pairThreshold && diag+w > best {
						best, how = diag+w, 3
					}
				}
			}
			score[k], dir[k] = best, how
		}
	}
	var pairs [][2]int32
	for a, b := m, n; a > 0 || b > 0; {
		switch dir[off[a]+b-lo[a]] {
		case 3:
			pairs = append(pairs, [2]int32{int32(a - 1), int32(b - 1)})
			a, b = a-1, b-1
		case 1:
			a--
		default:
			b--
		}
	}
	for i, j := 0, len(pairs)-1; i < j; i, j = i+1, j-1 {
		pairs[i], pairs[j] = pairs[j], pairs[i]
	}
	return pairs
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// matchSimilar pairs deleted paragraphs dels[restA] with inserted paragraphs
// ins[restB] that are at least moveThreshold similar, most similar first.
func matchSimilar(oldText string, dels []moveCandidate, restA []int, newText string, ins []moveCandidate, restB []int) [][2]int {
	sa := make([]signature, len(restA))
	for k, i := range restA {
		sa[k] = sign(oldText[dels[i].s.start:dels[i].s.end])
	}
	sb := make([]signature, len(restB))
	for k, j := range restB {
		sb[k] = sign(newText[ins[j].s.start:ins[j].s.end])
	}
	type cand struct {
		a, b int
		sim  float32
	}
	var cands []cand
	for ka := range sa {
		for kb := range sb {
			if s := sa[ka].similarity(&sb[kb]); s >= moveThreshold {
				cands = append(cands, cand{ka, kb, s})
			}
		}
	}
	sort.SliceStable(cands, func(x, y int) bool { return cands[x].sim > cands[y].sim })
	usedA := make([]bool, len(sa))
	usedB := make([]bool, len(sb))
	var out [][2]int
	for _, c := range cands {
		if usedA[c.a] || usedB[c.b] {
			continue
		}
		usedA[c.a], usedB[c.b] = true, true
		out = append(out, [2]int{restA[c.a], restB[c.b]})
	}
	return out
}
