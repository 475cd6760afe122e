package flow

// kybRank is the place of each KYB step type in the order the vendor runs
// them.
var kybRank = map[string]int{"company": 0, "beneficiaries": 1, "kyb-review": 2}

// ReorderKYB puts the KYB steps in the order the vendor runs them: company,
// then beneficiaries, then kyb-review. The KYB steps trade places among
// themselves (in the order WalkSteps visits them, nested ones included);
// every other step stays where it is, and steps of the same type keep their
// relative order. It reports whether anything moved.
func (c *Config) ReorderKYB() bool {
	type slot struct {
		list *Value
		at   int
	}
	var slots []slot
	var steps []*Value
	c.WalkSteps(func(p StepPath, s Step) {
		if _, ok := kybRank[s.Type()]; !ok {
			return
		}
		list, i := c.stepList(p)
		slots = append(slots, slot{list, i})
		steps = append(steps, s.V)
	})
	sorted := make([]*Value, 0, len(steps))
	for rank := range 3 {
		for _, s := range steps {
			if kybRank[Step{V: s}.Type()] == rank {
				sorted = append(sorted, s)
			}
		}
	}
	moved := false
	for i, sl := range slots {
		if sl.list.Item(sl.at) != sorted[i] {
			sl.list.SetItem(sl.at, sorted[i])
			moved = true
		}
	}
	return moved
}
