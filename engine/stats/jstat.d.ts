// Types for the part of jstat (no types of its own) that loadts uses.
declare module 'jstat' {
  interface JStat {
    setRandom(fn: () => number): void;
    beta: { sample(alpha: number, beta: number): number };
    studentt: { inv(p: number, dof: number): number };
    normal: { inv(p: number, mean: number, std: number): number };
  }
  const jStat: JStat;
  export default jStat;
}
