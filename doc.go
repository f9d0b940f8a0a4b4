// Package sanshen is the root of the Sanshen module. It holds no code, only
// the tests that keep the architecture of DESIGN §3 honest: which packages may
// import what, and that every package says what it is for.
package sanshen
