package spell

import (
	"os"
	"testing"
)

func TestDiagnose(t *testing.T) {
	if os.Getenv("SPELL_EXPLORE") == "" {
		t.Skip("set SPELL_EXPLORE=1")
	}
	raw := loadRaw(t)
	d := raw.detector(t, countPairs(raw.train[len(raw.train)/2:]), model{})
	lat := newLattice(d.lex)
	notCand, negGain, ok := 0, 0, 0
	shown := 0
	for _, ex := range raw.train[:len(raw.train)/2] {
		forRuns(ex.wrong, func(start int, chars []rune) {
			lat.reset(chars)
			found := map[int]*features{}
			d.candidates(lat, func(f *features) {
				p := start + f.pos
				if f.size == 1 && ex.right[p] == f.to[0] && ex.wrong[p] != ex.right[p] {
					c := *f
					found[p] = &c
				}
			})
			for i := range chars {
				p := start + i
				if ex.wrong[p] == ex.right[p] {
					continue
				}
				f := found[p]
				switch {
				case f == nil:
					notCand++
				case f.gain <= 0:
					negGain++
					if shown < 60 {
						shown++
						lo, hi := max(0, i-5), min(len(chars), i+6)
						t.Logf("%s→%s gain %.2f old %s(%d) new len %d  ctx %s | %s", string(f.from[0]), string(f.to[0]), f.gain,
							string(chars[lat.coverStart[i]:lat.coverEnd[i]]), lat.coverEnd[i]-lat.coverStart[i], f.newLen,
							string(chars[lo:hi]), string(ex.right[start+lo:start+hi]))
					}
				default:
					ok++
				}
			}
		})
	}
	t.Logf("not a candidate %d, gain<=0 %d, ok %d", notCand, negGain, ok)
}

func TestDebugSentence(t *testing.T) {
	text := os.Getenv("SPELL_DEBUG")
	if text == "" {
		t.Skip("set SPELL_DEBUG=sentence")
	}
	d := mustDefault(t)
	lat := newLattice(d.lex)
	forRuns([]rune(text), func(start int, chars []rune) {
		lat.reset(chars)
		var seg []string
		for i := 0; i < len(chars); i = lat.coverEnd[i] {
			seg = append(seg, string(chars[i:lat.coverEnd[i]]))
		}
		t.Logf("segmentation: %v", seg)
		d.candidates(lat, func(f *features) {
			s := d.model.score(f)
			if s > 0.05 {
				t.Logf("%d %s→%s gain %.2f old %d/%.1f new %d/%.1f pairs %d/%d kind %v score %.3f (threshold %.3f)",
					start+f.pos, string(f.from[:f.size]), string(f.to[:f.size]), f.gain, f.oldLen, f.oldLP, f.newLen, f.newLP,
					f.pairCount, f.seenCount, f.kind, s, d.model.thresholds[f.size])
			}
		})
	})
}
