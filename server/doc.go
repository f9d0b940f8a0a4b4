// Package server is the Sanshen review server: the REST/JSON API, its SQLite
// storage, accounts and roles, and the enforcement of the review rules of
// package review. It is importable so that tests and `sanshen --demo` can run
// it in-process.
package server
