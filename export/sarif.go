package export

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// SARIF 2.1.0, the subset code-scanning dashboards read: one run, a rule
// per diagnostic code, a result per diagnostic with its file, line and
// column (counted in Unicode characters, as the run's columnKind says).
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		ColumnKind  string            `json:"columnKind"`
		Results     []sarifResult     `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		ShortDescription sarifText    `json:"shortDescription"`
		Help             sarifText    `json:"help"`
		Default          sarifDefault `json:"defaultConfiguration"`
	}
	sarifDefault struct {
		Level string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifInvocation struct {
		ExecutionSuccessful bool                `json:"executionSuccessful"`
		Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
	sarifLocation struct {
		Physical sarifPhysical     `json:"physicalLocation"`
		Logical  []sarifLogicalLoc `json:"logicalLocations,omitempty"`
	}
	sarifPhysical struct {
		Artifact sarifArtifact `json:"artifactLocation"`
		Region   *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
	}
	sarifLogicalLoc struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
	}
)

// sarifLevels names the SARIF level of each severity.
var sarifLevels = map[flow.Severity]string{flow.SevError: "error", flow.SevWarning: "warning", flow.SevInfo: "note"}

// sarifURI turns a file name as given on the command line into a URI
// reference: relative paths stay relative (dashboards resolve them against
// the repository), absolute ones become file URIs.
func sarifURI(name string) string {
	if name == "<stdin>" {
		return "stdin"
	}
	u := url.URL{Path: filepath.ToSlash(name)}
	if filepath.IsAbs(name) {
		u.Scheme = "file"
		if !strings.HasPrefix(u.Path, "/") { // a Windows drive
			u.Path = "/" + u.Path
		}
	}
	return u.String()
}

// WriteSARIF writes the reports as a SARIF 2.1.0 log. version is the
// tool's version, for the driver. Diagnostics AtLeast hid are no results:
// a notification of the run says how many each file has.
func WriteSARIF(w io.Writer, files []FileReport, version string) error {
	ruleIndex := map[string]int{}
	driver := sarifDriver{Name: "identoflow", Version: version, InformationURI: "https://github.com/identoflow/identoflow"}
	for i, r := range rules {
		ruleIndex[r.Code] = i
		driver.Rules = append(driver.Rules, sarifRule{ID: r.Code, ShortDescription: sarifText{r.Short},
			Help: sarifText{r.Help}, Default: sarifDefault{sarifLevels[r.Severity]}})
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	results := []sarifResult{}
	for _, f := range files {
		uri := sarifURI(f.File)
		if f.Error != "" {
			inv.ExecutionSuccessful = false
			inv.Notifications = append(inv.Notifications, sarifNotification{Level: "error",
				Message:   sarifText{"cannot read " + f.File + ": " + f.Error},
				Locations: []sarifLocation{{Physical: sarifPhysical{Artifact: sarifArtifact{uri}}}}})
			continue
		}
		if len(f.Hidden) > 0 {
			level := "note"
			if f.hiddenReason() != "" {
				level = "error"
			}
			inv.Notifications = append(inv.Notifications, sarifNotification{Level: level,
				Message:   sarifText{f.File + ": " + SeverityCounts(f.Hidden) + " hidden"},
				Locations: []sarifLocation{{Physical: sarifPhysical{Artifact: sarifArtifact{uri}}}}})
		}
		for _, d := range f.Diagnostics {
			idx, ok := ruleIndex[d.Code]
			if !ok { // a code without a rule: add one, so every result has its rule
				idx = len(driver.Rules)
				ruleIndex[d.Code] = idx
				driver.Rules = append(driver.Rules, sarifRule{ID: d.Code, ShortDescription: sarifText{d.Code},
					Help: sarifText{d.Code}, Default: sarifDefault{sarifLevels[d.Severity]}})
			}
			loc := sarifLocation{Physical: sarifPhysical{Artifact: sarifArtifact{uri}}}
			if d.Line > 0 {
				loc.Physical.Region = &sarifRegion{StartLine: d.Line, StartColumn: d.Column}
			}
			if d.Path != "" {
				loc.Logical = []sarifLogicalLoc{{FullyQualifiedName: d.Path}}
			}
			msg := d.Message
			if d.Path != "" {
				msg = d.Path + ": " + msg
			}
			// The fingerprint leaves the line out, so a problem keeps its
			// identity when lines above it are added.
			sum := sha256.Sum256([]byte(f.File + "\x00" + d.Code + "\x00" + d.Path))
			results = append(results, sarifResult{RuleID: d.Code, RuleIndex: idx, Level: sarifLevels[d.Severity],
				Message: sarifText{msg}, Locations: []sarifLocation{loc},
				PartialFingerprints: map[string]string{"identoflowPath/v1": hex.EncodeToString(sum[:16])}})
		}
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{driver}, Invocations: []sarifInvocation{inv},
			ColumnKind: "unicodeCodePoints", Results: results}},
	}
	if err := flow.WriteJSON(w, log); err != nil {
		return fmt.Errorf("writing the SARIF log: %w", err)
	}
	return nil
}
