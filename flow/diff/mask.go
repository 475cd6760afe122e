package diff

// Mask stands for a credential's value in a change: a key written into a
// config must not reach a terminal, a log or a pull-request comment.
const Mask = "********"
