// Placeholder until the client lands (issue 2).
export {};
