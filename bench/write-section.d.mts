export function writeSection(name: string, body: string): void;
