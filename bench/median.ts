// The middle value of a bench's runs (the upper middle of an even count): what the benches report.
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
