// Package client talks to the Sanshen review server and keeps the reviewer's
// work safe on the local machine: the API client, the SQLite cache, the
// durable outbox of decisions and the sync loop. It knows nothing of Fyne.
package client
