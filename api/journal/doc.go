// Package journal keeps the sessions a desk creates: one row per session
// begun (from desk mode, the wizard's launch or the begin command) in an
// embedded SQLite database, so that a restart, a crash or a second
// terminal loses nothing that was already on screen.
//
// The journal lives in one file (DefaultPath: the user's state directory)
// in WAL mode with a busy timeout, so several programs may use it at once;
// every write is one short transaction. The intended use is
//
//	j, err := journal.Open(ctx, journal.Options{Path: path, Retain: journal.DefaultRetain})
//	s, err := j.Record(ctx, journal.NewSession{...}) // before the QR is shown
//	err = j.Update(ctx, s.Token, result)             // on every poll
//
// and, when a desk starts, EndSandboxSessions, then OpenSessions to resume
// polling and History for the list of earlier sessions.
//
// What is kept: the token and link, the server, the flow file, a SHA-256
// of the payload sent (never the payload), the config_id, the times, the
// customer's name and clientUserId when given, and the result with its
// reject reason. Never a key. Names, clientUserIds and the payload hash
// (which could confirm a guessed name) are wiped once a session is older
// than the retention period; with secure_delete on and the write-ahead log
// truncated after a wipe or a purge, their bytes leave the files too.
package journal
