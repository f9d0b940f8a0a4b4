package assets

import "embed"

// Precheck holds the pre-check lists of review/precheck under precheck/:
// wrong formulations, leaders (empty by default), repealed documents,
// sensitive words and secrecy markers, typo pairs and Traditional
// characters. Their format is in precheck/README.md, sources and licences in
// precheck/SOURCES.md.
//
//go:embed precheck/*
var Precheck embed.FS
