// Package sandbox is an offline emulator of the Identomat vendor API, for
// trying flows without an account, a camera or a network.
//
// It serves, like the vendor:
//
//   - POST /begin/ and /external-api/begin/ in the four encodings of the
//     client (JSON, URL-encoded form, URL query, multipart form). The
//     company key is required (any non-empty key, or exactly the pinned
//     one); with a secret key the request signature is checked and every
//     response is signed. The payload is validated with package flow: a
//     flow with errors is refused (400) with the diagnostics. The answer is
//     a JSON-quoted 40-character session token, valid 15 minutes.
//   - GET /?session_token=T: a small widget page listing the session's
//     steps, where the tester picks the outcome (approve, reject with a
//     reason, manual check). It then redirects to flags.return_url with
//     ?session_token=T, or posts "DONE" to its parent frame.
//   - POST /external-api/result/: the outcome, as the vendor reports it.
//
// Sessions live in memory, bounded in number, and vanish on restart: at
// most Options.MaxSessions live ones (begin/ answers 503 past it), and
// Options.MaxSessionsPerClient for one client on the network (429).
// Neither the company key nor the secret key is ever logged or echoed.
package sandbox
