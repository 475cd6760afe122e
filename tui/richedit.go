package tui

import "github.com/identoflow/identoflow/flow"

// richStepEditor returns the dedicated editor of a KYB, questionnaire or
// video-call step, or nil when the type has none (the step then opens as
// read-only JSON).
func richStepEditor(c *Common, doc *Doc, p flow.StepPath, focus string) Screen {
	return nil
}
