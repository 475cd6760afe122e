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
//   - GET /?session_token=T: the customer's pages, one per step of the
//     flow (a video call's own steps after its page), in the session's
//     language with a switcher over the flow's languages, mobile-first,
//     working with scripts off. Cameras, liveness, location and one-time
//     codes are simulated; files are sniffed, counted and discarded. The
//     last page picks the outcome (approve, reject with a reason, manual
//     check), then redirects to flags.return_url with ?session_token=T or
//     posts "DONE" to the parent frame. Forms go to POST /sandbox/step and
//     /sandbox/complete with the session's anti-forgery token, from the
//     sandbox's own origin only.
//   - POST /external-api/result/: the outcome, as the vendor reports it,
//     and what the customer entered, in the sandbox's own shape.
//
// It listens on loopback unless told otherwise: in LAN mode (ListenLAN,
// StartLAN) on every interface, its links carrying the machine's LAN
// address; behind a tunnel (Options.PublicURL) its links carry the public
// URL. Server.WidgetURL, Reach, Progress and Complete serve a program that
// embeds it.
//
// Sessions and answers live in memory, bounded in number, and vanish on
// restart: at most Options.MaxSessions live ones (begin/ answers 503 past
// it), and Options.MaxSessionsPerClient for one client on the network
// (429); an unfinished session's answers are dropped when it expires.
// Neither the company key nor the secret key nor anything the customer
// enters is ever logged.
package sandbox
