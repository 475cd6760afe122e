// Package api is the client of the Identomat vendor API: it creates
// verification sessions (POST {base}/begin/) from a saved config file and
// fetches their results (POST {base}/external-api/result/).
//
// The config is taken as the JSON bytes of the saved file; its top-level
// fields are sent in their order, after company_key, in one of four
// encodings (JSON, URL-encoded form, URL query, multipart form). When a
// secret key is configured every request is signed and every successful
// response's signature is verified (see Sign and SignChained).
//
// Credentials never leave the client except on the wire: the Client and
// Options print them as REDACTED, and every error built from a server
// response or a URL passes through Client.Redact.
package api
