package assets

import (
	_ "embed"
)

// CJK fonts: subsets of Noto Sans CJK SC (SIL OFL 1.1, see fonts/SOURCES.md).
var (
	//go:embed fonts/NotoSansSC-Regular-subset.otf
	CJKRegular []byte
	//go:embed fonts/NotoSansSC-Bold-subset.otf
	CJKBold []byte
)
