package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"sanshen/assets"
)

// Resources of the embedded CJK fonts (see assets/fonts/SOURCES.md).
var (
	cjkRegular = fyne.NewStaticResource("NotoSansSC-Regular-subset.otf", assets.CJKRegular)
	cjkBold    = fyne.NewStaticResource("NotoSansSC-Bold-subset.otf", assets.CJKBold)
)

// sanshenTheme is Fyne's default theme with embedded CJK fonts, so Chinese
// renders on a machine without CJK system fonts. The CJK subsets hold no
// Latin letters or digits: Fyne falls back per glyph to its own Noto Sans for
// them, in the matching weight.
type sanshenTheme struct {
	fyne.Theme
}

// NewTheme returns Sanshen's theme.
func NewTheme() fyne.Theme { return &sanshenTheme{Theme: theme.DefaultTheme()} }

func (t *sanshenTheme) Font(s fyne.TextStyle) fyne.Resource {
	switch {
	case s.Symbol:
		return t.Theme.Font(s)
	case s.Bold:
		return cjkBold
	default:
		return cjkRegular
	}
}

// Colours for diffs and markers, readable on light and dark variants. They are
// never the only signal: insertions and deletions are also marked in text.
const (
	colorNameInsert fyne.ThemeColorName = "sanshenInsert"
	colorNameDelete fyne.ThemeColorName = "sanshenDelete"
)

func (t *sanshenTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case colorNameInsert:
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x7d, G: 0xd3, B: 0x8f, A: 0xff}
		}
		return color.NRGBA{R: 0x0b, G: 0x6e, B: 0x2a, A: 0xff}
	case colorNameDelete:
		if v == theme.VariantDark {
			return color.NRGBA{R: 0xff, G: 0x8a, B: 0x80, A: 0xff}
		}
		return color.NRGBA{R: 0xb0, G: 0x1c, B: 0x16, A: 0xff}
	}
	return t.Theme.Color(n, v)
}
