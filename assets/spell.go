package assets

import "embed"

// Spell holds the data of the statistical spelling detector
// (review/precheck/spell): word frequencies, homophone and look-alike
// character sets, typo pairs and the model weights. Sources and licences are
// in spell/SOURCES.md.
//
//go:embed spell/*
var Spell embed.FS
